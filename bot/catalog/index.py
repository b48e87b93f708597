"""Looking dramas up: by id, by exact title or alias (folded), and typo-tolerant search (rapidfuzz).

`Catalog` is built once from every drama (TOML entries and CSV rows, see `bot.catalog.assemble`)
and answers `/drama`'s title option, autocomplete and "did you mean".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from bot.catalog.actors import ActorNames, actors_of
from bot.catalog.model import CatalogError, Drama, normalize
from bot.catalog.title_search import TitleIndex, compact

SUGGEST_CUTOFF = 60.0  # rapidfuzz score a "did you mean" suggestion needs
SUGGEST_MARGIN = 12.0  # suggestions stay within this many points of the best one
CHOICE_NAME = 100  # Discord's limit on an autocomplete choice's name (bot.ui.limits.CHOICE_NAME)


class UnknownTitle(LookupError):
    """No drama matches `query`; `suggestions` holds the closest titles (best first, maybe empty)."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        self.query, self.suggestions = query, suggestions
        super().__init__(query)


class Catalog:
    """All dramas, looked up by id, by exact title or alias (case/accent-insensitive), or fuzzily."""

    def __init__(self, dramas: Iterable[Drama], actors: ActorNames | None = None) -> None:
        self._by_id: dict[str, Drama] = {}
        for drama in dramas:
            if drama.id in self._by_id:
                other = self._by_id[drama.id].source
                raise CatalogError(drama.source, "id", f"duplicate id {drama.id!r} (also in {other})")
            self._by_id[drama.id] = drama
        self.actors = actors or ActorNames()
        self._by_name: dict[str, list[Drama]] = {}
        self._by_compact: dict[str, list[Drama]] = {}
        # (display name, drama id, actor or ""), one per title or alias, then one per actor spelling and show.
        choices: list[tuple[str, str, str]] = []
        folded: dict[str, str] = {}  # name -> normalize(name), each distinct name folded once
        for drama in self._by_id.values():
            for name in dict.fromkeys(drama.names):
                key = folded[name] = normalize(name)
                same = self._by_name.setdefault(key, [])
                if all(d.id != drama.id for d in same):
                    same.append(drama)
                    self._by_compact.setdefault(compact(key), []).append(drama)
                choices.append((name, drama.id, ""))
        spellings: dict[str, tuple[str, tuple[str, ...]]] = {}  # actor as written -> (canonical, spellings)
        for drama in self._by_id.values():
            for actor in actors_of(drama):
                if actor not in spellings:
                    spellings[actor] = (self.actors.canonical(actor), self.actors.spellings(actor))
                canonical, names = spellings[actor]
                choices.extend((spelling, drama.id, canonical) for spelling in names)
        self._choices = choices
        self._titles = TitleIndex([name for name, _, _ in choices], folded)
        self._repeated_names = {name for name, key in folded.items() if len(self._by_name[key]) > 1}
        # With nothing typed yet, autocomplete offers the reviewed shows first, then A to Z.
        self._alphabetical = sorted(
            self._by_id.values(), key=lambda d: (not d.is_reviewed, folded[d.title], d.year or 0, d.id)
        )

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Drama]:
        return iter(self._by_id.values())

    def get(self, drama_id: str) -> Drama | None:
        """The drama with this id, or None."""
        return self._by_id.get(drama_id)

    def find(self, query: str) -> Drama | None:
        """The drama whose id, title or alias equals `query` after `normalize()`, or None.

        A title shared by several years resolves to the newest unless `query` names the year
        ("Hyena (2020)") or is the id.
        """
        if query in self._by_id:
            return self._by_id[query]
        key = normalize(query)
        matches = self._by_name.get(key) or self._by_compact.get(compact(key))
        if not matches:
            year_match = re.fullmatch(r"(.*?)\s*\(?(\d{4})\)?", query.strip())
            if year_match:
                year = int(year_match.group(2))
                same = [d for d in self._by_name.get(normalize(year_match.group(1)), []) if d.year == year]
                return same[0] if same else None
            return None
        return max(matches, key=lambda d: d.year or 0)

    def resolve(self, query: str) -> Drama:
        """Like `find()`, but raises `UnknownTitle` with up to 3 suggestions when nothing matches."""
        drama = self.find(query)
        if drama is None:
            ranked = self.ranked(query, limit=3, cutoff=SUGGEST_CUTOFF)
            best = ranked[0][2] if ranked else 0.0
            # Suggest titles (an actor match suggests the show's title, not "… — with …").
            titles = [
                self._label(self._by_id[i].title, self._by_id[i])
                for _, i, score in ranked
                if score >= best - SUGGEST_MARGIN
            ]
            raise UnknownTitle(query, titles)
        return drama

    def search(self, query: str, *, limit: int = 25, cutoff: float = 0) -> list[tuple[str, str]]:
        """Typo-tolerant title search for autocomplete and "did you mean".

        Returns:
            Up to `limit` (label, drama id) pairs, best first. The label is the matched title or
            alias, with the year added where titles repeat, at most 100 characters (Discord's
            choice limit). An empty query lists titles alphabetically.
        """
        return [(label, drama_id) for label, drama_id, _ in self.ranked(query, limit=limit, cutoff=cutoff)]

    def ranked(self, query: str, *, limit: int = 25, cutoff: float = 0) -> list[tuple[str, str, float]]:
        """Like `search()`, with each match's score, 0-100 (`bot.catalog.title_search.score`, rapidfuzz).

        The names scored are candidates from `TitleIndex` (built once): names the query starts
        (spacing-insensitive, by bisect), names with a word starting as the last typed word, and
        the names sharing the most character bigrams/trigrams with the query (typos like "rnu on").
        So neither a short title whose words are all in the query nor a mere prefix match outranks
        the show meant; ties go to prefix matches, then to shorter names. An actor's name gives each
        of their shows, labelled "<title> — with <actor>". Measured against the old full scan and
        brute-force `extractOne(WRatio)` in bench/bench_autocomplete.py.
        """
        key = normalize(query)
        if not key:  # nothing typed: the reviewed shows, then A to Z (none when a minimum score is asked)
            return [] if cutoff > 0 else [(self._label(d.title, d), d.id, 0.0) for d in self._alphabetical[:limit]]
        out: list[tuple[str, str, float]] = []
        seen: set[str] = set()
        for kid, score in self._titles.ranked(key, cutoff=cutoff, prefixes=limit * 2):
            for index in self._titles.entries_of(kid):
                name, drama_id, actor = self._choices[index]
                if drama_id in seen:
                    continue
                seen.add(drama_id)
                drama = self._by_id[drama_id]
                out.append((self._actor_label(drama, actor) if actor else self._label(name, drama), drama_id, score))
                if len(out) == limit:
                    return out
        return out

    def _actor_label(self, drama: Drama, actor: str) -> str:
        """ "<title> — with <actor>", within 100 characters: a long title is cut (with "…"), not the actor."""
        suffix = f" — with {actor}"
        title = self._label(drama.title, drama)
        room = CHOICE_NAME - len(suffix)
        if len(title) + len(suffix) <= CHOICE_NAME:
            return title + suffix
        if room >= 20:
            return title[: room - 1].rstrip() + "…" + suffix
        return self._label(title + suffix, drama)

    def _label(self, name: str, drama: Drama) -> str:
        repeated = name in self._repeated_names
        label = f"{name} ({drama.year})" if repeated and drama.year else name
        return label if len(label) <= CHOICE_NAME else label[: CHOICE_NAME - 1] + "…"
