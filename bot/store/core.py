"""The store's machinery: one aiosqlite connection, WAL, explicit transactions, group commit.

`Database` owns one connection (WAL, foreign keys on) opened with `isolation_level=None`, so
transactions are the ones written here and nothing else: `executescript()` and the sqlite3
module's implicit transactions would otherwise commit behind our back.

Writes are serialized through one queue and committed in groups: calls that arrive while a
commit is in flight are applied, in arrival order, in the next single transaction, and each
call returns only after the transaction holding it has committed. A burst of reactions costs
one commit, not one per vote, and a returned write is on disk. The areas (`votes`, `prompts`)
add their SQL on top of this class; `bot.store.Storage` combines them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite

from bot.store.migrate import Migration, StorageError, load_migrations, migrate

BATCH_LIMIT = 1000
"""The most queued writes one transaction takes; the rest wait for the next commit."""

Clock = Callable[[], dt.datetime]
Statement = tuple[str, tuple[Any, ...]]
"""One SQL statement with its parameters."""


@dataclass(eq=False, slots=True)
class _Write:
    """A queued write: plain statements (batched with their neighbours' into one executemany each)
    or, with `apply`, any transaction body that reads as well as writes and returns a result."""

    future: asyncio.Future[Any]
    statements: tuple[Statement, ...] = ()
    apply: Callable[[aiosqlite.Connection], Awaitable[Any]] | None = None


def utcnow() -> dt.datetime:
    """The aware UTC now: the default clock."""
    return dt.datetime.now(dt.UTC)


def timestamp(moment: dt.datetime) -> str:
    """Aware datetime → fixed-width UTC text that sorts in time order. Naive → ValueError."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware, not naive ({moment!r})")
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def parse_timestamp(text: str) -> dt.datetime:
    """`timestamp()`'s text back to an aware datetime."""
    return dt.datetime.fromisoformat(text)


class Database:
    """One aiosqlite connection with a group-commit write queue. Build it with `open()`.

    Writes return once committed; reads see every write that has returned. Use from one event
    loop. Closing waits for queued writes. A write whose caller is cancelled is dropped if its
    transaction has not started, and commits anyway if it has.
    """

    def __init__(self, db: aiosqlite.Connection, clock: Clock = utcnow) -> None:
        """Wrap an open, migrated connection; prefer `open()`, which makes one."""
        self._db = db
        self._clock = clock
        self._lock = asyncio.Lock()  # one transaction (or read) at a time on the connection
        self._queue: list[_Write] = []
        self._writer: asyncio.Task[None] | None = None
        self._closed = False

    @classmethod
    async def open(
        cls,
        path: Path | str,
        *,
        busy_timeout_ms: int = 5000,
        clock: Clock = utcnow,
        migrations: list[Migration] | None = None,
    ) -> Self:
        """Open (creating it and its parent directories) the database at `path` and migrate it.

        Sets WAL, `foreign_keys=ON`, `synchronous=FULL` (with group commit a vote is on disk when
        its call returns, at one fsync per batch) and `busy_timeout`. `clock` returns the aware
        "now" stamped on writes; `migrations` defaults to `load_migrations()`.
        Raises StorageError if the file's schema is newer than the migrations, or WAL is refused;
        sqlite3.Error if a migration fails (that step is rolled back; earlier ones stay).
        """
        path = Path(path)
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        if migrations is None:
            migrations = await asyncio.to_thread(load_migrations)
        db = await aiosqlite.connect(path, isolation_level=None)
        try:
            await db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            (mode,) = (await db.execute_fetchall("PRAGMA journal_mode = WAL"))[0]
            if str(mode).lower() != "wal":
                raise StorageError(f"{path}: SQLite refused WAL mode (journal_mode is {mode})")
            await db.execute("PRAGMA synchronous = FULL")
            await db.execute("PRAGMA foreign_keys = ON")
            await migrate(db, migrations, path)
        except BaseException:
            await db.close()
            raise
        return cls(db, clock)

    async def close(self) -> None:
        """Finish the queued writes, then close the connection. Calling it twice is harmless."""
        if self._closed:
            return
        self._closed = True
        if self._writer is not None and not self._writer.done():
            await asyncio.wait([self._writer])  # its failures already went to the callers
        await self._db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def schema_version(self) -> int:
        """The database's `PRAGMA user_version`: how many migrations it has."""
        return int((await self.read("PRAGMA user_version"))[0][0])

    async def write(self, *statements: Statement) -> None:
        """Run plain statements in the next group commit; returns once committed."""
        await self._submit(_Write(self._future(), statements=statements))

    async def transaction(self, apply: Callable[[aiosqlite.Connection], Awaitable[Any]]) -> Any:
        """Run `apply(connection)` inside the next group commit and return its result once committed.

        `apply` may read and write; it sees the writes queued before it. If it raises, its
        statements are rolled back and the error is raised here; the other writes still commit.
        """
        return await self._submit(_Write(self._future(), apply=apply))

    def _future(self) -> asyncio.Future[Any]:
        """A future for a write about to be queued; raises StorageError once the store is closed."""
        if self._closed:
            raise StorageError("storage is closed")
        return asyncio.get_running_loop().create_future()

    async def read(self, sql: str, parameters: Iterable[Any] = ()) -> list[Any]:
        """The rows of one SELECT; it sees every write that has returned. Raises StorageError once closed."""
        if self._closed:
            raise StorageError("storage is closed")
        # Under the lock so a read never sees the writer's half-applied batch.
        async with self._lock:
            return list(await self._db.execute_fetchall(sql, tuple(parameters)))

    async def read_all(self, *queries: Statement) -> list[list[Any]]:
        """The rows of several SELECTs, read together: no write commits between them."""
        if self._closed:
            raise StorageError("storage is closed")
        async with self._lock:
            return [list(await self._db.execute_fetchall(sql, parameters)) for sql, parameters in queries]

    async def _submit(self, write: _Write) -> Any:
        """Queue `write`, make sure the writer runs, and wait until its transaction committed."""
        self._queue.append(write)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain(), name="ramen-storage-writer")
        try:
            return await write.future
        except asyncio.CancelledError:
            # Not started yet → never applied. Already in a batch → it will commit regardless.
            if write in self._queue:
                self._queue.remove(write)
            raise

    async def _drain(self) -> None:
        """The writer: commit queued writes, a batch per transaction, until the queue is empty."""
        batch: list[_Write] = []
        try:
            while self._queue:
                batch, self._queue = self._queue[:BATCH_LIMIT], self._queue[BATCH_LIMIT:]
                async with self._lock:
                    await self._commit(batch)
        except BaseException as error:  # cancelled with the loop: nobody may wait forever
            for write in [*batch, *self._queue]:
                _settle(write, error=StorageError(f"storage writer stopped: {error!r}"))
            self._queue.clear()
            raise

    async def _commit(self, batch: list[_Write]) -> None:
        """Apply `batch` in one transaction; if anything fails, retry each write on its own."""
        try:
            results = await self._transaction(batch)
        except Exception:
            await self._rollback()
            for write in batch:  # isolate the culprit: every other write still commits
                try:
                    (result,) = await self._transaction([write])
                except Exception as error:
                    await self._rollback()
                    _settle(write, error=error)
                else:
                    _settle(write, result=result)
            return
        for write, result in zip(batch, results, strict=True):
            _settle(write, result=result)

    async def _transaction(self, batch: list[_Write]) -> list[Any]:
        db = self._db
        results: list[Any] = []
        await db.execute("BEGIN IMMEDIATE")
        pending: dict[str, list[tuple[Any, ...]]] = {}

        async def flush() -> None:
            # Consecutive plain writes go in one executemany per statement; order with other writes is kept.
            for sql, rows in pending.items():
                await db.executemany(sql, rows)
            pending.clear()

        for write in batch:
            if write.apply is None:
                for sql, parameters in write.statements:
                    pending.setdefault(sql, []).append(parameters)
                results.append(None)
                continue
            if pending:
                await flush()
            results.append(await write.apply(db))
        if pending:
            await flush()
        await db.execute("COMMIT")
        return results

    async def _rollback(self) -> None:
        if self._db.in_transaction:
            await self._db.execute("ROLLBACK")


def _settle(write: _Write, *, result: Any = None, error: BaseException | None = None) -> None:
    if write.future.done():  # its caller was cancelled; the write stands
        return
    if error is not None:
        write.future.set_exception(error)
    else:
        write.future.set_result(result)
