"""Watchlist rules: statuses, episode progress, what `/watched` does, per-status counts, privacy.

An entry is one member's state for one drama in one guild: a `Status` and the episode reached
(`None` when not said). Episode numbers are 1-based; a drama's episode count comes from the
catalog (`Drama.episodes`) and may be unknown (`None`), in which case only positivity is checked.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.watch.errors import EpisodeError, StatusError

# Generous upper bound used when the catalog does not know the episode count (long dailies run to ~200).
MAX_EPISODE_UNKNOWN_COUNT = 10_000


class Status(enum.Enum):
    """Where a member is with a drama. `value` is the storage key, `label` the member-facing words."""

    PLAN_TO_WATCH = "plan_to_watch"
    WATCHING = "watching"
    FINISHED = "finished"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        """Member-facing words, e.g. "plan to watch"."""
        return _LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Status:
        """The status named by a storage key or a label, any case, spaces/underscores/hyphens alike.

        Raises StatusError naming the four statuses for anything else.
        """
        key = "_".join(text.strip().casefold().replace("-", " ").replace("_", " ").split())
        for status in cls:
            if status.value == key:
                return status
        names = ", ".join(f'"{s.label}"' for s in cls)
        raise StatusError(f'"{text}" is not a watchlist status; use one of {names}.')


_LABELS = {
    Status.PLAN_TO_WATCH: "plan to watch",
    Status.WATCHING: "watching",
    Status.FINISHED: "finished",
    Status.DROPPED: "dropped",
}

# /recommend leaves these out for the member (issue 14).
EXCLUDED_FROM_RECOMMEND = frozenset({Status.FINISHED, Status.DROPPED})


@dataclass(frozen=True, slots=True)
class Entry:
    """One member's watchlist state for one drama: `status` and `episode` reached (1-based, or None)."""

    status: Status
    episode: int | None = None


def validate_episode(episode: int, episode_count: int | None, title: str = "this drama") -> int:
    """`episode` if it is a whole number from 1 to `episode_count` (or to 10,000 when the count is unknown).

    `title` only goes into the message. Raises EpisodeError, e.g.
    "Run On has 16 episodes, so episode 17 is not one of them."
    """
    if isinstance(episode, bool) or not isinstance(episode, int):
        raise EpisodeError(f"The episode must be a whole number, not {episode!r}.")
    if episode < 1:
        raise EpisodeError(f"Episodes start at 1, so episode {episode} is not one of them.")
    if episode_count is not None and episode > episode_count:
        noun = "episode" if episode_count == 1 else "episodes"
        raise EpisodeError(f"{title} has {episode_count} {noun}, so episode {episode} is not one of them.")
    if episode_count is None and episode > MAX_EPISODE_UNKNOWN_COUNT:
        raise EpisodeError(f"Episode {episode} is past any drama's length (at most {MAX_EPISODE_UNKNOWN_COUNT}).")
    return episode


def _progress(episode: int, episode_count: int | None) -> Entry:
    """Watching at `episode`, or finished when that is the last episode."""
    if episode_count is not None and episode == episode_count:
        return Entry(Status.FINISHED, episode)
    return Entry(Status.WATCHING, episode)


def entry_for_add(
    status: Status | None, episode: int | None, episode_count: int | None, title: str = "this drama"
) -> Entry:
    """The entry `/watchlist add title [status] [episode]` stores.

    - nothing given → plan to watch;
    - only an episode → watching at it (finished if it is the last);
    - watching [+ episode] → watching (finished if the episode is the last);
    - finished → finished at the last episode when the count is known (an episode, if given, must be it);
    - dropped [+ episode] → dropped where the member stopped;
    - plan to watch + an episode → StatusError (say "watching" instead).
    Raises EpisodeError for an episode out of range (see `validate_episode`).
    """
    if episode is not None:
        validate_episode(episode, episode_count, title)
    if status is None:
        return Entry(Status.PLAN_TO_WATCH) if episode is None else _progress(episode, episode_count)
    if status is Status.PLAN_TO_WATCH and episode is not None:
        raise StatusError(f'"plan to watch" has no episode; add {title} as "watching" to save episode {episode}.')
    if status is Status.WATCHING:
        return Entry(Status.WATCHING) if episode is None else _progress(episode, episode_count)
    if status is Status.FINISHED:
        if episode is not None and episode_count is not None and episode != episode_count:
            raise StatusError(
                f'{title} ends at episode {episode_count}; to save episode {episode}, use the status "watching".'
            )
        return Entry(Status.FINISHED, episode_count if episode_count is not None else episode)
    return Entry(status, episode)


@dataclass(frozen=True, slots=True)
class WatchedOutcome:
    """What `/watched title episode` did: the new `entry`, the `previous` one (None if newly added),
    `finished_now` (this call reached the last episode) and `went_back` (the episode is before the
    one saved, e.g. a correction or a rewatch)."""

    entry: Entry
    previous: Entry | None
    finished_now: bool
    went_back: bool


def apply_watched(
    previous: Entry | None, episode: int, episode_count: int | None, title: str = "this drama"
) -> WatchedOutcome:
    """`/watched title episode`: the member has seen up to `episode`.

    Whatever the previous status (none, plan to watch, watching, dropped, finished - a rewatch),
    the entry becomes watching at `episode`, or finished when `episode == episode_count`.
    Raises EpisodeError for an episode out of range.
    """
    validate_episode(episode, episode_count, title)
    entry = _progress(episode, episode_count)
    was_finished = previous is not None and previous.status is Status.FINISHED
    went_back = previous is not None and previous.episode is not None and episode < previous.episode
    return WatchedOutcome(
        entry=entry,
        previous=previous,
        finished_now=entry.status is Status.FINISHED and not was_finished,
        went_back=went_back,
    )


def status_counts(statuses: Iterable[Status]) -> dict[Status, int]:
    """Members per status for one drama in one guild, every status present (0 when none), in enum order.

    Input: one status per member (e.g. the rows of a `SELECT status` for that drama).
    """
    counted = Counter(statuses)
    return {status: counted.get(status, 0) for status in Status}


def counts_line(counts: Mapping[Status, int]) -> str:
    """Counts as member-facing words, e.g. "3 watching · 1 finished"; statuses at 0 are left out; "" if all 0.

    Only watching and finished are told (issue 14: `/drama` says how many are watching or finished).
    """
    parts = [f"{counts.get(s, 0)} {s.label}" for s in (Status.WATCHING, Status.FINISHED) if counts.get(s, 0)]
    return " · ".join(parts)


def may_view_list(viewer_id: int, owner_id: int, owner_list_private: bool) -> bool:
    """Whether `viewer_id` may see `owner_id`'s watchlist: always their own; another's unless it is private."""
    return viewer_id == owner_id or not owner_list_private
