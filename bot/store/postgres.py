"""The PostgreSQL backend: an asyncpg pool, a `schema_migrations` table, claims across processes.

Statements are the store's shared `?` text, numbered `$n` by `bot.store.dialect.to_dollar`.
Writes keep the group commit of `bot.store.core`: one batch per transaction on a pooled
connection (READ COMMITTED; counters are updated as `n = n + 1`, so concurrent processes never
lose an update). Reads go to any pooled connection; `read_all` reads in one REPEATABLE READ
snapshot. Several processes may share the database: migrations take an advisory lock, so the
second process to start waits, then finds the schema current.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Self, TypeVar

import asyncpg

from bot.store.dialect import describe_url, rowcount_of, to_dollar
from bot.store.migrate import Migration, StorageError, load_migrations

T = TypeVar("T")

MIGRATION_LOCK = 0x52414D454E  # "RAMEN": pg_advisory_xact_lock key held while a migration step runs
SCHEMA_TABLE = """
    CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer PRIMARY KEY,
        name       text    NOT NULL,
        applied_at text    NOT NULL
    )
"""


class _Status:
    """What `PgTx.execute` returns: the row count, as aiosqlite's cursor has it."""

    __slots__ = ("rowcount",)

    def __init__(self, rowcount: int) -> None:
        self.rowcount = rowcount


class PgTx:
    """An open transaction on one pooled connection, answering like an aiosqlite connection."""

    __slots__ = ("conn",)

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def execute_fetchall(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in await self.conn.fetch(to_dollar(sql), *parameters)]

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> _Status:
        return _Status(rowcount_of(await self.conn.execute(to_dollar(sql), *parameters)))

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(row) for row in parameters]
        if rows:
            await self.conn.executemany(to_dollar(sql), rows)


class PostgresBackend:
    """An asyncpg pool; build it with `open()`."""

    dialect = "postgres"

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @classmethod
    async def open(
        cls, url: str, *, migrations: list[Migration] | None = None, min_size: int = 1, max_size: int = 10
    ) -> Self:
        """Connect a pool to `url` (`postgresql://user:password@host:port/database`) and migrate it.

        Raises StorageError (naming host, port and database, never the password) when the server
        cannot be reached or refuses the login, or the schema is newer than the code;
        asyncpg.PostgresError if a migration fails (that step is rolled back).
        """
        if migrations is None:
            migrations = load_migrations(dialect="postgres")
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=min_size,
                max_size=max_size,
                command_timeout=30,
                server_settings={"application_name": "ramen"},
            )
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as exc:
            raise StorageError(f"cannot connect to {describe_url(url)}: {exc.__class__.__name__}: {exc}") from None
        try:
            async with pool.acquire() as conn:
                await migrate_postgres(conn, migrations, describe_url(url))
        except BaseException:
            await pool.close()
            raise
        return cls(pool)

    @property
    def pool(self) -> asyncpg.Pool:
        """The asyncpg pool (for claims and the bench's bulk loads)."""
        return self._pool

    async def close(self) -> None:
        await self._pool.close()

    async def check_writable(self) -> None:
        """The database takes writes: an UPDATE that matches no row, in a transaction that is rolled
        back. PostgreSQL refuses it on a read-only server (a standby, `default_transaction_read_only`)
        and for a role without write privileges, whatever the row count.

        Raises:
            StorageError: one line naming the database (never the password).
        """
        try:
            async with self._pool.acquire() as conn:
                tx = conn.transaction()
                await tx.start()
                try:
                    await conn.execute("UPDATE ratings SET score = score WHERE false")
                finally:
                    await tx.rollback()
        except asyncpg.PostgresError as exc:
            raise StorageError(f"the database cannot be written ({exc.__class__.__name__}: {exc})") from None

    async def schema_version(self) -> int:
        """The highest version in `schema_migrations`."""
        return int(await self._pool.fetchval("SELECT coalesce(max(version), 0) FROM schema_migrations"))

    async def read(self, sql: str, parameters: Iterable[Any] = ()) -> list[Any]:
        return [tuple(row) for row in await self._pool.fetch(to_dollar(sql), *parameters)]

    async def read_all(self, queries: Iterable[tuple[str, tuple[Any, ...]]]) -> list[list[Any]]:
        async with self._pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            return [[tuple(row) for row in await conn.fetch(to_dollar(sql), *params)] for sql, params in queries]

    async def run(self, body: Callable[[PgTx], Awaitable[T]]) -> T:
        """`body(tx)` inside one transaction on a pooled connection; rolled back (and re-raised) if it fails."""
        async with self._pool.acquire() as conn, conn.transaction():
            return await body(PgTx(conn))


async def migrate_postgres(conn: asyncpg.Connection, migrations: list[Migration], where: str) -> None:
    """Apply the migrations the database lacks (by number; numbers may land out of order), each in its
    own transaction with its `schema_migrations` row.

    The whole run holds the session advisory lock `MIGRATION_LOCK`, so processes starting together
    migrate one after the other and each step is applied once. Raises StorageError when the
    database is newer than `migrations`.
    """
    await conn.execute(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")  # one migrator at a time
    try:
        await conn.execute(SCHEMA_TABLE)
        applied = {int(v) for (v,) in await conn.fetch("SELECT version FROM schema_migrations")}
        unknown = sorted(applied - {m.version for m in migrations})
        if unknown:
            known = migrations[-1].version if migrations else 0
            raise StorageError(
                f"{where}: schema version {unknown[-1]} is newer than this code knows (it has migration "
                f"{unknown[-1]:04d}; this code knows up to {known:04d}); upgrade the bot or use another DATABASE_URL"
            )
        for migration in (m for m in migrations if m.version not in applied):
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
                )
    finally:
        await conn.execute(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
