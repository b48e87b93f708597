"""The server's up-next queue: backing titles, the queue order, and who may remove an entry.

An entry is one drama in one guild's queue with the member who added it, when (an aware datetime,
or any totally ordered timestamp such as Unix seconds), and the set of member ids backing it. Adding a
title backs it; each member backs a title at most once (the store's key is (guild, drama, member)).
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.watch.errors import QueueError


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One title in a guild's up-next queue.

    drama_id: the catalog slug (unique within a guild's queue; also the final tiebreak).
    added_by: member id who first added it. added_at: when (aware datetime or Unix seconds).
    backers: member ids backing it (the adder included, unless they withdrew).
    """

    drama_id: str
    added_by: int
    added_at: datetime | float
    backers: frozenset[int]

    @property
    def backer_count(self) -> int:
        """Number of members backing the title."""
        return len(self.backers)


def queue_order_key(entry: QueueEntry) -> tuple[int, datetime | float, str]:
    """Sort key: most backers first, then the older entry first, then drama_id (A→Z) so ties never flip."""
    return (-entry.backer_count, entry.added_at, entry.drama_id)


def order_queue(entries: Iterable[QueueEntry]) -> list[QueueEntry]:
    """The queue as shown and as polled: by backers (desc), then age (older first), then drama_id."""
    return sorted(entries, key=queue_order_key)


def top_of_queue(entries: Iterable[QueueEntry], n: int = 10) -> list[str]:
    """The drama ids of the first `n` entries in queue order (fewer if the queue is shorter)."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return [entry.drama_id for entry in order_queue(entries)[:n]]


class BackOutcome(enum.Enum):
    """What `/upnext add` did: put a new title in the queue, or add a backer to one already there."""

    ADDED = "added"
    BACKED = "backed"


def add_or_back(
    existing: QueueEntry | None, drama_id: str, member_id: int, now: datetime | float, title: str = "This title"
) -> tuple[QueueEntry, BackOutcome]:
    """`/upnext add title` by `member_id` at `now`.

    existing: the guild's entry for `drama_id`, or None. Returns the new entry and whether it was
    added or backed. Raises QueueError if the member already backs it (one backing per member per title).
    """
    if existing is None:
        return QueueEntry(drama_id, member_id, now, frozenset({member_id})), BackOutcome.ADDED
    if existing.drama_id != drama_id:
        raise ValueError(f"entry is for {existing.drama_id!r}, not {drama_id!r}")
    if member_id in existing.backers:
        raise QueueError(f"You already back {title} in up next; one backing per member per title.")
    return replace(existing, backers=existing.backers | {member_id}), BackOutcome.BACKED


def withdraw_backing(entry: QueueEntry, member_id: int, title: str = "this title") -> QueueEntry:
    """`entry` without `member_id`'s backing (the entry stays even with 0 backers; removal is separate).

    Raises QueueError if the member does not back it.
    """
    if member_id not in entry.backers:
        raise QueueError(f"You don't back {title} in up next, so there is no backing to withdraw.")
    return replace(entry, backers=entry.backers - {member_id})


def may_remove_entry(
    *,
    member_id: int,
    added_by: int,
    manages_guild: bool,
    member_role_ids: Collection[int],
    remover_role_id: int | None,
) -> bool:
    """Whether a member may remove an up-next entry.

    Their own entry (added_by == member_id): always. Another member's: only with the Manage Server
    permission (`manages_guild`, from `Permissions.manage_guild`) or the role an admin set for this
    (`remover_role_id`, None when unset; `member_role_ids` are the member's role ids).
    """
    if member_id == added_by or manages_guild:
        return True
    return remover_role_id is not None and remover_role_id in member_role_ids


def position_of(entries: Sequence[QueueEntry], drama_id: str) -> int | None:
    """1-based place of `drama_id` in queue order, or None if it is not queued."""
    for place, entry in enumerate(order_queue(entries), start=1):
        if entry.drama_id == drama_id:
            return place
    return None
