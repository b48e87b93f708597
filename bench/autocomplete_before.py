"""Frozen copy of title autocomplete's ranking before the candidate index (the bench's "old way").

Copied from `Catalog.__init__` / `Catalog.ranked` in bot/catalog/index.py at commit 2790efd; do not
"fix" it: its cost is the point. Per query it scores every name with `fuzz.ratio`
(`process.extract` over all titles, aliases and actor spellings, one per show), adds names sharing
words (a Python `Counter` over word postings), then scores every candidate with four scorers.
`BeforeSearch(catalog).ranked(query, limit, cutoff)` answers like `Catalog.ranked` did:
(label, drama id, score) best first, one per drama.
"""

from __future__ import annotations

import bisect
from collections import Counter

from rapidfuzz import fuzz, process

from bot.catalog.actors import actors_of
from bot.catalog.index import Catalog
from bot.catalog.model import Drama, normalize

MAX_WORD_CANDIDATES = 250
PREFIX_WEIGHT, ORDER_WEIGHT, PARTIAL_WEIGHT = 0.95, 0.95, 0.85


def compact(key: str) -> str:
    return key.replace(" ", "")


class BeforeSearch:
    """The old ranking over `catalog`'s dramas and actor spellings (built as the old `Catalog` did)."""

    def __init__(self, catalog: Catalog) -> None:
        self._by_id = {d.id: d for d in catalog}
        by_name: dict[str, list[str]] = {}
        choices: list[tuple[str, str, str]] = []
        for drama in catalog:
            for name in dict.fromkeys(drama.names):
                same = by_name.setdefault(normalize(name), [])
                if drama.id not in same:
                    same.append(drama.id)
                choices.append((name, drama.id, ""))
        for drama in catalog:
            for actor in actors_of(drama):
                canonical = catalog.actors.canonical(actor)
                choices.extend((s, drama.id, canonical) for s in catalog.actors.spellings(actor))
        self._choices = choices
        self._choice_keys = [normalize(name) for name, _, _ in choices]
        self._sorted_keys = sorted((compact(k), i) for i, k in enumerate(self._choice_keys))
        self._word_index: dict[str, list[int]] = {}
        for i, k in enumerate(self._choice_keys):
            for word in dict.fromkeys(k.split()):
                self._word_index.setdefault(word, []).append(i)
        self._sorted_words = sorted(self._word_index)
        self._repeated = {name for name, _, actor in choices if not actor and len(by_name[normalize(name)]) > 1}

    def ranked(self, query: str, *, limit: int = 25, cutoff: float = 0) -> list[tuple[str, str, float]]:
        key = normalize(query)
        tight = compact(key)
        if not key:
            return []
        prefix: set[int] = set()
        start = bisect.bisect_left(self._sorted_keys, (tight, -1))
        for name_key, index in self._sorted_keys[start:]:
            if not name_key.startswith(tight) or len(prefix) >= limit * 2:
                break
            prefix.add(index)
        candidates = dict.fromkeys(sorted(prefix))
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
        label = f"{name} ({drama.year})" if name in self._repeated and drama.year else name
        return label if len(label) <= 100 else label[:99] + "…"
