"""Pure rules for ramen scores: the 1-10 bound, keycap emoji ↔ scores, reactions → votes, the damped mean.

Members rate a drama from 1 to 10 ramen bowls by reacting to a rating prompt with a keycap
(1️⃣ … 9️⃣, 🔟). Discord sends keycaps with or without the U+FE0F variation selector ("1⃣" and
"1️⃣" are the same key), so both spellings map to the same score. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

MIN_SCORE = 1
"""The lowest vote, in ramen bowls."""
MAX_SCORE = 10
"""The highest score, in ramen bowls: a vote is MIN_SCORE..MAX_SCORE, a reviewer's score 0..MAX_SCORE."""
BOWL = "🍜"
"""The ramen bowl: the unit of every score, shown once per bowl (8 → 🍜🍜🍜🍜🍜🍜🍜🍜)."""

VARIATION_SELECTOR = "\ufe0f"
_KEYCAP = "\u20e3"
_TEN = "\U0001f51f"  # 🔟

RATING_EMOJI: tuple[str, ...] = (
    *(f"{digit}{VARIATION_SELECTOR}{_KEYCAP}" for digit in "123456789"),
    _TEN,
)
"""The ten rating reactions in the order the bot adds them: 1️⃣ … 9️⃣ then 🔟 (index + 1 = score)."""

KEYCAP_SCORES: dict[str, int] = {
    spelling: score
    for score, emoji in enumerate(RATING_EMOJI, start=1)
    for spelling in {emoji, emoji.replace(VARIATION_SELECTOR, ""), emoji + VARIATION_SELECTOR}
}
"""Every accepted spelling of a rating keycap → its score 1..10 (with and without U+FE0F)."""

PROMPT_OPEN_DAYS = 30
"""A rating prompt is open for this many days after it is posted: its reactions are re-read after
downtime and its live tally follows `/rate` votes too. Older prompts still count reactions."""

PRIOR_MEAN = 6.0
"""The damped mean's prior, in bowls: a drama with few votes is pulled towards 6.0.

A fixed value rather than the guild's own mean, so the chart's footnote can state it plainly
and one guild's ranking does not shift when an unrelated drama is rated.
"""

PRIOR_WEIGHT = 5
"""How many votes the prior counts as ("minimum votes"): C in (C·m + Σ scores) / (C + n)."""


def score_for_emoji(name: str | None) -> int | None:
    """The score 1..10 for a rating keycap's emoji name, or None for any other emoji (or None).

    `name` is `PartialEmoji.name` as Discord sends it; "1⃣", "1️⃣" → 1, "🔟" → 10. Custom emoji,
    "0️⃣", "#️⃣" and anything else → None.
    """
    if not name:
        return None
    return KEYCAP_SCORES.get(name)


Keycap = tuple[int, int]
"""One keycap reaction as members hold it: (score 1..10, spelling). Spelling 0 is the bot's own
(`RATING_EMOJI`: 1️⃣ … 9️⃣ with U+FE0F, 🔟 without); 1 is the other one ("1⃣", "🔟" + U+FE0F).
Both spellings are one keycap to a member: it is held while either is."""


def keycap(name: str | None) -> Keycap | None:
    """(score, spelling) of a rating keycap's emoji name, or None for any other emoji.

    "7️⃣" → (7, 0), "7⃣" → (7, 1), "🔟" → (10, 0), "🔟️" → (10, 1).
    """
    score = score_for_emoji(name)
    if score is None:
        return None
    return score, 0 if name == RATING_EMOJI[score - 1] else 1


def keycap_name(key: Keycap) -> str:
    """The emoji name Discord knows `key` by (the inverse of `keycap`). Raises ValueError for a bad score."""
    score, spelling = key
    emoji = emoji_for_score(score)
    if not spelling:
        return emoji
    return emoji.replace(VARIATION_SELECTOR, "") if VARIATION_SELECTOR in emoji else emoji + VARIATION_SELECTOR


def scores_held(keycaps: Iterable[Keycap]) -> frozenset[int]:
    """The scores of `keycaps`, spellings merged: what a member holds."""
    return frozenset(score for score, _ in keycaps)


def check_score(score: int) -> int:
    """`score` itself when it is a vote: an int from MIN_SCORE to MAX_SCORE (1..10). Raises ValueError otherwise."""
    if isinstance(score, bool) or not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"score must be an integer from {MIN_SCORE} to {MAX_SCORE}, not {score!r}")
    return score


def emoji_for_score(score: int) -> str:
    """The keycap the bot uses for `score` (1..10), e.g. 8 → "8️⃣". Raises ValueError otherwise."""
    return RATING_EMOJI[check_score(score) - 1]


def bayesian_mean(total: float, count: int, prior_mean: float = PRIOR_MEAN, weight: float = PRIOR_WEIGHT) -> float:
    """The damped mean (weight·prior_mean + total) / (weight + count), in bowls.

    `total` is the sum of the scores and `count` how many there are; with no votes the result is
    the prior. Raises ValueError when `count` or `weight` is negative or both are zero.
    """
    if count < 0 or weight < 0:
        raise ValueError(f"count and weight must not be negative (count={count}, weight={weight})")
    if count + weight == 0:
        raise ValueError("a mean of no votes with no prior weight is undefined")
    return (weight * prior_mean + total) / (weight + count)


def reactions_by_member(
    reactions: Mapping[str, Iterable[int]], bot_user_id: int | None = None
) -> dict[int, frozenset[int]]:
    """Each member's keycap scores on one prompt, from its reactions read back over REST.

    Args:
        reactions: emoji name → the ids of the users who reacted with it (all pages). Emoji that
            are not rating keycaps are ignored; two spellings of one keycap merge.
        bot_user_id: the bot's own id, ignored (it adds all ten). Leave other bots out of
            `reactions` before calling: only the caller knows who they are.

    Returns:
        user id → the non-empty set of scores that member reacted with; members without a
        keycap reaction are absent. This is the shape `Storage.reconcile_prompt` takes.
    """
    scores: dict[int, set[int]] = {}
    for name, user_ids in reactions.items():
        score = score_for_emoji(name)
        if score is None:
            continue
        for user_id in user_ids:
            if user_id != bot_user_id:
                scores.setdefault(user_id, set()).add(score)
    return {user_id: frozenset(found) for user_id, found in scores.items()}


def keycaps_by_member(
    reactions: Mapping[str, Iterable[int]], bot_user_id: int | None = None
) -> dict[int, frozenset[Keycap]]:
    """Like `reactions_by_member`, with spellings kept apart: user id → the (score, spelling)
    keycaps they hold on the prompt (non-empty; members without one absent)."""
    held: dict[int, set[Keycap]] = {}
    for name, user_ids in reactions.items():
        key = keycap(name)
        if key is None:
            continue
        for user_id in user_ids:
            if user_id != bot_user_id:
                held.setdefault(user_id, set()).add(key)
    return {user_id: frozenset(keys) for user_id, keys in held.items()}


def one_decimal(value: float) -> str:
    """`value` to one decimal, halves rounded up as people do by hand: 5.25 → "5.3", 6.75 → "6.8".

    (Python's own formatting rounds exact halves to even, so 21/4 would show as 5.2.)
    """
    return str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
