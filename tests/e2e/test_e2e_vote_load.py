"""End-to-end load run for issue #11, reduced to fit the suite: `bench/load_votes.py` in each mode.

420 reactions from 204 members across 3 guilds (68 each, every member at least once), with
changes and withdrawals, through the real bot process and the fake Discord: (a) no faults,
(b) kill -9 mid-burst and restart, (c) a RESUME mid-burst, (d) 429/500 on the bot's reaction
calls. The expected final votes come from the sequence the run itself sent (see the bench
module); the goal is 0 lost and 0 wrong, members who changed keycap two or more times while the
bot could not see them counted apart. The full run (1,200 reactions per mode, a printed table)
is `.venv/bin/python bench/load_votes.py`.

Slow but run by default (about 40 s for the four modes); `-m "not slow"` leaves it out.
"""

from __future__ import annotations

import pytest

from bench.load_votes import run_mode
from tests.e2e.support import requires_fake

pytestmark = [requires_fake, pytest.mark.slow]

REACTIONS, MEMBERS, RATE, SEED = 420, 68, 400.0, 11
STALL = 5.0  # seconds: longer than the quiet spell (bench.load_votes.QUIET) the run once relied on


@pytest.mark.parametrize(
    ("mode", "stall"), [("none", 0.0), ("kill", 0.0), ("resume", 0.0), ("faults", 0.0), ("none", STALL)]
)
async def test_load_run_loses_and_corrupts_no_vote(mode, stall, tmp_path):
    """`stall`: the bot frozen for a while at the end of the burst, as on a loaded machine: the run
    waits for the bot to catch up (a condition), never for a quiet spell (a clock)."""
    result = await run_mode(
        mode, reactions=REACTIONS, members=MEMBERS, rate=RATE, seed=SEED, workdir=tmp_path, stall=stall
    )
    assert result.sent == REACTIONS and result.members > 200
    shown = "\n".join(f"  {g} {m}: expected {w}, stored {s} ({h})" for g, m, w, s, h in result.mismatches[:10])
    assert (result.lost, result.wrong) == (0, 0), (
        f"{mode}: {result.sent} reactions, {result.expected} votes expected, {result.stored} stored, "
        f"{result.lost} lost, {result.wrong} wrong, {result.exception_members} exception members\n{shown}"
    )
