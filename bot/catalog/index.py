"""Looking dramas up: by id, by exact title or alias (folded), and typo-tolerant search (rapidfuzz).

`Catalog` is built once from every drama (TOML entries and CSV rows, see `bot.catalog.assemble`)
and answers `/drama`'s title option, autocomplete and "did you mean".
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from rapidfuzz import fuzz, process

from bot.catalog.actors import ActorNames, actors_of
from bot.catalog.model import CatalogError, Drama, normalize

SUGGEST_CUTOFF = 60.0  # rapidfuzz score a "did you mean" suggestion needs
SUGGEST_MARGIN = 12.0  # suggestions stay within this many points of the best one


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
        for drama in self._by_id.values():
            for name in dict.fromkeys(drama.names):
                key = normalize(name)
                if drama not in self._by_name.get(key, ()):
                    self._by_name.setdefault(key, []).append(drama)
                    self._by_compact.setdefault(compact(key), []).append(drama)
                choices.append((name, drama.id, ""))
        for drama in self._by_id.values():
            for actor in actors_of(drama):
                canonical = self.actors.canonical(actor)
                choices.extend((spelling, drama.id, canonical) for spelling in self.actors.spellings(actor))
        self._choices = choices
        self._choice_keys = [normalize(name) for name, _, _ in choices]
        self._sorted_keys = sorted((compact(k), i) for i, k in enumerate(self._choice_keys))
        self._word_index: dict[str, list[int]] = {}
        for i, k in enumerate(self._choice_keys):
            for word in dict.fromkeys(k.split()):
                self._word_index.setdefault(word, []).append(i)
        self._sorted_words = sorted(self._word_index)
        self._repeated_names = {
            name for name, _, actor in choices if not actor and len(self._by_name[normalize(name)]) > 1
        }
        # With nothing typed yet, autocomplete offers the reviewed shows first, then A to Z.
        self._alphabetical = sorted(
            self._by_id.values(), key=lambda d: (not d.is_reviewed, normalize(d.title), d.year or 0, d.id)
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
        """Like `search()`, with each match's score, 0-100 (`_score`, from rapidfuzz scorers).

        The names scored are candidates: names the query is a prefix of (spacing-insensitive, by
        bisect), the closest names by `fuzz.ratio` over every name (typos like "rnu on"), and names
        sharing the most words with the query (the last word may be a prefix). Each is then scored
        by `_score`, so neither a short title whose words are all in the query nor a mere prefix
        match outranks the show meant; ties go to prefix matches, then to shorter names. Measured
        against brute-force `extractOne(WRatio)` in bench/bench_autocomplete.py.
        """
        key = normalize(query)
        tight = compact(key)
        if not key:  # nothing typed: the reviewed shows, then A to Z (none when a minimum score is asked)
            return [] if cutoff > 0 else [(self._label(d.title, d), d.id, 0.0) for d in self._alphabetical[:limit]]
        prefix: set[int] = set()
        start = bisect.bisect_left(self._sorted_keys, (tight, -1))
        for name_key, index in self._sorted_keys[start:]:  # spacing-insensitive prefix ("hoteldel", "런 온")
            if not name_key.startswith(tight) or len(prefix) >= limit * 2:
                break
            prefix.add(index)
        candidates = dict.fromkeys(sorted(prefix))
        # The cutoff lets rapidfuzz skip most names by their length alone.
        close = process.extract(
            key, self._choice_keys, scorer=fuzz.ratio, processor=None, limit=limit * 2, score_cutoff=max(cutoff, 50)
        )
        for _, _, index in close:
            candidates.setdefault(index)
        for index in self._word_candidates(key):
            candidates.setdefault(index)
        indices = list(candidates)
        scores = self._score(key, indices)
        ranked_hits = sorted(
            ((i, score) for i, score in zip(indices, scores, strict=True) if score >= cutoff),
            key=lambda kv: (-kv[1], kv[0] not in prefix, len(self._choice_keys[kv[0]]), kv[0]),
        )
        out: list[tuple[str, str, float]] = []
        seen: set[str] = set()
        for index, score in ranked_hits:
            name, drama_id, actor = self._choices[index]
            if drama_id in seen:
                continue
            seen.add(drama_id)
            drama = self._by_id[drama_id]
            label = self._label(f"{self._label(drama.title, drama)} — with {actor}" if actor else name, drama)
            out.append((label, drama_id, float(score)))
            if len(out) == limit:
                break
        return out

    def _score(self, key: str, indices: list[int]) -> list[float]:
        """0-100 per candidate name: the best of whole-name similarity (typos), the typed text against
        the name's start (a title still being typed), word order ignored, and a fragment of a longer
        name; the last three count a little less, so the whole name typed with a typo wins."""
        names = [self._choice_keys[i] for i in indices]
        best = [0.0] * len(names)
        starts = [n[: len(key)] for n in names]
        longer = [n if len(n) >= 1.5 * len(key) else "" for n in names]
        for choices, scorer, weight in (
            (names, fuzz.ratio, 1.0),
            (starts, fuzz.ratio, PREFIX_WEIGHT),
            (names, fuzz.token_sort_ratio, ORDER_WEIGHT),
            (longer, fuzz.partial_ratio, PARTIAL_WEIGHT),
        ):
            for _, score, pos in process.extract(key, choices, scorer=scorer, processor=None, limit=None):
                best[pos] = max(best[pos], score * weight)
        return best

    def _word_candidates(self, key: str) -> list[int]:
        """Names sharing the most words with `key` (the last word may be a prefix), at most MAX_WORD_CANDIDATES."""
        words = [w for w in key.split() if len(w) >= 2]
        if not words:
            return []
        hits: Counter[int] = Counter()
        for word in words[:-1]:
            hits.update(self._word_index.get(word, ()))
        last = words[-1]
        i = bisect.bisect_left(self._sorted_words, last)
        expanded: set[int] = set()
        while i < len(self._sorted_words) and self._sorted_words[i].startswith(last):
            expanded.update(self._word_index[self._sorted_words[i]])
            i += 1
        hits.update(expanded)
        return sorted(index for index, _ in hits.most_common(MAX_WORD_CANDIDATES))

    def _label(self, name: str, drama: Drama) -> str:
        repeated = name in self._repeated_names
        label = f"{name} ({drama.year})" if repeated and drama.year else name
        return label if len(label) <= 100 else label[:99] + "…"


def compact(key: str) -> str:
    """A `normalize()`d key without spaces: "Hotel del Luna", "hoteldelluna" and "Hotel-Del Luna" agree."""
    return key.replace(" ", "")


MAX_WORD_CANDIDATES = 250  # names sharing the most words with the query, given to `_score`
PREFIX_WEIGHT = 0.95  # "hospital pl" against "hospital playlist"'s first 11 characters
ORDER_WEIGHT = 0.95  # "playlist hospital"
PARTIAL_WEIGHT = 0.85  # "lonely and great" inside "guardian the lonely and great god"
