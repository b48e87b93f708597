"""The /recommend pagers (migration 0008) on both backends: kept, read back by id, refused past the
30-day retention, pruned on write and at start-up, shared by two stores on one PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.store import PAGER_RETENTION, Storage

START = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
PAGER = 1_312_000_000_000_000_001  # a snowflake beyond 2**53 and 2**32: kept exactly on both backends
PAYLOAD = '{"v":1,"likes":["run-on"],"results":[{"id":"ünïcode"}]}'


class Clock:
    """A clock the test moves."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


async def test_pager_is_kept_and_read_back(target: Path | str):
    clock = Clock(START)
    async with await Storage.open(target, clock=clock) as store:
        assert await store.save_pager(PAGER, guild_id=111, owner_id=42, owner_name="alice", results=PAYLOAD)
        got = await store.pager(PAGER)
        assert got is not None
        assert (got.pager_id, got.guild_id, got.owner_id, got.owner_name) == (PAGER, 111, 42, "alice")
        assert got.results == PAYLOAD and got.created_at == START
        assert await store.pager(PAGER + 1) is None
        # A DM pager has no guild; a second save under the same id leaves the first one.
        assert await store.save_pager(7, guild_id=None, owner_id=43, owner_name="bob", results="[]")
        assert not await store.save_pager(7, guild_id=1, owner_id=44, owner_name="eve", results="x")
        dm = await store.pager(7)
        assert dm is not None and (dm.guild_id, dm.owner_id, dm.results) == (None, 43, "[]")


async def test_a_forged_pager_id_beyond_64_bits_is_no_pager(target: Path | str):
    async with await Storage.open(target, clock=Clock(START)) as store:
        for forged in (2**63, 18_446_744_073_709_551_616, int("9" * 80), -1):
            assert await store.pager(forged) is None  # not an OverflowError from the driver
        assert await store.pager(2**63 - 1) is None  # the largest that fits: read, and not there


async def test_pager_survives_reopening(target: Path | str):
    async with await Storage.open(target, clock=Clock(START)) as store:
        await store.save_pager(PAGER, guild_id=111, owner_id=42, owner_name="alice", results=PAYLOAD)
    async with await Storage.open(target, clock=Clock(START + dt.timedelta(days=3))) as again:
        got = await again.pager(PAGER)
        assert got is not None and got.results == PAYLOAD


async def test_pager_past_retention_is_gone_then_pruned(target: Path | str):
    clock = Clock(START)
    async with await Storage.open(target, clock=clock) as store:
        await store.save_pager(1, guild_id=111, owner_id=42, owner_name="alice", results="a")
        clock.now = START + dt.timedelta(days=10)
        await store.save_pager(2, guild_id=111, owner_id=42, owner_name="alice", results="b")
        # 30 days after the first: exactly at the edge it is still kept; a microsecond later it is not.
        clock.now = START + PAGER_RETENTION
        assert (await store.pager(1)) is not None
        clock.now = START + PAGER_RETENTION + dt.timedelta(microseconds=1)
        assert await store.pager(1) is None  # not returned even before it is deleted
        assert await store.read("SELECT count(*) FROM recommend_pagers") == [(2,)]
        # Writing a new pager deletes the old one in the same transaction; the 10-day-old one stays.
        await store.save_pager(3, guild_id=111, owner_id=42, owner_name="alice", results="c")
        rows = await store.read("SELECT pager_id FROM recommend_pagers ORDER BY pager_id")
        assert [int(r[0]) for r in rows] == [2, 3]
        clock.now = START + dt.timedelta(days=41)  # pager 2 is 31 days old now, pager 3 11 days: 2 goes
        assert await store.prune_pagers() == 1
        assert await store.pager(2) is None and (await store.pager(3)) is not None
        assert await store.prune_pagers() == 0


async def test_two_stores_on_one_postgres_share_pagers(postgres_url: str):
    # Two stores = two processes' pools: what one keeps, the other pages.
    async with await Storage.open(postgres_url) as first, await Storage.open(postgres_url) as second:
        await first.save_pager(PAGER, guild_id=111, owner_id=42, owner_name="alice", results=PAYLOAD)
        got = await second.pager(PAGER)
        assert got is not None and got.owner_id == 42 and got.results == PAYLOAD
