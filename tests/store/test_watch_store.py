"""The watch area of the store on both backends (tests/store/conftest.py: a real SQLite file, then a
fresh PostgreSQL database): watchlists, privacy, up next, the remover role. The index checks look
inside the SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.store import RemoveOutcome, Storage
from bot.store.watch import EXCLUSIONS, NAMED_WATCHERS, WATCHER_COUNTS
from bot.watch.errors import EpisodeError, QueueError
from bot.watch.upnext import BackOutcome
from bot.watch.watchlist import Entry, Status
from tests.fakes import StepClock

GUILD, OTHER_GUILD = 1001, 1002
ALICE, BOB, CAROL = 11, 12, 13


@pytest.fixture
async def sqlite_store(db_path: Path):
    async with await Storage.open(db_path, clock=StepClock()) as opened:
        yield opened


# ---------------------------------------------------------------------------------------- watchlists


async def test_save_entry_returns_the_previous_one_and_replaces_it(storage: Storage):
    assert await storage.save_watch_entry(GUILD, ALICE, "run-on", Entry(Status.PLAN_TO_WATCH)) is None
    previous = await storage.save_watch_entry(GUILD, ALICE, "run-on", Entry(Status.WATCHING, 3))
    assert previous == Entry(Status.PLAN_TO_WATCH)
    assert await storage.watch_entry(GUILD, ALICE, "run-on") == Entry(Status.WATCHING, 3)
    assert await storage.watch_entry(OTHER_GUILD, ALICE, "run-on") is None  # per server


async def test_record_watched_moves_progress_and_finishes_at_the_last_episode(storage: Storage):
    first = await storage.record_watched(GUILD, ALICE, "run-on", 5, 16, "Run On")
    assert (first.previous, first.entry, first.finished_now) == (None, Entry(Status.WATCHING, 5), False)
    last = await storage.record_watched(GUILD, ALICE, "run-on", 16, 16, "Run On")
    assert (last.entry, last.finished_now) == (Entry(Status.FINISHED, 16), True)
    with pytest.raises(EpisodeError, match="16 episodes"):
        await storage.record_watched(GUILD, ALICE, "run-on", 17, 16, "Run On")
    assert await storage.watch_entry(GUILD, ALICE, "run-on") == Entry(Status.FINISHED, 16)  # nothing written


async def test_member_watchlist_orders_by_status_then_newest_and_counts_all(storage: Storage):
    await storage.save_watch_entry(GUILD, ALICE, "a", Entry(Status.FINISHED, 16))
    await storage.save_watch_entry(GUILD, ALICE, "b", Entry(Status.PLAN_TO_WATCH))
    await storage.save_watch_entry(GUILD, ALICE, "c", Entry(Status.WATCHING, 2))
    await storage.save_watch_entry(GUILD, ALICE, "d", Entry(Status.PLAN_TO_WATCH))
    await storage.save_watch_entry(GUILD, BOB, "e", Entry(Status.DROPPED, 1))
    listed = await storage.member_watchlist(GUILD, ALICE)
    # plan to watch (d newer than b), watching, finished; bob's entry is not hers
    assert [e.drama_id for e in listed.entries] == ["d", "b", "c", "a"]
    assert listed.total == 4
    cut = await storage.member_watchlist(GUILD, ALICE, limit=2)
    assert ([e.drama_id for e in cut.entries], cut.total) == (["d", "b"], 4)
    assert await storage.remove_watch_entry(GUILD, ALICE, "d") is True
    assert await storage.remove_watch_entry(GUILD, ALICE, "d") is False


async def test_watchers_count_everyone_and_name_only_the_opted_in(storage: Storage):
    await storage.save_watch_entry(GUILD, ALICE, "run-on", Entry(Status.WATCHING, 3))
    await storage.save_watch_entry(GUILD, BOB, "run-on", Entry(Status.WATCHING, 9))
    await storage.save_watch_entry(GUILD, CAROL, "run-on", Entry(Status.FINISHED, 16))
    await storage.save_watch_entry(GUILD, 14, "run-on", Entry(Status.DROPPED, 2))
    await storage.save_watch_entry(OTHER_GUILD, 15, "run-on", Entry(Status.WATCHING, 1))
    await storage.set_watch_privacy(GUILD, BOB, named_in_counts=True)
    await storage.set_watch_privacy(GUILD, 14, named_in_counts=True)  # dropped: never named
    seen = await storage.watchers(GUILD, "run-on")
    assert seen.counts == {Status.PLAN_TO_WATCH: 0, Status.WATCHING: 2, Status.FINISHED: 1, Status.DROPPED: 1}
    assert seen.named == {Status.WATCHING: [BOB], Status.FINISHED: []}


async def test_recommend_exclusions_are_finished_and_dropped_only(storage: Storage):
    await storage.save_watch_entry(GUILD, ALICE, "a", Entry(Status.FINISHED, 16))
    await storage.save_watch_entry(GUILD, ALICE, "b", Entry(Status.DROPPED, 2))
    await storage.save_watch_entry(GUILD, ALICE, "c", Entry(Status.WATCHING, 2))
    await storage.save_watch_entry(GUILD, ALICE, "d", Entry(Status.PLAN_TO_WATCH))
    await storage.save_watch_entry(OTHER_GUILD, ALICE, "e", Entry(Status.FINISHED))
    assert await storage.recommend_exclusions(GUILD, ALICE) == frozenset({"a", "b"})


async def test_privacy_changes_only_what_is_given(storage: Storage):
    assert (await storage.watch_privacy(GUILD, ALICE)).list_private is False
    now = await storage.set_watch_privacy(GUILD, ALICE, list_private=True)
    assert (now.list_private, now.named_in_counts) == (True, False)
    now = await storage.set_watch_privacy(GUILD, ALICE, named_in_counts=True)
    assert (now.list_private, now.named_in_counts) == (True, True)
    assert await storage.watch_privacy(GUILD, ALICE) == now
    assert (await storage.watch_privacy(OTHER_GUILD, ALICE)).list_private is False


# ---------------------------------------------------------------------------------------- up next


async def test_upnext_add_then_back_and_one_backing_per_member(storage: Storage):
    entry, outcome = await storage.upnext_add(GUILD, "run-on", ALICE, "Run On")
    assert (outcome, entry.backers, entry.added_by) == (BackOutcome.ADDED, frozenset({ALICE}), ALICE)
    entry, outcome = await storage.upnext_add(GUILD, "run-on", BOB, "Run On")
    assert (outcome, entry.backer_count) == (BackOutcome.BACKED, 2)
    with pytest.raises(QueueError, match="already back Run On"):
        await storage.upnext_add(GUILD, "run-on", BOB, "Run On")
    queue = await storage.upnext_queue(GUILD, BOB)
    assert [(t.place, t.drama_id, t.backers) for t in queue.titles] == [(1, "run-on", 2)]


async def test_upnext_queue_order_is_backers_then_age_then_id(storage: Storage):
    await storage.upnext_add(GUILD, "old-one", ALICE, "Old")  # added first, 1 backer
    await storage.upnext_add(GUILD, "popular", BOB, "Popular")  # 2 backers
    await storage.upnext_add(GUILD, "popular", CAROL, "Popular")
    await storage.upnext_add(GUILD, "young", CAROL, "Young")  # added last, 1 backer
    queue = await storage.upnext_queue(GUILD, CAROL, limit=2)
    assert [(t.place, t.drama_id, t.backers) for t in queue.titles] == [(1, "popular", 2), (2, "old-one", 1)]
    assert queue.more is True  # young is third
    assert queue.backed_by_member == frozenset({"popular"})  # she backs young too, but it is not shown


async def test_upnext_remove_by_adder_manager_role_or_only_a_backing(storage: Storage):
    await storage.upnext_add(GUILD, "run-on", ALICE, "Run On")
    await storage.upnext_add(GUILD, "run-on", BOB, "Run On")
    # bob backs it but did not add it: only his backing goes
    out = await storage.upnext_remove(GUILD, "run-on", BOB, manages_guild=False, role_ids=(), title="Run On")
    assert out is RemoveOutcome.WITHDRAWN
    assert [t.backers for t in (await storage.upnext_queue(GUILD, BOB)).titles] == [1]
    with pytest.raises(QueueError, match="don't back it"):
        await storage.upnext_remove(GUILD, "run-on", CAROL, manages_guild=False, role_ids=(77,), title="Run On")
    await storage.set_remover_role(GUILD, 77)
    assert await storage.remover_role(GUILD) == 77
    out = await storage.upnext_remove(GUILD, "run-on", CAROL, manages_guild=False, role_ids=(77,), title="Run On")
    assert out is RemoveOutcome.REMOVED
    assert (await storage.upnext_queue(GUILD, CAROL)).titles == []
    with pytest.raises(QueueError, match="not in up next"):
        await storage.upnext_remove(GUILD, "run-on", ALICE, manages_guild=True, role_ids=(), title="Run On")
    await storage.set_remover_role(GUILD, None)
    assert await storage.remover_role(GUILD) is None


async def test_removed_entry_takes_its_backings_with_it(storage: Storage):
    await storage.upnext_add(GUILD, "run-on", ALICE, "Run On")
    await storage.upnext_add(GUILD, "run-on", BOB, "Run On")
    await storage.upnext_remove(GUILD, "run-on", ALICE, manages_guild=False, role_ids=(), title="Run On")
    assert await storage.read("SELECT COUNT(*) FROM upnext_backings") == [(0,)]
    # and it can be queued again from scratch
    entry, outcome = await storage.upnext_add(GUILD, "run-on", BOB, "Run On")
    assert (outcome, entry.backer_count) == (BackOutcome.ADDED, 1)


async def test_concurrent_backings_count_every_member_once(storage: Storage):
    members = range(100, 150)
    await asyncio.gather(*(storage.upnext_add(GUILD, "run-on", m, "Run On") for m in members))
    queue = await storage.upnext_queue(GUILD, 100)
    assert [t.backers for t in queue.titles] == [50]
    added_by = queue.titles[0].added_by
    assert added_by in members


async def test_watch_queries_use_their_indexes(sqlite_store: Storage, db_path: Path):
    # A fresh file has no ANALYZE statistics, like production (the store never runs ANALYZE), so
    # these are the plans the bot gets. "(guild_id=?)" alone would mean a walk over the guild's whole
    # watchlist: 100,000 keys in bench/bench_watch.py.
    with sqlite3.connect(db_path) as db:
        assert not db.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchall()

        def plan(sql: str, params: tuple) -> str:
            return " ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params))

        counts = plan(WATCHER_COUNTS, (GUILD, "run-on"))
        assert "COVERING INDEX watchlist_by_drama (guild_id=? AND drama_id=?)" in counts
        named = plan(NAMED_WATCHERS, (GUILD, "run-on", "watching", "finished"))
        assert "watchlist_by_drama (guild_id=? AND drama_id=? AND status=?)" in named, named
        assert "watch_privacy_1 (guild_id=? AND user_id=?)" in named, named
        exclusions = plan(EXCLUSIONS.format(marks="?, ?"), (GUILD, ALICE, "dropped", "finished"))
        assert (
            exclusions
            == "SEARCH watchlist_entries USING INDEX sqlite_autoindex_watchlist_entries_1 (guild_id=? AND user_id=?)"
        )
        queue = plan(
            "SELECT drama_id, added_by, added_at, backers FROM upnext_entries WHERE guild_id = ?"
            " ORDER BY backers DESC, added_at, drama_id LIMIT 10",
            (GUILD,),
        )
        assert "upnext_order" in queue and "TEMP B-TREE" not in queue
    db.close()
