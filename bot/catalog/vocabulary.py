"""The catalog's words, defined once: /shouldiwatch interests and the words that signal them, the
episode counts that make a short watch, and the genre/tag vocabulary offered by autocomplete.

The interests are the `looking_for` choices of /shouldiwatch (`bot.catalog.verdict` answers them);
`import-review` (`bot.catalog.review_draft`) reads the same interests out of a review.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.catalog.model import Fit, normalize

LOOKING_FOR: dict[str, str] = {
    "action": "Action",
    "humor": "Humor",
    "slow-burn romance": "Slow-burn romance",
    "character growth": "Character growth",
    "short watch": "A short watch",
    "thrills": "Suspense and thrills",
    "tearjerker": "A good cry",
}
"""The interests /shouldiwatch offers (value → label); Discord allows at most 25 choices."""

SHORT_WATCH = "short watch"
"""The interest answered from the episode count alone."""

GENRE_SIGNALS: dict[str, tuple[str, ...]] = {
    "action": ("action", "martial arts", "fight", "military"),
    "humor": ("comedy", "humour", "humor", "sitcom", "rom-com"),
    "slow-burn romance": ("slow-burn", "slow burn", "melodrama", "romance"),
    "character growth": ("character-driven", "coming of age", "life", "healing", "growth"),
    "thrills": ("thriller", "suspense", "mystery", "crime", "horror"),
    "tearjerker": ("tearjerker", "melodrama"),
}
"""Genre and tag words (lowercase, matched as substrings) that signal each interest in a facts-only entry."""

REVIEW_SIGNALS: dict[str, tuple[str, ...]] = {
    "action": ("action",),
    "humor": ("humor", "humour", "comedy", "comedic", "funny", "laughs"),
    "slow-burn romance": ("slow-burn", "slow burn"),
    "character growth": ("character development", "character growth", "emotional growth"),
}
"""Words in a review's Should I Watch section that speak of an interest (`import-review`)."""

SHORT_WATCH_MAX = 12
"""Episodes: up to this many is a short watch (yes)."""
MEDIUM_WATCH_MAX = 16
"""Episodes: up to this many is a medium-length watch (maybe); more is long (no)."""


def watch_length(episodes: int) -> Fit:
    """How well `episodes` episodes suit someone looking for a short watch: ≤ 12 yes, ≤ 16 maybe, else no."""
    if episodes <= SHORT_WATCH_MAX:
        return Fit.YES
    if episodes <= MEDIUM_WATCH_MAX:
        return Fit.MAYBE
    return Fit.NO


def unique_folded(values: Iterable[str]) -> list[str]:
    """First spelling of each value, by `normalize()`, sorted case-insensitively."""
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(normalize(value), value)
    return sorted(seen.values(), key=lambda v: (v.casefold(), v))


def matching_terms(vocabulary: Sequence[str], current: str, limit: int = 25) -> list[str]:
    """Autocomplete helper: entries of `vocabulary` starting with `current`, then containing it.

    Case-insensitive; keeps the vocabulary's order within each group; at most `limit` entries.
    """
    key = current.casefold().strip()
    starts = [v for v in vocabulary if v.casefold().startswith(key)]
    if len(starts) >= limit:
        return starts[:limit]
    contains = [v for v in vocabulary if key in v.casefold() and not v.casefold().startswith(key)]
    return (starts + contains)[:limit]
