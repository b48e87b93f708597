"""Watchlist and up-next commands with 100,000 entries in a server, against an unindexed baseline.

    python bench/bench_watch.py [--entries 100000] [--ops 400] [--seed 14]

Builds one SQLite file through `Storage.open` (all migrations, WAL, synchronous=FULL) in a
temporary directory and fills one guild with `--entries` watchlist entries (members × dramas)
and `--entries` up-next titles with about 1.5 backings each, plus a second guild of the same
size as noise. No ANALYZE: the store never runs it, so queries are planned as in production.
A copy of the file without migration 0006's secondary indexes (`watchlist_by_drama`,
`upnext_order`, `upnext_backings_by_member`) is the naive baseline: the same store calls, the
same rows, only primary keys. Each command's store calls (what its cog awaits) run `--ops` times
on each file, the two files' calls alternating (so load from other processes hits both alike),
and the p50/p99 per command are printed with the ratio baseline p99 / ours p99 and "met"/"missed"
against the target: p99 ≤ 5 ms (issue 14), then the machine's load average.
Figures are printed, never asserted in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.store import Storage
from bot.watch.watchlist import Entry, Status

GUILD, NOISE = 1, 2
TARGET_P99_MS = 5.0
STATUSES = [s.value for s in Status]
INDEXES = ("watchlist_by_drama", "upnext_order", "upnext_backings_by_member")
STAMP = "2026-12-01T20:00:00.000000+00:00"

Op = Callable[[Storage, "World", random.Random, int], Awaitable[object]]


def seed_file(path: Path, entries: int, seed: int) -> tuple[int, int]:
    """Fill both guilds straight through sqlite3 (seeding only; the commands go through Storage).

    Returns (members, dramas) of the watchlists: `entries` = members × dramas per guild.
    """
    rng = random.Random(seed)
    dramas = 1000
    members = max(1, entries // dramas)
    with sqlite3.connect(path) as db:
        for guild in (GUILD, NOISE):
            db.executemany(
                "INSERT INTO watchlist_entries VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (guild, 10_000 + m, f"drama-{d}", rng.choice(STATUSES), None, STAMP)
                    for m in range(members)
                    for d in range(dramas)
                ),
            )
            db.executemany(
                "INSERT INTO upnext_entries VALUES (?, ?, ?, ?, ?)",
                (
                    (
                        guild,
                        f"queued-{q}",
                        10_000 + q % members,
                        f"2026-11-{1 + q % 28:02d}T{q % 24:02d}:00:00.{q:06d}+00:00",
                        0,
                    )
                    for q in range(entries)
                ),
            )
            db.executemany(
                "INSERT OR IGNORE INTO upnext_backings VALUES (?, ?, ?, ?)",
                (
                    (guild, f"queued-{rng.randrange(entries)}", 10_000 + rng.randrange(members), STAMP)
                    for _ in range(entries * 3 // 2)
                ),
            )
        db.execute(
            "UPDATE upnext_entries SET backers = (SELECT COUNT(*) FROM upnext_backings b"
            " WHERE b.guild_id = upnext_entries.guild_id AND b.drama_id = upnext_entries.drama_id)"
        )
        # No ANALYZE: the store never runs it, so the bot's queries are planned without statistics.
    db.close()
    return members, dramas


def baseline_copy(path: Path, target: Path) -> Path:
    """The same database without the secondary watch indexes."""
    shutil.copy(path, target)
    with sqlite3.connect(target) as db:
        for index in INDEXES:
            db.execute(f"DROP INDEX {index}")
    db.close()
    return target


@dataclass(frozen=True)
class World:
    """The seeded ids: members 10,000…, dramas drama-0…, queued titles queued-0…."""

    members: int
    dramas: int
    entries: int

    def member(self, rng: random.Random) -> int:
        return 10_000 + rng.randrange(self.members)

    def drama(self, rng: random.Random) -> str:
        return f"drama-{rng.randrange(self.dramas)}"

    def queued(self, rng: random.Random) -> str:
        return f"queued-{rng.randrange(self.entries)}"


async def watchlist_add(s: Storage, w: World, rng: random.Random, i: int) -> object:
    return await s.save_watch_entry(GUILD, w.member(rng), w.drama(rng), Entry(Status.WATCHING, 1 + i % 16))


async def watched(s: Storage, w: World, rng: random.Random, i: int) -> object:
    return await s.record_watched(GUILD, w.member(rng), w.drama(rng), 1 + i % 16, 16, "A drama")


async def watchlist_show(s: Storage, w: World, rng: random.Random, i: int) -> object:
    owner = w.member(rng)
    await s.watch_privacy(GUILD, owner)
    return await s.member_watchlist(GUILD, owner)


async def watchlist_remove(s: Storage, w: World, rng: random.Random, i: int) -> object:
    return await s.remove_watch_entry(GUILD, w.member(rng), w.drama(rng))


async def drama_counts(s: Storage, w: World, rng: random.Random, i: int) -> object:
    drama = w.drama(rng)
    await s.guild_score(GUILD, drama)
    return await s.watchers(GUILD, drama)


async def recommend_exclusions(s: Storage, w: World, rng: random.Random, i: int) -> object:
    return await s.recommend_exclusions(GUILD, w.member(rng))


async def upnext_add(s: Storage, w: World, rng: random.Random, i: int) -> object:
    return await s.upnext_add(GUILD, f"new-{i}", w.member(rng), "A drama")


async def upnext_back(s: Storage, w: World, rng: random.Random, i: int) -> object:
    try:  # a member drawn twice for one title: QueueError, as the member would be told
        return await s.upnext_add(GUILD, w.queued(rng), 90_000 + i, "A drama")
    except ValueError:
        return None


async def upnext_show(s: Storage, w: World, rng: random.Random, i: int) -> object:
    return await s.upnext_queue(GUILD, w.member(rng), 10)


async def upnext_remove(s: Storage, w: World, rng: random.Random, i: int) -> object:
    try:  # a title drawn twice is gone the second time: QueueError, as the member would be told
        return await s.upnext_remove(GUILD, w.queued(rng), w.member(rng), manages_guild=True, role_ids=(), title="A")
    except ValueError:
        return None


OPERATIONS: dict[str, Op] = {
    "/watchlist add": watchlist_add,
    "/watched": watched,
    "/watchlist show": watchlist_show,
    "/watchlist remove": watchlist_remove,
    "/drama (score + counts)": drama_counts,
    "/recommend exclusions": recommend_exclusions,
    "/upnext add (new title)": upnext_add,
    "/upnext add (back)": upnext_back,
    "/upnext show": upnext_show,
    "/upnext remove": upnext_remove,
}
"""Each command's store calls, as its cog awaits them (ids drawn at random)."""


async def timings(ours: Path, base: Path, op: Op, world: World, ops: int, seed: int) -> tuple[list[float], list[float]]:
    """Milliseconds per call of `op` on each file, `ops` times, after 20 warm-up calls on each.

    The two files' calls alternate (ours, baseline, ours, …) with the same drawn ids, so a burst of
    load from other processes on the shared machine falls on both sides alike, not on one of them.
    """
    rng_ours, rng_base = random.Random(seed), random.Random(seed)
    async with await Storage.open(ours) as mine, await Storage.open(base) as naive:
        for i in range(20):
            await op(mine, world, rng_ours, -1 - i)
            await op(naive, world, rng_base, -1 - i)
        out: tuple[list[float], list[float]] = ([], [])
        for i in range(ops):
            for storage, rng, times in ((mine, rng_ours, out[0]), (naive, rng_base, out[1])):
                start = time.perf_counter()
                await op(storage, world, rng, i)
                times.append((time.perf_counter() - start) * 1000)
    return out


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


async def main(entries: int, ops: int, seed: int) -> int:
    with tempfile.TemporaryDirectory(prefix="ramen-bench-watch-") as tmp:
        ours = Path(tmp) / "watch.sqlite3"
        async with await Storage.open(ours):
            pass
        started = time.perf_counter()
        members, dramas = seed_file(ours, entries, seed)
        base = baseline_copy(ours, Path(tmp) / "baseline.sqlite3")
        print(
            f"{entries:,} watchlist entries ({members} members × {dramas} dramas) and {entries:,} up-next titles"
            f" per guild, 2 guilds; seeded in {time.perf_counter() - started:.1f} s; {ops} calls per command"
        )
        print(f"{'command':<26} {'p50 ms':>8} {'p99 ms':>8} {'baseline p99':>13} {'ratio':>7}  target p99 ≤ 5 ms")
        missed = 0
        world = World(members, dramas, entries)
        for name, op in OPERATIONS.items():
            mine, naive = await timings(ours, base, op, world, ops, seed)
            verdict = "met" if p99(mine) <= TARGET_P99_MS else "missed"
            missed += verdict == "missed"
            print(
                f"{name:<26} {statistics.median(mine):8.2f} {p99(mine):8.2f} {p99(naive):13.2f}"
                f" {p99(naive) / p99(mine):6.1f}×  {verdict}"
            )
        print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 1 if missed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--ops", type=int, default=400)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.entries, args.ops, args.seed)))
