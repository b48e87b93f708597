"""Storage on both backends (a real SQLite file, a real PostgreSQL database; `target` in conftest):
votes, prompts, reconciliation, durability, concurrency; the SQLite file's own migrations and WAL."""

import asyncio
import datetime as dt
import random
import re
import sqlite3
from collections import Counter
from pathlib import Path

import asyncpg
import pytest

from bot.ratings.scores import score_for_emoji
from bot.store import (
    GuildScore,
    Migration,
    RatingPrompt,
    ReconcileResult,
    Storage,
    StorageError,
    load_migrations,
    migration_script,
)
from tests.fakes import CLOCK_START, StepClock

GUILD, OTHER_GUILD = 100, 200
CHANNEL = 300
RUN_ON, HYENA = "run-on", "hyena"
START = CLOCK_START
LATEST = load_migrations()[-1].version  # numbers are reserved per issue, so they may have gaps


INTEGRITY_ERRORS = (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)


# A keycap added to or removed from a message, as the listeners pass it on (their guard clauses,
# bots and foreign emoji, are tested with the real listeners in tests/cogs/).
async def react(storage: Storage, message_id: int, emoji: str, user_id: int, *, guild_id: int = GUILD) -> None:
    await storage.record_reaction(guild_id, message_id, user_id, score_for_emoji(emoji))


async def unreact(storage: Storage, message_id: int, emoji: str, user_id: int, *, guild_id: int = GUILD) -> None:
    await storage.withdraw_reaction(guild_id, message_id, user_id, score_for_emoji(emoji))


def histogram(**counts: int) -> tuple[int, ...]:
    """histogram(s8=2, s10=1) → ten counts for scores 1..10."""
    return tuple(counts.get(f"s{score}", 0) for score in range(1, 11))


# -- opening and settings ----------------------------------------------------------------------


def journal_mode(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        db.close()


async def test_storage_open_creates_dirs_and_file_in_wal_mode(db_path: Path):
    # Foreign keys being on is shown by test_storage_bad_write_in_a_batch_fails_alone.
    async with await Storage.open(db_path) as storage:
        assert await storage.schema_version() == LATEST >= 2
    assert journal_mode(db_path) == "wal"


async def test_storage_closed_refuses_work(target: Path | str):
    store = await Storage.open(target)
    await store.close()
    await store.close()  # twice is harmless
    with pytest.raises(StorageError):
        await store.record_vote(GUILD, RUN_ON, 1, 5)
    with pytest.raises(StorageError):
        await store.guild_score(GUILD, RUN_ON)


# -- votes -------------------------------------------------------------------------------------


async def test_storage_guild_score_of_no_votes_is_empty(storage: Storage):
    score = await storage.guild_score(GUILD, RUN_ON)
    assert score == GuildScore(RUN_ON, count=0, total=0, histogram=(0,) * 10)
    assert score.mean is None


async def test_storage_reaction_sequence_counts(storage: Storage):
    prompt = await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    assert prompt.drama_id == RUN_ON

    await react(storage, 1, "8️⃣", 11)  # alice votes 8
    await react(storage, 1, "6⃣", 12)  # bob votes 6, keycap without the variation selector
    score = await storage.guild_score(GUILD, RUN_ON)
    assert (score.count, score.total, score.mean) == (2, 14, 7.0)
    assert score.histogram == histogram(s6=1, s8=1)

    await react(storage, 1, "🔟", 11)  # alice replaces 8 by 10: still two votes, 10 + 6
    score = await storage.guild_score(GUILD, RUN_ON)
    assert (score.count, score.total) == (2, 16)
    assert score.histogram == histogram(s6=1, s10=1)

    await unreact(storage, 1, "8️⃣", 11)  # removing the older 8 changes nothing
    assert (await storage.guild_score(GUILD, RUN_ON)).total == 16
    assert (await storage.member_vote(GUILD, RUN_ON, 11)).score == 10

    await unreact(storage, 1, "🔟", 11)  # removing the current 10 withdraws alice's vote
    score = await storage.guild_score(GUILD, RUN_ON)
    assert (score.count, score.total, score.mean) == (1, 6, 6.0)
    assert await storage.member_vote(GUILD, RUN_ON, 11) is None


async def test_storage_withdraw_vote_only_withdraws_the_current_score(storage: Storage):
    await storage.record_vote(GUILD, RUN_ON, 1, 7)
    assert await storage.withdraw_vote(GUILD, RUN_ON, 1, 3) is False
    assert (await storage.member_vote(GUILD, RUN_ON, 1)).score == 7
    assert await storage.withdraw_vote(GUILD, RUN_ON, 1, 7) is True
    assert await storage.withdraw_vote(GUILD, RUN_ON, 1, 7) is False
    await storage.record_vote(GUILD, RUN_ON, 1, 4)
    assert await storage.withdraw_vote(GUILD, RUN_ON, 1) is True  # without a score: any vote


async def test_storage_guilds_and_dramas_are_isolated(storage: Storage):
    await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    await storage.add_prompt(2, OTHER_GUILD, CHANNEL, RUN_ON)
    await react(storage, 1, "9️⃣", 11)
    await react(storage, 2, "2️⃣", 11, guild_id=OTHER_GUILD)  # the same member, another server's prompt
    await react(storage, 2, "3️⃣", 12, guild_id=OTHER_GUILD)
    await storage.record_vote(GUILD, HYENA, 11, 1)

    ours = await storage.guild_score(GUILD, RUN_ON)
    theirs = await storage.guild_score(OTHER_GUILD, RUN_ON)
    assert (ours.count, ours.total) == (1, 9)
    assert (theirs.count, theirs.total) == (2, 2 + 3)
    assert theirs.histogram == histogram(s2=1, s3=1)
    assert (await storage.guild_score(GUILD, HYENA)).total == 1


async def test_storage_member_votes_lists_one_guild_newest_first(storage: Storage):
    await storage.record_vote(GUILD, RUN_ON, 11, 8)
    await storage.record_vote(GUILD, HYENA, 11, 6)
    await storage.record_vote(OTHER_GUILD, RUN_ON, 11, 2)
    await storage.record_vote(GUILD, "other", 12, 5)
    votes = await storage.member_votes(GUILD, 11)
    assert [(v.drama_id, v.score) for v in votes] == [(HYENA, 6), (RUN_ON, 8)]
    assert all(v.updated_at.tzinfo is not None and v.prompt_message_id is None for v in votes)


@pytest.mark.parametrize("bad", [0, 11, -3, True, 7.5])
async def test_storage_record_vote_rejects_scores_outside_one_to_ten(storage: Storage, bad):
    with pytest.raises(ValueError):
        await storage.record_vote(GUILD, RUN_ON, 1, bad)
    assert (await storage.guild_score(GUILD, RUN_ON)).count == 0


async def test_storage_withdraw_from_prompt_needs_a_score(storage: Storage):
    with pytest.raises(ValueError):
        await storage.withdraw_vote(GUILD, RUN_ON, 1, prompt_message_id=1)


# -- prompts -----------------------------------------------------------------------------------


async def test_storage_prompt_round_trip_and_unknown_message(storage: Storage):
    created = START - dt.timedelta(days=3)
    stored = await storage.add_prompt(5, GUILD, CHANNEL, RUN_ON, created_at=created)
    assert stored == RatingPrompt(5, GUILD, CHANNEL, RUN_ON, created)
    assert await storage.prompt(5) == stored
    assert await storage.prompt(6) is None
    again = await storage.add_prompt(5, OTHER_GUILD, 1, HYENA)  # the first record is kept
    assert again == stored


async def test_storage_open_prompt_ids_are_the_guilds_recent_prompts_of_that_drama(storage: Storage):
    ago = lambda days: START - dt.timedelta(days=days)  # noqa: E731
    await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON, created_at=ago(40))  # too old
    await storage.add_prompt(2, GUILD, CHANNEL, RUN_ON, created_at=ago(20))
    await storage.add_prompt(3, GUILD, CHANNEL, HYENA, created_at=ago(10))  # another drama
    await storage.add_prompt(4, OTHER_GUILD, CHANNEL, RUN_ON, created_at=ago(5))  # another guild
    await storage.add_prompt(5, GUILD, CHANNEL + 1, RUN_ON, created_at=ago(1))
    assert await storage.open_prompt_ids(GUILD, RUN_ON, ago(30)) == [2, 5]  # in posting order
    assert await storage.open_prompt_ids(GUILD, "mask", ago(30)) == []
    with pytest.raises(ValueError):
        await storage.open_prompt_ids(GUILD, RUN_ON, dt.datetime(2026, 1, 1))


async def test_storage_prompts_since_filters_by_creation_time(storage: Storage):
    for days, message_id in ((40, 1), (31, 2), (29, 3), (1, 4)):
        await storage.add_prompt(message_id, GUILD, CHANNEL, RUN_ON, created_at=START - dt.timedelta(days=days))
    # An aware cutoff in another time zone means the same instant.
    cutoff = (START - dt.timedelta(days=30)).astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert [p.message_id for p in await storage.prompts_since(cutoff)] == [3, 4]
    with pytest.raises(ValueError):
        await storage.prompts_since(dt.datetime(2026, 1, 1))


async def test_storage_deleted_prompt_ignores_reactions_and_keeps_votes(storage: Storage):
    prompt = await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    await react(storage, 1, "7️⃣", 11)
    assert await storage.delete_prompt(1) is True
    assert await storage.delete_prompt(1) is False
    assert await storage.prompt(1) is None

    await react(storage, 1, "2️⃣", 12)  # the listener finds no prompt: nothing recorded
    await unreact(storage, 1, "7️⃣", 11)
    score = await storage.guild_score(GUILD, RUN_ON)
    assert (score.count, score.total) == (1, 7)  # alice's vote stands, now without a source
    assert (await storage.member_vote(GUILD, RUN_ON, 11)).prompt_message_id is None
    assert await storage.reconcile_prompt(prompt, {}) == ReconcileResult()


async def test_storage_bad_write_in_a_batch_fails_alone(storage: Storage):
    await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    results = await asyncio.gather(
        storage.record_vote(GUILD, RUN_ON, 1, 5, prompt_message_id=1),
        storage.record_vote(GUILD, RUN_ON, 2, 6, prompt_message_id=404),  # no such prompt
        storage.record_vote(GUILD, RUN_ON, 3, 7),
        return_exceptions=True,
    )
    assert results[0] is None and results[2] is None
    assert isinstance(results[1], INTEGRITY_ERRORS)
    score = await storage.guild_score(GUILD, RUN_ON)
    assert (score.count, score.total) == (2, 12)


# -- reconciliation ----------------------------------------------------------------------------


async def test_storage_reconcile_applies_what_changed_while_down(storage: Storage):
    prompt = await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    await react(storage, 1, "8️⃣", 11)  # seen live: alice 8, bob 5, carol 9
    await react(storage, 1, "5️⃣", 12)
    await react(storage, 1, "9️⃣", 13)

    # While the bot was down: dave reacted 7, bob switched 5 → 3, carol removed her 9,
    # alice kept her 8. Read back from Discord:
    after_downtime = {11: {8}, 12: {3}, 14: {7}}
    result = await storage.reconcile_prompt(prompt, after_downtime)
    assert result == ReconcileResult(added=1, changed=1, removed=1)
    score = await storage.guild_score(GUILD, RUN_ON)
    assert (score.count, score.total) == (3, 8 + 3 + 7)
    assert score.histogram == histogram(s3=1, s7=1, s8=1)
    assert (await storage.member_vote(GUILD, RUN_ON, 14)).prompt_message_id == 1

    # Running it again changes nothing.
    assert await storage.reconcile_prompt(prompt, after_downtime) == ReconcileResult()
    assert await storage.guild_score(GUILD, RUN_ON) == score


async def test_storage_reconcile_of_a_prompt_never_seen_live_adds_everyone(storage: Storage):
    prompt = await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    # Erin left two keycaps (the bot could not remove one): the highest counts. One int = one score.
    result = await storage.reconcile_prompt(prompt, {15: {4, 6}, 16: 10, 17: set()})
    assert result == ReconcileResult(added=2)
    score = await storage.guild_score(GUILD, RUN_ON)
    assert (score.count, score.total) == (2, 16)


async def test_storage_reconcile_does_not_resurrect_a_live_withdrawal(storage: Storage):
    prompt = await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    await react(storage, 1, "5️⃣", 11)
    await react(storage, 1, "8️⃣", 11)  # no Manage Messages: the 5 stays on the message
    await unreact(storage, 1, "8️⃣", 11)  # current vote withdrawn live
    assert await storage.member_vote(GUILD, RUN_ON, 11) is None
    # After a restart Discord still shows alice's old 5: nothing changed since the store saw it.
    assert await storage.reconcile_prompt(prompt, {11: {5}}) == ReconcileResult()
    assert await storage.member_vote(GUILD, RUN_ON, 11) is None


async def test_storage_reconcile_keeps_a_later_rate_command(storage: Storage):
    prompt = await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    await react(storage, 1, "8️⃣", 11)
    await storage.record_vote(GUILD, RUN_ON, 11, 4)  # then `/rate title:Run On score:4`
    assert await storage.reconcile_prompt(prompt, {11: {8}}) == ReconcileResult()
    assert (await storage.member_vote(GUILD, RUN_ON, 11)).score == 4
    # But removing the 8 while down does not touch the /rate vote either (it is not the 8).
    assert await storage.reconcile_prompt(prompt, {}) == ReconcileResult()
    assert (await storage.member_vote(GUILD, RUN_ON, 11)).score == 4


async def test_storage_reconcile_one_prompt_leaves_other_guilds_alone(storage: Storage):
    ours = await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    await storage.add_prompt(2, OTHER_GUILD, CHANNEL, RUN_ON)
    await react(storage, 1, "6️⃣", 11)
    await react(storage, 2, "9️⃣", 11, guild_id=OTHER_GUILD)
    assert await storage.reconcile_prompt(ours, {}) == ReconcileResult(removed=1)
    assert (await storage.guild_score(GUILD, RUN_ON)).count == 0
    assert (await storage.member_vote(OTHER_GUILD, RUN_ON, 11)).score == 9


async def test_storage_reconcile_leaves_members_who_acted_live_since_the_bot_listened_again(target: Path | str):
    clock = StepClock()
    async with await Storage.open(target, clock=clock) as storage:
        prompt = await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
        await react(storage, 1, "8️⃣", 11)  # alice 8, seen live before the restart
        await react(storage, 1, "6️⃣", 17)  # frank 6, seen live before the restart
        listening_since = clock()  # the bot is listening again (restart or reconnect)…
        # …and before (or while) it reads the prompt, live events come: dave votes 7, alice
        # withdraws her 8, erin removes a 4 she had added while the bot was down, frank uses /rate 9.
        await react(storage, 1, "7️⃣", 14)
        await unreact(storage, 1, "8️⃣", 11)
        await unreact(storage, 1, "4️⃣", 15)
        await storage.record_vote(GUILD, RUN_ON, 17, 9)
        # The pages it read predate those events; carol's 2 came while the bot was down, and
        # frank had added 3 while it was down.
        read = {11: {8}, 15: {4}, 16: {2}, 17: {6, 3}}
        result = await storage.reconcile_prompt(prompt, read, listening_since=listening_since)
        assert result == ReconcileResult(added=1)  # only carol
        votes = {u: await storage.member_vote(GUILD, RUN_ON, u) for u in (11, 14, 15, 16, 17)}
        assert votes[11] is None and votes[15] is None
        assert (votes[14].score, votes[16].score, votes[17].score) == (7, 2, 9)  # frank's live /rate 9 wins
        # The next reconcile, with a fresh read, agrees with everything: nothing to do.
        fresh = {14: {7}, 16: {2}, 17: {6, 3}}
        assert await storage.reconcile_prompt(prompt, fresh, listening_since=clock()) == ReconcileResult()


async def test_storage_both_spellings_of_a_keycap_are_one_keycap(storage: Storage):
    await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    assert await storage.record_reaction(GUILD, 1, 11, 8, spelling=1) is None  # frank 8⃣
    assert await storage.record_reaction(GUILD, 1, 11, 8) is None  # and 8️⃣: still 8, nothing superseded
    assert await storage.withdraw_reaction(GUILD, 1, 11, 8, spelling=1) is False  # 8⃣ off; 8️⃣ still on
    assert (await storage.member_vote(GUILD, RUN_ON, 11)).score == 8
    assert await storage.withdraw_reaction(GUILD, 1, 11, 8) is True  # the last spelling off: withdrawn
    # erin: 5⃣, then 7️⃣: the superseded 5 is held in the bare spelling only.
    await storage.record_reaction(GUILD, 1, 12, 5, spelling=1)
    assert await storage.record_reaction(GUILD, 1, 12, 7) == 5
    assert await storage.superseded_keycaps(GUILD, 1, 12, 5) == [(5, 1)]
    assert await storage.superseded_keycaps(GUILD, 1, 12, 7) == []  # her vote


async def test_storage_echo_of_the_bots_own_removal_never_withdraws(storage: Storage):
    await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    await storage.record_reaction(GUILD, 1, 11, 3)
    assert await storage.record_reaction(GUILD, 1, 11, 7) == 3
    await storage.record_reaction(GUILD, 1, 11, 3)  # dave went back to 3 before the bot's removal landed
    assert await storage.superseded_keycaps(GUILD, 1, 11, 3) == []  # a late removal re-checks: not any more
    assert await storage.withdraw_reaction(GUILD, 1, 11, 3, echo=True) is False  # it landed anyway: vote stays
    assert (await storage.member_vote(GUILD, RUN_ON, 11)).score == 3
    assert await storage.seen_keycaps(1) == {11: frozenset({7})}


async def test_storage_reconcile_rejects_bad_scores(storage: Storage):
    prompt = await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    with pytest.raises(ValueError):
        await storage.reconcile_prompt(prompt, {11: {0}})


# -- ranking -----------------------------------------------------------------------------------


async def test_storage_top_dramas_lone_ten_does_not_top_twenty_nines(storage: Storage):
    await storage.record_vote(GUILD, "lone-ten", 1, 10)
    await asyncio.gather(*(storage.record_vote(GUILD, "twenty-nines", user, 9) for user in range(100, 120)))
    top = await storage.top_dramas(GUILD)
    assert [r.drama_id for r in top] == ["twenty-nines", "lone-ten"]
    # Prior 6.0 over 5 votes: (5*6 + 20*9) / (5 + 20) = 210/25 = 8.4; (5*6 + 10) / (5 + 1) = 40/6.
    assert top[0].weighted_mean == pytest.approx(8.4)
    assert top[1].weighted_mean == pytest.approx(40 / 6)
    assert (top[0].rank, top[0].count, top[0].mean) == (1, 20, 9.0)
    assert (top[1].rank, top[1].count, top[1].mean) == (2, 1, 10.0)


async def test_storage_top_dramas_breaks_ties_by_votes_then_mean_then_id(storage: Storage):
    # All three have damped mean exactly 6.0 with the default prior.
    await storage.record_vote(GUILD, "b-one-six", 1, 6)  # (30 + 6) / 6 = 6
    await storage.record_vote(GUILD, "a-one-six", 1, 6)  # same, id sorts first
    await storage.record_vote(GUILD, "c-two-sixes", 1, 6)  # (30 + 12) / 7 = 6, more votes
    await storage.record_vote(GUILD, "c-two-sixes", 2, 6)
    await storage.record_vote(GUILD, "d-four-eight", 1, 4)  # (30 + 12) / 7 = 6, mean 6 too
    await storage.record_vote(GUILD, "d-four-eight", 2, 8)
    top = await storage.top_dramas(GUILD)
    assert [r.drama_id for r in top] == ["c-two-sixes", "d-four-eight", "a-one-six", "b-one-six"]
    assert all(r.weighted_mean == 6.0 for r in top)


async def test_storage_top_dramas_limit_min_votes_prior_and_guild(storage: Storage):
    # Default prior: x = (30 + 21) / 8 = 6.375, y = (30 + 8) / 6 = 6.33…, z = (30 + 5) / 7 = 5.
    for drama, scores in {"x": [7, 7, 7], "y": [8], "z": [2, 3]}.items():
        for user, score in enumerate(scores):
            await storage.record_vote(GUILD, drama, user, score)
    await storage.record_vote(OTHER_GUILD, "w", 1, 10)
    assert [r.drama_id for r in await storage.top_dramas(GUILD, limit=2)] == ["x", "y"]
    assert [r.drama_id for r in await storage.top_dramas(GUILD, min_votes=2)] == ["x", "z"]
    # No prior weight: the plain mean decides.
    assert [r.drama_id for r in await storage.top_dramas(GUILD, prior_weight=0)] == ["y", "x", "z"]
    # Prior 1.0 over 10 votes: x = (10 + 21) / 13 = 2.38…, y = (10 + 8) / 11 = 1.63…, z = 15/12 = 1.25.
    ranked = await storage.top_dramas(GUILD, prior_mean=1.0, prior_weight=10)
    assert [(r.drama_id, round(r.weighted_mean, 4)) for r in ranked] == [
        ("x", round(31 / 13, 4)),
        ("y", round(18 / 11, 4)),
        ("z", 1.25),
    ]
    assert await storage.top_dramas(12345) == []


# -- durability --------------------------------------------------------------------------------


async def test_storage_reopened_file_gives_the_same_answers(target: Path | str):
    async with await Storage.open(target, clock=StepClock()) as store:
        prompt = await store.add_prompt(1, GUILD, CHANNEL, RUN_ON)
        await react(store, 1, "8️⃣", 11)
        await react(store, 1, "3️⃣", 12)
        await store.record_vote(GUILD, HYENA, 11, 9)
        before = (
            await store.guild_score(GUILD, RUN_ON),
            await store.member_votes(GUILD, 11),
            await store.top_dramas(GUILD),
            await store.prompts_since(START - dt.timedelta(days=30)),
        )
    async with await Storage.open(target) as store:
        after = (
            await store.guild_score(GUILD, RUN_ON),
            await store.member_votes(GUILD, 11),
            await store.top_dramas(GUILD),
            await store.prompts_since(START - dt.timedelta(days=30)),
        )
        assert after == before
        assert before[0].total == 11
        # The seen reactions survived too: reconciling the same reactions changes nothing.
        assert await store.reconcile_prompt(prompt, {11: {8}, 12: {3}}) == ReconcileResult()


async def test_storage_vote_is_visible_to_another_connection_when_the_call_returns(db_path: Path):
    async with await Storage.open(db_path) as storage:
        await storage.record_vote(GUILD, RUN_ON, 1, 8)
    with sqlite3.connect(db_path) as other:
        assert other.execute("SELECT score FROM ratings").fetchall() == [(8,)]
    other.close()


# -- migrations --------------------------------------------------------------------------------


def schema(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    db.close()
    return rows


def build_at_version(path: Path, version: int) -> None:
    """A database with only the first `version` migrations, built without Storage, with data."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for migration in load_migrations()[:version]:
            db.executescript(migration_script(migration))
        if version >= 1:
            db.execute(
                "INSERT INTO rating_prompts (message_id, guild_id, channel_id, drama_id, created_at)"
                " VALUES (1, ?, ?, ?, ?)",
                (GUILD, CHANNEL, RUN_ON, START.isoformat(timespec="microseconds")),
            )
            db.executemany(
                "INSERT INTO ratings (guild_id, drama_id, user_id, score, updated_at) VALUES (?, ?, ?, ?, ?)",
                [
                    (GUILD, RUN_ON, user, score, START.isoformat(timespec="microseconds"))
                    for user, score in ((11, 8), (12, 6), (13, 10))
                ],
            )
        highest = load_migrations()[version - 1].version if version else 0
        assert db.execute("PRAGMA user_version").fetchone()[0] == highest
    finally:
        db.close()


async def test_storage_migrates_an_empty_file_to_the_latest_schema(tmp_path: Path):
    path = tmp_path / "empty.sqlite3"
    path.touch()
    async with await Storage.open(path) as store:
        assert await store.schema_version() == LATEST
    reference = tmp_path / "reference.sqlite3"
    build_at_version(reference, len(load_migrations()))
    assert schema(path) == schema(reference)


@pytest.mark.parametrize("version", range(len(load_migrations()) + 1))
async def test_storage_upgrades_from_every_earlier_version_keeping_data(tmp_path: Path, version: int):
    path = tmp_path / f"v{version}.sqlite3"
    build_at_version(path, version)
    async with await Storage.open(path) as store:
        assert await store.schema_version() == LATEST
        score = await store.guild_score(GUILD, RUN_ON)
        if version == 0:
            assert score.count == 0
        else:
            assert (score.count, score.total) == (3, 24)
            assert await store.prompt(1) is not None
        # The upgraded file works like a new one.
        await store.record_vote(GUILD, RUN_ON, 14, 2, prompt_message_id=1 if version else None)
        assert (await store.guild_score(GUILD, RUN_ON)).count == score.count + 1
    fresh = tmp_path / "fresh.sqlite3"
    async with await Storage.open(fresh):
        pass
    assert schema(path) == schema(fresh)


async def test_storage_failed_migration_rolls_back_only_its_own_step(tmp_path: Path):
    path = tmp_path / "broken.sqlite3"
    good = load_migrations()[0]
    broken = Migration(2, "0002_broken.sql", "CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;")
    with pytest.raises(sqlite3.Error):
        await Storage.open(path, migrations=[good, broken])
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.close()
    assert "ratings" in tables
    assert "half_done" not in tables


async def test_storage_refuses_a_schema_newer_than_the_code(tmp_path: Path):
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {LATEST + 1}")
    db.close()
    with pytest.raises(StorageError, match="newer"):
        await Storage.open(path)


def test_load_migrations_allows_gaps_and_rejects_duplicates_and_bad_names(tmp_path: Path):
    (tmp_path / "0001_init.sql").write_text("SELECT 1;")
    (tmp_path / "0003_skip.sql").write_text("SELECT 1;")
    assert [m.version for m in load_migrations(tmp_path)] == [1, 3]  # 0002 is reserved, not landed yet
    (tmp_path / "0003_again.sql").write_text("SELECT 1;")
    with pytest.raises(StorageError, match="two migrations numbered 0003"):
        load_migrations(tmp_path)
    (tmp_path / "0003_again.sql").unlink()
    (tmp_path / "2-bad.sql").write_text("SELECT 1;")
    with pytest.raises(StorageError, match="NNNN"):
        load_migrations(tmp_path)


def applied(path: Path) -> tuple[list[int], int]:
    with sqlite3.connect(path) as db:
        rows = [v for (v,) in db.execute("SELECT version FROM schema_migrations ORDER BY version")]
        version = db.execute("PRAGMA user_version").fetchone()[0]
    db.close()
    return rows, version


async def test_storage_applies_a_lower_number_that_lands_after_a_higher_one(tmp_path: Path):
    """Reserved numbers land in any order: 0001 and 0003 applied first, 0002 later is still applied once."""
    path = tmp_path / "gaps.sqlite3"
    first = Migration(1, "0001_a.sql", "CREATE TABLE a (x INTEGER);")
    third = Migration(3, "0003_c.sql", "CREATE TABLE c (x INTEGER);")
    second = Migration(2, "0002_b.sql", "CREATE TABLE b (x INTEGER);")
    async with await Storage.open(path, migrations=[first, third]):
        pass
    assert applied(path) == ([1, 3], 3)
    async with await Storage.open(path, migrations=[first, second, third]):
        pass
    assert applied(path) == ([1, 2, 3], 3)  # user_version stays the highest
    async with await Storage.open(path, migrations=[first, second, third]):
        pass  # nothing runs twice (CREATE TABLE b again would fail)
    with pytest.raises(StorageError, match="0003"):  # a file with a migration this code lacks
        await Storage.open(path, migrations=[first, second])


async def test_storage_records_the_migrations_of_a_file_from_before_schema_migrations(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    for migration in load_migrations()[:3]:  # as the code before the table wrote them
        db.executescript(f"BEGIN; {migration.sql}\n; PRAGMA user_version = {migration.version}; COMMIT;")
    db.close()
    async with await Storage.open(path) as store:
        assert await store.schema_version() == LATEST
    assert applied(path) == ([m.version for m in load_migrations()], LATEST)


def test_migrations_ship_numbered_from_one():
    migrations = load_migrations()
    versions = [m.version for m in migrations]
    assert versions[0] == 1 and versions == sorted(set(versions))
    # Storage wraps each file in its own transaction; a file must not open or end one itself.
    for migration in [*migrations, *load_migrations(dialect="postgres")]:
        # A trigger's (or a function's) own BEGIN … END body is not a transaction.
        body = re.sub(r"CREATE TRIGGER .*?\bEND;|\$\$.*?\$\$", "", migration.sql, flags=re.S | re.I)
        code = [line.strip().upper() for line in body.splitlines() if not line.strip().startswith("--")]
        assert not any(line.startswith(("BEGIN", "COMMIT", "END", "ROLLBACK")) for line in code), migration.name


# -- concurrency -------------------------------------------------------------------------------


async def test_storage_thousand_concurrent_votes_from_thousand_members(storage: Storage):
    rng = random.Random(5)
    scores = {user_id: rng.randint(1, 10) for user_id in range(10_000, 11_000)}
    await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    await asyncio.gather(
        *(storage.record_vote(GUILD, RUN_ON, user_id, score, prompt_message_id=1) for user_id, score in scores.items())
    )
    score = await storage.guild_score(GUILD, RUN_ON)
    expected_total = sum(scores.values())
    assert score.count == 1000
    assert score.total == expected_total
    assert score.mean == expected_total / 1000
    counts = Counter(scores.values())
    assert score.histogram == tuple(counts[s] for s in range(1, 11))


async def test_storage_concurrent_writes_apply_in_call_order(storage: Storage):
    # Vote, replace, withdraw the current one, vote again — all in flight at once.
    await asyncio.gather(
        storage.record_vote(GUILD, RUN_ON, 1, 3),
        storage.record_vote(GUILD, RUN_ON, 1, 7),
        storage.withdraw_vote(GUILD, RUN_ON, 1, 3),  # older score: no change
        storage.record_vote(GUILD, RUN_ON, 2, 5),
        storage.withdraw_vote(GUILD, RUN_ON, 2, 5),  # current: withdrawn
        storage.record_vote(GUILD, RUN_ON, 3, 9),
    )
    votes = {u: (await storage.member_vote(GUILD, RUN_ON, u)) for u in (1, 2, 3)}
    assert votes[1].score == 7
    assert votes[2] is None
    assert votes[3].score == 9


async def test_storage_close_waits_for_queued_votes(target: Path | str):
    store = await Storage.open(target)
    tasks = [asyncio.create_task(store.record_vote(GUILD, RUN_ON, user, 5)) for user in range(200)]
    await asyncio.sleep(0)  # all queued, none necessarily committed
    await store.close()
    await asyncio.gather(*tasks)
    async with await Storage.open(target) as reopened:
        assert (await reopened.guild_score(GUILD, RUN_ON)).count == 200


async def test_storage_record_reaction_returns_the_score_it_superseded_on_that_prompt(storage: Storage):
    await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    await storage.add_prompt(2, GUILD, CHANNEL, RUN_ON)
    assert await storage.record_reaction(GUILD, 1, 11, 8) is None  # a first vote supersedes nothing
    assert await storage.record_reaction(GUILD, 1, 11, 10) == 8  # the 8 keycap on prompt 1 is now redundant
    assert await storage.record_reaction(GUILD, 1, 11, 10) is None  # the same score again
    assert await storage.record_reaction(GUILD, 2, 11, 3) is None  # the 10 was cast through prompt 1
    await storage.record_vote(GUILD, RUN_ON, 11, 5)  # /rate
    assert await storage.record_reaction(GUILD, 2, 11, 4) is None  # the 5 came from /rate: no keycap to tidy
    assert (await storage.member_vote(GUILD, RUN_ON, 11)).score == 4


async def test_storage_reactions_on_other_messages_or_guilds_write_nothing(storage: Storage):
    await storage.add_prompt(1, GUILD, CHANNEL, RUN_ON)
    assert await storage.record_reaction(GUILD, 99, 11, 8) is None  # not a prompt
    assert await storage.record_reaction(OTHER_GUILD, 1, 11, 8) is None  # a prompt of another guild
    assert await storage.withdraw_reaction(OTHER_GUILD, 1, 11, 8) is False
    assert (await storage.guild_score(GUILD, RUN_ON)).count == 0
    assert (await storage.guild_score(OTHER_GUILD, RUN_ON)).count == 0
    assert await storage.seen_keycaps(1) == {}
