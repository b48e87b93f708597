"""The recommendation engine behind `/recommend`: pure, built once from the catalog, no I/O.

Similarity
    Each drama is a set of *terms*: its genres and tags, folded with `bot.catalog.normalize`
    (case-, accent- and punctuation-insensitive, so the project's "multiple couples" and the CSV's
    "Multiple Couples" are one term; a genre and a tag with the same word are one term too, which
    is what `data/TAGS.md`'s "genre words used as tags" asks for). A term counts once per drama
    (binary term frequency) and weighs its inverse document frequency

        idf(t) = 1 + ln(N / df(t))        N = dramas in the catalog, df(t) = dramas carrying t

    so a tag three shows carry counts far more than the "Drama" genre half the catalog carries.
    A drama's vector is its terms' idf values divided by their Euclidean norm (unit length). The
    liked show(s) make the query: the sum of their unit vectors. Similarity is the cosine between
    the query and a drama, 0..1.

    An inverted index (term → dramas carrying it) means a query only touches dramas that share at
    least one term with the liked show(s); everything else has cosine 0 and is never scored.

Ranking (the documented weights)
    score = SIMILARITY_WEIGHT · cosine + (1 − SIMILARITY_WEIGHT) · quality     (with liked shows)
    score = quality                                                          (without)

    quality (0..1) blends three signals, each normalized to 0..1 by dividing by 10:
        base       the reviewer's ramen bowls (`drama.review.ramen`, weight REVIEWER_WEIGHT) and the
                   community score (`drama.community_score`, MyDramaList, weight COMMUNITY_WEIGHT),
                   averaged over the ones present (weights renormalized); QUALITY_PRIOR (6.0/10,
                   the ratings prior) when neither is known;
        server     this guild's votes (plain mean in bowls, n votes: `Storage.top_dramas` rows), damped
                   towards the drama's base: quality = (C · base + n · mean / 10) / (C + n) with
                   C = PRIOR_WEIGHT (5 votes, as in /ratings).
    So a missing signal is left out rather than counted as a zero, a show without reviewer or
    community score is ranked by exactly the /ratings damped mean, and a lone vote moves a show
    only 1/6 of the way from what is already known about it towards that vote: one 10 lifts a
    good show a little instead of dragging it towards 6.0, and cannot top the list by itself.

    Ties are broken deterministically: score (high first), then title (folded), then id.

Filters (applied before ranking; all optional; the rules are in `bot.recommend.filters`)
    With liked shows, if no similar drama passes the filters, the dramas that pass them are ranked
    by quality instead. When nothing is left, `recommend_for` raises `NothingToRecommend` naming
    the filter that emptied the list; `bot.ui` turns it (and each result's why) into words.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.catalog.index import Catalog
from bot.catalog.model import Drama, normalize
from bot.catalog.vocabulary import unique_folded, where_to_watch
from bot.ratings.scores import MAX_SCORE, PRIOR_MEAN, PRIOR_WEIGHT
from bot.recommend.filters import Facets, Filters, facets_of, first_emptying_filter

SIMILARITY_WEIGHT = 0.7
"""Share of the final score that comes from taste similarity when liked shows are given."""
REVIEWER_WEIGHT = 0.6
"""Weight of the reviewer's score in a drama's base quality (the community score has the rest)."""
COMMUNITY_WEIGHT = 0.4
"""Weight of the community score in a drama's base quality."""
QUALITY_PRIOR = PRIOR_MEAN / MAX_SCORE
"""Quality (0..1) of a show with no score from anyone: the ratings prior, 6.0 bowls."""
PAGE_SIZE = 5
"""Results per page of `/recommend`."""
STAND_IN_MIN_SCORE = 7
"""A member's vote must be at least this (bowls) for the show to stand in for `like`."""
STAND_IN_COUNT = 3
"""At most this many of the member's top-rated shows stand in for `like`."""

ServerScores = Mapping[str, tuple[float, int]]
"""drama id → (the guild's damped mean in bowls 1..10, vote count)."""


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One recommended drama.

    Attributes:
        drama: the show.
        score: the blended ranking score, 0..1 (see the module docstring).
        similarity: cosine similarity to the liked show(s), 0..1 (0 without liked shows).
        shared_tags: tags this drama and a liked show both carry, rarest first, as this drama spells them.
        shared_genres: its genres a liked show also has, in its order (empty without liked shows).
        server: (plain mean in bowls, votes) in this guild, or None when nobody here has rated it.
        filters: the filters it passed.
    The reason line members read is made from these by `bot.ui.messages.reason_line`.
    """

    drama: Drama
    score: float
    similarity: float = 0.0
    shared_tags: tuple[str, ...] = ()
    shared_genres: tuple[str, ...] = ()
    server: tuple[float, int] | None = None
    filters: Filters = field(default_factory=Filters)

    @property
    def server_mean(self) -> float | None:
        """The plain mean of this guild's votes (bowls), or None without votes."""
        return self.server[0] if self.server is not None and self.server[1] > 0 else None


def base_quality(drama: Drama) -> float:
    """What the catalog says of `drama`, 0..1: reviewer and community scores, weighted, over those present.

    QUALITY_PRIOR (0.6) when the drama has neither.
    """
    total = weight = 0.0
    if drama.review is not None:
        total += REVIEWER_WEIGHT * drama.review.ramen / MAX_SCORE
        weight += REVIEWER_WEIGHT
    if drama.community_score is not None:
        total += COMMUNITY_WEIGHT * drama.community_score / MAX_SCORE
        weight += COMMUNITY_WEIGHT
    return total / weight if weight else QUALITY_PRIOR


def quality(drama: Drama, server: tuple[float, int] | None = None, *, base: float | None = None) -> float:
    """The quality blend of `drama`, 0..1 (see the module docstring).

    Args:
        server: (plain mean in bowls, votes) in this guild, or None.
        base: `base_quality(drama)` when the caller has it already.
    """
    base = base_quality(drama) if base is None else base
    if server is None or server[1] <= 0:
        return base
    mean, votes = server
    return min(1.0, max(0.0, (PRIOR_WEIGHT * base + votes * mean / MAX_SCORE) / (PRIOR_WEIGHT + votes)))


class Recommender:
    """TF-IDF similarity over genres and tags, with an inverted index; built once per catalog.

    Building costs one pass over the catalog; `recommend()` then touches only the dramas that
    share a term with the liked shows (or, without liked shows, those passing the filters).
    """

    def __init__(self, catalog: Catalog | Iterable[Drama]) -> None:
        dramas = list(catalog)
        self._dramas = dramas
        self._index_of = {d.id: i for i, d in enumerate(dramas)}
        fold_cache: dict[str, str] = {}

        def fold(text: str) -> str:
            key = fold_cache.get(text)
            if key is None:
                key = fold_cache[text] = normalize(text)
            return key

        self._genre_keys = [frozenset(fold(g) for g in d.genres) for d in dramas]
        self._tag_keys = [frozenset(fold(t) for t in d.tags) for d in dramas]
        self._terms = [g | t for g, t in zip(self._genre_keys, self._tag_keys, strict=True)]
        # The first spelling a drama uses for each of its folded tags (what a reason shows).
        self._tag_spelling: list[dict[str, str]] = []
        for d in dramas:
            spelled: dict[str, str] = {}
            for t in d.tags:
                spelled.setdefault(fold(t), t)
            self._tag_spelling.append(spelled)

        postings: dict[str, list[int]] = {}
        for i, terms in enumerate(self._terms):
            for term in terms:
                postings.setdefault(term, []).append(i)
        n = len(dramas)
        self._postings = postings
        self._idf = {term: 1.0 + math.log(n / len(ids)) for term, ids in postings.items()}
        self._norm = [math.sqrt(sum(self._idf[t] ** 2 for t in terms)) for terms in self._terms]
        self._by_genre: dict[str, frozenset[int]] = {}
        self._by_tag: dict[str, frozenset[int]] = {}
        for key_lists, target in ((self._genre_keys, self._by_genre), (self._tag_keys, self._by_tag)):
            grouped: dict[str, list[int]] = {}
            for i, keys in enumerate(key_lists):
                for key in keys:
                    grouped.setdefault(key, []).append(i)
            target.update((key, frozenset(ids)) for key, ids in grouped.items())
        self._sort_title = [(normalize(d.title), d.id) for d in dramas]
        self._facets: list[Facets] = [facets_of(d) for d in dramas]
        self._static_quality = [base_quality(d) for d in dramas]
        self.genres: list[str] = unique_folded(g for d in dramas for g in d.genres)
        """Every genre, one spelling per folded form, sorted case-insensitively (for autocomplete)."""
        self.tags: list[str] = unique_folded(t for d in dramas for t in d.tags)
        """Every tag, one spelling per folded form, sorted case-insensitively (for autocomplete)."""
        self.platforms: list[str] = unique_folded(p for d in dramas for p in where_to_watch(d))
        """Every streaming service, one spelling per folded form, sorted (for autocomplete)."""
        self.networks: list[str] = unique_folded(n for d in dramas for n in d.network)
        """Every original broadcaster, one spelling per folded form, sorted (for autocomplete)."""

    def __len__(self) -> int:
        return len(self._dramas)

    # ------------------------------------------------------------------ similarity

    def idf(self, term: str) -> float:
        """The idf weight of a genre or tag (folded first): 1 + ln(N / df); 0.0 if no drama has it."""
        return self._idf.get(normalize(term), 0.0)

    def similarity(self, a: Drama, b: Drama) -> float:
        """Cosine similarity (0..1) of two catalog dramas' TF-IDF vectors over genres and tags.

        Raises KeyError if either drama is not in this recommender's catalog.
        """
        i, j = self._index_of[a.id], self._index_of[b.id]
        if not self._norm[i] or not self._norm[j]:
            return 0.0
        dot = sum(self._idf[t] ** 2 for t in self._terms[i] & self._terms[j])
        return dot / (self._norm[i] * self._norm[j])

    def shared_tags(self, drama: Drama, likes: Sequence[Drama]) -> tuple[str, ...]:
        """Tags `drama` shares with any of `likes` (compared folded), rarest first, as `drama` spells them."""
        i = self._index_of[drama.id]
        liked = frozenset().union(*(self._tag_keys[self._index_of[d.id]] for d in likes))
        keys = sorted(self._tag_keys[i] & liked, key=lambda t: (-self._idf[t], t))
        return tuple(self._tag_spelling[i][k] for k in keys)

    def _dots(self, likes: Sequence[int]) -> tuple[list[float], set[int], float]:
        """The liked shows' query against the index.

        Returns (dot, touched, |q|): `dot[i]` = q · v_i with v_i drama i's *unnormalized* idf
        vector (so cosine = dot[i] / (norm[i] · |q|)), `touched` the dramas sharing a term with
        the query (the only ones whose dot is not 0), and the query's norm (0.0: no terms).
        """
        query: dict[str, float] = {}
        for i in likes:
            if not self._norm[i]:
                continue
            for term in self._terms[i]:
                query[term] = query.get(term, 0.0) + self._idf[term] / self._norm[i]
        q_norm = math.sqrt(sum(w * w for w in query.values()))
        dot = [0.0] * len(self._dramas)
        if not q_norm:
            return dot, set(), 0.0
        # Σ_t q_t · idf(t) over the terms each drama shares with the query: walk each term's posting list.
        postings = [self._postings[term] for term in query]
        for term, ids in zip(query, postings, strict=True):
            step = query[term] * self._idf[term]
            for i in ids:
                dot[i] += step
        return dot, set().union(*postings), q_norm

    # ------------------------------------------------------------------ filters

    def filter_pool(self, filters: Filters, pool: Iterable[int] | None = None) -> set[int]:
        """Indexes of dramas (from `pool`, default all) passing every set filter."""
        ids = set(range(len(self._dramas))) if pool is None else set(pool)
        if not filters:
            return ids
        # The genre and tag indexes only narrow the pool; the rules of `bot.recommend.filters` decide.
        if filters.genre is not None:
            ids &= self._by_genre.get(normalize(filters.genre), frozenset())
        if filters.tag is not None:
            ids &= self._by_tag.get(normalize(filters.tag), frozenset())
        facets, checks = self._facets, filters.checks()
        for rule, value in checks:
            ids = {i for i in ids if rule(facets[i], value)}
        return ids

    def emptying_filter(self, filters: Filters, *, exclude: Iterable[str] = ()) -> str | None:
        """The first filter (in `FILTER_ORDER`) that leaves no drama outside `exclude` (ids), or None."""
        excluded = set(exclude)
        pool = (facets for drama, facets in zip(self._dramas, self._facets, strict=True) if drama.id not in excluded)
        return first_emptying_filter(pool, filters)

    # ------------------------------------------------------------------ ranking

    def recommend(
        self,
        likes: Sequence[Drama] = (),
        *,
        filters: Filters | None = None,
        exclude: Iterable[str] = (),
        server_scores: ServerScores | None = None,
        limit: int | None = None,
    ) -> list[Recommendation]:
        """Dramas to watch next, best first.

        Args:
            likes: shows the member likes (catalog dramas); they are never recommended themselves.
            filters: what the member asked for (see `bot.recommend.filters`); None = any.
            exclude: drama ids to leave out (e.g. the ones the member has already rated).
            server_scores: drama id → (plain mean 1..10, votes) for this guild; empty in a DM.
            limit: at most this many results (None: all that qualify).

        Returns:
            With `likes`: the dramas sharing at least one genre or tag with them, ranked by
            similarity blended with quality; if none of those passes the filters, the dramas that
            pass them, ranked by quality. Without `likes`: the dramas passing the filters, ranked
            by quality. Empty when nothing passes the filters (see `emptying_filter`).

        Raises:
            KeyError: a liked drama is not in this recommender's catalog.
        """
        filters = filters or Filters()
        scores = server_scores or {}
        index_of, dramas, static, norm = self._index_of, self._dramas, self._static_quality, self._norm
        like_ix = [index_of[d.id] for d in likes]
        banned = {index_of[i] for i in exclude if i in index_of} | set(like_ix)
        dot, touched, q_norm = self._dots(like_ix) if like_ix else ([], set(), 0.0)
        pool = touched - banned
        if pool and filters:
            pool = self.filter_pool(filters, pool)
        similar = bool(pool)
        if not similar:  # no likes, or nothing similar passes the filters: rank what passes by quality
            pool = self.filter_pool(filters) - banned

        def similarity(i: int) -> float:
            return dot[i] / (norm[i] * q_norm) if similar else 0.0

        if similar:
            # score = w · dot / (norm · |q|) + (1 − w) · quality, with the constants folded.
            sim_scale, quality_share = SIMILARITY_WEIGHT / q_norm, 1.0 - SIMILARITY_WEIGHT
            ranked = {i: sim_scale * dot[i] / norm[i] + quality_share * static[i] for i in pool}
        else:
            quality_share = 1.0
            ranked = {i: static[i] for i in pool}
        # Server scores are few (the dramas this guild has rated): patch those entries only.
        rated = {index_of[k]: v for k, v in scores.items() if v[1] > 0 and index_of.get(k) in ranked}
        for i, server in rated.items():
            sim_part = SIMILARITY_WEIGHT * similarity(i) if similar else 0.0
            ranked[i] = sim_part + quality_share * quality(dramas[i], server, base=static[i])

        liked = [dramas[i] for i in like_ix] if similar else []
        liked_genres = {normalize(g) for d in liked for g in d.genres}
        out = []
        for i in self._top(ranked, limit):
            drama = dramas[i]
            out.append(
                Recommendation(
                    drama=drama,
                    score=ranked[i],
                    similarity=similarity(i),
                    shared_tags=self.shared_tags(drama, liked) if similar else (),
                    shared_genres=tuple(g for g in drama.genres if normalize(g) in liked_genres),
                    server=rated.get(i),
                    filters=filters,
                )
            )
        return out

    def _top(self, ranked: dict[int, float], limit: int | None) -> list[int]:
        """Indexes by score desc, then title, then id; only `limit` of them, found without a full sort."""
        candidates = list(ranked)
        if limit is not None and len(candidates) > limit:
            if limit <= 0:
                return []
            # Everything scoring at least the limit-th best score; ties at the cut are settled by the sort.
            cut = heapq.nlargest(limit, ranked.values())[-1]
            candidates = [i for i in candidates if ranked[i] >= cut]
        titles = self._sort_title
        candidates.sort(key=lambda i: (-ranked[i], titles[i]))
        return candidates[:limit] if limit is not None else candidates

    def recommend_for(
        self,
        like: Drama | None,
        filters: Filters,
        *,
        rated: Sequence[tuple[str, int]] = (),
        server_scores: ServerScores | None = None,
        limit: int | None = None,
        watched: Collection[str] = (),
    ) -> Picks:
        """What /recommend answers for one member: exclusion, stand-in likes and the empty case.

        Args:
            like: the show the member named, or None.
            filters: the filter options, whole.
            rated: the member's votes here as (drama id, score), newest first: those shows are left
                out, and with no `like` and no filters the top-rated of them stand in for `like`.
            server_scores: drama id → (plain mean in bowls, votes) in this guild; empty in a DM.
            limit: at most this many results.
            watched: drama ids the member finished or dropped here (their watchlist): left out too.
        Raises:
            NothingToRecommend: no drama is left; it names the filter that emptied the list (None:
                the member has rated every drama that matches).
        """
        likes = [like] if like is not None else []
        stand_in = False
        if like is None and not filters:
            likes = [self._dramas[self._index_of[i]] for i in stand_in_likes(rated) if i in self._index_of]
            stand_in = bool(likes)
        exclude = {drama_id for drama_id, _ in rated} | set(watched)
        results = self.recommend(likes, filters=filters, exclude=exclude, server_scores=server_scores, limit=limit)
        if not results:
            raise NothingToRecommend(filters, self.emptying_filter(filters, exclude=exclude | {d.id for d in likes}))
        return Picks(results, likes, stand_in, filters)


@dataclass(frozen=True, slots=True)
class Picks:
    """`recommend_for`'s answer: the results (best first), the liked shows and whether they stood in
    for `like` (the member's own top-rated shows), and the filters."""

    results: list[Recommendation]
    likes: list[Drama]
    stand_in: bool
    filters: Filters


class NothingToRecommend(LookupError):
    """No drama is left to recommend; `emptied_by` names the filter that left none (one of
    `FILTER_ORDER`), or is None when the member has already rated every drama that matches."""

    def __init__(self, filters: Filters, emptied_by: str | None) -> None:
        self.filters, self.emptied_by = filters, emptied_by
        super().__init__(emptied_by or "everything rated")


def stand_in_likes(
    votes: Iterable[tuple[str, int]], *, min_score: int = STAND_IN_MIN_SCORE, count: int = STAND_IN_COUNT
) -> list[str]:
    """Drama ids of a member's top-rated shows: score ≥ `min_score`, best first, at most `count`.

    `votes` is (drama id, score) pairs, most recent first; equal scores keep that order.
    """
    good = [(drama_id, score) for drama_id, score in votes if score >= min_score]
    good.sort(key=lambda pair: -pair[1])  # stable: the newest of equal scores first
    return [drama_id for drama_id, _ in good[:count]]
