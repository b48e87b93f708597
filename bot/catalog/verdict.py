"""`/shouldiwatch looking_for:` answers from evidence: yes, maybe, probably not, or can't tell yet.

Where the facts come from, in order:
    1. The entry's own audience note for that interest (the reviewer's or the project's words) wins.
    2. A short watch is a matter of the episode count (≤ 12 yes, ≤ 16 maybe, more no).
    3. Otherwise the drama's WHOLE genres and tags are looked up in `bot.catalog.vocabulary.SIGNALS`:
       a `yes` term → yes (maybe beside a counter-signal); `maybe` terms → maybe; evidence against
       (`rules_out`, `counter`, `elsewhere`) → probably not; nothing either way → can't tell yet.
       A missing tag is never evidence: "probably not" always names what rules it out.

Only `Drama.tags` are read, never `Drama.spoiler_tags`, so a reason never names a plot-revealing tag.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalog.model import AudienceNote, Drama, Fit, normalize
from bot.catalog.vocabulary import LOOKING_FOR, SHORT_WATCH, SIGNALS, Signals, watch_length

MAX_EVIDENCE = 4
"""At most this many genres/tags are named in one reason."""


@dataclass(frozen=True, slots=True)
class Answer:
    """The verdict for one viewer: fit (yes/maybe/no/unknown), a one-line reason in the project's
    words, and the genres/tags the reason rests on (empty when it rests on a note or the episodes)."""

    looking_for: str
    fit: Fit
    reason: str
    evidence: tuple[str, ...] = ()


def answer(drama: Drama, looking_for: str) -> Answer:
    """Answer "is `drama` good for someone looking for `looking_for`?".

    Args:
        drama: a catalog entry (reviewed or facts-only).
        looking_for: one of the `LOOKING_FOR` keys.
    Returns:
        An `Answer`; `Fit.UNKNOWN` when the catalog holds no evidence either way.
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
    return _from_terms(drama, looking_for, SIGNALS[looking_for])


def profile(drama: Drama) -> dict[Fit, list[str]]:
    """Every `LOOKING_FOR` interest of `drama`, grouped by its answer: {Fit: [interest, …]}, in
    `LOOKING_FOR` order; every Fit is a key (possibly with an empty list). For /shouldiwatch without
    `looking_for` on an entry that has no audience text of its own."""
    grouped: dict[Fit, list[str]] = {fit: [] for fit in Fit}
    for interest in LOOKING_FOR:
        grouped[answer(drama, interest).fit].append(interest)
    return grouped


def _short_watch(drama: Drama) -> Answer:
    if drama.episodes is None:
        return Answer(SHORT_WATCH, Fit.UNKNOWN, "The catalog does not know its episode count yet.")
    n = drama.episodes
    fit = watch_length(n)
    if fit is Fit.YES:
        return Answer(SHORT_WATCH, fit, f"Only {n} episode{'s' if n != 1 else ''}.")
    if fit is Fit.MAYBE:
        return Answer(SHORT_WATCH, fit, f"{n} episodes: a medium-length commitment.")
    return Answer(SHORT_WATCH, fit, f"{n} episodes: a long commitment.")


def _from_terms(drama: Drama, looking_for: str, signals: Signals) -> Answer:
    """The answer from `drama`'s genres and tags alone (see the module docstring for the order)."""
    spelled: dict[str, str] = {}
    for word in (*drama.genres, *drama.tags):
        spelled.setdefault(normalize(word), word)

    def hits(terms: frozenset[str]) -> list[str]:
        return [spelled[key] for key in spelled if key in terms]

    label = LOOKING_FOR[looking_for].lower()
    yes, maybe, out = hits(signals.yes), hits(signals.maybe), hits(signals.rules_out)
    counter, elsewhere, open_ = hits(signals.counter), hits(signals.elsewhere), hits(signals.open)

    def says(fit: Fit, reason: str, *groups: list[str]) -> Answer:
        used = tuple(dict.fromkeys(w for group in groups for w in group))[:MAX_EVIDENCE]
        return Answer(looking_for, fit, reason, used)

    if out:
        if yes:
            return says(Fit.MAYBE, _torn(yes, out), yes, out)
        return says(Fit.NO, f"{_list(out)} {_verb(out, 'rules', 'rule')} it out.", out)
    if yes:
        if counter:
            return says(Fit.MAYBE, _torn(yes, counter), yes, counter)
        return says(Fit.YES, f"Its genres and tags say so: {_list(yes)}.", yes, maybe)
    if maybe:
        return says(Fit.MAYBE, f"Some signs of it ({_list(maybe)}), nothing that settles it.", maybe)
    if counter:
        return says(Fit.NO, f"{_list(counter)} {_verb(counter, 'points', 'point')} the other way.", counter)
    if elsewhere and not open_:
        return says(Fit.NO, f"Its genres and tags point elsewhere ({_list(elsewhere)}), not to {label}.", elsewhere)
    if open_:
        return says(Fit.UNKNOWN, f"It has {_list(open_)}, but nothing says whether it is {label}.", open_)
    return Answer(looking_for, Fit.UNKNOWN, f"Nothing in its genres or tags speaks to {label} either way.")


def _torn(for_: list[str], against: list[str]) -> str:
    """ "X points that way, but Y points the other." with the verbs agreeing."""
    pro, con = _verb(for_, "points", "point"), _verb(against, "points", "point")
    return f"{_list(for_)} {pro} that way, but {_list(against)} {con} the other."


def _verb(words: list[str], one: str, many: str) -> str:
    return one if len(words) == 1 else many


def _list(words: list[str]) -> str:
    """Up to `MAX_EVIDENCE` words as "a, b and c"."""
    shown = words[:MAX_EVIDENCE]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
