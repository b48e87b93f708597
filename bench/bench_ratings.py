"""Reaction ingest benchmark: votes per second into `Storage` against a naive baseline.

    python bench/bench_ratings.py [--votes 5000] [--baseline-votes 5000] [--in-flight 50]

Every run builds fresh SQLite files (WAL, synchronous=FULL, foreign keys on, busy_timeout) in
a temporary directory and records one vote per member (distinct members, seeded random scores)
through a rating prompt, as the reaction listener does:

- storage, burst: all votes submitted at once (`asyncio.gather`), as when a prompt goes viral;
  group commit puts every vote that arrives during a commit in the next transaction.
- storage, N in flight: at most N votes outstanding at a time, a steadier stream.
- storage, one at a time: each vote awaited before the next; one commit per vote, no batching
  (shows what the shared connection alone buys).
- naive baseline: a new aiosqlite connection, the same pragmas, one upsert and one commit per
  vote, closed again, one vote after another.

After each run the rows are counted and summed: any lost or wrong vote fails the run (exit 1).
Target: ≥ 5,000 votes/s and ≥ 10× the baseline. Figures are printed, never asserted in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiosqlite

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.store import Storage

GUILD, CHANNEL, PROMPT, DRAMA = 1, 2, 3, "run-on"
TARGET_RATE, TARGET_RATIO = 5_000, 10

Votes = list[tuple[int, int]]  # (user id, score)


def make_votes(count: int, seed: int) -> Votes:
    rng = random.Random(seed)
    return [(10_000 + member, rng.randint(1, 10)) for member in range(count)]


async def fresh_storage(directory: Path, name: str) -> Storage:
    storage = await Storage.open(directory / f"{name}.sqlite3")
    await storage.add_prompt(PROMPT, GUILD, CHANNEL, DRAMA)
    return storage


async def check(storage: Storage, votes: Votes, label: str) -> None:
    score = await storage.guild_score(GUILD, DRAMA)
    expected = (len(votes), sum(score for _, score in votes))
    if (score.count, score.total) != expected:
        raise SystemExit(f"{label}: lost votes: stored (count, total) {score.count, score.total} != {expected}")


async def storage_burst(storage: Storage, votes: Votes, _: int) -> None:
    await asyncio.gather(
        *(storage.record_vote(GUILD, DRAMA, user, score, prompt_message_id=PROMPT) for user, score in votes)
    )


async def storage_in_flight(storage: Storage, votes: Votes, limit: int) -> None:
    gate = asyncio.Semaphore(limit)

    async def one(user: int, score: int) -> None:
        async with gate:
            await storage.record_vote(GUILD, DRAMA, user, score, prompt_message_id=PROMPT)

    await asyncio.gather(*(one(user, score) for user, score in votes))


async def storage_one_at_a_time(storage: Storage, votes: Votes, _: int) -> None:
    for user, score in votes:
        await storage.record_vote(GUILD, DRAMA, user, score, prompt_message_id=PROMPT)


async def naive(path: Path, votes: Votes) -> None:
    for user, score in votes:
        async with aiosqlite.connect(path) as db:
            await db.execute("PRAGMA busy_timeout = 5000")
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = FULL")
            await db.execute("PRAGMA foreign_keys = ON")
            await db.execute(
                "INSERT INTO ratings (guild_id, drama_id, user_id, score, updated_at, prompt_message_id)"
                " VALUES (?, ?, ?, ?, datetime('now'), ?)"
                " ON CONFLICT (guild_id, drama_id, user_id) DO UPDATE SET score = excluded.score,"
                " updated_at = excluded.updated_at, prompt_message_id = excluded.prompt_message_id",
                (GUILD, DRAMA, user, score, PROMPT),
            )
            await db.commit()


async def timed_storage(
    directory: Path,
    name: str,
    votes: Votes,
    run: Callable[[Storage, Votes, int], Awaitable[None]],
    limit: int,
) -> float:
    async with await fresh_storage(directory, name) as storage:
        started = time.perf_counter()
        await run(storage, votes, limit)
        elapsed = time.perf_counter() - started
        await check(storage, votes, name)
    return len(votes) / elapsed


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=5_000, help="votes per storage run (default 5000)")
    parser.add_argument("--baseline-votes", type=int, default=None, help="votes for the baseline (default --votes)")
    parser.add_argument("--in-flight", type=int, default=50, help="outstanding votes in the steady run")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    votes = make_votes(args.votes, args.seed)
    baseline_votes = make_votes(args.baseline_votes or args.votes, args.seed)

    with tempfile.TemporaryDirectory(prefix="ramen-bench-") as tmp:
        directory = Path(tmp)
        burst = await timed_storage(directory, "burst", votes, storage_burst, 0)
        steady = await timed_storage(directory, "steady", votes, storage_in_flight, args.in_flight)
        serial_votes = votes[: min(len(votes), 1_000)]
        serial = await timed_storage(directory, "serial", serial_votes, storage_one_at_a_time, 0)

        async with await fresh_storage(directory, "naive") as storage:
            path = directory / "naive.sqlite3"
            started = time.perf_counter()
            await naive(path, baseline_votes)
            baseline = len(baseline_votes) / (time.perf_counter() - started)
            await check(storage, baseline_votes, "naive")

    rows = [
        (f"storage, burst of {len(votes):,}", burst, f"{burst / baseline:.1f}x baseline"),
        (
            f"storage, {args.in_flight} in flight ({len(votes):,})",
            steady,
            f"{steady / baseline:.1f}x baseline",
        ),
        (f"storage, one at a time ({len(serial_votes):,})", serial, "no batching"),
        (f"naive baseline ({len(baseline_votes):,})", baseline, "connection + commit per vote"),
    ]
    print(f"sqlite {aiosqlite.sqlite_version}, WAL, synchronous=FULL; zero votes lost in every run")
    for label, rate, note in rows:
        print(f"{label:<36} {rate:>10,.0f} votes/s  ({note})")
    met = burst >= TARGET_RATE and burst / baseline >= TARGET_RATIO
    verdict = "met" if met else "NOT met"
    print(f"target >= {TARGET_RATE:,} votes/s and >= {TARGET_RATIO}x baseline (burst): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
