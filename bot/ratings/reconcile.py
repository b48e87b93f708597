"""Reconciliation after downtime, as a pure diff: what a prompt's reactions read back from Discord
change in the votes, given the keycaps the store last saw. No I/O; `bot.store` applies the result.

The rule is the live listeners' rule, applied to what changed while the bot was away: a keycap
that disappeared withdraws the vote if it was the current one; keycaps that appeared set the vote
(the current one if it is among them, otherwise the highest, since REST gives no order).
Unchanged reactions change nothing, so an older keycap cannot undo a later `/rate` or a
withdrawal, and reconciling twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KeycapChange:
    """One member whose keycaps on the prompt changed while the bot was away.

    Attributes:
        user_id: the member.
        keycaps: the scores (1..10) they hold on the prompt now: the store remembers these.
        before: their vote before (None: no vote).
        after: their vote after (None: no vote); equal to `before` when only the keycaps changed.
    """

    user_id: int
    keycaps: frozenset[int]
    before: int | None
    after: int | None

    @property
    def added(self) -> bool:
        """A vote where there was none."""
        return self.before is None and self.after is not None

    @property
    def changed(self) -> bool:
        """A vote with another score."""
        return self.before is not None and self.after is not None and self.before != self.after

    @property
    def removed(self) -> bool:
        """A vote withdrawn."""
        return self.before is not None and self.after is None


def reconcile_changes(
    seen: Mapping[int, frozenset[int]],
    now: Mapping[int, frozenset[int]],
    votes: Mapping[int, int],
    *,
    settled: Collection[int] = (),
) -> list[KeycapChange]:
    """The changes that make the votes agree with a prompt's reactions, by user id.

    Args:
        seen: user id → the keycaps (scores) the store last saw them hold on the prompt.
        now: user id → the keycaps they hold now, as read back (members without any absent).
        votes: user id → their current vote for the prompt's drama in its guild.
        settled: members left alone: their reactions or vote changed live after the read began,
            so the read may predate what the live events already did.

    Returns:
        One `KeycapChange` per member whose keycaps differ from `seen` (and who is not settled),
        ordered by user id.
    """
    changes = []
    for user_id in sorted(seen.keys() | now.keys()):
        was = seen.get(user_id, frozenset())
        is_ = now.get(user_id, frozenset())
        if was == is_ or user_id in settled:
            continue
        before = votes.get(user_id)
        after = None if before in was - is_ else before
        appeared = is_ - was
        if appeared and after not in appeared:
            after = max(appeared)
        changes.append(KeycapChange(user_id, is_, before, after))
    return changes
