"""The watch-night area of the store on a real SQLite file: polls, answers, the once-only claim, parties."""

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from bot.store import Storage, WatchPoll
from tests.fakes import CLOCK_START

GUILD, OTHER_GUILD = 100, 200
CHANNEL = 300
ALICE, BOB = 11, 12
START = CLOCK_START  # `storage` (tests/store/conftest.py, both backends) stamps its first write START + 1 s


async def add_poll(storage: Storage, message_id: int, *, guild_id: int = GUILD, dramas=("run-on", "mask")) -> WatchPoll:
    expires = START + dt.timedelta(hours=24)
    return await storage.add_watch_poll(message_id, guild_id, CHANNEL, ALICE, "What next?", list(dramas), expires)


async def test_watch_poll_is_stored_with_its_answers_in_order(storage: Storage):
    poll = await add_poll(storage, 1, dramas=("run-on", "reply-1988", "mask"))
    assert poll.answers == ("run-on", "reply-1988", "mask")
    assert (poll.drama_for(1), poll.drama_for(3), poll.drama_for(4), poll.drama_for(0)) == (
        "run-on",
        "mask",
        None,
        None,
    )
    assert poll.created_at == START + dt.timedelta(seconds=1)
    assert poll.expires_at == START + dt.timedelta(hours=24)
    assert (poll.announced_at, poll.outcome, poll.winner_drama_id) == (None, None, None)
    assert await storage.watch_poll(1) == poll
    assert await storage.watch_poll(2) is None
    again = await add_poll(storage, 1, dramas=("other", "ones"))  # the first record is kept
    assert again.answers == ("run-on", "reply-1988", "mask")


async def test_watch_poll_refuses_more_than_ten_answers_or_naive_times(storage: Storage):
    with pytest.raises(ValueError):
        await add_poll(storage, 1, dramas=[f"d{i}" for i in range(11)])
    with pytest.raises(ValueError):
        await storage.add_watch_poll(1, GUILD, CHANNEL, ALICE, "q", ["a", "b"], dt.datetime(2026, 1, 1))
    assert await storage.watch_poll(1) is None


async def test_claim_is_granted_once_even_to_concurrent_claimants(storage: Storage):
    await add_poll(storage, 1)
    results = await asyncio.gather(*(storage.claim_watch_poll_result(1, "winner", "mask") for _ in range(20)))
    assert results.count(True) == 1 and results.count(False) == 19
    poll = await storage.watch_poll(1)
    assert (poll.outcome, poll.winner_drama_id) == ("winner", "mask")
    assert poll.announced_at is not None
    assert await storage.claim_watch_poll_result(1, "tie", None) is False  # still the first result
    assert (await storage.watch_poll(1)).outcome == "winner"
    assert await storage.claim_watch_poll_result(99, "tie", None) is False  # unknown poll


async def test_claim_survives_reopening_the_file(tmp_path: Path):
    path = tmp_path / "ramen.sqlite3"
    async with await Storage.open(path) as store:
        await add_poll(store, 1)
        assert await store.claim_watch_poll_result(1, "no_votes", None)
    async with await Storage.open(path) as store:
        assert await store.claim_watch_poll_result(1, "no_votes", None) is False
        assert await store.open_watch_polls() == []


async def test_claim_rejects_inconsistent_outcomes(storage: Storage):
    await add_poll(storage, 1)
    for outcome, winner in (("winner", None), ("tie", "mask"), ("landslide", None)):
        with pytest.raises(ValueError):
            await storage.claim_watch_poll_result(1, outcome, winner)
    assert (await storage.watch_poll(1)).announced_at is None


async def test_open_polls_and_latest_open_poll_per_guild(storage: Storage):
    await add_poll(storage, 1)
    await add_poll(storage, 2)
    await add_poll(storage, 3, guild_id=OTHER_GUILD)
    assert [p.message_id for p in await storage.open_watch_polls()] == [1, 2, 3]
    assert (await storage.latest_open_watch_poll(GUILD)).message_id == 2
    await storage.claim_watch_poll_result(2, "tie", None)
    assert [p.message_id for p in await storage.open_watch_polls()] == [1, 3]
    assert (await storage.latest_open_watch_poll(GUILD)).message_id == 1
    assert (await storage.latest_open_watch_poll(OTHER_GUILD)).answers == ("run-on", "mask")
    assert await storage.latest_open_watch_poll(999) is None


async def test_release_lets_the_result_be_claimed_again(storage: Storage):
    await add_poll(storage, 1)
    assert await storage.claim_watch_poll_result(1, "winner", "run-on")
    await storage.release_watch_poll_claim(1)
    assert [p.message_id for p in await storage.open_watch_polls()] == [1]
    assert await storage.claim_watch_poll_result(1, "winner", "run-on")


async def test_last_winner_is_the_most_recently_announced_winner(storage: Storage):
    assert await storage.last_watch_winner(GUILD) is None
    await add_poll(storage, 1)
    await add_poll(storage, 2)
    await add_poll(storage, 3)
    await storage.claim_watch_poll_result(2, "winner", "mask")
    await storage.claim_watch_poll_result(1, "winner", "run-on")  # announced later
    await storage.claim_watch_poll_result(3, "tie", None)  # a tie names no winner
    assert await storage.last_watch_winner(GUILD) == "run-on"
    assert await storage.last_watch_winner(OTHER_GUILD) is None


async def test_watch_parties_latest_per_guild(storage: Storage):
    assert await storage.latest_watch_party(GUILD) is None
    start = START + dt.timedelta(days=2)
    first = await storage.add_watch_party(501, GUILD, "run-on", ALICE, start)
    await storage.add_watch_party(502, GUILD, "mask", BOB, start + dt.timedelta(days=1))
    await storage.add_watch_party(503, OTHER_GUILD, "mask", BOB, start)
    assert first.start_at == start and first.created_by == ALICE
    latest = await storage.latest_watch_party(GUILD)
    assert (latest.event_id, latest.drama_id, latest.created_by) == (502, "mask", BOB)
    assert latest.start_at == start + dt.timedelta(days=1)
    assert (await storage.latest_watch_party(OTHER_GUILD)).event_id == 503


async def test_upnext_top_is_the_queue_in_order(storage: Storage):
    """Most backers first, then the older entry: signal (3 backers), run-on (2, added first), goblin (2)."""
    assert await storage.upnext_top(GUILD, 10) == []
    await storage.upnext_add(GUILD, "run-on", ALICE, "Run On")
    await storage.upnext_add(GUILD, "goblin", ALICE, "Goblin")
    await storage.upnext_add(GUILD, "signal", ALICE, "Signal")
    for member in (BOB, 13):
        await storage.upnext_add(GUILD, "signal", member, "Signal")
    await storage.upnext_add(GUILD, "run-on", BOB, "Run On")
    await storage.upnext_add(GUILD, "goblin", BOB, "Goblin")
    await storage.upnext_add(OTHER_GUILD, "kingdom", ALICE, "Kingdom")
    assert await storage.upnext_top(GUILD, 10) == ["signal", "run-on", "goblin"]
    assert await storage.upnext_top(GUILD, 2) == ["signal", "run-on"]
    assert await storage.upnext_top(OTHER_GUILD, 10) == ["kingdom"]
