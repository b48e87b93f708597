"""Re-reading rating prompts when the bot may have missed reactions: after a restart or a reconnect,
and after the database failed to store a live one.

`PromptReads` owns the cut-off (`listening_since`) and the catch-up order (`bot.ratings.catch_up`):
from a gap's start until each recent prompt has been re-read, a live event on it waits for its
re-read. A store call that fails because the database itself does (stopped, unreachable, read-only,
full: `bot.store.STORAGE_FAILURES`) opens such a gap from that moment: nothing was acknowledged,
the reactions are still on Discord, and once the database takes writes again every recent prompt is
re-read (`RECOVERY_DELAYS`, retried until it works), so what members did meanwhile is counted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import logging
from typing import Any

import discord

from bot.ratings.catch_up import CatchUp
from bot.ratings.scores import PROMPT_OPEN_DAYS
from bot.store import STORAGE_FAILURES, RatingPrompt
from bot.ui.keycaps import KeycapTidy, reread_prompt

log = logging.getLogger(__name__)

RECONCILE_DAYS = PROMPT_OPEN_DAYS  # prompts older than this are not re-read after downtime
RECOVERY_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
"""Seconds between attempts to catch up after a database failure (the last one repeats)."""


class PromptReads:
    """The cut-off, the catch-up and the recovery after database failures, for the prompts cog."""

    def __init__(self, bot: discord.Client, storage: Any, tidy: KeycapTidy) -> None:
        self.bot, self.storage, self.tidy = bot, storage, tidy
        # Live events stamped at or after this instant win over reconciliation: the cog is loaded
        # before the first connect; a disconnect (or a database failure) moves it.
        self.listening_since = discord.utils.utcnow()
        self.catch_up: CatchUp[RatingPrompt, tuple[int, list[asyncio.Task[None]]]] = CatchUp(self._reread)
        self._failed = False  # a re-read hit a database failure
        self._unstored: dict[int, set[int]] = {}  # message id → members whose live event was not stored
        self._recovery: asyncio.Task[None] | None = None

    def open_gap(self, *, now: bool = True) -> None:
        """Reactions may have been missed from now on (`now`, else since `listening_since`).

        While an earlier gap is still being caught up, the cut-off stays where it was: what members
        did live since then (a `/rate`, a reaction applied) still wins over what the re-read infers.
        """
        if now and not self.catch_up.is_open:
            self.listening_since = discord.utils.utcnow()
        self.catch_up.open(self.recent_prompts)

    async def close(self) -> None:
        """Stopping: no more recovery; waiting live events go ahead (queued before the store closes)."""
        if self._recovery is not None:
            self._recovery.cancel()
        await self.catch_up.release()

    def storage_failed(self, what: str, error: BaseException, message_id: int = 0, user_id: int = 0) -> None:
        """A live event's store call failed because the database did: say so in one line and catch up
        once the database works again (see the module docstring). The member (`user_id`, on
        `message_id`) is re-read as one who did not act live: their last stored action is older."""
        log.warning(
            "%s not stored: the database failed (%s: %s); will re-read the prompts", what, type(error).__name__, error
        )
        if message_id:
            self._unstored.setdefault(message_id, set()).add(user_id)
        if self._recovery is None or self._recovery.done():
            self.open_gap()
            self._recovery = asyncio.create_task(self._recover(), name="ramen-recover")

    async def _recover(self) -> None:
        for attempt in itertools.count():
            await asyncio.sleep(RECOVERY_DELAYS[min(attempt, len(RECOVERY_DELAYS) - 1)])
            if not self.catch_up.is_open:
                self.open_gap(now=False)  # keep the cut-off of the first failure
            self._failed = False
            try:
                await self.reconcile_recent(how="after the database failed")
            except STORAGE_FAILURES:
                self._failed = True
            if not self._failed:
                log.info("the database works again; prompts re-read")
                return

    async def reconcile_recent(self, now: dt.datetime | None = None, *, how: str = "while the bot was away") -> int:
        """Reconcile every prompt of the last `RECONCILE_DAYS` days (those live events already had
        re-read are not read again), then wait for the keycap tidying; returns how many votes changed.
        Raises what listing the prompts raised (a database failure)."""
        results = await self.catch_up.run(lambda: self.recent_prompts(now))
        await asyncio.gather(*(task for _, tidying in results for task in tidying))  # each never raises
        changed = sum(count for count, _ in results)
        if changed:
            log.info("reconciliation: %d votes changed %s", changed, how)
        return changed

    async def recent_prompts(self, now: dt.datetime | None = None) -> list[RatingPrompt]:
        """Prompts of the last `RECONCILE_DAYS` days in guilds on this process's shards, oldest first."""
        shard_count = getattr(self.bot, "shard_count", None)
        shard_ids = getattr(self.bot, "shard_ids", None) or range(shard_count or 0)
        cutoff = (now or discord.utils.utcnow()) - dt.timedelta(days=RECONCILE_DAYS)
        return await self.storage.prompts_since(cutoff, shard_count=shard_count, shard_ids=list(shard_ids))

    async def _reread(self, prompt: RatingPrompt) -> tuple[int, list[asyncio.Task[None]]]:
        """`reconcile_prompt` for the catch-up: never raises; (votes changed, the tidy tasks it started)."""
        try:
            return await self.reconcile_prompt(prompt)
        except discord.HTTPException as exc:
            log.warning("could not re-read the reactions on prompt %s: %s", prompt.message_id, exc)
        except STORAGE_FAILURES as exc:
            self._failed = True
            log.warning("prompt %s not re-read: the database failed (%s)", prompt.message_id, type(exc).__name__)
        except Exception:
            log.exception("reconciling prompt %s failed", prompt.message_id)
        return 0, []

    async def reconcile_prompt(self, prompt: RatingPrompt) -> tuple[int, list[asyncio.Task[None]]]:
        """`bot.ui.keycaps.reread_prompt` with this cut-off: (votes changed, tidy tasks started)."""
        since, waiting, mid = self.listening_since, self.catch_up.waiting, prompt.message_id
        unstored = frozenset(self._unstored.get(mid, ()))
        result = await reread_prompt(self.bot, self.storage, self.tidy, prompt, since, live=waiting, unstored=unstored)
        if mid in self._unstored:  # caught up: those members' actions are in the store now
            self._unstored[mid] -= unstored
            if not self._unstored[mid]:
                del self._unstored[mid]
        return result
