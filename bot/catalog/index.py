"""Looking dramas up: by id, by exact title or alias (folded), and typo-tolerant search (rapidfuzz).

`Catalog` is built once from every drama (TOML entries and CSV rows, see `bot.catalog.assemble`)
and answers `/drama`'s title option, autocomplete and "did you mean".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from rapidfuzz import fuzz

from bot.catalog.actors import ActorNames, actors_of
from bot.catalog.model import CatalogError, Drama, normalize
from bot.catalog.title_search import TitleIndex, compact, score

SUGGEST_CUTOFF = 60.0  # rapidfuzz score a "did you mean" suggestion needs
SUGGEST_MARGIN = 12.0  # suggestions stay within this many points of the best one
CHOICE_NAME = 100  # Discord's limit on an autocomplete choice's name (bot.ui.limits.CHOICE_NAME)
HINT_MARGIN = 5.0  # a matched alias is shown beside the title only when it scores this much more
SAME_NAME = 85.0  # an alias this close to the title (`fuzz.ratio`, spacing aside) is no hint ("Hotel Deluna")
MIN_TITLE = 20  # a title cut to fit a hint or an actor keeps at least this many characters


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
        self._title_keys: dict[str, str] = {}  # drama id -> its folded title
        for drama in self._by_id.values():
            self._title_keys[drama.id] = normalize(drama.title)
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
            Up to `limit` (label, drama id) pairs, best first. The label is the show's title, with
            the year added where titles repeat and the alias matched as a hint when it differs
            materially ("Goblin (도깨비)"), at most 100 characters (Discord's choice limit). An
            empty query lists titles alphabetically.
        """
        return [(label, drama_id) for label, drama_id, _ in self.ranked(query, limit=limit, cutoff=cutoff)]

    def ranked(self, query: str, *, limit: int = 25, cutoff: float = 0) -> list[tuple[str, str, float]]:
        """Like `search()`, with each match's score, 0-100 (`bot.catalog.title_search.score`, rapidfuzz).

        The names scored are candidates from `TitleIndex` (built once): names the query starts
        (spacing-insensitive, by bisect), names with a word starting as the last typed word, and
        the names sharing the most character bigrams/trigrams with the query (typos like "rnu on").
        So neither a short title whose words are all in the query nor a mere prefix match outranks
        the show meant; ties go to prefix matches, then to shorter names. An actor's name gives each
        of their shows, labelled "<title> — with <actor>". A name typed in full (spacing aside)
        keeps only that actor's shows and title matches, then actors whose name starts with it;
        other actors (near misses) only when nothing is typed in full. Measured against the old full scan and
        brute-force `extractOne(WRatio)` in bench/bench_autocomplete.py.
        """
        key = normalize(query)
        if not key:  # nothing typed: the reviewed shows, then A to Z (none when a minimum score is asked)
            return [] if cutoff > 0 else [(self._label(d.title, d), d.id, 0.0) for d in self._alphabetical[:limit]]
        hits = self._titles.ranked(key, cutoff=cutoff, prefixes=limit * 2)
        tight = compact(key)
        exact = [kid for kid, _ in hits if compact(self._titles.keys[kid]) == tight]
        # A name typed in full (an actor's or a title's): that actor's shows and the title matches,
        # then actors whose name goes on from what was typed ("Gong Yoo Rim"), no near-miss actors.
        actors = {self._choices[i][2] for kid in exact for i in self._titles.entries_of(kid)} - {""}
        out: list[tuple[str, str, float]] = []
        later: list[tuple[int, float]] = []  # (choice index, score) of actors extending the query
        seen: set[str] = set()
        for kid, found in hits:
            for index in self._titles.entries_of(kid):
                actor = self._choices[index][2]
                if exact and actor and actor not in actors:
                    if compact(self._titles.keys[kid]).startswith(tight):
                        later.append((index, found))
                    continue
                if self._offer(out, seen, index, key, found) == limit:
                    return out
        for index, found in later:
            if self._offer(out, seen, index, key, found) == limit:
                break
        return out

    def _offer(self, out: list[tuple[str, str, float]], seen: set[str], index: int, key: str, found: float) -> int:
        """Append choice `index` (matched with score `found`) to `out` unless its drama is in `seen`;
        returns len(`out`)."""
        name, drama_id, actor = self._choices[index]
        if drama_id not in seen:
            seen.add(drama_id)
            drama = self._by_id[drama_id]
            label = self._actor_label(drama, actor) if actor else self._title_label(drama, name, key, found)
            out.append((label, drama_id, found))
        return len(out)

    def _title_label(self, drama: Drama, alias: str, key: str, found: float) -> str:
        """The show's title (with its year where titles repeat), and the alias matched as a hint only
        when it differs materially: the title scores `HINT_MARGIN` less for `key` and the alias is no
        near-copy of it. "Goblin (도깨비)", "Crash Landing on You (CLOY)"; "SKY Castle" for "sky".
        Within 100 characters: a long title is cut (with "…") before the hint."""
        title_key = self._title_keys[drama.id]
        alias_key = compact(normalize(alias))
        if (
            alias == drama.title
            or float(score(key, [title_key])[0]) >= found - HINT_MARGIN
            or fuzz.ratio(alias_key, compact(title_key)) >= SAME_NAME
        ):
            return self._label(drama.title, drama)
        repeated = drama.title in self._repeated_names and drama.year
        hint = f" ({drama.year}, {alias})" if repeated else f" ({alias})"
        return self._fit(drama.title, hint)

    def _fit(self, title: str, suffix: str) -> str:
        """`title` + `suffix` within 100 characters: the title is cut (with "…") to keep the suffix
        whole while `MIN_TITLE` characters of it remain; past that, the whole label is cut."""
        if len(title) + len(suffix) <= CHOICE_NAME:
            return title + suffix
        room = CHOICE_NAME - len(suffix)
        if room >= MIN_TITLE:
            return title[: room - 1].rstrip() + "…" + suffix
        return (title + suffix)[: CHOICE_NAME - 1] + "…"

    def _actor_label(self, drama: Drama, actor: str) -> str:
        """ "<title> — with <actor>", within 100 characters: a long title is cut (with "…"), not the actor."""
        return self._fit(self._label(drama.title, drama), f" — with {actor}")

    def _label(self, name: str, drama: Drama) -> str:
        repeated = name in self._repeated_names
        label = f"{name} ({drama.year})" if repeated and drama.year else name
        return label if len(label) <= CHOICE_NAME else label[: CHOICE_NAME - 1] + "…"
