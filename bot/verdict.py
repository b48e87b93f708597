"""`/shouldiwatch looking_for:` answers: yes / maybe / probably not, with the reason.

Facts come from the catalog: a reviewed entry's audience notes first; for an entry without a
note for that interest, the answer is drawn from its genres, tags and episode count.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalog import AudienceNote, Drama, Fit

# The choices offered by /shouldiwatch (value -> label); Discord allows at most 25.
LOOKING_FOR: dict[str, str] = {
    "action": "Action",
    "humor": "Humor",
    "slow-burn romance": "Slow-burn romance",
    "character growth": "Character growth",
    "short watch": "A short watch",
    "thrills": "Suspense and thrills",
    "tearjerker": "A good cry",
}

# Genre and tag words (lowercase) that signal each interest in a facts-only entry.
_SIGNALS: dict[str, tuple[str, ...]] = {
    "action": ("action", "martial arts", "fight", "military"),
    "humor": ("comedy", "humour", "humor", "sitcom", "rom-com"),
    "slow-burn romance": ("slow-burn", "slow burn", "melodrama", "romance"),
    "character growth": ("character-driven", "coming of age", "life", "healing", "growth"),
    "thrills": ("thriller", "suspense", "mystery", "crime", "horror"),
    "tearjerker": ("tearjerker", "melodrama"),
}

SHORT_YES, SHORT_MAYBE = 12, 16  # episodes: up to 12 is short, up to 16 is medium


@dataclass(frozen=True, slots=True)
class Answer:
    """The verdict for one viewer: fit (yes/maybe/no) and a one-line reason in the project's words."""

    looking_for: str
    fit: Fit
    reason: str


def answer(drama: Drama, looking_for: str) -> Answer:
    """Answer "is `drama` good for someone looking for `looking_for`?".

    Args:
        drama: a catalog entry (reviewed or facts-only).
        looking_for: one of the `LOOKING_FOR` keys.
    Raises:
        ValueError: `looking_for` is not one of the offered choices.
    """
    if looking_for not in LOOKING_FOR:
        raise ValueError(f"unknown interest {looking_for!r}; expected one of {', '.join(LOOKING_FOR)}")
    note: AudienceNote | None = drama.audience.note(looking_for) if drama.audience else None
    if note is not None:
        return Answer(looking_for, note.fit, note.reason)
    if looking_for == "short watch":
        return _short_watch(drama)
    words = [w.casefold() for w in (*drama.genres, *drama.tags)]
    hits = sorted({w for w in words for signal in _SIGNALS[looking_for] if signal in w})
    label = LOOKING_FOR[looking_for].lower()
    if hits:
        return Answer(looking_for, Fit.YES, f"Its genres and tags point that way: {', '.join(hits[:4])}.")
    if not words:
        return Answer(looking_for, Fit.MAYBE, "The catalog has no genres or tags for it yet, so it's hard to say.")
    return Answer(looking_for, Fit.NO, f"Nothing in its genres or tags suggests {label}.")


def _short_watch(drama: Drama) -> Answer:
    if drama.episodes is None:
        return Answer("short watch", Fit.MAYBE, "The catalog does not know its episode count.")
    n = drama.episodes
    if n <= SHORT_YES:
        return Answer("short watch", Fit.YES, f"Only {n} episodes.")
    if n <= SHORT_MAYBE:
        return Answer("short watch", Fit.MAYBE, f"{n} episodes: a medium-length commitment.")
    return Answer("short watch", Fit.NO, f"{n} episodes: a long commitment.")
