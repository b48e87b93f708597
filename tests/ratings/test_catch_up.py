"""The catch-up order after a (re)connect: a prompt's re-read before live events on it, events in order."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.ratings.catch_up import CatchUp


@dataclass(frozen=True)
class Prompt:
    message_id: int


class Reads:
    """A re-read that records its calls and finishes when the test says so."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.release: dict[int, asyncio.Event] = {}

    async def __call__(self, prompt: Prompt) -> int:
        self.calls.append(prompt.message_id)
        await self.release.setdefault(prompt.message_id, asyncio.Event()).wait()
        return prompt.message_id * 10


def listing(*ids: int):
    async def list_prompts() -> list[Prompt]:
        return [Prompt(i) for i in ids]

    return list_prompts


async def test_a_live_event_starts_its_prompts_re_read_and_waits_only_for_it():
    reads = Reads()
    catch_up = CatchUp(reads)
    catch_up.open(listing(1, 2))
    applied: list[str] = []

    async def live(message_id: int, what: str) -> None:
        await catch_up.before_live(message_id)
        applied.append(what)

    on_2 = asyncio.create_task(live(2, "on prompt 2"))
    await live(3, "on message 3")  # not a prompt: only the listing is waited for
    await asyncio.sleep(0.01)
    assert reads.calls == [2] and applied == ["on message 3"]  # prompt 2 read first, ahead of prompt 1
    reads.release.setdefault(2, asyncio.Event()).set()
    await on_2
    assert applied == ["on message 3", "on prompt 2"]
    for event in (1, 2):
        reads.release.setdefault(event, asyncio.Event()).set()
    assert await catch_up.run(listing(1, 2)) == [10, 20]  # prompt 2's read is reused, not repeated
    assert reads.calls == [2, 1] and not catch_up.is_open


async def test_events_on_one_message_go_in_arrival_order_even_after_the_read():
    reads = Reads()
    catch_up = CatchUp(reads)
    catch_up.open(listing(1))
    applied: list[str] = []

    async def live(what: str) -> None:
        await catch_up.before_live(1)
        applied.append(what)  # the store call is queued here, synchronously

    first = asyncio.create_task(live("add 7"))
    await asyncio.sleep(0.01)
    reads.release.setdefault(1, asyncio.Event()).set()
    second = asyncio.create_task(live("remove 7"))  # the read is finishing; "add 7" has not gone yet
    await asyncio.gather(first, second)
    assert applied == ["add 7", "remove 7"]


async def test_no_gap_means_no_wait_and_a_stuck_read_holds_events_back_only_so_long():
    reads = Reads()
    catch_up = CatchUp(reads, wait=0.05)
    await catch_up.before_live(1)  # no gap open: nothing to do
    assert reads.calls == []
    catch_up.open(listing(1))
    loop = asyncio.get_running_loop()
    started = loop.time()
    await catch_up.before_live(1)  # the read never finishes: the event goes ahead after `wait`
    assert reads.calls == [1] and 0.05 <= loop.time() - started < 1.0
    catch_up.close()


async def test_a_new_gap_cancels_the_old_reads_and_waiting_events_follow_the_new_one():
    reads = Reads()
    catch_up = CatchUp(reads)
    catch_up.open(listing(1))
    waiting = asyncio.create_task(catch_up.before_live(1))
    await asyncio.sleep(0.01)
    catch_up.open(listing(1))  # the gateway dropped again: read with the new cut-off
    await asyncio.sleep(0.01)
    assert reads.calls == [1, 1] and not waiting.done()
    reads.release[1].set()
    await waiting
