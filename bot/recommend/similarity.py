"""How alike two dramas are: per-family TF-IDF vectors, each family normalised, IDF capped.

A drama's evidence comes in four *families*, each a set of folded terms (`bot.catalog.normalize`):

    genre       its genres (and the genre words the project uses as tags are the same terms);
    curated     the project's own tags (`data/TAGS.md`: written in lowercase by rule), less the
                genre words the drama already has as genres (one piece of evidence counts once);
    community   the CSV's MyDramaList tags (written in Title Case there);
    cast        its starring and cast names.

Within a family a term weighs its inverse document frequency, capped so that a tag few shows
carry cannot outweigh the rest on its own:

    idf(t) = min(IDF_CAP, 1 + ln(N / df(t)))      N = dramas, df(t) = dramas carrying t

and each family's vector is scaled to unit length, so a show with 30 community tags does not
swamp one with 3. Two dramas' similarity is the weighted mean of the per-family cosines over
the families the *query* drama has (a family the candidate lacks counts 0 for it):

    sim(q, d) = Σ_f W_f · cos_f(q, d) / Σ_{f: q has f} W_f        0..1

With several liked shows the query is their mean. One shared rare tag therefore moves `sim` by at
most W_f · (its share of the family's norm), which the floor in `bot.recommend.engine` keeps out
of the list unless genres or other tags agree.

Stored as flat numpy arrays (CSR-style, by drama and by term) of weights √W_f · idf / |v_f|, so the
build is a few vectorised passes and a query costs one vectorised add per query term.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np

from bot.catalog.model import Drama, normalize

FAMILY_WEIGHTS: dict[str, float] = {"genre": 0.35, "curated": 0.35, "community": 0.20, "cast": 0.10}
"""W_f: how much each family of evidence counts towards similarity (they sum to 1)."""
fold = functools.lru_cache(maxsize=1 << 18)(normalize)
"""`normalize`, remembered: a catalog repeats the same genre, tag and cast words thousands of times."""
IDF_CAP = 1.0 + math.log(40)
"""The largest idf a term gets: a term rarer than 1 show in 40 counts no more than one that is 1 in 40."""


def family_terms(drama: Drama) -> dict[str, set[str]]:
    """The folded terms of `drama` per family (see the module docstring). Empty families are left out."""
    genres = {fold(g) for g in drama.genres}
    curated, community = set(), set()
    for tag in drama.tags:
        (curated if tag == tag.lower() else community).add(fold(tag))
    out = {
        "genre": genres,
        "curated": curated - genres,  # a genre word used as a tag is evidence once, as a genre
        "community": community,
        "cast": {fold(name) for name in (*drama.starring, *drama.cast)},
    }
    return {family: terms - {""} for family, terms in out.items() if terms - {""}}


FAMILIES = ("genre", "curated", "community", "cast")


class SimilarityIndex:
    """Per-family capped TF-IDF over a fixed list of dramas, stored twice as flat numpy arrays: by
    drama (a drama's vector) and by term (its posting list), so a query is one vectorised add per term."""

    def __init__(self, dramas: Sequence[Drama]) -> None:
        n = len(dramas)
        term_id: dict[tuple[str, str], int] = {}
        ent_drama: list[int] = []
        ent_term: list[int] = []
        ent_family: list[int] = []
        for i, drama in enumerate(dramas):
            for family, terms in family_terms(drama).items():
                f = FAMILIES.index(family)
                for term in terms:
                    ent_drama.append(i)
                    ent_term.append(term_id.setdefault((family, term), len(term_id)))
                    ent_family.append(f)
        drama_of = np.asarray(ent_drama, dtype=np.int64)
        term_of = np.asarray(ent_term, dtype=np.int64)
        family_of = np.asarray(ent_family, dtype=np.int64)
        df = np.bincount(term_of, minlength=len(term_id))
        idf = np.minimum(IDF_CAP, 1.0 + np.log(n / np.maximum(df, 1)))
        self.terms = list(term_id)
        self.idf = dict(zip(self.terms, idf.tolist(), strict=True))
        # Each entry's weight √W_f · idf / |v_f|, |v_f| the norm of the drama's family vector.
        x = idf[term_of]
        group = drama_of * len(FAMILIES) + family_of
        squares = np.bincount(group, weights=x * x, minlength=len(FAMILIES) * n)
        family_w = np.array([FAMILY_WEIGHTS[f] for f in FAMILIES])
        weight = x * np.sqrt(family_w[family_of]) / np.sqrt(squares[group]) if len(x) else x
        self.family_weight = (squares.reshape(n, len(FAMILIES)) > 0) @ family_w
        self._by_drama = (np.concatenate(([0], np.cumsum(np.bincount(drama_of, minlength=n)))), term_of, weight)
        order = np.argsort(term_of, kind="stable")
        self._by_term = (np.concatenate(([0], np.cumsum(df))), drama_of[order], weight[order])
        self.size = n

    def vector(self, i: int) -> dict[int, float]:
        """Drama `i`'s weights: term id → √W_f · idf / |v_f|."""
        start, terms, weights = self._by_drama
        a, b = start[i], start[i + 1]
        return dict(zip(terms[a:b].tolist(), weights[a:b].tolist(), strict=True))

    def query(self, likes: Sequence[int], weights: Sequence[float] | None = None) -> dict[int, float]:
        """The query vector (term id → weight) for liked drama indexes: their (weighted) mean, each
        divided by the Σ W_f of the families it has. `weights` (≥ 0, one per like) default to equal."""
        q: dict[int, float] = {}
        pairs = [(i, 1.0 if weights is None else weights[k]) for k, i in enumerate(likes)]
        pairs = [(i, w) for i, w in pairs if self.family_weight[i] > 0 and w > 0]
        total = sum(w for _, w in pairs)
        for i, weight in pairs:
            share = weight / (total * self.family_weight[i])
            for k, w in self.vector(i).items():
                q[k] = q.get(k, 0.0) + w * share
        return q

    def scores(self, likes: Sequence[int], weights: Sequence[float] | None = None) -> np.ndarray:
        """sim(likes, d) for every drama d (0..1, float64 array of length N); `weights` as for `query`."""
        out = np.zeros(self.size)
        start, dramas, values = self._by_term
        for k, weight in self.query(likes, weights).items():
            a, b = start[k], start[k + 1]
            out[dramas[a:b]] += weight * values[a:b]
        return out

    def pair(self, a: int, b: int) -> float:
        """sim(a, b) for two drama indexes (not symmetric when their families differ)."""
        if not self.family_weight[a]:
            return 0.0
        va, vb = self.vector(a), self.vector(b)
        return sum(w * vb.get(k, 0.0) for k, w in va.items()) / self.family_weight[a]
