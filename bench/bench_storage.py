"""Storage at scale, on both backends: vote ingest and the read paths at 1M votes in one guild.

    python bench/bench_storage.py [--votes 1000000] [--ingest 5000] [--reads 200] [--postgres URL]

PostgreSQL: `--postgres` (or RAMEN_TEST_POSTGRES_URL, which `scripts/postgres start` prints) names a
server; the bench creates and drops its own database there. Without one, SQLite only.

1. Ingest through the listener path (`Storage.record_reaction`: prompt check, vote upsert, keycap
   record, totals trigger, one transaction per group commit), `--ingest` distinct members at once,
   against a naive baseline in the same run: one connection, one transaction per vote.
2. Reads with `--votes` votes in one guild (10,000 members × 100 dramas at 1M), seeded in bulk
   (executemany / COPY), p50 and p99 over `--reads` calls: `/ratings` (`guild_score`), the chart
   (`top_dramas`), `/recommend`'s storage part (`member_taste`, and `guild_votes` while the votes do
   not change: its version query), `/myratings` (`member_votes`); and
   the naive read the chart did before totals (GROUP BY over every vote) as the baseline.
Targets: ingest ≥ 10× the naive baseline; /ratings and /recommend storage p99 ≤ 5 ms; /myratings
p99 ≤ 2 ms. Each figure says met or missed. Figures are printed, never asserted in tests
(tests/bench/test_bench_storage.py runs a small size and checks only the shape).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.store import Storage

GUILD, CHANNEL, PROMPT = 1 << 22, 2, 3
DRAMAS = [f"d{i:03d}" for i in range(100)]
STAMP = "2026-11-01T12:00:00.000000+00:00"
READ_TARGET_MS, MYRATINGS_TARGET_MS, INGEST_RATIO = 5.0, 2.0, 10.0
NAIVE_CHART = "SELECT drama_id, COUNT(*), SUM(score) FROM ratings WHERE guild_id = ? GROUP BY drama_id"
NAIVE_UPSERT = (
    "INSERT INTO ratings (guild_id, drama_id, user_id, score, updated_at) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (guild_id, drama_id, user_id) DO UPDATE SET score = excluded.score"
)


def verdict(value: float, target: float, *, higher: bool = False) -> str:
    return "met" if (value >= target if higher else value <= target) else "missed"


async def ingest(storage: Storage, members: int) -> float:
    """Votes per second through record_reaction, all members at once."""
    rng = random.Random(7)
    await storage.add_prompt(PROMPT, GUILD, CHANNEL, "run-on")
    started = time.perf_counter()
    await asyncio.gather(
        *(storage.record_reaction(GUILD, PROMPT, 10_000_000 + m, rng.randint(1, 10)) for m in range(members))
    )
    rate = members / (time.perf_counter() - started)
    score = await storage.guild_score(GUILD, "run-on")
    assert score.count == members, "lost votes"
    return rate


async def naive_ingest(execute_one: Callable[[tuple[Any, ...]], Awaitable[None]], members: int) -> float:
    """Votes per second, one transaction per vote, one after another."""
    rng = random.Random(7)
    started = time.perf_counter()
    for m in range(members):
        await execute_one((GUILD + 1, "run-on", m, rng.randint(1, 10), STAMP))
    return members / (time.perf_counter() - started)


def rows(votes: int) -> list[tuple[Any, ...]]:
    rng = random.Random(3)
    members = max(1, votes // len(DRAMAS))
    return [(GUILD, d, 1000 + m, rng.randint(1, 10), STAMP) for m in range(members) for d in DRAMAS][:votes]


async def timed(call: Callable[[], Awaitable[Any]], n: int) -> tuple[float, float]:
    """(p50, p99) in ms over n calls."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


async def reads(storage: Storage, n: int) -> dict[str, tuple[float, float]]:
    member = 1000 + 17
    await storage.guild_votes(GUILD)  # the first read fills the store's copy; the timed calls check its version
    return {
        "/ratings (guild_score)": await timed(lambda: storage.guild_score(GUILD, "d042"), n),
        "chart (top_dramas)": await timed(lambda: storage.top_dramas(GUILD), n),
        "/recommend storage (member_taste)": await timed(lambda: storage.member_taste(GUILD, member), n),
        "/recommend storage (guild_votes, votes unchanged)": await timed(lambda: storage.guild_votes(GUILD), n),
        "/myratings (member_votes)": await timed(lambda: storage.member_votes(GUILD, member), n),
        "naive chart (GROUP BY every vote)": await timed(lambda: storage.read(NAIVE_CHART, (GUILD,)), max(5, n // 20)),
    }


async def bench_sqlite(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    path = workdir / "bench.sqlite3"
    async with await Storage.open(path) as storage:
        rate = await ingest(storage, args.ingest)
    naive = await aiosqlite.connect(workdir / "naive.sqlite3", isolation_level=None)
    await naive.execute("PRAGMA journal_mode = WAL")
    await naive.execute("PRAGMA synchronous = FULL")
    await naive.execute(
        "CREATE TABLE ratings (guild_id INTEGER, drama_id TEXT, user_id INTEGER, score INTEGER, updated_at TEXT,"
        " PRIMARY KEY (guild_id, drama_id, user_id))"
    )

    async def one(row: tuple[Any, ...]) -> None:
        await naive.execute("BEGIN IMMEDIATE")
        await naive.execute(NAIVE_UPSERT, row)
        await naive.execute("COMMIT")

    baseline = await naive_ingest(one, args.ingest)
    await naive.close()
    started = time.perf_counter()
    async with await Storage.open(path) as storage:
        await storage.transaction(lambda tx: tx.executemany(NAIVE_UPSERT, rows(args.votes)))
        seeded = time.perf_counter() - started
        figures = await reads(storage, args.reads)
    return {"ingest": rate, "baseline": baseline, "seed_s": seeded, "reads": figures}


async def bench_postgres(args: argparse.Namespace, server: str) -> dict[str, Any]:
    name = "ramen_bench_" + uuid.uuid4().hex[:12]
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = server.rsplit("/", 1)[0] + "/" + name
    try:
        async with await Storage.open(url) as storage:
            rate = await ingest(storage, args.ingest)
        conn = await asyncpg.connect(url)
        upsert = NAIVE_UPSERT.replace("?", "${}").format(1, 2, 3, 4, 5)

        async def one(row: tuple[Any, ...]) -> None:
            async with conn.transaction():
                await conn.execute(upsert, *row)

        baseline = await naive_ingest(one, args.ingest)
        started = time.perf_counter()
        # Bulk seed: COPY with the totals trigger off, then the totals rebuilt as 0005's backfill does.
        async with conn.transaction():
            await conn.execute("ALTER TABLE ratings DISABLE TRIGGER USER")
            await conn.copy_records_to_table(
                "ratings", records=rows(args.votes), columns=["guild_id", "drama_id", "user_id", "score", "updated_at"]
            )
            await conn.execute("ALTER TABLE ratings ENABLE TRIGGER USER")
            hist = ", ".join(f"s{s}" for s in range(1, 11))
            sums = ", ".join(f"sum(CASE score WHEN {s} THEN 1 ELSE 0 END)" for s in range(1, 11))
            await conn.execute("DELETE FROM rating_totals WHERE guild_id = $1", GUILD)
            await conn.execute(
                f"INSERT INTO rating_totals (guild_id, drama_id, votes, total, {hist})"
                f" SELECT guild_id, drama_id, count(*), sum(score), {sums} FROM ratings WHERE guild_id = $1"
                " GROUP BY guild_id, drama_id",
                GUILD,
            )
        # No ANALYZE: the store never runs one; autovacuum may analyze the tables during the run.
        seeded = time.perf_counter() - started
        await conn.close()
        async with await Storage.open(url) as storage:
            figures = await reads(storage, args.reads)
        return {"ingest": rate, "baseline": baseline, "seed_s": seeded, "reads": figures}
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def report(backend: str, result: dict[str, Any], votes: int) -> list[str]:
    ratio = result["ingest"] / result["baseline"]
    lines = [
        f"{backend}: ingest {result['ingest']:,.0f} votes/s through record_reaction vs naive {result['baseline']:,.0f}"
        f" votes/s = {ratio:.1f}x (target >= {INGEST_RATIO:.0f}x: {verdict(ratio, INGEST_RATIO, higher=True)})",
        f"{backend}: {votes:,} votes in one guild seeded in {result['seed_s']:.1f} s",
    ]
    for name, (p50, p99) in result["reads"].items():
        target = MYRATINGS_TARGET_MS if "myratings" in name else None if "naive" in name else READ_TARGET_MS
        goal = f" (target p99 <= {target:g} ms: {verdict(p99, target)})" if target else " (baseline)"
        lines.append(f"{backend}: {name}: p50 {p50:.2f} ms, p99 {p99:.2f} ms{goal}")
    return lines


async def run(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Both backends (PostgreSQL when a server is given); returns the figures by backend."""
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="ramen-bench-") as tmp:
        results["sqlite"] = await bench_sqlite(args, Path(tmp))
    server = args.postgres or os.environ.get("RAMEN_TEST_POSTGRES_URL")
    if server:
        results["postgres"] = await bench_postgres(args, server)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--ingest", type=int, default=5_000)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    before = os.getloadavg()
    results = asyncio.run(run(args))
    after = os.getloadavg()
    for backend, result in results.items():
        print("\n".join(report(backend, result, args.votes)))
    print(
        f"load average (1/5/15 min) before {before[0]:.2f}/{before[1]:.2f}/{before[2]:.2f},"
        f" after {after[0]:.2f}/{after[1]:.2f}/{after[2]:.2f} on {os.cpu_count()} cores"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
