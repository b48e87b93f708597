"""Catching up after the bot was away: each recent prompt is re-read once before a live event on it
is applied.

A live action always beats what the bot infers about the time it was away, and nothing
acknowledged is lost. Both hold when the inference comes first and the live events are applied on
top, in the order they arrived: a member who added 7️⃣ while the bot was down and takes off their
old 3️⃣ right after it is back keeps 7 (applied the other way round, the removal would withdraw
their vote, and the re-read would then find them "settled" by a live event and leave it withdrawn).

So, while a gap is open (from a (re)connect until every recent prompt has been re-read), a live
keycap event on a prompt that has not been re-read yet waits for that prompt's re-read, which it
starts at once, ahead of the others; it never waits for the whole reconciliation, and events on
other messages do not wait at all. Events on one message keep their order: each waits for the ones
before it (`before_live`). The wait is bounded (`LIVE_WAIT`): a prompt Discord will not let the bot
read does not hold its votes back; the live event is then applied first, as before.

No I/O here: the cog gives the re-read (`reread`, which never raises) and the listing of recent
prompts; this module only orders them. Nothing of Discord is imported.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Protocol, TypeVar

log = logging.getLogger(__name__)

LIVE_WAIT = 15.0
"""Seconds a live event waits at most for its prompt's re-read before it is applied anyway."""


class _Prompt(Protocol):
    message_id: int


P = TypeVar("P", bound=_Prompt)
R = TypeVar("R")


class _Gap(Generic[P, R]):
    """One gap's prompts to re-read (listed once, lazily) and their re-reads (one task each)."""

    def __init__(self, list_prompts: Callable[[], Awaitable[list[P]]], reread: Callable[[P], Awaitable[R]]) -> None:
        self._list_prompts = list_prompts
        self._reread = reread
        self.listing: asyncio.Task[dict[int, P]] | None = None
        self.reads: dict[int, asyncio.Task[R]] = {}

    async def _list(self) -> dict[int, P]:
        return {prompt.message_id: prompt for prompt in await self._list_prompts()}

    def prompts(self) -> asyncio.Task[dict[int, P]]:
        """The listing task (started on first use)."""
        if self.listing is None:
            self.listing = asyncio.create_task(self._list(), name="ramen-catch-up-list")
        return self.listing

    def read(self, prompt: P) -> asyncio.Task[R]:
        """The prompt's re-read task (started on first use, shared by everyone who waits for it)."""
        task = self.reads.get(prompt.message_id)
        if task is None:
            task = asyncio.create_task(self._reread(prompt), name="ramen-catch-up-read")
            self.reads[prompt.message_id] = task
        return task

    def step(self, message_id: int) -> asyncio.Task[Any] | None:
        """What a live event on `message_id` must wait for next, or None when it may be applied."""
        listing = self.prompts()
        if not listing.done():
            return listing
        if listing.cancelled() or listing.exception() is not None:
            return None  # the listing failed (logged by `run`): nothing to wait for
        prompt = listing.result().get(message_id)
        if prompt is None:
            return None  # not a recent prompt
        task = self.read(prompt)
        return None if task.done() else task

    def settled(self, message_id: int) -> bool:
        """Whether a live event on `message_id` may be applied without waiting (nothing started)."""
        listing = self.listing
        if listing is None or not listing.done():
            return False
        if listing.cancelled() or listing.exception() is not None:
            return True
        task = self.reads.get(message_id)
        return message_id not in listing.result() or (task is not None and task.done())

    def cancel(self) -> None:
        for task in (self.listing, *self.reads.values()):
            if task is not None:
                task.cancel()


class CatchUp(Generic[P, R]):
    """The open gap, if any, and the order of live events on each message while it is open.

    Args:
        reread: re-read one prompt and apply what changed while nobody listened; returns its
            result; must not raise (the cog logs Discord's refusals and returns a neutral result).
        wait: seconds a live event waits at most (`LIVE_WAIT`).
    """

    def __init__(self, reread: Callable[[P], Awaitable[R]], *, wait: float = LIVE_WAIT) -> None:
        self._reread = reread
        self.wait = wait
        self._gap: _Gap[P, R] | None = None
        self._tails: dict[int, asyncio.Future[None]] = {}
        self._waiting: dict[int, list[int]] = {}  # message id → users whose events wait, in order

    @property
    def is_open(self) -> bool:
        """Whether a gap is open: some recent prompts may still have to be re-read."""
        return self._gap is not None

    def open(self, list_prompts: Callable[[], Awaitable[list[P]]]) -> None:
        """A gap begins (a connect, or a disconnect): the prompts `list_prompts()` returns (listed when
        first needed) must be re-read before live events on them. Re-reads of an earlier gap are
        cancelled: they used that gap's cut-off."""
        self.close()
        self._gap = _Gap(list_prompts, self._reread)

    def close(self) -> None:
        """Forget the open gap, cancelling its listing and re-reads: waiting events go ahead."""
        gap, self._gap = self._gap, None
        if gap is not None:
            gap.cancel()

    async def release(self) -> None:
        """Stopping: close the gap and return once every waiting live event has gone ahead (its store
        call is queued, so closing the store commits it)."""
        self.close()
        tails = [tail for tail in self._tails.values() if not tail.done()]
        if tails:
            await asyncio.wait(tails)

    def waiting(self, message_id: int) -> frozenset[int]:
        """The users with a live event on `message_id` waiting for its re-read: it will apply their
        latest action, so a re-read does not count their changes as made while nobody listened."""
        return frozenset(self._waiting.get(message_id, ()))

    async def run(self, list_prompts: Callable[[], Awaitable[list[P]]]) -> list[R]:
        """Re-read every prompt of the open gap (opening one with `list_prompts` if none is), oldest
        first, reusing the re-reads live events started; then close the gap.

        Returns the results of the re-reads that finished (a later gap cancels the others).
        Raises whatever listing the prompts raised (the gap is then closed: live events go ahead).
        """
        if self._gap is None:
            self.open(list_prompts)
        gap = self._gap
        assert gap is not None
        results: list[R] = []
        try:
            listing = gap.prompts()
            await asyncio.wait([listing])
            if listing.cancelled():
                return results
            for prompt in listing.result().values():  # raises the listing's error
                task = gap.read(prompt)
                await asyncio.wait([task])
                if not task.cancelled():
                    results.append(task.result())
        finally:
            if self._gap is gap:
                self._gap = None
        return results

    async def before_live(self, message_id: int, user_id: int = 0) -> None:
        """Wait until a live keycap event on `message_id` may be applied: its prompt, if it still has
        to be re-read in the open gap, has been (this starts its re-read), and every earlier live event
        on the same message has gone ahead. Never raises; waits at most `wait` s, then logs.

        Returns with no await at all when nothing has to be waited for, so events keep their order:
        the caller's store call, made right after, is queued before any later event's. `user_id`:
        whose event it is (see `waiting`).
        """
        gap, before = self._gap, self._tails.get(message_id)
        if (before is None or before.done()) and (gap is None or gap.settled(message_id)):
            return
        loop = asyncio.get_running_loop()
        mine: asyncio.Future[None] = loop.create_future()
        self._tails[message_id] = mine
        self._waiting.setdefault(message_id, []).append(user_id)
        deadline = loop.time() + self.wait
        try:
            if before is not None and not before.done():
                await asyncio.wait([before], timeout=self.wait)
            while (gap := self._gap) is not None and (step := gap.step(message_id)) is not None:
                left = deadline - loop.time()
                if left <= 0:
                    log.warning(
                        "prompt %s is not re-read after %.0f s; applying a live reaction first", message_id, self.wait
                    )
                    break
                await asyncio.wait([step], timeout=left)
        finally:
            mine.set_result(None)  # the next event on this message goes once the caller has queued its write
            if self._tails.get(message_id) is mine:
                del self._tails[message_id]
            users = self._waiting[message_id]
            users.remove(user_id)
            if not users:
                del self._waiting[message_id]
