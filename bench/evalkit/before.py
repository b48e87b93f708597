"""Frozen copies of the judgments as they were before issue #12, kept as baselines ("before").

Once the engine changes, "before" still runs the old rules, so every later run can show the old
figures beside the new ones. Copied from bot/recommend.py and bot/verdict.py at commit 4448854
(branch golden); do not "fix" them: their faults are the point.

* `before_ranker`: TF-IDF cosine over folded genres + tags (binary tf, idf = 1 + ln(N/df)),
  score = 0.7 · cosine + 0.3 · base quality (reviewer 0.6 / community 0.4 over those present, 0.6
  without either), only dramas sharing a term with the seed, ties by folded title.
* `before_verdict`: the reviewer's audience note when present; short watch by episode count
  (≤ 12 yes, ≤ 16 maybe, else no, unknown count → maybe); otherwise a substring match of signal
  words in genres and tags → yes, no genres or tags → maybe, anything else → no.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from bench.evalkit.adapter import Drama, Ranker, normalize

_SIMILARITY_WEIGHT = 0.7
_REVIEWER_WEIGHT, _COMMUNITY_WEIGHT, _QUALITY_PRIOR = 0.6, 0.4, 0.6

_SIGNALS: dict[str, tuple[str, ...]] = {
    "action": ("action", "martial arts", "fight", "military"),
    "humor": ("comedy", "humour", "humor", "sitcom", "rom-com"),
    "slow-burn romance": ("slow-burn", "slow burn", "melodrama", "romance"),
    "character growth": ("character-driven", "coming of age", "life", "healing", "growth"),
    "thrills": ("thriller", "suspense", "mystery", "crime", "horror"),
    "tearjerker": ("tearjerker", "melodrama"),
}


def _base_quality(drama: Drama) -> float:
    total = weight = 0.0
    if drama.review is not None:
        total += _REVIEWER_WEIGHT * drama.review.ramen / 10
        weight += _REVIEWER_WEIGHT
    if drama.community_score is not None:
        total += _COMMUNITY_WEIGHT * drama.community_score / 10
        weight += _COMMUNITY_WEIGHT
    return total / weight if weight else _QUALITY_PRIOR


def before_ranker(dramas: Sequence[Drama]) -> Ranker:
    """The pre-issue-12 "because you like X" ranking over `dramas` (see the module docstring)."""
    terms = [frozenset(normalize(x) for x in (*d.genres, *d.tags)) for d in dramas]
    df: dict[str, int] = {}
    for ts in terms:
        for t in ts:
            df[t] = df.get(t, 0) + 1
    idf = {t: 1.0 + math.log(len(dramas) / k) for t, k in df.items()}
    norm = [math.sqrt(sum(idf[t] ** 2 for t in ts)) for ts in terms]
    quality = [_base_quality(d) for d in dramas]
    titles = [normalize(d.title) for d in dramas]
    index_of = {d.id: i for i, d in enumerate(dramas)}
    postings: dict[str, list[int]] = {}
    for i, ts in enumerate(terms):
        for t in ts:
            postings.setdefault(t, []).append(i)

    def rank(seed: Drama, k: int) -> list[str]:
        s = index_of[seed.id]
        if not norm[s]:
            return []
        dot: dict[int, float] = {}
        for t in terms[s]:
            weight = idf[t] ** 2
            for i in postings[t]:
                dot[i] = dot.get(i, 0.0) + weight
        dot.pop(s, None)
        scored = sorted(
            (-(_SIMILARITY_WEIGHT * d / (norm[i] * norm[s]) + (1 - _SIMILARITY_WEIGHT) * quality[i]), titles[i], i)
            for i, d in dot.items()
        )
        return [dramas[i].id for _, _, i in scored[:k]]

    return rank


def before_verdict(drama: Drama, interest: str) -> str:
    """The pre-issue-12 /shouldiwatch answer as "yes" / "maybe" / "no" (see the module docstring)."""
    notes = drama.audience.notes if drama.audience else ()
    note = next((n for n in notes if n.looking_for.casefold() == interest.casefold()), None)
    if note is not None:
        return str(note.fit.value)
    if interest == "short watch":
        if drama.episodes is None:
            return "maybe"
        return "yes" if drama.episodes <= 12 else "maybe" if drama.episodes <= 16 else "no"
    words = [w.casefold() for w in (*drama.genres, *drama.tags)]
    if any(signal in w for w in words for signal in _SIGNALS[interest]):
        return "yes"
    return "maybe" if not words else "no"
