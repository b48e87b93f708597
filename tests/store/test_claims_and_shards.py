"""Claims (work done once across processes) and the shard filter of reconciliation, on both backends."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from bot.store import Storage, StorageError

START = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


async def test_claim_is_won_once_until_released(target: Path | str):
    async with await Storage.open(target) as storage:
        results = await asyncio.gather(*(storage.claim("watch-poll-result", "77") for _ in range(10)))
        assert results.count(True) == 1
        assert await storage.claim("watch-poll-result", "78") is True  # another key is another claim
        assert await storage.release("watch-poll-result", "77") is True
        assert await storage.release("watch-poll-result", "77") is False
        assert await storage.claim("watch-poll-result", "77") is True


async def test_claim_with_work_rolls_back_together(target: Path | str):
    async with await Storage.open(target) as storage:

        async def fails(tx):
            await tx.execute("INSERT INTO claims (kind, claim_key, claimed_at) VALUES ('other', 'x', 'now')")
            raise RuntimeError("the work failed")

        with pytest.raises(RuntimeError):
            await storage.claim("digest", "week-48", fails)
        assert await storage.read("SELECT kind FROM claims") == []  # neither the claim nor the work stayed
        assert await storage.claim("digest", "week-48") is True


async def test_claim_across_two_processes_sharing_postgres_is_won_once(postgres_url: str):
    # Two stores = two processes' pools on one database; 20 claimants racing for each of 5 keys.
    async with await Storage.open(postgres_url) as first, await Storage.open(postgres_url) as second:
        claims = [store.claim("poll", str(key)) for key in range(5) for store in (first, second) for _ in range(10)]
        won = await asyncio.gather(*claims)
        assert sum(won) == 5
        rows = await second.read("SELECT claim_key FROM claims WHERE kind = 'poll' ORDER BY claim_key")
        assert rows == [(str(key),) for key in range(5)]


async def test_prompts_since_keeps_only_this_process_shards(target: Path | str):
    # Guild ids built so that (guild_id >> 22) % 4 is 0, 1, 2, 3, 0 (plus a creation-time offset).
    guilds = [(shard << 22) + 12345 for shard in (0, 1, 2, 3, 4)]
    async with await Storage.open(target) as storage:
        for number, guild in enumerate(guilds, start=1):
            await storage.add_prompt(number, guild, 300, "run-on", START)
        since = START - dt.timedelta(days=1)
        assert [p.guild_id for p in await storage.prompts_since(since)] == guilds  # unsharded: all
        mine = await storage.prompts_since(since, shard_count=4, shard_ids=[0, 3])
        assert [p.message_id for p in mine] == [1, 4, 5]
        assert [p.message_id for p in await storage.prompts_since(since, shard_count=2, shard_ids=[1])] == [2, 4]
        assert await storage.prompts_since(since, shard_count=4, shard_ids=[]) == []


async def test_a_second_store_on_a_closed_sqlite_file_opens(db_path: Path):
    store = await Storage.open(db_path)
    await store.close()
    async with await Storage.open(db_path) as again:
        assert await again.schema_version() >= 5
    with pytest.raises(StorageError):
        await store.claim("x", "y")
