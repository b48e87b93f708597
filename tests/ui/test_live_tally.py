"""The live tally's edit scheduler (bot.ui.live_tally.TallyUpdater) on the real event loop, with a short
interval: a burst costs one edit now and one an interval later, the last edit shows the last vote,
a failed edit is retried and never dropped."""

import asyncio

from bot.ui.live_tally import TallyUpdater

INTERVAL = 0.2


class Prompt:
    """A prompt whose current vote count the edit reads when it runs (as the cog reads the store)."""

    def __init__(self, fail_first: int = 0) -> None:
        self.votes = 0
        self.shown: list[int] = []
        self.started: list[float] = []
        self.fail_first = fail_first

    async def edit(self, message_id: int) -> None:
        loop = asyncio.get_running_loop()
        self.started.append(loop.time())
        seen = self.votes
        await asyncio.sleep(0.01)  # the HTTP request; votes may land meanwhile
        if self.fail_first:
            self.fail_first -= 1
            raise RuntimeError("429 Too Many Requests")
        self.shown.append(seen)


async def burst(updater: TallyUpdater, prompt: Prompt, votes: int, spacing: float = 0.0) -> None:
    for _ in range(votes):
        prompt.votes += 1
        updater.changed(1)
        await asyncio.sleep(spacing)


async def test_a_burst_of_50_gives_one_edit_now_and_one_after_the_interval_showing_all_50():
    prompt = Prompt()
    updater = TallyUpdater(prompt.edit, INTERVAL, asyncio.get_running_loop().time)
    await burst(updater, prompt, 50)
    await updater.drain()
    # The first vote is edited at once; the votes after that edit started changed
    # the version after that edit started, so exactly one more edit follows, an interval later.
    assert len(prompt.started) == 2
    assert prompt.started[1] - prompt.started[0] >= INTERVAL - 0.01
    assert prompt.shown[-1] == 50


async def test_votes_spread_over_time_never_edit_faster_than_the_interval():
    prompt = Prompt()
    updater = TallyUpdater(prompt.edit, INTERVAL, asyncio.get_running_loop().time)
    await burst(updater, prompt, 40, spacing=0.02)  # about 0.8 s of votes
    await updater.drain()
    gaps = [b - a for a, b in zip(prompt.started, prompt.started[1:], strict=False)]
    assert all(gap >= INTERVAL - 0.01 for gap in gaps), gaps
    assert len(prompt.started) <= 1 + int(0.8 / INTERVAL) + 2
    assert prompt.shown[-1] == 40  # no lost update


async def test_a_failed_edit_is_retried_after_the_interval_and_the_final_tally_shown():
    prompt = Prompt(fail_first=2)
    updater = TallyUpdater(prompt.edit, INTERVAL, asyncio.get_running_loop().time)
    await burst(updater, prompt, 3)
    await updater.drain()
    assert len(prompt.started) == 3  # two failures, then the edit that worked
    assert prompt.started[2] - prompt.started[0] >= 2 * INTERVAL - 0.02
    assert prompt.shown == [3]


async def test_prompts_are_independent_and_close_cancels_waiting_edits():
    prompt = Prompt()
    updater = TallyUpdater(prompt.edit, 10.0, asyncio.get_running_loop().time)
    updater.changed(1)
    updater.changed(2)
    await asyncio.sleep(0.05)
    assert len(prompt.started) == 2  # each prompt's first edit is immediate
    updater.changed(1)  # due only 10 s later
    assert updater.pending()
    await updater.close()
    assert not updater.pending() and len(prompt.started) == 2
