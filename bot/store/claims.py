"""Claims: work that must happen once across every process sharing the database.

`claim(kind, key)` inserts the row `(kind, key)` of table `claims` (migration 0005) with
`ON CONFLICT DO NOTHING` and says whether this call inserted it. On PostgreSQL a second process
claiming the same key at the same moment waits on the primary key for the first transaction,
then finds the row (False) — or, if the first rolled back, wins it. On SQLite one process holds
the file, and the IMMEDIATE transaction serializes claimants. With `apply`, the work's own writes
run in the claim's transaction: both commit, or neither (a crash before commit leaves no claim).

Use for "announce a poll result once", "post the weekly digest once": claim, do the Discord
side, and `release` if that failed so another process (or the next start-up) tries again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.store.core import Database, timestamp
from bot.store.dialect import Tx

_CLAIM = "INSERT INTO claims (kind, claim_key, claimed_at) VALUES (?, ?, ?) ON CONFLICT (kind, claim_key) DO NOTHING"


class ClaimStore(Database):
    """The claims area of the store (see `bot.store.Storage`)."""

    async def claim(self, kind: str, key: str, apply: Callable[[Tx], Awaitable[Any]] | None = None) -> bool:
        """Claim `(kind, key)` (e.g. `("watch-poll-result", "<message id>")`); True for exactly one caller
        across every process, until `release`.

        `apply(tx)`, when given, runs in the same transaction only if the claim was won; if it
        raises, the claim is rolled back with it and the error is raised here.
        """
        stamp = timestamp(self._clock())

        async def body(tx: Tx) -> bool:
            won = (await tx.execute(_CLAIM, (kind, key, stamp))).rowcount == 1
            if won and apply is not None:
                await apply(tx)
            return won

        return bool(await self.transaction(body))

    async def release(self, kind: str, key: str) -> bool:
        """Give a claim back (its work could not be done), so the next claimant wins. True if it was held."""

        async def body(tx: Tx) -> bool:
            cursor = await tx.execute("DELETE FROM claims WHERE kind = ? AND claim_key = ?", (kind, key))
            return cursor.rowcount == 1

        return bool(await self.transaction(body))
