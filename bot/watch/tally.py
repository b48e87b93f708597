"""The live tally on rating prompts: a one-line histogram, and when to edit the prompt as votes arrive.

Histogram shape (as the ratings store returns it): ten counts, index i = votes for score i + 1
(1..10 bowls).

Edit coalescing: each prompt has an `EditState`. Every acknowledged vote change calls `changed`;
the caller edits when `due_at` says so, brackets the edit with `start_edit` / `finish_edit` (or
`edit_failed`), and asks `due_at` again afterwards. Guarantees, for a minimum interval T per prompt:
  - at most one edit starts per T (a burst of any size gives one edit now and one T later);
  - no lost update: a change that lands while an edit is in flight, or after the last edit
    started, leaves the state due, so the final counts are always edited in;
  - nothing is due while an edit is in flight (edits to one prompt never overlap).
Times are seconds on a monotonic clock (e.g. `time.monotonic()`), passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

SCORES = 10
DEFAULT_MIN_INTERVAL = 5.0  # seconds between edits of one prompt
_BLOCKS = "▁▂▃▄▅▆▇█"
_EMPTY = "·"


def histogram_line(histogram: Sequence[int]) -> str:
    """Ten characters, one per score 1..10: "·" for no votes, else a block ▁..█ scaled to the largest count.

    A score with votes is at least ▁; the largest count is █; in between the height is
    ceil(8 × count / largest) blocks (so a single vote is never shown as none). Raises ValueError
    unless `histogram` is ten whole numbers >= 0. Example: (0, 0, 0, 0, 1, 0, 2, 4, 0, 0) →
    "····▂·▄█··".
    """
    if len(histogram) != SCORES:
        raise ValueError(f"histogram must have {SCORES} counts (scores 1..10), got {len(histogram)}")
    if any(isinstance(c, bool) or not isinstance(c, int) or c < 0 for c in histogram):
        raise ValueError(f"histogram counts must be whole numbers >= 0, got {tuple(histogram)}")
    top = max(histogram)
    if top == 0:
        return _EMPTY * SCORES
    levels = len(_BLOCKS)
    return "".join(_EMPTY if c == 0 else _BLOCKS[-(-levels * c // top) - 1] for c in histogram)


@dataclass(frozen=True, slots=True)
class EditState:
    """Edit bookkeeping for one prompt.

    version: bumped by every change. edited_version: the version the last successful edit showed.
    last_edit_at: when the last edit started (None: never edited). in_flight: the version an edit is
    sending right now, or None.
    """

    version: int = 0
    edited_version: int = 0
    last_edit_at: float | None = None
    in_flight: int | None = None

    @property
    def pending(self) -> bool:
        """True when the prompt shows older counts than the latest change."""
        return self.version != self.edited_version


def changed(state: EditState) -> EditState:
    """The state after one more acknowledged vote change (add, remove or move)."""
    return replace(state, version=state.version + 1)


def due_at(state: EditState, now: float, min_interval: float = DEFAULT_MIN_INTERVAL) -> float | None:
    """When the next edit should start: `now` or a later time, or None (nothing pending, or an edit in flight).

    Due at `last_edit_at + min_interval`, or `now` if that has passed or there was no edit yet.
    After an in-flight edit ends, ask again: a change made during it is still pending.
    """
    if min_interval < 0:
        raise ValueError("min_interval must be >= 0")
    if state.in_flight is not None or not state.pending:
        return None
    if state.last_edit_at is None:
        return now
    return max(now, state.last_edit_at + min_interval)


def start_edit(state: EditState, now: float, min_interval: float = DEFAULT_MIN_INTERVAL) -> EditState:
    """The state once an edit showing the current version starts at `now`.

    Raises ValueError if no edit is due at `now` (nothing pending, one in flight, or too soon):
    calling it anyway would break the one-edit-per-interval promise.
    """
    when = due_at(state, now, min_interval)
    if when is None or when > now:
        raise ValueError(f"no edit is due at {now} (due at {when})")
    return replace(state, last_edit_at=now, in_flight=state.version)


def finish_edit(state: EditState) -> EditState:
    """The state after the in-flight edit succeeded: its version is what the prompt now shows."""
    if state.in_flight is None:
        raise ValueError("no edit is in flight")
    return replace(state, edited_version=state.in_flight, in_flight=None)


def edit_failed(state: EditState) -> EditState:
    """The state after the in-flight edit failed (e.g. 429 or 5xx): still pending, retried at the next `due_at`.

    `last_edit_at` keeps the failed attempt's start, so a retry also waits `min_interval`.
    """
    if state.in_flight is None:
        raise ValueError("no edit is in flight")
    return replace(state, in_flight=None)
