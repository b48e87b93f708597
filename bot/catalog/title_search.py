"""Title autocomplete's candidate index: which names are worth scoring for a query, found without
scoring every name.

`TitleIndex` is built once from every name members may type (titles, aliases, actor spellings; one
entry per show, so a name repeats) and keeps each distinct folded name (`normalize()`) once, with:

* a sorted list of the names without spaces, for prefix matches by bisect ("hoteldel", "런 온");
* a sorted list of words, for names with a word starting as typed ("luna" → Hotel del Luna);
* postings of character bigrams (queries up to 5 characters) and trigrams (longer) as numpy arrays,
  for typos: the names sharing the most grams with the query, as a share of both lengths (a pool
  narrowed by `fuzz.ratio`) and, for longer queries, of the query alone (fragments);
* every distinct name start 2-5 characters long, for short queries whose typo leaves few grams in
  common ("heyn" → "hyen…" → Hyena).

Only those candidates (a few dozen to a few hundred) are scored (`score`, rapidfuzz), instead of
every name; the per-query work that still grows with the catalog is one `np.bincount` over the
query's postings. Build time, memory and speed at 10,000 and 100,000 dramas, against the old full
scan: bench/bench_autocomplete.py and bench/README.md.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from itertools import chain

import numpy as np
from rapidfuzz import fuzz, process

from bot.catalog.model import normalize

PREFIX_WEIGHT = 0.95  # "hospital pl" against "hospital playlist"'s first 11 characters
ORDER_WEIGHT = 0.95  # "playlist hospital"
PARTIAL_WEIGHT = 0.85  # "lonely and great" inside "guardian the lonely and great god"
SHORTLIST = 32  # names kept by each gram measure (share of both lengths, then ratio; share of the query)
GRAM_POOL = 256  # names sharing the most grams (Dice) that `fuzz.ratio` narrows to SHORTLIST
WORD_CANDIDATES = 50  # names with a word starting as the last typed word (and holding the others)
WORD_SCAN = 200  # names holding the rarest other typed word looked at, at most
SHORT_QUERY = 5  # queries up to this many characters (spaces aside) are matched by bigrams, longer by trigrams
STARTS = range(2, 6)  # query lengths (spaces counted) also matched against every distinct name start that long
START_MATCHES = 16  # closest name starts (`fuzz.ratio`) kept for a short query
PER_START = 4  # names kept per close start
PAD = "\x02"  # marks a name's start in its grams (`normalize()` never leaves a control character)


def compact(key: str) -> str:
    """A `normalize()`d key without spaces: "Hotel del Luna", "hoteldelluna" and "Hotel-Del Luna" agree."""
    return key.replace(" ", "")


class GramIndex:
    """For each character q-gram of the texts (start-padded), the ids of the texts holding it.

    A gram is one int64 (its code points, 21 bits each); `_grams` holds the distinct ones sorted,
    and `postings[offsets[g]:offsets[g + 1]]` the ids (int32) of the texts holding gram g, so a
    query's counts come from one `np.bincount` over the postings of its grams. Built with numpy.
    """

    def __init__(self, texts: Sequence[str], q: int) -> None:
        self.q = q
        padded = [PAD * (q - 1) + t for t in texts]
        lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
        points = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        owners = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
        local = np.arange(len(points)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        valid = np.flatnonzero(local <= np.repeat(lengths, lengths) - q)  # a gram starts here
        codes = np.zeros(len(valid), dtype=np.int64)
        for i in range(q):
            codes = (codes << 21) | points[valid + i]
        owners = owners[valid]
        order = np.lexsort((owners, codes))
        codes, owners = codes[order], owners[order]
        fresh = np.ones(len(codes), dtype=bool)  # drop a gram repeated within one text
        fresh[1:] = (codes[1:] != codes[:-1]) | (owners[1:] != owners[:-1])
        codes, self.postings = codes[fresh], owners[fresh]
        self._grams, first = np.unique(codes, return_index=True)
        self.offsets = np.append(first, len(codes)).astype(np.int64)
        self.sizes = np.bincount(self.postings, minlength=len(texts)).astype(np.int32)  # distinct grams per text

    def grams(self, text: str) -> list[int]:
        """The distinct q-grams of `text` with `PAD` before it, as codes ("\x02r", "ru", "un" for "run", q=2)."""
        padded = [ord(c) for c in PAD * (self.q - 1) + text]
        codes = set()
        for i in range(len(padded) - self.q + 1):
            code = 0
            for point in padded[i : i + self.q]:
                code = (code << 21) | point
            codes.add(code)
        return list(codes)

    def shortlist(self, text: str, pool: int, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Ids of texts sharing grams with `text` (at least a quarter of its grams): the best `pool`
        by Dice (shared / both lengths: whole names with a typo), and the best `size` by shared
        grams, shorter first (names the query is a fragment or a start of). Empty when no gram is
        known; every text found when they are few."""
        empty = np.empty(0, dtype=np.int64)
        wanted = self.grams(text)
        codes = np.asarray(wanted, dtype=np.int64)
        where = np.minimum(np.searchsorted(self._grams, codes), len(self._grams) - 1)
        known = where[self._grams[where] == codes].tolist() if len(self._grams) else []
        if not known:
            return empty, empty
        hits = np.concatenate([self.postings[self.offsets[g] : self.offsets[g + 1]] for g in known])
        counts = np.bincount(hits, minlength=len(self.sizes))
        found = np.flatnonzero(counts >= max(1, math.ceil(len(wanted) / 4)))
        shared = counts[found]
        sizes = self.sizes[found]
        best_dice = found
        if len(found) > pool:
            best_dice = found[np.argpartition(-(shared / (len(wanted) + sizes)), pool)[:pool]]
        best_cover = found
        if len(found) > size:
            cover = shared.astype(np.int64) * 4096 - sizes  # most grams shared, then the shorter name
            best_cover = found[np.argpartition(-cover, size)[:size]]
        return best_dice, best_cover

    @property
    def nbytes(self) -> int:
        """Bytes held by the numpy arrays (postings, offsets, sizes)."""
        return self.postings.nbytes + self.offsets.nbytes + self.sizes.nbytes + self._grams.nbytes


class TitleIndex:
    """Distinct folded names with prefix, word and gram indexes; `ranked()` scores only candidates.

    `names[i]` is entry i (a display name); `entries_of(k)` gives the entries whose name folds to
    distinct key k, in entry order. Key ids follow first appearance, so earlier entries win ties.
    """

    def __init__(self, names: Sequence[str], folded: dict[str, str] | None = None) -> None:
        """`folded` maps names already `normalize()`d to their keys (it is not changed)."""
        folded = dict(folded or {})  # display name -> key, so a spelling repeated per show folds once
        key_ids: dict[str, int] = {}
        self.keys: list[str] = []
        entries: list[list[int]] = []
        for entry, name in enumerate(names):
            key = folded.get(name)
            if key is None:
                key = folded[name] = normalize(name)
            kid = key_ids.get(key)
            if kid is None:
                kid = key_ids[key] = len(self.keys)
                self.keys.append(key)
                entries.append([])
            entries[kid].append(entry)
        # Kept as one int32 array sliced by offsets: no list per name for memory and the collector.
        self._entry_offsets = np.zeros(len(entries) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in entries], out=self._entry_offsets[1:])
        self._entry_flat = np.fromiter(chain.from_iterable(entries), dtype=np.int32, count=len(names))
        compacts = [compact(k) for k in self.keys]
        self._compact_owner = sorted(range(len(compacts)), key=compacts.__getitem__)
        self._compact_sorted = [compacts[k] for k in self._compact_owner]
        self._key_owner = sorted(range(len(self.keys)), key=self.keys.__getitem__)
        self._key_sorted = [self.keys[k] for k in self._key_owner]
        # For short queries, where a swapped letter leaves few grams in common: each distinct start
        # (the starts of sorted names come sorted).
        self._starts = {size: list(dict.fromkeys(k[:size] for k in self._key_sorted)) for size in STARTS}
        words: dict[str, list[int]] = {}
        for kid, key in enumerate(self.keys):
            for word in dict.fromkeys(key.split()):
                words.setdefault(word, []).append(kid)
        self._words = words
        self._sorted_words = sorted(words)
        self._bigrams = GramIndex(compacts, 2)
        self._trigrams = GramIndex(compacts, 3)

    def __len__(self) -> int:
        return len(self.keys)

    def entries_of(self, kid: int) -> list[int]:
        """The entries (indices into the names given) whose name folds to key `kid`, in order."""
        return self._entry_flat[self._entry_offsets[kid] : self._entry_offsets[kid + 1]].tolist()

    @property
    def nbytes(self) -> int:
        """Bytes held by numpy arrays (gram postings, entries); the key strings and lists come on top."""
        return self._bigrams.nbytes + self._trigrams.nbytes + self._entry_flat.nbytes + self._entry_offsets.nbytes

    def ranked(self, key: str, *, cutoff: float = 0, prefixes: int = 50) -> list[tuple[int, float]]:
        """(key id, score 0-100) of the candidates for `key` (a `normalize()`d query) scoring at least
        `cutoff`, best first: higher score, then names `key` starts (spacing aside), then shorter
        names, then earlier ones. Candidates: up to `prefixes` names starting as typed and, unless
        those are all exact starts, names with a word starting as the last typed word, the gram
        shortlist and names with a close start (`_fuzzy_candidates`)."""
        tight = compact(key)
        if not tight:
            return []
        prefix = self._prefix_matches(tight, prefixes)
        candidates = dict.fromkeys(prefix)
        # `prefixes` names start exactly as typed: each scores ≥ 95 (PREFIX_WEIGHT × 100) and wins
        # ties, which no other name can beat (ratio > 95 is a near-copy of the whole name).
        if len(prefix) < prefixes or not all(self.keys[k].startswith(key) for k in prefix):
            candidates.update(dict.fromkeys(self._fuzzy_candidates(key, tight)))
        kids = list(candidates)
        scores = score(key, [self.keys[k] for k in kids])
        prefixed = set(prefix)
        hits = [(k, float(s)) for k, s in zip(kids, scores.tolist(), strict=True) if s >= cutoff]
        hits.sort(key=lambda kv: (-kv[1], kv[0] not in prefixed, len(self.keys[kv[0]]), kv[0]))
        return hits

    def _fuzzy_candidates(self, key: str, tight: str) -> list[int]:
        """Names with a word starting as typed, the gram shortlist, and for short queries the names
        whose start is close to the query."""
        out = self._word_matches(key)
        short = len(tight) <= SHORT_QUERY
        whole, fragments = (self._bigrams if short else self._trigrams).shortlist(tight, GRAM_POOL, SHORTLIST)
        if len(whole) > SHORTLIST:  # many names share as many grams (numbered seasons): the closest by ratio
            ratios = process.cdist([key], [self.keys[k] for k in whole.tolist()], scorer=fuzz.ratio, processor=None)[0]
            whole = whole[np.argpartition(-ratios, SHORTLIST)[:SHORTLIST]]
        out += whole.tolist()
        if not short:  # fragments of two or three letters match half the catalog: whole names only
            out += fragments.tolist()
        if len(key) in self._starts:
            out += self._start_matches(key)
        return out

    def _prefix_matches(self, tight: str, most: int) -> list[int]:
        """Keys whose spaceless form starts with `tight`, at most `most` (bisect on the sorted list)."""
        out: list[int] = []
        i = bisect.bisect_left(self._compact_sorted, tight)
        while i < len(self._compact_sorted) and len(out) < most and self._compact_sorted[i].startswith(tight):
            out.append(self._compact_owner[i])
            i += 1
        return out

    def _start_matches(self, key: str) -> list[int]:
        """Keys whose first len(`key`) characters are among the `START_MATCHES` distinct starts that
        long closest to `key` (`fuzz.ratio` ≥ 50: "heyn" → "hyen" → Hyena), `PER_START` per start."""
        out: list[int] = []
        close = process.extract(
            key, self._starts[len(key)], scorer=fuzz.ratio, processor=None, limit=START_MATCHES, score_cutoff=50
        )
        for start, _, _ in close:
            i = bisect.bisect_left(self._key_sorted, start)
            end = min(i + PER_START, len(self._key_sorted))
            while i < end and self._key_sorted[i].startswith(start):
                out.append(self._key_owner[i])
                i += 1
        return out

    def _word_matches(self, key: str) -> list[int]:
        """Keys with a word starting as `key`'s last word (≥ 2 characters) that also hold its other
        words: for one word, names by word (shortest words first); for several, the first
        `WORD_SCAN` names holding the rarest other word, checked. At most `WORD_CANDIDATES`."""
        *others, last = key.split()
        if len(last) < 2:
            return []
        out: list[int] = []
        if others:
            pool = min((self._words.get(w, []) for w in others), key=len)
            needles = [f" {w} " for w in others]
            for kid in pool[:WORD_SCAN]:
                spaced = f" {self.keys[kid]} "
                if f" {last}" in spaced and all(n in spaced for n in needles):
                    out.append(kid)
                    if len(out) >= WORD_CANDIDATES:
                        break
            return out
        i = bisect.bisect_left(self._sorted_words, last)
        while i < len(self._sorted_words) and self._sorted_words[i].startswith(last) and len(out) < WORD_CANDIDATES:
            out += self._words[self._sorted_words[i]][: WORD_CANDIDATES - len(out)]
            i += 1
        return out


def score(key: str, names: Sequence[str]) -> np.ndarray:
    """0-100 per name (float64): the best of whole-name similarity (`fuzz.ratio`: typos), the query
    against the name's start (a title still being typed), word order ignored, and a fragment of a
    name at least 1.5 × as long (anywhere for a query over `SHORT_QUERY` characters, spaces aside;
    at a word's start for a shorter one, so "gin" is not found inside "hanging"); the last
    three count a little less (`PREFIX_WEIGHT`, `ORDER_WEIGHT`, `PARTIAL_WEIGHT`), so the whole name
    typed with a typo wins. `key` and `names` are `normalize()`d."""
    if not names:
        return np.zeros(0)
    starts = [n[: len(key)] for n in names]
    best = np.zeros(len(names))
    for choices, scorer, weight in (
        (names, fuzz.ratio, 1.0),
        (starts, fuzz.ratio, PREFIX_WEIGHT),
        (names, fuzz.token_sort_ratio, ORDER_WEIGHT),
    ):
        row = process.cdist([key], choices, scorer=scorer, processor=None, dtype=np.float64)[0]
        np.maximum(best, row * weight, out=best)
    if len(compact(key)) > SHORT_QUERY:
        longer = [n if len(n) >= 1.5 * len(key) else "" for n in names]
        row = process.cdist([key], longer, scorer=fuzz.partial_ratio, processor=None, dtype=np.float64)[0]
        np.maximum(best, row * PARTIAL_WEIGHT, out=best)
        return best
    windows, owners = [], []
    reachable = PARTIAL_WEIGHT * 100  # a window can only lift a name scoring less than this so far
    for owner, name in enumerate(names):
        if best[owner] < reachable and len(name) >= 1.5 * len(key):
            at = 0  # each word's start, as long as the query and one longer ("chool" → "school")
            while at >= 0:
                start = at + 1 if at else 0
                windows += (name[start : start + len(key)], name[start : start + len(key) + 1])
                owners += (owner, owner)
                at = name.find(" ", at + 1)
    if windows:
        row = process.cdist([key], windows, scorer=fuzz.ratio, processor=None, dtype=np.float64)[0]
        np.maximum.at(best, owners, row * PARTIAL_WEIGHT)
    return best
