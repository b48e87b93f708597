"""The /recommend pagers (table `recommend_pagers`, migration 0008): what a Previous/Next button
needs after a restart or on another process sharing the database.

A pager is written once, when /recommend answers with more than one page, and then only read: the
page a button opens is in its custom_id, so paging writes nothing and two processes never disagree
on a page. Retention: `PAGER_RETENTION` (30 days). Older pagers are deleted in the transaction that
writes a new one (an indexed range delete on `created_at`) and are never returned by `pager()`
even before that happens, so an old button answers "no longer kept" the same way on every process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.store.core import Database, parse_timestamp, timestamp
from bot.store.dialect import Tx

PAGER_RETENTION = dt.timedelta(days=30)
"""How long a /recommend reply stays pageable."""

_INSERT = (
    "INSERT INTO recommend_pagers (pager_id, guild_id, owner_id, owner_name, results, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pager_id) DO NOTHING"
)
_PRUNE = "DELETE FROM recommend_pagers WHERE created_at < ?"
_READ = (
    "SELECT pager_id, guild_id, owner_id, owner_name, results, created_at FROM recommend_pagers"
    " WHERE pager_id = ? AND created_at >= ?"
)


@dataclass(frozen=True, slots=True)
class StoredPager:
    """One pager: the interaction id that made it, its guild (None in a DM), who asked (id and the
    display name to refuse others with), the ranked results as `bot.recommend.pages` encoded them
    (JSON text) and when it was made (aware UTC)."""

    pager_id: int
    guild_id: int | None
    owner_id: int
    owner_name: str
    results: str
    created_at: dt.datetime


class PagerStore(Database):
    """The pager area of the store (see `bot.store.Storage`)."""

    def _pager_cutoff(self) -> str:
        return timestamp(self._clock() - PAGER_RETENTION)

    async def save_pager(
        self, pager_id: int, *, guild_id: int | None, owner_id: int, owner_name: str, results: str
    ) -> bool:
        """Keep a new pager (ids are snowflakes; `results` is text, e.g. JSON) and, in the same
        transaction, delete the pagers older than `PAGER_RETENTION`. Returns once committed: True
        if it was written, False if `pager_id` was taken already (the first one stays)."""
        now = self._clock()
        row = (pager_id, guild_id, owner_id, owner_name, results, timestamp(now))
        cutoff = timestamp(now - PAGER_RETENTION)

        async def body(tx: Tx) -> bool:
            await tx.execute(_PRUNE, (cutoff,))
            return (await tx.execute(_INSERT, row)).rowcount == 1

        return bool(await self.transaction(body))

    async def pager(self, pager_id: int) -> StoredPager | None:
        """The pager `pager_id`, or None when there is none or it is older than `PAGER_RETENTION`.

        An id outside a signed 64-bit column (a forged custom_id; snowflakes always fit) is none.
        """
        if not 0 <= pager_id < 2**63:
            return None
        rows = await self.read(_READ, (pager_id, self._pager_cutoff()))
        if not rows:
            return None
        pid, guild_id, owner_id, owner_name, results, created_at = rows[0]
        return StoredPager(
            int(pid),
            None if guild_id is None else int(guild_id),
            int(owner_id),
            str(owner_name),
            str(results),
            parse_timestamp(str(created_at)),
        )

    async def prune_pagers(self) -> int:
        """Delete the pagers older than `PAGER_RETENTION` now (start-up does it); how many went."""

        async def body(tx: Tx) -> int:
            return int((await tx.execute(_PRUNE, (self._pager_cutoff(),))).rowcount)

        return int(await self.transaction(body))
