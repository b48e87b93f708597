"""Reaction ingest benchmark: the path members use, reaction payload → listener → committed vote.

    python bench/bench_ratings.py [--reactions 5000] [--baseline-reactions N] [--in-flight 50] [--seed 5]

In process, on fresh SQLite files (WAL, synchronous=FULL, foreign keys on, busy_timeout) in a
temporary directory. Each reaction is a gateway MESSAGE_REACTION_ADD payload (the dict Discord
sends) turned into a real `discord.RawReactionActionEvent` and handed to the real listener,
`cogs.rating_prompts.RatingPromptsCog.on_raw_reaction_add`, on a real (unconnected) discord.py
bot; the listener returns once the vote is committed. One reaction per member (distinct members,
seeded random keycaps, a tenth spelled without U+FE0F) on one rating prompt:

- listener, burst: every reaction dispatched at once (`asyncio.gather`), as discord.py runs each
  event as its own task when a prompt goes viral; group commit puts what arrives during a commit
  in the next transaction.
- listener, N in flight: at most N reactions outstanding, a steadier stream.
- naive baseline: the same payloads through a naive listener, one after another: parse the
  keycap, look the prompt up, upsert the vote and the seen keycap, commit, on one aiosqlite
  connection (a transaction and an fsync per reaction), as a simple bot would.

After each run the stored votes are counted and summed against what was sent: a lost or wrong
vote ends the run with status 1. Target: ≥ 10,000 reactions/s in the burst (printed met/missed),
beside the baseline's rate in the same run. Tests never assert times.
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
import discord
from discord.ext import commands

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.ratings.scores import RATING_EMOJI, VARIATION_SELECTOR, score_for_emoji
from bot.store import Storage
from cogs.rating_prompts import RatingPromptsCog

GUILD, CHANNEL, PROMPT, DRAMA = 1, 2, 3, "run-on"
TARGET_RATE = 10_000

Payloads = list[discord.RawReactionActionEvent]


def make_payloads(count: int, seed: int) -> tuple[Payloads, int]:
    """`count` reaction-add events from distinct members, and the sum of their scores."""
    rng = random.Random(seed)
    payloads, total = [], 0
    for member in range(count):
        score = rng.randint(1, 10)
        name = RATING_EMOJI[score - 1]
        if rng.random() < 0.1:  # some clients send the keycap without U+FE0F
            name = name.replace(VARIATION_SELECTOR, "") if VARIATION_SELECTOR in name else name + VARIATION_SELECTOR
        data = {
            "user_id": str(10_000 + member),
            "channel_id": str(CHANNEL),
            "message_id": str(PROMPT),
            "guild_id": str(GUILD),
            "emoji": {"id": None, "name": name},
            "type": 0,
            "burst": False,
        }
        emoji = discord.PartialEmoji.with_state(None, name=name)  # type: ignore[arg-type]
        payloads.append(discord.RawReactionActionEvent(data, emoji, "REACTION_ADD"))  # type: ignore[arg-type]
        total += score
    return payloads, total


async def fresh_storage(directory: Path, name: str) -> Storage:
    storage = await Storage.open(directory / f"{name}.sqlite3")
    await storage.add_prompt(PROMPT, GUILD, CHANNEL, DRAMA)
    return storage


async def check(path: Path, count: int, total: int, label: str) -> None:
    async with aiosqlite.connect(path) as db:
        ((stored, summed),) = await db.execute_fetchall(
            "SELECT COUNT(*), COALESCE(SUM(score), 0) FROM ratings WHERE guild_id = ? AND drama_id = ?", (GUILD, DRAMA)
        )
    if (stored, summed) != (count, total):
        raise SystemExit(f"{label}: lost or wrong votes: stored (count, total) {stored, summed} != {count, total}")


async def burst(cog: RatingPromptsCog, payloads: Payloads, _: int) -> None:
    await asyncio.gather(*(cog.on_raw_reaction_add(p) for p in payloads))


async def in_flight(cog: RatingPromptsCog, payloads: Payloads, limit: int) -> None:
    gate = asyncio.Semaphore(limit)

    async def one(payload: discord.RawReactionActionEvent) -> None:
        async with gate:
            await cog.on_raw_reaction_add(payload)

    await asyncio.gather(*(one(p) for p in payloads))


async def timed_listener(
    directory: Path,
    name: str,
    payloads: Payloads,
    total: int,
    run: Callable[[RatingPromptsCog, Payloads, int], Awaitable[None]],
    limit: int,
) -> float:
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.none())
    storage = await fresh_storage(directory, name)
    try:
        cog = RatingPromptsCog(bot, storage)
        started = time.perf_counter()
        await run(cog, payloads, limit)
        elapsed = time.perf_counter() - started
    finally:
        await storage.close()
    await check(directory / f"{name}.sqlite3", len(payloads), total, name)
    return len(payloads) / elapsed


async def naive_listener(db: aiosqlite.Connection, payload: discord.RawReactionActionEvent) -> None:
    score = score_for_emoji(payload.emoji.name)
    if score is None or payload.guild_id is None:
        return
    rows = await db.execute_fetchall(
        "SELECT drama_id FROM rating_prompts WHERE message_id = ? AND guild_id = ?", (payload.message_id, GUILD)
    )
    if not rows:
        return
    ((drama_id,),) = rows
    await db.execute(
        "INSERT INTO ratings (guild_id, drama_id, user_id, score, updated_at, prompt_message_id)"
        " VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), ?)"
        " ON CONFLICT (guild_id, drama_id, user_id) DO UPDATE SET score = excluded.score,"
        " updated_at = excluded.updated_at, prompt_message_id = excluded.prompt_message_id",
        (payload.guild_id, drama_id, payload.user_id, score, payload.message_id),
    )
    await db.execute(
        "INSERT INTO prompt_reactions (message_id, user_id, scores, updated_at)"
        " VALUES (?, ?, 1 << ?, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))"
        " ON CONFLICT (message_id, user_id) DO UPDATE SET scores = scores | excluded.scores",
        (payload.message_id, payload.user_id, score),
    )
    await db.commit()


async def timed_naive(directory: Path, payloads: Payloads, total: int) -> float:
    await (await fresh_storage(directory, "naive")).close()  # the same schema and prompt
    path = directory / "naive.sqlite3"
    async with aiosqlite.connect(path) as db:
        for pragma in ("busy_timeout = 5000", "journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
            await db.execute(f"PRAGMA {pragma}")
        started = time.perf_counter()
        for payload in payloads:
            await naive_listener(db, payload)
        elapsed = time.perf_counter() - started
    await check(path, len(payloads), total, "naive")
    return len(payloads) / elapsed


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reactions", type=int, default=5_000, help="reactions per listener run (default 5000)")
    parser.add_argument("--baseline-reactions", type=int, default=None, help="for the baseline (default --reactions)")
    parser.add_argument("--in-flight", type=int, default=50, help="outstanding reactions in the steady run")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    payloads, total = make_payloads(args.reactions, args.seed)
    base_payloads, base_total = make_payloads(args.baseline_reactions or args.reactions, args.seed)

    with tempfile.TemporaryDirectory(prefix="ramen-bench-") as tmp:
        directory = Path(tmp)
        baseline = await timed_naive(directory, base_payloads, base_total)
        rate_burst = await timed_listener(directory, "burst", payloads, total, burst, 0)
        steady = await timed_listener(directory, "steady", payloads, total, in_flight, args.in_flight)

    n = f"{len(payloads):,}"
    rows = [
        (f"listener, burst of {n}", rate_burst, f"{rate_burst / baseline:.1f}x baseline"),
        (f"listener, {args.in_flight} in flight ({n})", steady, f"{steady / baseline:.1f}x baseline"),
        (f"naive listener ({len(base_payloads):,})", baseline, "one transaction + fsync per reaction"),
    ]
    print(f"sqlite {aiosqlite.sqlite_version}, WAL, synchronous=FULL; payload -> listener -> committed vote")
    print("every run: stored votes counted and summed against what was sent (0 lost, 0 wrong)")
    for label, rate, note in rows:
        print(f"{label:<36} {rate:>10,.0f} reactions/s  ({note})")
    verdict = "met" if rate_burst >= TARGET_RATE else "missed"
    print(f"target >= {TARGET_RATE:,} reactions/s in a burst: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
