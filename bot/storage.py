"""Persistent state: server ratings and rating prompts in one SQLite file, behind `Storage`.

Every SQL statement of the project lives in this module. `Storage` owns one aiosqlite
connection (WAL, foreign keys on) opened with `isolation_level=None`, so transactions are the
ones written here and nothing else: `executescript()` and the sqlite3 module's implicit
transactions would otherwise commit behind our back.

Schema changes are numbered files in `bot/migrations/` (`0001_init.sql`, `0002_…`). `PRAGMA
user_version` says how many have been applied; each missing one runs in its own transaction
together with the new `user_version`, so a failed step leaves the previous version intact.

Writes are serialized through one queue and committed in groups: calls that arrive while a
commit is in flight are applied, in arrival order, in the next single transaction, and each
call returns only after the transaction holding it has committed. A burst of reactions costs
one commit, not one per vote, and a returned `record_vote` is on disk.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite

from bot.ratings.scores import PRIOR_MEAN, PRIOR_WEIGHT, bayesian_mean

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
MAX_SCORE = 10
BATCH_LIMIT = 1000
"""The most queued writes one transaction takes; the rest wait for the next commit."""

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

Clock = Callable[[], dt.datetime]


class StorageError(Exception):
    """The database cannot be used: unknown schema version, bad migration files, closed store."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: `version` (1, 2, …), the file's `name` and its SQL text."""

    version: int
    name: str
    sql: str


@dataclass(frozen=True, slots=True)
class Vote:
    """A member's current vote for a drama in a guild.

    `score` is 1..10 bowls; `updated_at` is aware UTC; `prompt_message_id` is the rating prompt
    whose reaction set it, or None when it came from `/rate title score` (or its prompt is gone).
    """

    guild_id: int
    drama_id: str
    user_id: int
    score: int
    updated_at: dt.datetime
    prompt_message_id: int | None = None


@dataclass(frozen=True, slots=True)
class GuildScore:
    """A guild's votes for one drama: `count`, `total` (sum of scores) and the histogram.

    `histogram[i]` is the number of votes of score i + 1 (ten entries, 1..10).
    """

    drama_id: str
    count: int
    total: int
    histogram: tuple[int, ...] = (0,) * MAX_SCORE

    @property
    def mean(self) -> float | None:
        """The plain mean in bowls, None when nobody has voted."""
        return self.total / self.count if self.count else None


@dataclass(frozen=True, slots=True)
class RankedScore:
    """One line of a guild's chart: position `rank` (1 = top), the damped and plain means."""

    rank: int
    drama_id: str
    count: int
    total: int
    mean: float
    weighted_mean: float


@dataclass(frozen=True, slots=True)
class RatingPrompt:
    """A "Rate <title>" message members react on; `created_at` is aware UTC."""

    message_id: int
    guild_id: int
    channel_id: int
    drama_id: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ReconcileResult:
    """What reconciling one prompt did to the votes: how many were added, changed, removed."""

    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed


@dataclass(eq=False, slots=True)
class _Write:
    """A queued write: an upsert of a vote (fast path, `vote` set) or any transaction body `apply`."""

    future: asyncio.Future[Any]
    vote: tuple[Any, ...] | None = None  # (guild, drama, user, score, updated_at, prompt_message_id)
    apply: Callable[[aiosqlite.Connection], Awaitable[Any]] | None = None


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migrations in `directory`, by version: files named `NNNN_name.sql`, numbered 1, 2, 3…

    Raises StorageError when a `.sql` file is misnamed or the numbers have a gap or a duplicate.
    """
    migrations: list[Migration] = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise StorageError(f"{path}: migration files are named NNNN_lowercase_name.sql")
        migrations.append(Migration(int(match.group(1)), path.name, path.read_text(encoding="utf-8")))
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise StorageError(f"{directory}: expected migration {expected:04d}, found {migration.name}")
    return migrations


def migration_script(migration: Migration) -> str:
    """The script that applies `migration` atomically: BEGIN, its SQL, the new user_version, COMMIT.

    The transaction is inside the script because `executescript()` commits whatever is open
    before it runs; if a statement fails, the script stops inside the transaction and the
    caller rolls it back.
    """
    return (
        "BEGIN IMMEDIATE;\n"
        f"{migration.sql}\n;\n"
        f"PRAGMA user_version = {int(migration.version)};\n"  # pragmas take no parameters
        "COMMIT;\n"
    )


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _timestamp(moment: dt.datetime) -> str:
    """Aware datetime → fixed-width UTC text that sorts in time order. Naive → ValueError."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware, not naive ({moment!r})")
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _parse_timestamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _check_score(score: int) -> int:
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= MAX_SCORE:
        raise ValueError(f"score must be an integer from 1 to {MAX_SCORE}, not {score!r}")
    return score


def _scores_of(value: int | Collection[int]) -> frozenset[int]:
    scores = frozenset((value,)) if isinstance(value, int) else frozenset(value)
    for score in scores:
        _check_score(score)
    return scores


def _mask(scores: Iterable[int]) -> int:
    return sum(1 << score for score in set(scores))


def _unmask(mask: int) -> frozenset[int]:
    return frozenset(score for score in range(1, MAX_SCORE + 1) if mask >> score & 1)


_UPSERT_VOTE = """
    INSERT INTO ratings (guild_id, drama_id, user_id, score, updated_at, prompt_message_id)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (guild_id, drama_id, user_id) DO UPDATE SET
        score = excluded.score,
        updated_at = excluded.updated_at,
        prompt_message_id = excluded.prompt_message_id
"""
# prompt_reactions.scores is a bit set: bit s set = keycap s (1..10) on the message.
_SEEN_ADDED = """
    INSERT INTO prompt_reactions (message_id, user_id, scores, updated_at) VALUES (?, ?, 1 << ?, ?)
    ON CONFLICT (message_id, user_id) DO UPDATE SET
        scores = scores | excluded.scores,
        updated_at = excluded.updated_at
"""
_SEEN_REMOVED = """
    INSERT INTO prompt_reactions (message_id, user_id, scores, updated_at)
    SELECT ?, ?, 0, ? WHERE EXISTS (SELECT 1 FROM rating_prompts WHERE message_id = ?)
    ON CONFLICT (message_id, user_id) DO UPDATE SET
        scores = scores & ~(1 << ?),
        updated_at = excluded.updated_at
"""
_VOTE_COLUMNS = "guild_id, drama_id, user_id, score, updated_at, prompt_message_id"
_PROMPT_COLUMNS = "message_id, guild_id, channel_id, drama_id, created_at"


def _vote(row: Iterable[Any]) -> Vote:
    guild_id, drama_id, user_id, score, updated_at, prompt_message_id = row
    return Vote(guild_id, drama_id, user_id, score, _parse_timestamp(updated_at), prompt_message_id)


def _prompt(row: Iterable[Any]) -> RatingPrompt:
    message_id, guild_id, channel_id, drama_id, created_at = row
    return RatingPrompt(message_id, guild_id, channel_id, drama_id, _parse_timestamp(created_at))


class Storage:
    """Ratings and rating prompts over one aiosqlite connection. Build it with `Storage.open()`.

    Ids (guild, user, channel, message) are Discord snowflakes as ints; `drama_id` is the
    catalog's slug. Writes return once committed; reads see every write that has returned.
    Use from one event loop. Closing waits for queued writes. A write whose caller is cancelled
    is dropped if its transaction has not started, and commits anyway if it has.
    """

    def __init__(self, db: aiosqlite.Connection, clock: Clock = _utcnow) -> None:
        """Wrap an open, migrated connection; prefer `Storage.open()`, which makes one."""
        self._db = db
        self._clock = clock
        self._lock = asyncio.Lock()  # one transaction (or read) at a time on the connection
        self._queue: list[_Write] = []
        self._writer: asyncio.Task[None] | None = None
        self._closed = False

    # -- life cycle -------------------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        path: Path | str,
        *,
        busy_timeout_ms: int = 5000,
        clock: Clock = _utcnow,
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
            await _migrate(db, migrations, path)
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
        return int((await self._read("PRAGMA user_version"))[0][0])

    # -- votes ------------------------------------------------------------------------------

    async def record_vote(
        self, guild_id: int, drama_id: str, user_id: int, score: int, *, prompt_message_id: int | None = None
    ) -> None:
        """Make `score` (1..10) the member's vote for the drama in the guild; committed on return.

        A new score replaces the old one. `prompt_message_id`: the rating prompt whose keycap
        reaction cast it (None for `/rate`); the store also remembers that reaction, for
        reconciliation. Raises ValueError for a score outside 1..10, sqlite3.IntegrityError if
        `prompt_message_id` is not a known prompt, StorageError once closed.
        """
        _check_score(score)
        row = (guild_id, drama_id, user_id, score, _timestamp(self._clock()), prompt_message_id)
        await self._submit(_Write(self._future(), vote=row))

    async def withdraw_vote(
        self,
        guild_id: int,
        drama_id: str,
        user_id: int,
        score: int | None = None,
        *,
        prompt_message_id: int | None = None,
    ) -> bool:
        """Withdraw the member's vote; with `score`, only if that is the current vote.

        This is a removed reaction: removing the keycap that is the current vote withdraws it,
        removing an older one changes nothing — decided in one statement, so a concurrent new
        vote is never lost. With `prompt_message_id` (the prompt the reaction was removed from;
        `score` then required) the vote is withdrawn only if it was cast through that prompt — a
        vote from `/rate` or from another prompt for the same drama stays — and the store forgets
        that reaction. Returns True if a vote was withdrawn. Raises ValueError for a bad score or
        a prompt without a score.
        """
        if score is not None:
            _check_score(score)
        elif prompt_message_id is not None:
            raise ValueError("a reaction removed from a prompt needs its score")
        stamp = _timestamp(self._clock())

        async def apply(db: aiosqlite.Connection) -> bool:
            if prompt_message_id is not None:
                await db.execute(_SEEN_REMOVED, (prompt_message_id, user_id, stamp, prompt_message_id, score))
            cursor = await db.execute(
                "DELETE FROM ratings WHERE guild_id = ? AND drama_id = ? AND user_id = ? AND (? IS NULL OR score = ?)"
                " AND (? IS NULL OR prompt_message_id = ?)",
                (guild_id, drama_id, user_id, score, score, prompt_message_id, prompt_message_id),
            )
            return cursor.rowcount > 0

        return await self._submit(_Write(self._future(), apply=apply))

    async def member_vote(self, guild_id: int, drama_id: str, user_id: int) -> Vote | None:
        """The member's current vote for the drama in the guild, or None."""
        rows = await self._read(
            f"SELECT {_VOTE_COLUMNS} FROM ratings WHERE guild_id = ? AND drama_id = ? AND user_id = ?",
            (guild_id, drama_id, user_id),
        )
        return _vote(rows[0]) if rows else None

    async def member_votes(self, guild_id: int, user_id: int) -> list[Vote]:
        """All the member's votes in the guild (for `/myratings`), newest first, then by drama id."""
        rows = await self._read(
            f"SELECT {_VOTE_COLUMNS} FROM ratings WHERE guild_id = ? AND user_id = ?"
            " ORDER BY updated_at DESC, drama_id",
            (guild_id, user_id),
        )
        return [_vote(row) for row in rows]

    async def guild_score(self, guild_id: int, drama_id: str) -> GuildScore:
        """The guild's votes for the drama: count, total and 1..10 histogram (zeros if none)."""
        rows = await self._read(
            "SELECT score, COUNT(*) FROM ratings WHERE guild_id = ? AND drama_id = ? GROUP BY score",
            (guild_id, drama_id),
        )
        histogram = [0] * MAX_SCORE
        for score, count in rows:
            histogram[score - 1] = count
        return GuildScore(
            drama_id=drama_id,
            count=sum(histogram),
            total=sum(score * count for score, count in rows),
            histogram=tuple(histogram),
        )

    async def top_dramas(
        self,
        guild_id: int,
        limit: int = 10,
        *,
        prior_mean: float = PRIOR_MEAN,
        prior_weight: float = PRIOR_WEIGHT,
        min_votes: int = 1,
    ) -> list[RankedScore]:
        """The guild's chart: up to `limit` dramas with ≥ `min_votes` votes, best first.

        Ranked by the damped mean (prior_weight·prior_mean + Σ scores) / (prior_weight + n): a
        drama with few votes is pulled towards `prior_mean` (default 6.0 bowls, a fixed prior,
        not the guild's mean), `prior_weight` (C, default 5) counting as that many votes. Ties,
        compared exactly: more votes first, then the higher plain mean, then drama id A→Z.
        Raises ValueError for a negative limit/weight or min_votes < 1.
        """
        if limit < 0 or prior_weight < 0 or min_votes < 1:
            raise ValueError("limit and prior_weight must be ≥ 0 and min_votes ≥ 1")
        rows = await self._read(
            "SELECT drama_id, COUNT(*), SUM(score) FROM ratings WHERE guild_id = ?"
            " GROUP BY drama_id HAVING COUNT(*) >= ?",
            (guild_id, min_votes),
        )
        prior = Fraction(prior_mean) * Fraction(prior_weight)

        def key(row: tuple[str, int, int]) -> tuple[Fraction, int, Fraction, str]:
            drama_id, count, total = row
            return (
                -(prior + total) / (Fraction(prior_weight) + count),
                -count,
                -Fraction(total, count),
                drama_id,
            )

        ranked = sorted(((str(d), int(n), int(s)) for d, n, s in rows), key=key)[:limit]
        return [
            RankedScore(
                rank=rank,
                drama_id=drama_id,
                count=count,
                total=total,
                mean=total / count,
                weighted_mean=bayesian_mean(total, count, prior_mean, prior_weight),
            )
            for rank, (drama_id, count, total) in enumerate(ranked, start=1)
        ]

    # -- prompts ----------------------------------------------------------------------------

    async def add_prompt(
        self,
        message_id: int,
        guild_id: int,
        channel_id: int,
        drama_id: str,
        created_at: dt.datetime | None = None,
    ) -> RatingPrompt:
        """Remember a posted "Rate <title>" message as a rating prompt; committed on return.

        `created_at` (aware; default now) is what `prompts_since` filters on. Adding the same
        message again keeps the first record. Returns the stored prompt. Raises ValueError for
        a naive `created_at`.
        """
        stamp = _timestamp(created_at or self._clock())

        async def apply(db: aiosqlite.Connection) -> RatingPrompt:
            await db.execute(
                f"INSERT INTO rating_prompts ({_PROMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (message_id) DO NOTHING",
                (message_id, guild_id, channel_id, drama_id, stamp),
            )
            rows = await db.execute_fetchall(
                f"SELECT {_PROMPT_COLUMNS} FROM rating_prompts WHERE message_id = ?", (message_id,)
            )
            return _prompt(next(iter(rows)))

        return await self._submit(_Write(self._future(), apply=apply))

    async def prompt(self, message_id: int) -> RatingPrompt | None:
        """The rating prompt posted as this message, or None (not a prompt, or forgotten)."""
        rows = await self._read(f"SELECT {_PROMPT_COLUMNS} FROM rating_prompts WHERE message_id = ?", (message_id,))
        return _prompt(rows[0]) if rows else None

    async def prompts_since(self, cutoff: dt.datetime) -> list[RatingPrompt]:
        """Every guild's prompts created at or after `cutoff` (aware), oldest first.

        Raises ValueError for a naive `cutoff`.
        """
        rows = await self._read(
            f"SELECT {_PROMPT_COLUMNS} FROM rating_prompts WHERE created_at >= ? ORDER BY created_at, message_id",
            (_timestamp(cutoff),),
        )
        return [_prompt(row) for row in rows]

    async def delete_prompt(self, message_id: int) -> bool:
        """Forget a prompt (its message was deleted). Votes cast through it stay, without source.

        Returns True if it was a prompt.
        """

        async def apply(db: aiosqlite.Connection) -> bool:
            cursor = await db.execute("DELETE FROM rating_prompts WHERE message_id = ?", (message_id,))
            return cursor.rowcount > 0

        return await self._submit(_Write(self._future(), apply=apply))

    async def seen_keycaps(self, message_id: int) -> dict[int, frozenset[int]]:
        """The keycaps the store last saw on a prompt: user id → scores (1..10); members without any absent."""
        rows = await self._read("SELECT user_id, scores FROM prompt_reactions WHERE message_id = ?", (message_id,))
        return {int(user_id): _unmask(mask) for user_id, mask in rows if mask}

    async def reconcile_prompt(
        self,
        prompt: RatingPrompt,
        reactions: Mapping[int, int | Collection[int]],
        *,
        read_started_at: dt.datetime | None = None,
    ) -> ReconcileResult:
        """Make the votes agree with a prompt's reactions as read back after downtime, atomically.

        Args:
            prompt: the prompt whose reactions were read.
            reactions: every member's keycap scores on it now, user id → scores (see
                `bot.ratings.reactions_by_member`; bots already left out; one int is read as one
                score). A member absent here has no keycap left on the message.
            read_started_at: when the first page of reactions was requested (aware). Live
                events keep flowing while the pages are read; a member whose reactions on this
                prompt, or whose vote, changed at or after this instant is left as the live
                events made it, since the read may predate them. None: nothing happened since.

        The store remembers the keycaps it last saw on each prompt; only the difference is
        applied, as the live events would have: a keycap that disappeared withdraws the vote
        if it was the current one; keycaps that appeared set the vote (the current one if it is
        among them, otherwise the highest, since REST gives no order). Unchanged reactions
        change nothing, so an older keycap cannot undo a later `/rate` or a withdrawal, and
        running it twice changes nothing the second time. A forgotten prompt → all zeros.
        Raises ValueError for a score outside 1..10 or a naive `read_started_at`.
        """
        now = {user_id: _scores_of(scores) for user_id, scores in reactions.items()}
        stamp = _timestamp(self._clock())
        cutoff = None if read_started_at is None else _timestamp(read_started_at)
        message_id, guild_id, drama_id = prompt.message_id, prompt.guild_id, prompt.drama_id

        async def apply(db: aiosqlite.Connection) -> ReconcileResult:
            if not await db.execute_fetchall("SELECT 1 FROM rating_prompts WHERE message_id = ?", (message_id,)):
                return ReconcileResult()
            seen: dict[int, tuple[frozenset[int], str]] = {
                user_id: (_unmask(mask), updated_at)
                for user_id, mask, updated_at in await db.execute_fetchall(
                    "SELECT user_id, scores, updated_at FROM prompt_reactions WHERE message_id = ?",
                    (message_id,),
                )
            }
            current: dict[int, tuple[int, str]] = {
                user_id: (score, updated_at)
                for user_id, score, updated_at in await db.execute_fetchall(
                    "SELECT user_id, score, updated_at FROM ratings WHERE guild_id = ? AND drama_id = ?",
                    (guild_id, drama_id),
                )
            }
            upserts: list[tuple[Any, ...]] = []
            deletes: list[tuple[Any, ...]] = []
            snapshot: list[tuple[Any, ...]] = []
            added = changed = removed = 0
            for user_id in seen.keys() | now.keys():
                was, seen_at = seen.get(user_id, (frozenset(), ""))
                is_ = now.get(user_id, frozenset())
                before, voted_at = current.get(user_id, (None, ""))
                if was == is_ or (cutoff is not None and max(seen_at, voted_at) >= cutoff):
                    continue
                snapshot.append((message_id, user_id, _mask(is_), stamp))
                after = None if before in was - is_ else before
                appeared = is_ - was
                if appeared and after not in appeared:
                    after = max(appeared)
                if after == before:
                    continue
                if after is None:
                    deletes.append((guild_id, drama_id, user_id))
                    removed += 1
                else:
                    upserts.append((guild_id, drama_id, user_id, after, stamp, message_id))
                    added, changed = (added + 1, changed) if before is None else (added, changed + 1)
            await db.executemany("DELETE FROM ratings WHERE guild_id = ? AND drama_id = ? AND user_id = ?", deletes)
            await db.executemany(_UPSERT_VOTE, upserts)
            await db.executemany(
                "INSERT INTO prompt_reactions (message_id, user_id, scores, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (message_id, user_id) DO UPDATE SET"
                " scores = excluded.scores, updated_at = excluded.updated_at",
                snapshot,
            )
            return ReconcileResult(added, changed, removed)

        return await self._submit(_Write(self._future(), apply=apply))

    # -- plumbing ---------------------------------------------------------------------------

    def _future(self) -> asyncio.Future[Any]:
        if self._closed:
            raise StorageError("storage is closed")
        return asyncio.get_running_loop().create_future()

    async def _read(self, sql: str, parameters: Iterable[Any] = ()) -> list[Any]:
        if self._closed:
            raise StorageError("storage is closed")
        # Under the lock so a read never sees the writer's half-applied batch.
        async with self._lock:
            return list(await self._db.execute_fetchall(sql, tuple(parameters)))

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
        votes: list[tuple[Any, ...]] = []

        async def flush_votes() -> None:
            # Consecutive votes go in one executemany; order with other writes is kept.
            await db.executemany(_UPSERT_VOTE, votes)
            seen = [(v[5], v[2], v[3], v[4]) for v in votes if v[5] is not None]
            await db.executemany(_SEEN_ADDED, seen)
            votes.clear()

        for write in batch:
            if write.vote is not None:
                votes.append(write.vote)
                results.append(None)
                continue
            if votes:
                await flush_votes()
            assert write.apply is not None
            results.append(await write.apply(db))
        if votes:
            await flush_votes()
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


async def _migrate(db: aiosqlite.Connection, migrations: list[Migration], path: Path) -> None:
    """Apply the migrations the database lacks, each in its own transaction."""
    (version,) = (await db.execute_fetchall("PRAGMA user_version"))[0]
    if version > len(migrations):
        raise StorageError(
            f"{path}: schema version {version} is newer than this code knows ({len(migrations)});"
            " upgrade the bot or use another DATABASE_PATH"
        )
    for migration in migrations[version:]:
        try:
            await db.executescript(migration_script(migration))
        except BaseException:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            raise
