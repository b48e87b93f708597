"""The store: every SQL statement of the project, knowing nothing of Discord.

`Storage` is the one object the bot holds: a SQLite file (WAL, `sqlite`) or a PostgreSQL database
(`postgres`, DATABASE_URL), the same numbered migrations (`migrate`), a group-commit write queue
with explicit transactions (`core`), and one area per subject: `votes`, `prompts`, `watch`
(watchlists, up next), `watch_night`, `claims` (work done once across processes),
`taste` (a guild's votes by member) and `pagers` (the /recommend pagers). New areas
(and other backends) are added here.
"""

import sqlite3

import asyncpg

from bot.store.claims import ClaimStore
from bot.store.core import Clock
from bot.store.migrate import Migration, StorageError, load_migrations, migration_script
from bot.store.pagers import PAGER_RETENTION, PagerStore, StoredPager
from bot.store.prompts import PromptStore, RatingPrompt, ReconcileResult
from bot.store.taste import GuildVotes, TasteStore
from bot.store.votes import GuildScore, MemberTaste, RankedScore, Vote, VoteStore
from bot.store.watch import (
    ListedEntry,
    Privacy,
    Queue,
    QueuedTitle,
    RemoveOutcome,
    Watchers,
    Watchlist,
    WatchStore,
)
from bot.store.watch_night import WatchNightStore, WatchParty, WatchPoll

STORAGE_FAILURES: tuple[type[BaseException], ...] = (
    StorageError,
    sqlite3.OperationalError,  # locked past the retries, read-only, disk full, I/O error
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.InsufficientResourcesError,  # disk full, out of memory, too many connections
    asyncpg.exceptions.ReadOnlySQLTransactionError,  # a read-only server, role or database
    OSError,
)
"""What a store call raises when the database itself fails (unreachable, stopped, read-only, full,
damaged), as opposed to a bug: the caller may report it plainly and retry later."""


class Storage(VoteStore, PromptStore, WatchStore, WatchNightStore, ClaimStore, TasteStore, PagerStore):
    """Ratings, rating prompts, watchlists, up next, watch nights, claims, a guild's votes by member and
    the /recommend pagers, on SQLite or PostgreSQL.
    Build it with `Storage.open()`.

    Ids (guild, user, channel, message) are Discord snowflakes as ints; `drama_id` is the
    catalog's slug. Writes return once committed; reads see every write that has returned.
    Use from one event loop. Closing waits for queued writes. A write whose caller is cancelled
    is dropped if its transaction has not started, and commits anyway if it has.
    """


__all__ = [
    "PAGER_RETENTION",
    "STORAGE_FAILURES",
    "Clock",
    "GuildScore",
    "GuildVotes",
    "ListedEntry",
    "MemberTaste",
    "Migration",
    "PagerStore",
    "Privacy",
    "Queue",
    "QueuedTitle",
    "RankedScore",
    "RatingPrompt",
    "ReconcileResult",
    "RemoveOutcome",
    "Storage",
    "StorageError",
    "StoredPager",
    "Vote",
    "WatchParty",
    "WatchPoll",
    "Watchers",
    "Watchlist",
    "load_migrations",
    "migration_script",
]
