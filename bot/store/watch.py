"""Watchlists, watchlist privacy, the up-next queue and the guild's remover role (issue 14).

Tables from migration 0006: `watchlist_entries` keyed (guild, member, drama), `watch_privacy`
keyed (guild, member), `upnext_entries` keyed (guild, drama) with a `backers` count kept in the
same transaction as `upnext_backings` (guild, drama, member), and `watch_settings` (guild). The
rules (what `/watched` does, who may remove an entry, the queue order) are `bot.watch`'s; this
module reads, applies them inside one transaction and writes. Portable SQL: `?` placeholders,
`ON CONFLICT … DO UPDATE`, no SQLite-only function.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection
from dataclasses import dataclass

from bot.store.core import Database, parse_timestamp, timestamp
from bot.store.dialect import Tx
from bot.watch.errors import QueueError
from bot.watch.upnext import BackOutcome, QueueEntry, add_or_back, may_remove_entry, withdraw_backing
from bot.watch.watchlist import EXCLUDED_FROM_RECOMMEND, Entry, Status, WatchedOutcome, apply_watched

UPSERT_ENTRY = """
    INSERT INTO watchlist_entries (guild_id, user_id, drama_id, status, episode, updated_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (guild_id, user_id, drama_id) DO UPDATE SET
        status = excluded.status, episode = excluded.episode, updated_at = excluded.updated_at
"""
_ENTRY = "SELECT status, episode FROM watchlist_entries WHERE guild_id = ? AND user_id = ? AND drama_id = ?"
UPSERT_PRIVACY = """
    INSERT INTO watch_privacy (guild_id, user_id, list_private, named_in_counts, updated_at)
    VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (guild_id, user_id) DO UPDATE SET
        list_private = excluded.list_private,
        named_in_counts = excluded.named_in_counts,
        updated_at = excluded.updated_at
"""
_PRIVACY = "SELECT list_private, named_in_counts FROM watch_privacy WHERE guild_id = ? AND user_id = ?"
_QUEUE_ENTRY = "SELECT added_by, added_at FROM upnext_entries WHERE guild_id = ? AND drama_id = ?"
_BACKERS = "SELECT user_id FROM upnext_backings WHERE guild_id = ? AND drama_id = ?"
_SET_BACKERS = "UPDATE upnext_entries SET backers = ? WHERE guild_id = ? AND drama_id = ?"
NAMED_LIMIT = 10
"""At most this many opted-in members are named per status beside the counts."""

# The plans below are the ones SQLite picks with no ANALYZE statistics, as in production (the store
# never runs ANALYZE); tests/store/test_watch_store.py checks them on a fresh file.
WATCHER_COUNTS = "SELECT status, COUNT(*) FROM watchlist_entries WHERE guild_id = ? AND drama_id = ? GROUP BY status"
"""Members per status for one drama: a covering search of `watchlist_by_drama` (guild, drama)."""
NAMED_WATCHERS = (
    "SELECT w.status, w.user_id FROM watchlist_entries w JOIN watch_privacy p"
    " ON p.guild_id = w.guild_id AND p.user_id = w.user_id AND p.named_in_counts = 1"
    " WHERE w.guild_id = ? AND w.drama_id = ? AND w.status IN (?, ?)"
)
"""Opted-in members watching or finished one drama: `watchlist_by_drama` (guild, drama, status), then
each member's privacy by primary key. No ORDER BY (sorted in Python): ordering by user_id here makes
SQLite walk the primary key over the guild's whole watchlist to skip a sort (30 ms at 100,000)."""
EXCLUSIONS = (
    "SELECT drama_id, episode FROM watchlist_entries WHERE guild_id = ? AND user_id = ? AND status IN ({marks})"
)
"""A member's dramas in the given statuses: the primary-key range (guild, member). `episode` is read
only so that `watchlist_by_drama` does not cover the query: when it does, SQLite scans that index over
the guild's whole watchlist (about 20 ms at 100,000 entries) instead of the member's range (0.5 ms)."""


@dataclass(frozen=True, slots=True)
class ListedEntry:
    """One line of a member's watchlist: the drama id, its `Entry` and when it last changed (aware UTC)."""

    drama_id: str
    entry: Entry
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Watchlist:
    """A member's watchlist page: `entries` (by status in `Status` order, then newest first) and
    `total`, the number of entries they have here (more than `len(entries)` when cut by the limit)."""

    entries: list[ListedEntry]
    total: int


@dataclass(frozen=True, slots=True)
class Privacy:
    """A member's watchlist privacy in a guild: `list_private` (others may not see the list) and
    `named_in_counts` (they agree to be named beside the counts on /drama). Default: both False."""

    list_private: bool = False
    named_in_counts: bool = False


@dataclass(frozen=True, slots=True)
class Watchers:
    """How many members of a guild are at each status for one drama (every status, 0 when none), and
    the ids of up to `NAMED_LIMIT` opted-in members per status for watching and finished."""

    counts: dict[Status, int]
    named: dict[Status, list[int]]


@dataclass(frozen=True, slots=True)
class QueuedTitle:
    """One line of the up-next queue: 1-based `place`, the drama, who added it and when, the number of backers."""

    place: int
    drama_id: str
    added_by: int
    added_at: dt.datetime
    backers: int


@dataclass(frozen=True, slots=True)
class Queue:
    """The head of a guild's queue in order, whether more titles are queued after it (`more`), and
    which of the shown titles the asking member backs. No total: counting 100,000 entries would
    cost more than the whole command may take."""

    titles: list[QueuedTitle]
    more: bool
    backed_by_member: frozenset[str]


class RemoveOutcome(enum.Enum):
    """What `/upnext remove` did: took the whole entry out, or only withdrew the member's backing."""

    REMOVED = "removed"
    WITHDRAWN = "withdrawn"


class WatchStore(Database):
    """The watch area of the store (see `bot.store.Storage`). Ids are Discord snowflakes as ints."""

    # ------------------------------------------------------------------ watchlists

    async def watch_entry(self, guild_id: int, user_id: int, drama_id: str) -> Entry | None:
        """The member's watchlist entry for the drama here, or None."""
        rows = await self.read(_ENTRY, (guild_id, user_id, drama_id))
        return Entry(Status(rows[0][0]), rows[0][1]) if rows else None

    async def save_watch_entry(self, guild_id: int, user_id: int, drama_id: str, entry: Entry) -> Entry | None:
        """Make `entry` the member's state for the drama (from `bot.watch.watchlist.entry_for_add`);
        returns the previous entry (None if it is new). One transaction, committed on return."""
        stamp = timestamp(self._clock())

        async def apply(db: Tx) -> Entry | None:
            rows = await db.execute_fetchall(_ENTRY, (guild_id, user_id, drama_id))
            row = (guild_id, user_id, drama_id, entry.status.value, entry.episode, stamp)
            await db.execute(UPSERT_ENTRY, row)
            return Entry(Status(rows[0][0]), rows[0][1]) if rows else None

        return await self.transaction(apply)

    async def record_watched(
        self, guild_id: int, user_id: int, drama_id: str, episode: int, episode_count: int | None, title: str
    ) -> WatchedOutcome:
        """`/watched title episode`: read the entry, apply `bot.watch.watchlist.apply_watched`, write it back,
        in one transaction. Raises EpisodeError (nothing written) for an episode out of range."""
        stamp = timestamp(self._clock())

        async def apply(db: Tx) -> WatchedOutcome:
            rows = await db.execute_fetchall(_ENTRY, (guild_id, user_id, drama_id))
            previous = Entry(Status(rows[0][0]), rows[0][1]) if rows else None
            outcome = apply_watched(previous, episode, episode_count, title)
            new = outcome.entry
            await db.execute(UPSERT_ENTRY, (guild_id, user_id, drama_id, new.status.value, new.episode, stamp))
            return outcome

        return await self.transaction(apply)

    async def remove_watch_entry(self, guild_id: int, user_id: int, drama_id: str) -> bool:
        """Take the drama off the member's watchlist; True if it was on it."""

        async def apply(db: Tx) -> bool:
            cursor = await db.execute(
                "DELETE FROM watchlist_entries WHERE guild_id = ? AND user_id = ? AND drama_id = ?",
                (guild_id, user_id, drama_id),
            )
            return cursor.rowcount > 0

        return await self.transaction(apply)

    async def member_watchlist(self, guild_id: int, user_id: int, limit: int = 100) -> Watchlist:
        """The member's watchlist here: up to `limit` entries by status (plan to watch, watching,
        finished, dropped), newest first within one, then drama id; plus how many they have in all."""
        order = " ".join(f"WHEN '{s.value}' THEN {i}" for i, s in enumerate(Status))
        rows, ((total,),) = await self.read_all(
            (
                "SELECT drama_id, status, episode, updated_at FROM watchlist_entries"
                f" WHERE guild_id = ? AND user_id = ? ORDER BY CASE status {order} END, updated_at DESC, drama_id"
                " LIMIT ?",
                (guild_id, user_id, limit),
            ),
            ("SELECT COUNT(*) FROM watchlist_entries WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)),
        )
        entries = [ListedEntry(d, Entry(Status(s), e), parse_timestamp(u)) for d, s, e, u in rows]
        return Watchlist(entries, int(total))

    async def watchers(self, guild_id: int, drama_id: str) -> Watchers:
        """Members per status for the drama here, and up to `NAMED_LIMIT` opted-in members (ids, smallest
        first) for watching and finished. Two reads together, both on the index `watchlist_by_drama`
        (`WATCHER_COUNTS`, `NAMED_WATCHERS`)."""
        counts, named = await self.read_all(
            (WATCHER_COUNTS, (guild_id, drama_id)),
            (NAMED_WATCHERS, (guild_id, drama_id, Status.WATCHING.value, Status.FINISHED.value)),
        )
        by_status = {status: 0 for status in Status}
        for status, count in counts:
            by_status[Status(status)] = int(count)
        names: dict[Status, list[int]] = {Status.WATCHING: [], Status.FINISHED: []}
        for status, user_id in sorted(named, key=lambda row: int(row[1])):
            if len(names[Status(status)]) < NAMED_LIMIT:
                names[Status(status)].append(int(user_id))
        return Watchers(by_status, names)

    async def recommend_exclusions(self, guild_id: int, user_id: int) -> frozenset[str]:
        """Drama ids /recommend leaves out for the member: those they finished or dropped here."""
        statuses = sorted(s.value for s in EXCLUDED_FROM_RECOMMEND)
        marks = ", ".join("?" for _ in statuses)
        rows = await self.read(EXCLUSIONS.format(marks=marks), (guild_id, user_id, *statuses))
        return frozenset(str(d) for d, _episode in rows)

    async def watch_privacy(self, guild_id: int, user_id: int) -> Privacy:
        """The member's privacy here (defaults when never set)."""
        rows = await self.read(_PRIVACY, (guild_id, user_id))
        return Privacy(bool(rows[0][0]), bool(rows[0][1])) if rows else Privacy()

    async def set_watch_privacy(
        self, guild_id: int, user_id: int, *, list_private: bool | None = None, named_in_counts: bool | None = None
    ) -> Privacy:
        """Change the settings given (None: keep); returns the privacy now in force. One transaction."""
        stamp = timestamp(self._clock())

        async def apply(db: Tx) -> Privacy:
            rows = await db.execute_fetchall(_PRIVACY, (guild_id, user_id))
            old = Privacy(bool(rows[0][0]), bool(rows[0][1])) if rows else Privacy()
            new = Privacy(
                old.list_private if list_private is None else list_private,
                old.named_in_counts if named_in_counts is None else named_in_counts,
            )
            await db.execute(
                UPSERT_PRIVACY, (guild_id, user_id, int(new.list_private), int(new.named_in_counts), stamp)
            )
            return new

        return await self.transaction(apply)

    # ------------------------------------------------------------------ up next

    async def upnext_add(
        self, guild_id: int, drama_id: str, user_id: int, title: str
    ) -> tuple[QueueEntry, BackOutcome]:
        """`/upnext add`: queue the title (backed by the member) or add the member's backing, by
        `bot.watch.upnext.add_or_back`, in one transaction. Returns the entry after the change (its
        backers) and what happened. Raises QueueError if the member already backs it."""
        now = self._clock()
        stamp = timestamp(now)

        async def apply(db: Tx) -> tuple[QueueEntry, BackOutcome]:
            existing = await _queue_entry(db, guild_id, drama_id)
            entry, outcome = add_or_back(existing, drama_id, user_id, now, title)
            if outcome is BackOutcome.ADDED:
                await db.execute(
                    "INSERT INTO upnext_entries (guild_id, drama_id, added_by, added_at, backers)"
                    " VALUES (?, ?, ?, ?, 0)",
                    (guild_id, drama_id, user_id, stamp),
                )
            await db.execute(
                "INSERT INTO upnext_backings (guild_id, drama_id, user_id, backed_at) VALUES (?, ?, ?, ?)",
                (guild_id, drama_id, user_id, stamp),
            )
            await db.execute(_SET_BACKERS, (entry.backer_count, guild_id, drama_id))
            return entry, outcome

        return await self.transaction(apply)

    async def upnext_remove(
        self,
        guild_id: int,
        drama_id: str,
        user_id: int,
        *,
        manages_guild: bool,
        role_ids: Collection[int],
        title: str,
    ) -> RemoveOutcome:
        """`/upnext remove`: the whole entry if the member may remove it (`bot.watch.upnext.may_remove_entry`:
        their own, Manage Server, or the guild's remover role); else only their backing. One transaction.

        Raises QueueError: the title is not queued, or the member may not remove it and does not back it.
        """

        async def apply(db: Tx) -> RemoveOutcome:
            entry = await _queue_entry(db, guild_id, drama_id)
            if entry is None:
                raise QueueError(f"{title} is not in up next.")
            role = await db.execute_fetchall(
                "SELECT remover_role_id FROM watch_settings WHERE guild_id = ?", (guild_id,)
            )
            remover_role_id = role[0][0] if role else None
            if may_remove_entry(
                member_id=user_id,
                added_by=entry.added_by,
                manages_guild=manages_guild,
                member_role_ids=role_ids,
                remover_role_id=remover_role_id,
            ):
                await db.execute("DELETE FROM upnext_entries WHERE guild_id = ? AND drama_id = ?", (guild_id, drama_id))
                return RemoveOutcome.REMOVED
            if user_id not in entry.backers:
                raise QueueError(
                    f"Only whoever added {title}, members with Manage Server or the remover role may take it out"
                    " of up next, and you don't back it."
                )
            left = withdraw_backing(entry, user_id, title)
            await db.execute(
                "DELETE FROM upnext_backings WHERE guild_id = ? AND drama_id = ? AND user_id = ?",
                (guild_id, drama_id, user_id),
            )
            await db.execute(_SET_BACKERS, (left.backer_count, guild_id, drama_id))
            return RemoveOutcome.WITHDRAWN

        return await self.transaction(apply)

    async def upnext_queue(self, guild_id: int, user_id: int, limit: int = 10) -> Queue:
        """The first `limit` titles of the guild's queue in order (most backers, then older, then drama
        id: the index `upnext_order`), whether more follow, and which of those the member backs (one
        primary-key lookup per shown title). Both reads together."""
        rows, mine = await self.read_all(
            (
                "SELECT drama_id, added_by, added_at, backers FROM upnext_entries WHERE guild_id = ?"
                " ORDER BY backers DESC, added_at, drama_id LIMIT ?",
                (guild_id, limit + 1),
            ),
            (
                "SELECT drama_id FROM upnext_backings WHERE guild_id = ? AND user_id = ? AND drama_id IN"
                " (SELECT drama_id FROM upnext_entries WHERE guild_id = ?"
                " ORDER BY backers DESC, added_at, drama_id LIMIT ?)",
                (guild_id, user_id, guild_id, limit),
            ),
        )
        titles = [
            QueuedTitle(place, str(d), int(a), parse_timestamp(t), int(n))
            for place, (d, a, t, n) in enumerate(rows[:limit], start=1)
        ]
        return Queue(titles, len(rows) > limit, frozenset(str(d) for (d,) in mine))

    async def remover_role(self, guild_id: int) -> int | None:
        """The role that may remove others' up-next entries here, or None."""
        rows = await self.read("SELECT remover_role_id FROM watch_settings WHERE guild_id = ?", (guild_id,))
        return int(rows[0][0]) if rows and rows[0][0] is not None else None

    async def set_remover_role(self, guild_id: int, role_id: int | None) -> None:
        """Set (or with None, clear) the guild's remover role; committed on return."""
        stamp = timestamp(self._clock())
        await self.write(
            (
                "INSERT INTO watch_settings (guild_id, remover_role_id, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET"
                " remover_role_id = excluded.remover_role_id, updated_at = excluded.updated_at",
                (guild_id, role_id, stamp),
            )
        )


async def _queue_entry(db: Tx, guild_id: int, drama_id: str) -> QueueEntry | None:
    """The guild's queue entry for the drama with its backers, read inside a transaction, or None."""
    rows = await db.execute_fetchall(_QUEUE_ENTRY, (guild_id, drama_id))
    if not rows:
        return None
    backers = await db.execute_fetchall(_BACKERS, (guild_id, drama_id))
    added_by, added_at = rows[0]
    return QueueEntry(drama_id, int(added_by), parse_timestamp(added_at), frozenset(int(u) for (u,) in backers))
