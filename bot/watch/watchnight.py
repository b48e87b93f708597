"""Watch night: which titles go in the poll, the poll's text and duration, and the result from vote counts.

Limits (Discord API "Poll" object; enforced the same way by ../shared/fakediscord/validate.py):
question 1-300 characters, 1-10 answers of 1-55 characters, duration 1-768 hours (32 days).
A watch night needs at least 2 candidates to be a choice. Lengths are UTF-16 units (see `text`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.watch.errors import PollRuleError
from bot.watch.text import clean, shorten, text_length

QUESTION_MAX = 300
ANSWER_MAX = 55
ANSWERS_MAX = 10
CANDIDATES_MIN = 2
DURATION_MIN_HOURS = 1
DURATION_MAX_HOURS = 768
DEFAULT_DURATION_HOURS = 24  # Discord's default when a poll gives none
DEFAULT_QUESTION = "What do we watch next?"

K = TypeVar("K", bound=Hashable)


def choose_candidates(explicit: Sequence[str] | None, queue_top: Sequence[str]) -> list[str]:
    """The drama ids that go in the poll, in answer order.

    explicit: drama ids the member named (already resolved from titles), or None/empty to use
    `queue_top` (the up-next queue in order; see `upnext.top_of_queue`). Duplicates are dropped,
    first place kept. From the queue, the first 10 are taken; named titles over 10 are an error
    (the member chose them, so none is dropped silently). Raises PollRuleError when fewer than 2 remain.
    """
    named = bool(explicit)
    unique = list(dict.fromkeys(explicit if named else queue_top))
    if named and len(unique) > ANSWERS_MAX:
        raise PollRuleError(f"A poll holds at most {ANSWERS_MAX} titles; you named {len(unique)} different ones.")
    unique = unique[:ANSWERS_MAX]
    if len(unique) < CANDIDATES_MIN:
        if named:
            raise PollRuleError("Name at least 2 different titles for a watch night.")
        have = "is empty" if not unique else "has only 1 title"
        raise PollRuleError(f"Up next {have}; add titles with /upnext add or name 2 or more titles.")
    return unique


def _suffixed(text: str, suffix: str) -> str:
    return shorten(text, ANSWER_MAX - text_length(suffix)) + suffix


def poll_answers(titles: Sequence[str], details: Sequence[str | None] | None = None) -> list[str]:
    """Answer texts for the candidate `titles`, in the same order: each ≤ 55 units and all different.

    Each title is shortened readably (see `text.shorten`). details: one short distinguishing word per
    title (the catalog's year, e.g. "2020"), or None. When two answers would read the same (ignoring
    case) - two dramas with the same name, or two long titles with the same start - each that has a
    detail reads "Title (detail)" (cut further to make room), so members can tell Hyena (2020) from
    Hyena (2006); any answer still the same as an earlier one gets " (2)", " (3)", …, skipping any
    number that would clash. Raises PollRuleError for a blank title, more than 10 titles, or
    `details` of another length.
    """
    if len(titles) > ANSWERS_MAX:
        raise PollRuleError(f"A poll holds at most {ANSWERS_MAX} answers, got {len(titles)}.")
    if details is not None and len(details) != len(titles):
        raise PollRuleError(f"{len(details)} details for {len(titles)} titles.")
    shortened = [shorten(title, ANSWER_MAX) for title in titles]
    if not all(shortened):
        raise PollRuleError("A poll answer cannot be blank.")
    readings = Counter(answer.casefold() for answer in shortened)
    answers: list[str] = []
    seen: set[str] = set()
    for index, (title, answer) in enumerate(zip(titles, shortened, strict=True)):
        detail = details[index] if details is not None else None
        if readings[answer.casefold()] > 1 and detail:
            answer = _suffixed(title, f" ({detail})")
        number = 1
        while answer.casefold() in seen:
            number += 1
            answer = _suffixed(title, f" ({number})")
        seen.add(answer.casefold())
        answers.append(answer)
    return answers


def poll_question(text: str | None) -> str:
    """The poll question: `text` cleaned, or "What do we watch next?" when None/blank.

    Raises PollRuleError when longer than 300 units (the member typed it, so it is not cut).
    """
    question = clean(text or "") or DEFAULT_QUESTION
    if text_length(question) > QUESTION_MAX:
        raise PollRuleError(
            f"The poll question is {text_length(question)} characters long; Discord allows {QUESTION_MAX}."
        )
    return question


def validate_duration_hours(hours: int) -> int:
    """`hours` if it is a whole number from 1 to 768 (32 days), else PollRuleError saying the range."""
    if isinstance(hours, bool) or not isinstance(hours, int):
        raise PollRuleError(f"The poll duration must be a whole number of hours, not {hours!r}.")
    if not DURATION_MIN_HOURS <= hours <= DURATION_MAX_HOURS:
        raise PollRuleError(
            f"A poll lasts {DURATION_MIN_HOURS} to {DURATION_MAX_HOURS} hours (32 days); {hours} is outside that."
        )
    return hours


def blocks_new_poll(expires_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether a guild's watch-night poll whose result is not announced yet keeps a new one from
    starting there: one poll per guild at a time, while its voting time has not run out (`expires_at`
    after `now`, both aware UTC). A poll past its time is being announced (or will be at start-up),
    so it no longer blocks."""
    return expires_at > now


def may_end_poll(member_id: int, started_by: int, manages_guild: bool) -> bool:
    """Whether a member may end a watch-night poll early: whoever started it, or a member with Manage Server."""
    return member_id == started_by or manages_guild


class OutcomeKind(enum.Enum):
    """How a poll ended: one answer won, several tied for the most votes, or nobody voted."""

    WINNER = "winner"
    TIE = "tie"
    NO_VOTES = "no_votes"


@dataclass(frozen=True, slots=True)
class PollOutcome(Generic[K]):
    """The result of a poll.

    kind: WINNER, TIE or NO_VOTES. leaders: the answers with the most votes, in answer order (one
    for WINNER, two or more for TIE, empty for NO_VOTES). top_votes: their vote count (0 if none).
    total_votes: votes over all answers (a member on a multiselect poll may count more than once).
    """

    kind: OutcomeKind
    leaders: tuple[K, ...]
    top_votes: int
    total_votes: int

    @property
    def winner(self) -> K | None:
        """The single winning answer, or None for a tie or no votes."""
        return self.leaders[0] if self.kind is OutcomeKind.WINNER else None


def poll_outcome(counts: Sequence[tuple[K, int]]) -> PollOutcome[K]:
    """The outcome from `(answer, vote count)` pairs in answer order.

    answer: anything hashable - an answer id (discord.py `PollAnswer.id`, 1-based), a drama id or the
    text. Source of counts: `PollAnswer.vote_count` on a fetched message once `Poll.is_finalised()`.
    Raises ValueError for a negative count, a non-integer count or a repeated answer.
    """
    seen: set[K] = set()
    for answer, votes in counts:
        if isinstance(votes, bool) or not isinstance(votes, int) or votes < 0:
            raise ValueError(f"vote count for {answer!r} must be a whole number >= 0, got {votes!r}")
        if answer in seen:
            raise ValueError(f"answer {answer!r} appears twice")
        seen.add(answer)
    total = sum(votes for _, votes in counts)
    if total == 0:
        return PollOutcome(OutcomeKind.NO_VOTES, (), 0, 0)
    top = max(votes for _, votes in counts)
    leaders = tuple(answer for answer, votes in counts if votes == top)
    kind = OutcomeKind.WINNER if len(leaders) == 1 else OutcomeKind.TIE
    return PollOutcome(kind, leaders, top, total)
