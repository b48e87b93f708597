"""`/shouldiwatch looking_for:` answers: yes / maybe / probably not, with the reason.

Facts come from the catalog: a reviewed entry's audience notes first; for an entry without a
note for that interest, the answer is drawn from its genres, tags and episode count.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalog.model import AudienceNote, Drama, Fit
from bot.catalog.vocabulary import GENRE_SIGNALS, LOOKING_FOR, SHORT_WATCH, watch_length


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
    if looking_for == SHORT_WATCH:
        return _short_watch(drama)
    words = [w.casefold() for w in (*drama.genres, *drama.tags)]
    hits = sorted({w for w in words for signal in GENRE_SIGNALS[looking_for] if signal in w})
    label = LOOKING_FOR[looking_for].lower()
    if hits:
        return Answer(looking_for, Fit.YES, f"Its genres and tags point that way: {', '.join(hits[:4])}.")
    if not words:
        return Answer(looking_for, Fit.MAYBE, "The catalog has no genres or tags for it yet, so it's hard to say.")
    return Answer(looking_for, Fit.NO, f"Nothing in its genres or tags suggests {label}.")


def _short_watch(drama: Drama) -> Answer:
    if drama.episodes is None:
        return Answer(SHORT_WATCH, Fit.MAYBE, "The catalog does not know its episode count.")
    n = drama.episodes
    fit = watch_length(n)
    if fit is Fit.YES:
        return Answer(SHORT_WATCH, fit, f"Only {n} episodes.")
    if fit is Fit.MAYBE:
        return Answer(SHORT_WATCH, fit, f"{n} episodes: a medium-length commitment.")
    return Answer(SHORT_WATCH, fit, f"{n} episodes: a long commitment.")
