"""The store's machinery: a backend (SQLite or PostgreSQL), explicit transactions, group commit.

`Database` runs on a backend: `bot.store.sqlite.SqliteBackend` (one aiosqlite connection, WAL,
the default) or `bot.store.postgres.PostgresBackend` (an asyncpg pool), chosen by what `open()`
is given: a path, or a `postgresql://…` URL. Both run the same SQL text (`bot.store.dialect`).

Writes are serialized through one queue and committed in groups: calls that arrive while a
commit is in flight are applied, in arrival order, in the next single transaction, and each
call returns only after the transaction holding it has committed. A burst of reactions costs
one commit, not one per vote, and a returned write is on disk. A batch that finds SQLite
write-locked by another process is retried, never dropped. The areas (`votes`, `prompts`)
add their SQL on top of this class; `bot.store.Storage` combines them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from bot.store.dialect import Tx, is_postgres_url
from bot.store.migrate import Migration, StorageError

log = logging.getLogger(__name__)

BATCH_LIMIT = 1000
"""The most queued writes one transaction takes; the rest wait for the next commit."""
READ_WAIT = 0.25
"""Seconds a read waits for the writes queued before it (a commit takes milliseconds); then it
reads what is committed, so a write stuck on a lock never holds a command past Discord's 3 s."""

Clock = Callable[[], dt.datetime]
Statement = tuple[str, tuple[Any, ...]]
"""One SQL statement with its parameters."""


@dataclass(eq=False, slots=True)
class _Write:
    """A queued write: plain statements (batched with their neighbours' into one executemany each)
    or, with `apply`, any transaction body that reads as well as writes and returns a result; or,
    with `group`, one call's `args` that `group(tx, [args, …])` applies together with its
    neighbours' of the same group, in order, returning one result per call."""

    future: asyncio.Future[Any]
    statements: tuple[Statement, ...] = ()
    apply: Callable[[Tx], Awaitable[Any]] | None = None
    group: Callable[[Tx, list[Any]], Awaitable[list[Any]]] | None = None
    args: Any = None


@dataclass(frozen=True, slots=True)
class Counts:
    """What a database holds, for the start-up log line: rating prompts and votes (all guilds)."""

    prompts: int
    votes: int


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
    """A backend with a group-commit write queue. Build it with `open()`.

    Writes return once committed; reads see every write that has returned. Use from one event
    loop. Closing waits for queued writes. A write whose caller is cancelled is dropped if its
    transaction has not started, and commits anyway if it has.
    """

    def __init__(self, backend: Any, clock: Clock = utcnow) -> None:
        """Wrap an open, migrated backend; prefer `open()`, which makes one."""
        self._backend = backend
        self._clock = clock
        self._queue: list[_Write] = []
        self._batch: list[_Write] = []  # the batch being committed
        self._writer: asyncio.Task[None] | None = None
        self._closed = False

    @classmethod
    async def open(
        cls,
        target: Path | str,
        *,
        busy_timeout_ms: int = 5000,
        clock: Clock = utcnow,
        migrations: list[Migration] | None = None,
    ) -> Self:
        """Open and migrate the database at `target`: a `postgresql://…` URL, else a SQLite file path.

        SQLite: the file (and its parent directories) is created, locked for this process, put in
        WAL mode (see `bot.store.sqlite`). PostgreSQL: a pool is connected (see `bot.store.postgres`).
        `clock` returns the aware "now" stamped on writes; `migrations` defaults to the dialect's.
        Raises StorageError if the database is in use by another process (SQLite), unreachable
        (PostgreSQL), newer than the migrations, or refuses WAL; the driver's error if a migration
        fails (that step is rolled back; earlier ones stay).
        """
        if is_postgres_url(target):
            from bot.store.postgres import PostgresBackend

            backend: Any = await PostgresBackend.open(str(target), migrations=migrations)
        else:
            from bot.store.sqlite import SqliteBackend

            backend = await SqliteBackend.open(Path(target), busy_timeout_ms=busy_timeout_ms, migrations=migrations)
        return cls(backend, clock)

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgres"."""
        return str(self._backend.dialect)

    async def close(self) -> None:
        """Finish the queued writes, then close the backend. Calling it twice is harmless."""
        if self._closed:
            return
        self._closed = True
        if self._writer is not None and not self._writer.done():
            await asyncio.wait([self._writer])  # its failures already went to the callers
        await self._backend.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def check_writable(self) -> None:
        """Start-up check (either backend): the database takes a write, in a transaction rolled back
        so nothing changes; a SQLite file also passes `PRAGMA quick_check`.

        Raises:
            StorageError: one line naming the database: damaged, or read-only (file or folder
                permissions, a read-only PostgreSQL server or role).
        """
        self._check_open()
        await self._backend.check_writable()

    async def counts(self) -> Counts:
        """How many rating prompts and votes the database holds (for the start-up log line)."""
        prompts, votes = await self.read_all(
            ("SELECT count(*) FROM rating_prompts", ()), ("SELECT count(*) FROM ratings", ())
        )
        return Counts(prompts=int(prompts[0][0]), votes=int(votes[0][0]))

    async def schema_version(self) -> int:
        """How many migrations the database has."""
        self._check_open()
        return int(await self._backend.schema_version())

    async def write(self, *statements: Statement) -> None:
        """Run plain statements in the next group commit; returns once committed."""
        await self._submit(_Write(self._future(), statements=statements))

    async def transaction(self, apply: Callable[[Tx], Awaitable[Any]]) -> Any:
        """Run `apply(tx)` inside the next group commit and return its result once committed.

        `apply` may read and write (`tx.execute_fetchall`, `tx.execute(…).rowcount`,
        `tx.executemany`); it sees the writes queued before it. If it raises, its statements are
        rolled back and the error is raised here; the other writes still commit.
        """
        return await self._submit(_Write(self._future(), apply=apply))

    async def grouped(self, group: Callable[[Tx, list[Any]], Awaitable[list[Any]]], args: Any) -> Any:
        """Like `transaction`, for a write many callers make at once (a reaction burst): consecutive
        queued calls with the same `group` are applied by one `group(tx, [args, …])` call, which
        returns one result per args, as if applied one by one in order. Returns this call's result
        once committed. If `group` raises, each call is retried alone and only the culprit fails."""
        return await self._submit(_Write(self._future(), group=group, args=args))

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError("storage is closed")

    def _future(self) -> asyncio.Future[Any]:
        """A future for a write about to be queued; raises StorageError once the store is closed."""
        self._check_open()
        return asyncio.get_running_loop().create_future()

    async def read(self, sql: str, parameters: Iterable[Any] = ()) -> list[Any]:
        """The rows of one SELECT (as tuples); sees every write that has returned, and the writes
        queued before it unless they wait on a lock (`READ_WAIT`). StorageError once closed."""
        self._check_open()
        await self._after_queued_writes()
        return list(await self._backend.read(sql, tuple(parameters)))

    async def read_all(self, *queries: Statement) -> list[list[Any]]:
        """The rows of several SELECTs, read together: no write commits between them."""
        self._check_open()
        await self._after_queued_writes()
        return list(await self._backend.read_all(queries))

    async def _after_queued_writes(self) -> None:
        """Let the writes queued before a read commit first, waiting `READ_WAIT` s at most: a read
        never queues behind a write stuck on another process's lock (a command must answer in 3 s)."""
        pending = [w.future for w in (*self._batch, *self._queue) if not w.future.done()]
        if pending:
            await asyncio.wait(pending, timeout=READ_WAIT)

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
                self._batch = batch
                await self._commit(batch)
                self._batch = []
        except BaseException as error:  # cancelled with the loop: nobody may wait forever
            for write in [*batch, *self._queue]:
                _settle(write, error=StorageError(f"storage writer stopped: {error!r}"))
            self._queue.clear()
            raise

    async def _commit(self, batch: list[_Write]) -> None:
        """Apply `batch` in one transaction; if anything fails, retry each write on its own."""
        try:
            results = await self._until_unlocked(batch)
        except Exception:
            for write in batch:  # isolate the culprit: every other write still commits
                try:
                    (result,) = await self._until_unlocked([write])
                except Exception as error:
                    _settle(write, error=error)
                else:
                    _settle(write, result=result)
            return
        for write, result in zip(batch, results, strict=True):
            _settle(write, result=result)

    async def _until_unlocked(self, batch: list[_Write]) -> list[Any]:
        """Apply `batch` in one transaction, tried again (backoff up to 1 s) for as long as another
        process holds SQLite's write lock ("database is locked" after `busy_timeout`): a queued
        vote waits, it is never dropped. Any other error is raised."""
        delay, warned = 0.05, False
        while True:
            try:
                return await self._backend.run(lambda tx: _apply(tx, batch))
            except sqlite3.OperationalError as error:
                if not _locked(error):
                    raise
                if not warned:
                    log.warning("the database is locked by another process; %d writes wait for it", len(batch))
                    warned = True
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)


async def _apply(tx: Tx, batch: list[_Write]) -> list[Any]:
    """Apply a batch's writes in order inside the open transaction `tx`; their results in order."""
    results: list[Any] = []
    pending: dict[str, list[tuple[Any, ...]]] = {}

    async def flush() -> None:
        # Consecutive plain writes go in one executemany per statement; order with other writes is kept.
        for sql, rows in pending.items():
            await tx.executemany(sql, rows)
        pending.clear()

    index = 0
    while index < len(batch):
        write = batch[index]
        if write.apply is None and write.group is None:
            for sql, parameters in write.statements:
                pending.setdefault(sql, []).append(parameters)
            results.append(None)
            index += 1
            continue
        if pending:
            await flush()
        run = _run_of(batch, index)
        if write.group is not None:
            results.extend(await write.group(tx, [w.args for w in run]))
        else:
            results.append(await write.apply(tx))  # type: ignore[misc]
        index += len(run)
    if pending:
        await flush()
    if len(results) != len(batch):
        raise RuntimeError("a grouped write returned the wrong number of results")
    return results


def _run_of(batch: list[_Write], start: int) -> list[_Write]:
    """The write at `start`, with the consecutive writes of the same group after it."""
    group = batch[start].group
    end = start + 1
    if group is not None:
        while end < len(batch) and batch[end].group == group:
            end += 1
    return batch[start:end]


def _locked(error: sqlite3.OperationalError) -> bool:
    """SQLite gave up waiting for another connection's lock (SQLITE_BUSY / SQLITE_LOCKED)."""
    text = str(error).lower()
    return "database is locked" in text or "database table is locked" in text or "busy" in text


def _settle(write: _Write, *, result: Any = None, error: BaseException | None = None) -> None:
    if write.future.done():  # its caller was cancelled; the write stands
        return
    if error is not None:
        write.future.set_exception(error)
    else:
        write.future.set_result(result)
