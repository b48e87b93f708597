"""rating_totals (migration 0005): per guild and drama, count, sum and histogram kept by the vote
writes' own transactions, on both backends; always equal to a recount of the votes."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from pathlib import Path

import pytest

from bot.store import GuildScore, Storage

GUILDS, DRAMAS, MEMBERS = (100, 200), ("run-on", "hyena", "signal"), range(1, 13)
HISTOGRAM = ", ".join(f"s{score}" for score in range(1, 11))
RECOUNT = (
    "SELECT guild_id, drama_id, count(*), sum(score), "
    + ", ".join(f"sum(CASE score WHEN {s} THEN 1 ELSE 0 END)" for s in range(1, 11))
    + " FROM ratings GROUP BY guild_id, drama_id"
)


async def totals_and_recount(storage: Storage) -> tuple[dict, dict]:
    kept = await storage.read(f"SELECT guild_id, drama_id, votes, total, {HISTOGRAM} FROM rating_totals")
    recount = await storage.read(RECOUNT)
    as_dict = lambda rows: {(g, d): tuple(int(v) for v in rest) for g, d, *rest in rows}  # noqa: E731
    kept_nonzero = {key: value for key, value in as_dict(kept).items() if value[0]}  # emptied rows stay, at 0
    assert all(not any(value) for key, value in as_dict(kept).items() if key not in kept_nonzero)
    return kept_nonzero, as_dict(recount)


async def step(storage: Storage, rng: random.Random, prompts: dict[tuple[int, str], int]) -> None:
    """One random vote-writing operation through the store's public calls."""
    guild, drama, member, score = rng.choice(GUILDS), rng.choice(DRAMAS), rng.choice(MEMBERS), rng.randint(1, 10)
    prompt = prompts[(guild, drama)]
    kind = rng.choice(("rate", "react", "react", "unreact", "withdraw", "withdraw_any", "reconcile"))
    if kind == "rate":
        await storage.record_vote(guild, drama, member, score)
    elif kind == "react":
        await storage.record_reaction(guild, prompt, member, score)
    elif kind == "unreact":
        await storage.withdraw_reaction(guild, prompt, member, score)
    elif kind == "withdraw":
        await storage.withdraw_vote(guild, drama, member, score)
    elif kind == "withdraw_any":
        await storage.withdraw_vote(guild, drama, member)
    else:
        stored = await storage.prompt(prompt)
        assert stored is not None
        read = {m: set(rng.sample(range(1, 11), rng.randint(1, 2))) for m in MEMBERS if rng.random() < 0.4}
        await storage.reconcile_prompt(stored, read)


@pytest.mark.parametrize("seed", [1, 2])
async def test_totals_equal_a_recount_after_random_sequences(target: Path | str, seed: int):
    rng = random.Random(seed)
    async with await Storage.open(target) as storage:
        prompts = {}
        for number, (guild, drama) in enumerate(((g, d) for g in GUILDS for d in DRAMAS), start=1):
            await storage.add_prompt(number, guild, 300, drama)
            prompts[(guild, drama)] = number
        for _ in range(8):
            for _ in range(40):
                await step(storage, rng, prompts)
            kept, recount = await totals_and_recount(storage)
            assert kept == recount
        # Concurrent writes (one group commit) keep them exact too.
        await asyncio.gather(*(step(storage, rng, prompts) for _ in range(200)))
        kept, recount = await totals_and_recount(storage)
        assert kept == recount and sum(v[0] for v in recount.values()) > 0


async def test_guild_score_and_chart_read_the_totals(target: Path | str):
    async with await Storage.open(target) as storage:
        for member, score in ((1, 8), (2, 8), (3, 10), (4, 3)):
            await storage.record_vote(100, "run-on", member, score)
        await storage.record_vote(100, "run-on", 4, 5)  # replaced: 3 → 5
        await storage.withdraw_vote(100, "run-on", 2)  # withdrawn
        # By hand: votes 8, 10, 5 → count 3, total 23, one each of 5, 8, 10.
        expected = GuildScore("run-on", count=3, total=23, histogram=(0, 0, 0, 0, 1, 0, 0, 1, 0, 1))
        assert await storage.guild_score(100, "run-on") == expected
        (line,) = await storage.top_dramas(100)
        assert (line.drama_id, line.count, line.total) == ("run-on", 3, 23)
        taste = await storage.member_taste(100, 3)
        assert taste.rated == [("run-on", 10)] and taste.server == {"run-on": (23 / 3, 3)}
        for member in (1, 3, 4):
            await storage.withdraw_vote(100, "run-on", member)
        assert await storage.top_dramas(100) == []  # an emptied row is no chart line
        assert (await storage.member_taste(100, 3)).server == {}


async def test_myratings_query_uses_the_member_index(db_path: Path):
    async with await Storage.open(db_path):  # creates and migrates the file
        pass
    with sqlite3.connect(db_path) as db:
        plan = db.execute(
            "EXPLAIN QUERY PLAN SELECT guild_id, drama_id, user_id, score, updated_at, prompt_message_id"
            " FROM ratings WHERE guild_id = ? AND user_id = ? ORDER BY updated_at DESC, drama_id",
            (1, 2),
        ).fetchall()
    db.close()
    assert any("ratings_by_member_recent" in row[-1] for row in plan), plan
