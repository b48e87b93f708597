"""The SQLite backend: one aiosqlite connection (WAL), a lock file, `PRAGMA user_version` migrations.

The connection is opened with `isolation_level=None`, so transactions are the ones written here
and nothing else: `executescript()` and the sqlite3 module's implicit transactions would
otherwise commit behind our back. One lock serializes the writing connection; reads go through a
second, read-only connection, which sees committed data only (never a half-applied batch) and,
under WAL, never waits for a writer.

One SQLite file serves one process: `open()` takes an exclusive `flock` on `<file>.lock` (the
kernel drops it when the process dies, `kill -9` included) and refuses a second process with
StorageError. Several processes share state through PostgreSQL (`DATABASE_URL`) instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any, Self, TypeVar

import aiosqlite

from bot.store.dialect import Tx
from bot.store.migrate import Migration, StorageError, load_migrations, migrate

T = TypeVar("T")

ANALYSIS_LIMIT = 400
"""Rows per index that an ANALYZE run by `PRAGMA optimize` looks at (SQLite's suggested 100..1000)."""


def lock_path(path: Path) -> Path:
    """The sidecar lock file of the database at `path`: `<path>.lock`, beside the file itself (symlinks
    resolved, so another name for the same file finds the same lock)."""
    path = path.resolve()
    return path.with_name(path.name + ".lock")


def take_lock(path: Path) -> int:
    """Take the exclusive lock on `path`'s lock file and write our pid in it; returns its fd.

    Raises StorageError naming DATABASE_PATH and the holder's pid when another process has it.
    """
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
        os.close(fd)
        raise StorageError(
            f"DATABASE_PATH {path} is in use by another Ramen process (pid {holder}); one SQLite file serves"
            " one process: for several processes set DATABASE_URL to a PostgreSQL database"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


class _RolledBack(Exception):
    """Internal: ends a check's transaction with a rollback."""


class SqliteBackend:
    """One aiosqlite connection with a lock; build it with `open()`."""

    dialect = "sqlite"

    def __init__(
        self,
        db: aiosqlite.Connection,
        lock_fd: int | None = None,
        path: Path | None = None,
        reader: aiosqlite.Connection | None = None,
    ) -> None:
        self._db = db
        self._path = path
        self._lock = asyncio.Lock()
        self._lock_fd = lock_fd
        # Reads on their own read-only connection: under WAL a reader never waits for the writer,
        # so a command's read does not queue behind a write stuck on another process's lock.
        self._reader = reader or db
        self._read_lock = asyncio.Lock() if reader is not None else self._lock

    @classmethod
    async def open(cls, path: Path, *, busy_timeout_ms: int = 5000, migrations: list[Migration] | None = None) -> Self:
        """Open (creating it and its parent directories), lock and migrate the database at `path`.

        Sets WAL, `foreign_keys=ON`, `synchronous=FULL` (with group commit a vote is on disk when
        its call returns, at one fsync per batch) and `busy_timeout`.
        Raises StorageError if another process holds the file, its schema is newer than the
        migrations, or WAL is refused; sqlite3.Error if a migration fails (that step is rolled back).
        """
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        if migrations is None:
            migrations = await asyncio.to_thread(load_migrations)
        fd = take_lock(path)
        try:
            db = await aiosqlite.connect(path, isolation_level=None)
        except BaseException:
            os.close(fd)
            raise
        try:
            await db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            (mode,) = (await db.execute_fetchall("PRAGMA journal_mode = WAL"))[0]
            if str(mode).lower() != "wal":
                raise StorageError(f"{path}: SQLite refused WAL mode (journal_mode is {mode})")
            await db.execute("PRAGMA synchronous = FULL")
            await db.execute("PRAGMA foreign_keys = ON")
            await migrate(db, migrations, path)
            reader = await aiosqlite.connect(path, isolation_level=None)
        except BaseException:
            await db.close()
            os.close(fd)
            raise
        try:
            await reader.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            await reader.execute("PRAGMA query_only = ON")
        except BaseException:
            await reader.close()
            await db.close()
            os.close(fd)
            raise
        return cls(db, fd, path, reader)

    async def optimize(self) -> None:
        """`PRAGMA optimize` on both connections, each ANALYZE it runs bounded by `PRAGMA analysis_limit`.

        What SQLite's documentation asks of applications on SQLite before 3.46 (here 3.40): run
        `PRAGMA analysis_limit=400; PRAGMA optimize;` just before closing each connection (the
        `0x10002` form to run at open needs 3.46). It analyzes only tables whose indexes the planner
        consulted on that connection, so it runs on the read-only reader too (the reads happen
        there), with `query_only` lifted for it: ANALYZE writes `sqlite_stat1`. Usually a no-op.
        """
        for connection in dict.fromkeys((self._db, self._reader)):
            if connection is self._reader and connection is not self._db:
                await connection.execute("PRAGMA query_only = OFF")
            await connection.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
            await connection.execute("PRAGMA optimize")

    async def close(self) -> None:
        """Run `optimize()` (best effort: a failure there is ignored), close the connections and release
        the lock file."""
        with contextlib.suppress(sqlite3.Error, ValueError):
            async with self._lock:
                await self.optimize()
        if self._reader is not self._db:
            await self._reader.close()
        await self._db.close()
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock_fd)
            self._lock_fd = None

    async def check_writable(self) -> None:
        """`PRAGMA quick_check` passes, and the file takes a write (a `user_version` update, rolled back).

        Raises:
            StorageError: one line naming the file: damaged (quick_check's first finding) or read-only.
        """
        try:
            rows = await self.read("PRAGMA quick_check(1)")
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"{self._path}: the database file is damaged ({exc}); restore a backup") from None
        finding = " ".join(str(rows[0][0]).split()) if rows else "no answer"
        if finding != "ok":
            raise StorageError(f"{self._path}: the database file is damaged (quick_check: {finding}); restore a backup")

        async def rewrite_version(tx: Any) -> None:
            (version,) = (await tx.execute_fetchall("PRAGMA user_version"))[0]
            await tx.execute(f"PRAGMA user_version = {int(version)}")  # pragmas take no parameters
            raise _RolledBack

        try:
            await self.run(rewrite_version)
        except _RolledBack:
            pass
        except sqlite3.Error as exc:
            raise StorageError(
                f"{self._path}: the database cannot be written ({exc}); check the file and folder permissions"
            ) from None

    async def schema_version(self) -> int:
        """`PRAGMA user_version`: how many migrations the file has."""
        return int((await self.read("PRAGMA user_version"))[0][0])

    async def read(self, sql: str, parameters: Iterable[Any] = ()) -> list[Any]:
        """The rows of one SELECT: committed data only, never waiting for the writer."""
        if self._reader is self._db:
            async with self._lock:
                return list(await self._db.execute_fetchall(sql, tuple(parameters)))
        return list(await self._reader.execute_fetchall(sql, tuple(parameters)))

    async def read_all(self, queries: Iterable[tuple[str, tuple[Any, ...]]]) -> list[list[Any]]:
        """The rows of several SELECTs in one snapshot (no commit between them)."""
        async with self._read_lock:
            if self._reader is self._db:
                return [list(await self._db.execute_fetchall(sql, parameters)) for sql, parameters in queries]
            await self._reader.execute("BEGIN")
            try:
                return [list(await self._reader.execute_fetchall(sql, parameters)) for sql, parameters in queries]
            finally:
                await self._reader.execute("COMMIT")

    async def run(self, body: Callable[[Tx], Awaitable[T]]) -> T:
        """`body(connection)` inside BEGIN IMMEDIATE … COMMIT; rolled back (and re-raised) if it fails."""
        async with self._lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                result = await body(self._db)
                await self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    await self._db.execute("ROLLBACK")
                raise
            return result
