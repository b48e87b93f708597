"""The live tally's edit scheduler: each rating prompt is edited as votes arrive, at most once per
interval, and always ends showing the final counts.

The rule is `bot.watch.tally` (pure `EditState`); this class owns the timers. `changed(message_id)`
is called after a vote through that prompt has been committed; the edit callback reads the
*current* counts from the store when it runs (never the ones that triggered it), so a burst of any
size costs one edit at once and one per interval after, and the last edit shows the last vote.
A failed edit (a 429 that discord.py's own retries did not absorb, a 5xx) leaves the prompt due:
it is retried one interval later, never dropped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from bot.watch.tally import DEFAULT_MIN_INTERVAL, EditState, changed, due_at, edit_failed, finish_edit, start_edit

log = logging.getLogger(__name__)

STATES_KEPT = 10_000  # prompts remembered; older idle ones are forgotten (their next vote edits at once)


class TallyUpdater:
    """Coalesces edits per prompt message.

    edit: `await edit(message_id)` shows the prompt's current tally; raises to say the edit failed
    and should be retried (it should swallow what retrying cannot fix, e.g. a deleted message).
    interval: the least time in seconds between two edit starts of one prompt. clock: monotonic seconds.
    """

    def __init__(
        self,
        edit: Callable[[int], Awaitable[None]],
        interval: float = DEFAULT_MIN_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._edit = edit
        self.interval = interval
        self._clock = clock
        self._states: dict[int, EditState] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self.edits = 0  # edits started, for the console and tests

    def changed(self, message_id: int) -> None:
        """A vote through this prompt was committed: its tally is due (now, or when the interval allows)."""
        self._states[message_id] = changed(self._states.get(message_id, EditState()))
        self._schedule(message_id)

    def _schedule(self, message_id: int) -> None:
        if message_id in self._tasks:
            return  # a timer or an edit is under way; it looks again when it ends
        when = due_at(self._states[message_id], self._clock(), self.interval)
        if when is None:
            self._forget_idle()
            return
        self._tasks[message_id] = asyncio.create_task(self._run(message_id, when), name=f"ramen-tally-{message_id}")

    async def _run(self, message_id: int, when: float) -> None:
        try:
            delay = when - self._clock()
            if delay > 0:
                await asyncio.sleep(delay)
            self._states[message_id] = start_edit(self._states[message_id], max(self._clock(), when), self.interval)
            self.edits += 1
            try:
                await self._edit(message_id)
            except Exception as exc:  # retried one interval later: the final state is never dropped
                log.warning("live tally edit of prompt %s failed (%r); retrying", message_id, exc)
                self._states[message_id] = edit_failed(self._states[message_id])
            else:
                self._states[message_id] = finish_edit(self._states[message_id])
        finally:
            self._tasks.pop(message_id, None)
        self._schedule(message_id)  # votes that came during the edit, or a failed edit, are still due

    def _forget_idle(self) -> None:
        if len(self._states) <= STATES_KEPT:
            return
        cutoff = self._clock() - self.interval
        for message_id, state in list(self._states.items()):
            idle = not state.pending and (state.last_edit_at is None or state.last_edit_at < cutoff)
            if idle and message_id not in self._tasks:
                del self._states[message_id]

    def pending(self) -> bool:
        """True while an edit is waiting or running."""
        return bool(self._tasks)

    async def drain(self) -> None:
        """Wait until every due edit has been made (the console and tests use it)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def close(self) -> None:
        """Cancel the waiting and running edits (the bot is stopping)."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()
