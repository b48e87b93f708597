"""Live tally: the histogram line, and the edit-coalescing rule driven through simulated bursts."""

from __future__ import annotations

import heapq

import pytest

from bot.watch.tally import EditState, changed, due_at, edit_failed, finish_edit, histogram_line, start_edit


def test_histogram_line_examples():
    assert histogram_line((0,) * 10) == "··········"
    assert histogram_line((0, 0, 0, 0, 1, 0, 2, 4, 0, 0)) == "····▂·▄█··"  # ceil(8*1/4)=2, ceil(8*2/4)=4, 8
    assert histogram_line((0,) * 9 + (1,)) == "·········█"
    # top 16: counts 1..8 give ceil(c/2) = 1,1,2,2,3,3,4,4 blocks
    assert histogram_line((1, 2, 3, 4, 5, 6, 7, 8, 0, 16)) == "▁▁▂▂▃▃▄▄·█"
    assert histogram_line((1, 100, 0, 0, 0, 0, 0, 0, 0, 0)) == "▁█········"  # one vote is never shown as none


@pytest.mark.parametrize("bad", [(0,) * 9, (0,) * 11, (-1,) + (0,) * 9, (0.5,) + (0,) * 9])
def test_histogram_line_refuses_bad_shapes(bad):
    with pytest.raises(ValueError):
        histogram_line(bad)


def simulate(change_times: list[float], interval: float, edit_seconds: float = 0.0) -> tuple[list, EditState]:
    """Drive the rule the way a cog would: a timer at `due_at`, edits taking `edit_seconds`.

    Returns [(edit start time, version shown)] and the final state.
    """
    state = EditState()
    edits: list[tuple[float, int]] = []
    queue: list[tuple[float, int, str]] = [(t, i, "change") for i, t in enumerate(change_times)]
    heapq.heapify(queue)
    order = len(change_times)
    timer_at: float | None = None
    while queue:
        now, _, kind = heapq.heappop(queue)
        if kind == "change":
            state = changed(state)
        elif kind == "timer":
            timer_at = None
            if due_at(state, now, interval) == now:
                state = start_edit(state, now, interval)
                edits.append((now, state.in_flight))
                order += 1
                heapq.heappush(queue, (now + edit_seconds, order, "finish"))
                continue
        else:
            state = finish_edit(state)
        when = due_at(state, now, interval)
        if when is not None and timer_at is None:
            timer_at = when
            order += 1
            heapq.heappush(queue, (when, order, "timer"))
    return edits, state


def test_burst_within_one_interval_gives_two_edits_and_the_final_state():
    edits, state = simulate([i / 10 for i in range(50)], interval=5.0)  # 50 votes in 0.0..4.9 s
    assert edits == [(0.0, 1), (5.0, 50)]
    assert state.edited_version == 50
    assert not state.pending


def test_change_during_an_edit_is_not_lost():
    edits, state = simulate([0.0, 0.5], interval=5.0, edit_seconds=1.0)
    assert edits == [(0.0, 1), (5.0, 2)]
    assert state.edited_version == 2


def test_sparse_changes_are_edited_at_once():
    edits, _ = simulate([0.0, 10.0, 20.0], interval=5.0)
    assert edits == [(0.0, 1), (10.0, 2), (20.0, 3)]


def test_long_burst_is_one_edit_per_interval():
    edits, state = simulate([k * 0.06 for k in range(1000)], interval=5.0)  # 1000 votes over 59.94 s
    starts = [t for t, _ in edits]
    assert starts == [5.0 * k for k in range(13)]  # 0, 5, …, 55, then 60 for the votes after 55
    assert edits[-1][1] == 1000
    assert state.edited_version == 1000


def test_failed_edit_stays_pending_and_waits_the_interval():
    state = start_edit(changed(EditState()), 0.0, 5.0)
    assert due_at(state, 1.0, 5.0) is None  # in flight
    state = edit_failed(state)
    assert state.pending
    assert due_at(state, 1.0, 5.0) == 5.0
    state = finish_edit(start_edit(state, 5.0, 5.0))
    assert not state.pending
    assert due_at(state, 6.0, 5.0) is None


def test_misuse_is_refused():
    with pytest.raises(ValueError, match="no edit is due"):
        start_edit(EditState(), 0.0)  # nothing pending
    early = finish_edit(start_edit(changed(EditState()), 0.0, 5.0))
    with pytest.raises(ValueError, match=r"due at 5\.0"):
        start_edit(changed(early), 1.0, 5.0)
    with pytest.raises(ValueError, match="no edit is in flight"):
        finish_edit(EditState())
    with pytest.raises(ValueError, match="no edit is in flight"):
        edit_failed(EditState())
