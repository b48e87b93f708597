"""The PostgreSQL test harness: the throwaway server, a fresh database per test, and the locking the
cluster design relies on (row claims with FOR UPDATE SKIP LOCKED, advisory locks), across two connections.

Without a server these skip (or fail, in CI); see tests/postgres.py.
"""

from __future__ import annotations

import asyncpg
import pytest

from tests.postgres import (
    DATABASE_PREFIX,
    URL_ENV,
    database_url,
    fresh_database,
    server_url_or_skip,
)

# One claim: the lowest unclaimed job that no other transaction holds, marked as ours in the same statement.
CLAIM = """
    UPDATE jobs SET claimed_by = $1
    WHERE id = (
        SELECT id FROM jobs WHERE claimed_by IS NULL ORDER BY id
        FOR UPDATE SKIP LOCKED LIMIT 1
    )
    RETURNING id
"""


async def _user_tables(conn: asyncpg.Connection) -> list[str]:
    rows = await conn.fetch(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"
    )
    return [row["table_name"] for row in rows]


async def _jobs_table(url: str) -> None:
    """jobs 1, 2, 3, none claimed."""
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            await conn.execute("CREATE TABLE jobs (id integer PRIMARY KEY, claimed_by text)")
            await conn.executemany("INSERT INTO jobs (id) VALUES ($1)", [(1,), (2,), (3,)])
    finally:
        await conn.close()


# -- the fixture's rules, without a server ---------------------------------------------------------------


def test_unset_url_skips_outside_ci_with_the_reason_given():
    with pytest.raises(pytest.skip.Exception, match="initdb not found"):
        server_url_or_skip({"RAMEN_TEST_POSTGRES_UNAVAILABLE": "initdb not found"})
    with pytest.raises(pytest.skip.Exception, match=f"{URL_ENV} is unset .*scripts/test"):
        server_url_or_skip({"CI": "false"})


def test_unset_url_fails_in_ci():
    with pytest.raises(pytest.fail.Exception, match="CI=true, so the PostgreSQL tests must run"):
        server_url_or_skip({"CI": "true", "RAMEN_TEST_POSTGRES_UNAVAILABLE": "initdb not found"})


def test_set_url_is_used_as_given():
    url = "postgresql://postgres@127.0.0.1:5999/postgres"
    assert server_url_or_skip({"CI": "true", URL_ENV: url}) == url


def test_database_url_replaces_only_the_database():
    assert (
        database_url("postgresql://postgres@127.0.0.1:5433/postgres?sslmode=disable", "ramen_t_ab")
        == "postgresql://postgres@127.0.0.1:5433/ramen_t_ab?sslmode=disable"
    )


# -- against the server ----------------------------------------------------------------------------------


@pytest.mark.parametrize("run", [1, 2])
async def test_each_test_gets_an_empty_database_of_its_own(postgres_url: str, run: int):
    conn = await asyncpg.connect(postgres_url)
    try:
        name = await conn.fetchval("SELECT current_database()")
        assert name.startswith(DATABASE_PREFIX)
        assert await _user_tables(conn) == []
        # Left behind on purpose: had the other run shared this database, it would have seen this table.
        await conn.execute("CREATE TABLE left_behind (run integer)")
        await conn.execute("INSERT INTO left_behind VALUES ($1)", run)
        assert await _user_tables(conn) == ["left_behind"]
    finally:
        await conn.close()


async def test_fresh_databases_are_distinct_and_dropped_afterwards(postgres_server_url: str):
    admin = await asyncpg.connect(postgres_server_url)
    try:
        async with fresh_database(postgres_server_url) as first, fresh_database(postgres_server_url) as second:
            assert first != second
            names = {first.rsplit("/", 1)[1], second.rsplit("/", 1)[1]}
            listed = await admin.fetch("SELECT datname FROM pg_database WHERE datname = ANY($1::text[])", names)
            assert {row["datname"] for row in listed} == names
            # A connection left open does not keep a database alive: the drop forces it closed.
            leaked = await asyncpg.connect(first)
        still_there = await admin.fetchval("SELECT count(*) FROM pg_database WHERE datname = ANY($1::text[])", names)
        assert still_there == 0
        try:
            with pytest.raises((asyncpg.PostgresError, asyncpg.InterfaceError, ConnectionError)):
                await leaked.fetchval("SELECT 1")
        finally:
            leaked.terminate()
    finally:
        await admin.close()


async def test_module_database_is_another_empty_database(postgres_module_url: str, postgres_url: str):
    assert postgres_module_url != postgres_url
    conn = await asyncpg.connect(postgres_module_url)
    try:
        assert (await conn.fetchval("SELECT current_database()")).startswith(DATABASE_PREFIX)
    finally:
        await conn.close()


async def test_server_has_the_ramen_test_database(postgres_server_url: str):
    conn = await asyncpg.connect(database_url(postgres_server_url, "ramen_test"))
    try:
        assert await conn.fetchval("SELECT current_database()") == "ramen_test"
        assert int(await conn.fetchval("SHOW server_version_num")) >= 150000
    finally:
        await conn.close()


async def test_transaction_commits_or_rolls_back_as_a_whole(postgres_url: str):
    conn = await asyncpg.connect(postgres_url)
    try:
        async with conn.transaction():
            await conn.execute("CREATE TABLE votes (user_id bigint PRIMARY KEY, score smallint NOT NULL)")
            await conn.executemany("INSERT INTO votes VALUES ($1, $2)", [(1, 7), (2, 9), (3, 4)])
        with pytest.raises(asyncpg.UniqueViolationError):
            async with conn.transaction():
                await conn.execute("INSERT INTO votes VALUES ($1, $2)", 4, 10)
                await conn.execute("INSERT INTO votes VALUES ($1, $2)", 1, 1)  # user 1 again: the whole step undone
        # 7 + 9 + 4 = 20 over 3 votes; the 10 of user 4 went with the failed transaction.
        row = await conn.fetchrow("SELECT count(*) AS n, sum(score) AS total FROM votes")
        assert (row["n"], row["total"]) == (3, 20)
        # A table created inside a rolled-back transaction is gone too (PostgreSQL DDL is transactional).
        with pytest.raises(RuntimeError):
            async with conn.transaction():
                await conn.execute("CREATE TABLE doomed (x integer)")
                raise RuntimeError("roll back")
        assert await _user_tables(conn) == ["votes"]
    finally:
        await conn.close()


async def test_skip_locked_claims_each_job_once_across_two_connections(postgres_url: str):
    await _jobs_table(postgres_url)
    a = await asyncpg.connect(postgres_url)
    b = await asyncpg.connect(postgres_url)
    try:
        tx_a = a.transaction()
        await tx_a.start()
        assert await a.fetchval(CLAIM, "a") == 1  # the lowest job
        tx_b = b.transaction()
        await tx_b.start()
        # Job 1 is row-locked by a's open transaction: b skips it instead of waiting, and gets job 2.
        assert await b.fetchval(CLAIM, "b") == 2
        # Without SKIP LOCKED, b would have to wait for job 1; NOWAIT shows the lock is there.
        with pytest.raises(asyncpg.LockNotAvailableError):
            async with b.transaction():  # a savepoint inside b's transaction
                await b.fetchval("SELECT id FROM jobs WHERE id = 1 FOR UPDATE NOWAIT")
        await tx_b.commit()
        await tx_a.rollback()  # a gives job 1 back: unclaimed and unlocked again
        # b's next claim: job 1 (free again), then job 3, then nothing is left.
        assert await b.fetchval(CLAIM, "b") == 1
        assert await b.fetchval(CLAIM, "b") == 3
        assert await b.fetchval(CLAIM, "b") is None
        rows = await a.fetch("SELECT id, claimed_by FROM jobs ORDER BY id")
        assert [tuple(row) for row in rows] == [(1, "b"), (2, "b"), (3, "b")]
    finally:
        await a.close()
        await b.close()


async def test_advisory_locks_exclude_the_other_connection(postgres_url: str):
    a = await asyncpg.connect(postgres_url)
    b = await asyncpg.connect(postgres_url)
    key = 15
    try:
        # Session-level: held until unlocked as many times as taken, or the connection ends.
        assert await a.fetchval("SELECT pg_try_advisory_lock($1)", key) is True
        assert await b.fetchval("SELECT pg_try_advisory_lock($1)", key) is False
        assert await a.fetchval("SELECT pg_try_advisory_lock($1)", key) is True  # a again: now held twice
        assert await a.fetchval("SELECT pg_advisory_unlock($1)", key) is True
        assert await b.fetchval("SELECT pg_try_advisory_lock($1)", key) is False  # a still holds it once
        assert await a.fetchval("SELECT pg_advisory_unlock($1)", key) is True
        assert await a.fetchval("SELECT pg_advisory_unlock($1)", key) is False  # nothing left to unlock
        assert await b.fetchval("SELECT pg_try_advisory_lock($1)", key) is True
        assert await b.fetchval("SELECT pg_advisory_unlock($1)", key) is True

        # Transaction-level: released by commit, with no unlock call.
        tx = a.transaction()
        await tx.start()
        assert await a.fetchval("SELECT pg_try_advisory_xact_lock($1)", key + 1) is True
        assert await b.fetchval("SELECT pg_try_advisory_xact_lock($1)", key + 1) is False
        await tx.commit()
        assert await b.fetchval("SELECT pg_try_advisory_xact_lock($1)", key + 1) is True  # b's own implicit tx

        # A connection that dies releases its session locks: the other process can take over the work.
        assert await a.fetchval("SELECT pg_try_advisory_lock($1)", key) is True
        a_pid = a.get_server_pid()
        a.terminate()
        # The server notices the closed socket a moment later; b waits for the lock (5 s at most) and gets it.
        await b.execute("SET lock_timeout = '5s'")
        await b.execute("SELECT pg_advisory_lock($1)", key)
        holders = await b.fetch("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted", key)
        assert [row["pid"] for row in holders] == [b.get_server_pid()]
        assert b.get_server_pid() != a_pid
    finally:
        if not a.is_closed():
            await a.close()
        await b.close()
