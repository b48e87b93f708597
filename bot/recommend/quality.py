"""How good a show is said to be (catalog scores damped by the guild's votes) and which of a member's
votes speak for their taste. Pure functions; `bot.recommend.engine` ranks with them."""

from __future__ import annotations

from collections.abc import Iterable

from bot.catalog.model import Drama
from bot.ratings.scores import MAX_SCORE, PRIOR_MEAN, PRIOR_WEIGHT, bayesian_mean

REVIEWER_WEIGHT = 0.6
"""Weight of the reviewer's score in a drama's base quality (the community score has the rest)."""
COMMUNITY_WEIGHT = 0.4
"""Weight of the community score in a drama's base quality."""
QUALITY_PRIOR = PRIOR_MEAN / MAX_SCORE
"""Quality (0..1) of a show with no score from anyone: the ratings prior, 6.0 bowls."""
STAND_IN_MIN_SCORE = 7
"""A member's vote must be at least this (bowls) for the show to stand in for `like`."""
STAND_IN_COUNT = 3
"""At most this many of the member's top-rated shows stand in for `like`."""


def base_quality(drama: Drama) -> float:
    """What the catalog says of `drama`, 0..1: reviewer and community scores, weighted, over those present.

    QUALITY_PRIOR (0.6) when the drama has neither.
    """
    total = weight = 0.0
    if drama.review is not None:
        total += REVIEWER_WEIGHT * drama.review.ramen / MAX_SCORE
        weight += REVIEWER_WEIGHT
    if drama.community_score is not None:
        total += COMMUNITY_WEIGHT * drama.community_score / MAX_SCORE
        weight += COMMUNITY_WEIGHT
    return total / weight if weight else QUALITY_PRIOR


def quality(drama: Drama, server: tuple[float, int] | None = None, *, base: float | None = None) -> float:
    """The quality blend of `drama`, 0..1 (see the module docstring).

    Args:
        server: (plain mean in bowls, votes) in this guild, or None.
        base: `base_quality(drama)` when the caller has it already.
    """
    base = base_quality(drama) if base is None else base
    if server is None or server[1] <= 0:
        return base
    mean, votes = server
    return min(1.0, max(0.0, (PRIOR_WEIGHT * base + votes * mean / MAX_SCORE) / (PRIOR_WEIGHT + votes)))


def best_key(quality_value: float, server: tuple[float, int] | None) -> float:
    """The key of the "best" order (no liked show; "also try"), higher first: this server's votes, then
    the catalog.

    A show this guild rated whose chart score (`bayesian_mean`, the damped mean `/ratings` orders by:
    pulled towards PRIOR_MEAN 6.0 as if PRIOR_WEIGHT more votes of 6) is above PRIOR_MEAN, i.e. that
    the server liked, gets 1 + chart / 10 (> 1, above every catalog-only show), so the server's
    favourites come first, in chart order. Every other show keeps `quality_value` (0..1: the catalog's
    scores, already damped by any votes here). Run On at 8.5 from 2 votes: chart (5·6 + 17) / 7 = 6.71
    → 1.671; a lone 3: chart 5.5, not above 6.0 → its quality.

    Args:
        quality_value: `quality(drama, server)`, 0..1.
        server: (plain mean in bowls, votes) in this guild, or None.
    """
    if server is None or server[1] <= 0:
        return quality_value
    mean, votes = server
    chart = bayesian_mean(mean * votes, votes)
    return 1.0 + chart / MAX_SCORE if chart > PRIOR_MEAN else quality_value


def stand_in_likes(
    votes: Iterable[tuple[str, int]], *, min_score: int = STAND_IN_MIN_SCORE, count: int = STAND_IN_COUNT
) -> list[str]:
    """Drama ids of a member's top-rated shows: score ≥ `min_score`, best first, at most `count`.

    `votes` is (drama id, score) pairs, most recent first; equal scores keep that order.
    """
    good = [(drama_id, score) for drama_id, score in votes if score >= min_score]
    good.sort(key=lambda pair: -pair[1])  # stable: the newest of equal scores first
    return [drama_id for drama_id, _ in good[:count]]


def taste_weights(votes: Iterable[tuple[str, int]]) -> dict[str, float]:
    """drama id → weight of the show in a member's taste profile: how many bowls above the member's own
    mean they rated it; when no vote is above the mean, each show rated ≥ STAND_IN_MIN_SCORE weighs 1.

    >>> taste_weights([("a", 9), ("b", 5), ("c", 7)])
    {'a': 2.0}
    """
    votes = list(votes)
    if not votes:
        return {}
    mean = sum(score for _, score in votes) / len(votes)
    above = {drama_id: score - mean for drama_id, score in votes if score > mean}
    return above or {drama_id: 1.0 for drama_id, score in votes if score >= STAND_IN_MIN_SCORE}
