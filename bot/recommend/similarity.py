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

Stored as one posting list per term (numpy arrays of drama indexes and weights √W_f · idf / |v_f|),
so a query costs one vectorised add per query term.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from bot.catalog.model import Drama, normalize

FAMILY_WEIGHTS: dict[str, float] = {"genre": 0.35, "curated": 0.35, "community": 0.20, "cast": 0.10}
"""W_f: how much each family of evidence counts towards similarity (they sum to 1)."""
IDF_CAP = 1.0 + math.log(40)
"""The largest idf a term gets: a term rarer than 1 show in 40 counts no more than one that is 1 in 40."""


def family_terms(drama: Drama) -> dict[str, set[str]]:
    """The folded terms of `drama` per family (see the module docstring). Empty families are left out."""
    genres = {normalize(g) for g in drama.genres}
    curated, community = set(), set()
    for tag in drama.tags:
        (curated if tag == tag.lower() else community).add(normalize(tag))
    out = {
        "genre": genres,
        "curated": curated - genres,  # a genre word used as a tag is evidence once, as a genre
        "community": community,
        "cast": {normalize(name) for name in (*drama.starring, *drama.cast)},
    }
    return {family: terms - {""} for family, terms in out.items() if terms - {""}}


class SimilarityIndex:
    """Per-family capped TF-IDF over a fixed list of dramas, with posting lists for fast queries."""

    def __init__(self, dramas: Sequence[Drama]) -> None:
        n = len(dramas)
        families = [family_terms(d) for d in dramas]
        df: dict[tuple[str, str], int] = {}
        for fams in families:
            for family, terms in fams.items():
                for term in terms:
                    key = (family, term)
                    df[key] = df.get(key, 0) + 1
        self.idf = {key: min(IDF_CAP, 1.0 + math.log(n / count)) for key, count in df.items()}
        term_id = {key: k for k, key in enumerate(self.idf)}
        self.terms = list(self.idf)
        # Each drama's weights: term id → √W_f · idf / |v_f| ; and the families it has (Σ W_f over them).
        self.vectors: list[dict[int, float]] = []
        self.family_weight = np.zeros(n)
        post_ids: list[list[int]] = [[] for _ in self.terms]
        post_w: list[list[float]] = [[] for _ in self.terms]
        for i, fams in enumerate(families):
            vec: dict[int, float] = {}
            for family, terms in fams.items():
                idfs = [self.idf[(family, t)] for t in terms]
                scale = math.sqrt(FAMILY_WEIGHTS[family]) / math.sqrt(sum(x * x for x in idfs))
                for t, x in zip(terms, idfs, strict=True):
                    k = term_id[(family, t)]
                    vec[k] = x * scale
                    post_ids[k].append(i)
                    post_w[k].append(x * scale)
                self.family_weight[i] += FAMILY_WEIGHTS[family]
            self.vectors.append(vec)
        self.postings = [
            (np.asarray(ids, dtype=np.int64), np.asarray(w, dtype=np.float64))
            for ids, w in zip(post_ids, post_w, strict=True)
        ]
        self.size = n

    def query(self, likes: Sequence[int], weights: Sequence[float] | None = None) -> dict[int, float]:
        """The query vector (term id → weight) for liked drama indexes: their (weighted) mean, each
        divided by the Σ W_f of the families it has. `weights` (≥ 0, one per like) default to equal."""
        q: dict[int, float] = {}
        pairs = [(i, 1.0 if weights is None else weights[k]) for k, i in enumerate(likes)]
        pairs = [(i, w) for i, w in pairs if self.family_weight[i] > 0 and w > 0]
        total = sum(w for _, w in pairs)
        for i, weight in pairs:
            share = weight / (total * self.family_weight[i])
            for k, w in self.vectors[i].items():
                q[k] = q.get(k, 0.0) + w * share
        return q

    def scores(self, likes: Sequence[int], weights: Sequence[float] | None = None) -> np.ndarray:
        """sim(likes, d) for every drama d (0..1, float64 array of length N); `weights` as for `query`."""
        out = np.zeros(self.size)
        for k, weight in self.query(likes, weights).items():
            ids, w = self.postings[k]
            out[ids] += weight * w
        return out

    def pair(self, a: int, b: int) -> float:
        """sim(a, b) for two drama indexes (not symmetric when their families differ)."""
        if not self.family_weight[a]:
            return 0.0
        va, vb = self.vectors[a], self.vectors[b]
        return sum(w * vb.get(k, 0.0) for k, w in va.items()) / self.family_weight[a]
