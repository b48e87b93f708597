"""Every statement the votes, prompts, taste, pager and claims areas run, planned by SQLite on a
fresh file without ANALYZE statistics (the plans production gets until statistics exist): no table
or index walk (`SCAN`) and no sort in a temporary B-tree on a path that grows with votes or prompts.
The statements are the store's own, traced while the real calls run (`sqlite3` trace callback), not
copies. The watch area's reads are checked in test_watch_store.py."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from bot.store import Storage
from bot.store.taste import GUILD_VOTES
from tests.fakes import CLOCK_START, StepClock

GUILD, OTHER, DRAMA, CHANNEL, PROMPT = 1 << 22, 2 << 22, "run-on", 5, 900


async def traced_statements(db_path: Path) -> list[str]:
    """The SQL statements (values inlined) of one pass over the areas' calls, each once, in order."""
    seen: list[str] = []
    async with await Storage.open(db_path, clock=StepClock()) as storage:
        backend = storage._backend
        for connection in {id(c): c for c in (backend._db, backend._reader)}.values():
            await connection.set_trace_callback(seen.append)
        since = CLOCK_START - dt.timedelta(days=30)
        prompt = await storage.add_prompt(PROMPT, GUILD, CHANNEL, DRAMA)
        await storage.add_prompt(PROMPT + 1, OTHER, CHANNEL, DRAMA)
        await storage.record_vote(GUILD, DRAMA, 1, 8)
        await storage.record_vote(GUILD, "goblin", 1, 6, prompt_message_id=PROMPT)
        await storage.record_reaction(GUILD, PROMPT, 2, 7)
        await storage.record_reaction(GUILD, PROMPT, 2, 9, spelling=1)
        await storage.superseded_keycaps(GUILD, PROMPT, 2, 7)
        await storage.withdraw_reaction(GUILD, PROMPT, 2, 7)
        await storage.withdraw_reaction(GUILD, PROMPT, 3, 4, listening_since=CLOCK_START)
        await storage.withdraw_vote(GUILD, DRAMA, 1, 8)
        await storage.withdraw_vote(GUILD, DRAMA, 2, 9, prompt_message_id=PROMPT)
        await storage.member_vote(GUILD, DRAMA, 1)
        await storage.member_votes(GUILD, 1)
        await storage.member_taste(GUILD, 1)
        await storage.guild_score(GUILD, DRAMA)
        await storage.top_dramas(GUILD)
        await storage.guild_votes(GUILD)
        await storage.open_prompt_ids(GUILD, DRAMA, since)
        await storage.prompts_since(since)
        await storage.prompts_since(since, shard_count=2, shard_ids=[1])
        await storage.seen_keycaps(PROMPT)
        await storage.reconcile_prompt(prompt, {4: [5], 2: [9]}, listening_since=CLOCK_START)
        await storage.save_pager(77, guild_id=GUILD, owner_id=1, owner_name="Alice", results="[]")
        await storage.pager(77)
        await storage.prune_pagers()
        await storage.claim("watch-poll-result", "1")
        await storage.release("watch-poll-result", "1")
        await storage.delete_prompt(PROMPT)
    skip = ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "--")
    statements = [" ".join(s.split()) for s in seen if not s.lstrip().upper().startswith(skip)]
    return list(dict.fromkeys(statements))


async def plans(tmp_path: Path, statements: list[str]) -> dict[str, str]:
    """Each statement's plan on another freshly migrated file, never read from, so without statistics
    (closing a store that did read runs PRAGMA optimize, which may write them)."""
    fresh = tmp_path / "fresh" / "ramen.sqlite3"
    async with await Storage.open(fresh):
        pass
    with sqlite3.connect(fresh) as db:
        assert not db.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchall()
        found = {sql: " | ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql)) for sql in statements}
    db.close()
    return found


async def test_votes_prompts_taste_pagers_claims_statements_use_indexes(db_path: Path, tmp_path: Path):
    found = await plans(tmp_path, await traced_statements(db_path))
    assert len(found) >= 25, list(found)  # the pass above reached the store's statements
    walks = {
        sql: plan
        for sql, plan in found.items()
        if "TEMP B-TREE" in plan or "SCAN " in plan.replace("SCAN CONSTANT ROW", "")
    }
    assert walks == {}
    # A search on the guild alone reads every vote of the guild: only the taste read itself may.
    guild_wide = [sql for sql, plan in found.items() if "ratings USING PRIMARY KEY (guild_id=?)" in plan]
    assert guild_wide == [GUILD_VOTES.replace("?", str(GUILD))]


async def test_guild_votes_version_and_open_prompts_read_their_indexes(db_path: Path, tmp_path: Path):
    # Before 0009: the version aggregated every vote of the guild ("ratings USING PRIMARY KEY
    # (guild_id=?)", 530 ms at 1M votes) and the open prompts walked every guild's prompts of the last
    # 30 days ("rating_prompts_by_created (created_at>?)", 280 ms at 100,000 prompts).
    found = await plans(tmp_path, await traced_statements(db_path))
    (version,) = [plan for sql, plan in found.items() if "MAX(updated_at)" in sql]
    assert version == (
        "SEARCH rating_totals USING PRIMARY KEY (guild_id=?) | SCALAR SUBQUERY 1"
        " | SEARCH ratings USING COVERING INDEX ratings_by_guild_recent (guild_id=?)"
    )
    (open_prompts,) = [plan for sql, plan in found.items() if sql.startswith("SELECT message_id FROM rating_prompts")]
    assert open_prompts == (
        "SEARCH rating_prompts USING COVERING INDEX rating_prompts_by_drama"
        " (guild_id=? AND drama_id=? AND created_at>?)"
    )


async def test_closing_the_store_runs_pragma_optimize(db_path: Path):
    # SQLite 3.40's advice for long-lived files: PRAGMA optimize (analysis_limit bounded) before
    # closing each connection. The votes below were planned through ratings' indexes on the reader,
    # so optimize analyzes ratings: sqlite_stat1 gets its rows (3 votes; one row per index).
    async with await Storage.open(db_path, clock=StepClock()) as storage:
        for member in (1, 2, 3):
            await storage.record_vote(GUILD, DRAMA, member, 7)
        assert len(await storage.member_votes(GUILD, 1)) == 1
    with sqlite3.connect(db_path) as db:
        stats = dict(db.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'ratings'").fetchall())
    db.close()
    assert stats["ratings_by_member_recent"].split()[0] == "3"
