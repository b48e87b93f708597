"""Reconciliation after downtime, as a pure diff: what a prompt's reactions read back from Discord
change in the votes, given the keycaps the store last saw. No I/O; `bot.store` applies the result.

The rule is the live listeners' rule, applied to what changed while nobody was listening: a
keycap that disappeared withdraws the vote if it was the current one and was cast through this
prompt; keycaps that appeared set the vote (the current one if it is among them, otherwise the
highest, since REST gives no order). Unchanged reactions change nothing, so an older keycap
cannot undo a later `/rate` or a withdrawal, and reconciling twice changes nothing the second
time. A member with any live event since the bot started listening again is left to the live
events ("settled"): what they did live always wins. Keycaps are (score, spelling) pairs
(`bot.ratings.scores.Keycap`); both spellings of a score are one keycap for the vote.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.ratings.scores import Keycap, scores_held

NO_KEYCAPS: frozenset[Keycap] = frozenset()


@dataclass(frozen=True, slots=True)
class KeycapChange:
    """One member whose keycaps on the prompt changed while the bot was away.

    Attributes:
        user_id: the member.
        keycaps: the (score, spelling) keycaps they hold on the prompt now: the store remembers these.
        before: their vote before (None: no vote).
        after: their vote after (None: no vote); equal to `before` when only the keycaps changed.
    """

    user_id: int
    keycaps: frozenset[Keycap]
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
    seen: Mapping[int, frozenset[Keycap]],
    now: Mapping[int, frozenset[Keycap]],
    votes: Mapping[int, int],
    *,
    settled: Collection[int] = (),
    elsewhere: Collection[int] = (),
) -> list[KeycapChange]:
    """The changes that make the votes agree with a prompt's reactions, by user id.

    Args:
        seen: user id → the keycaps the store last saw them hold on the prompt.
        now: user id → the keycaps they hold now, as read back (members without any absent).
        votes: user id → their current vote (score) for the prompt's drama in its guild.
        settled: members whose vote is left alone: they acted live since the bot started
            listening again, so the read may predate what the live events already did. Keycaps
            the read shows beyond their snapshot are only added to it (vote unchanged).
        elsewhere: members whose vote came from `/rate` or another prompt: a keycap vanishing
            here never withdraws it (as live, where only this prompt's vote is withdrawn).

    Returns:
        One `KeycapChange` per member whose keycaps differ from `seen` (for a settled member only
        when the read shows more, with the vote unchanged), ordered by user id.
    """
    changes = []
    for user_id in sorted(seen.keys() | now.keys()):
        was = seen.get(user_id, NO_KEYCAPS)
        is_ = now.get(user_id, NO_KEYCAPS)
        before = votes.get(user_id)
        if user_id in settled:
            # Live wins; keycaps the read shows beyond the snapshot are older than the live
            # action (or the same): remember them, so a later gap does not count them as new.
            if not is_ <= was:
                changes.append(KeycapChange(user_id, was | is_, before, before))
            continue
        if was == is_:
            continue
        vanished = scores_held(was) - scores_held(is_)
        after = None if before in vanished and user_id not in elsewhere else before
        appeared = scores_held(is_) - scores_held(was)
        if appeared and after not in appeared:
            after = max(appeared)
        changes.append(KeycapChange(user_id, is_, before, after))
    return changes


def keycaps_to_tidy(
    seen: Mapping[int, frozenset[Keycap]],
    now: Mapping[int, frozenset[Keycap]],
    votes: Mapping[int, int],
    *,
    settled: Collection[int] = (),
    elsewhere: Collection[int] = (),
) -> dict[int, frozenset[int]]:
    """After reconciliation: which keycaps no longer count, as the live listener would have taken them off.

    Args:
        seen: user id → keycaps the store saw before the read (what appeared since is unordered).
        now: user id → keycaps held now, as read back.
        votes: user id → the vote after reconciliation.
        settled: members who acted live since the bot listened again (the live listener tidies them).
        elsewhere: members whose vote came from `/rate` or another prompt (their keycaps here stay).

    Returns:
        user id → the scores to take off (every spelling): only for a member whose vote came from
        this prompt and is among their keycaps, and only where it is certain, i.e. at most one
        keycap appeared while nobody listened (REST does not say which of two came last).
    """
    tidy = {}
    for user_id, keys in now.items():
        held, vote = scores_held(keys), votes.get(user_id)
        if user_id in settled or user_id in elsewhere or vote not in held or len(held) < 2:
            continue
        if len(held - scores_held(seen.get(user_id, NO_KEYCAPS))) > 1:
            continue
        tidy[user_id] = held - {vote}
    return dict(sorted(tidy.items()))
