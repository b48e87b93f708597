"""The recommendation engine behind `/recommend`: pure, built once from the catalog, no I/O.

Similarity (`bot.recommend.similarity`): per-family TF-IDF over genres, the project's curated
tags, MyDramaList community tags and cast, each family normalised and weighted, IDF capped, so no
single rare tag can carry a pick. With the server's votes, "members here who loved X also loved Y"
(`bot.recommend.taste.CoLiked`) is blended in, shrunk towards the content similarity when few
members co-rated:

    sim'  = (1 − α) · sim + α · max(0, cf)        α = CF_SHARE · n / (n + CF_SHRINK), n co-raters ≥ CF_MIN

Ranking with liked shows
    1. the liked shows' own other parts and seasons (`bot.recommend.series`), labelled "sequel";
    2. the shows whose sim' ≥ SIMILARITY_FLOOR ("like" the seed), by
           score = SIMILARITY_WEIGHT · sim' + (1 − SIMILARITY_WEIGHT) · quality
       and nothing below the floor: the list of close shows ends there;
    3. then up to ALSO_TRY of the best-rated other shows that have a score from someone (reviewer,
       community), labelled "also" ("you might also try").
For a member with votes here and no options ("taste"): the profile is the mean of the vectors of the
shows they rated above their own mean, weighted by how far above (`taste_weights`), and
    score = TASTE_WEIGHT · sim'(profile) + (1 − TASTE_WEIGHT) · base quality   (no floor: not "like X")
Here the guild's votes count through the item-to-item blend (what members who loved the profile's
shows also loved, each vote relative to its member's own mean), not through raw means: a guild's
plain means sit on another scale than community scores (they pulled the simulated server's hit-rate 14% → 7.5%).
Without liked shows or votes ("best"; also "also try"): the shows this server liked (chart score above
6.0, `best_key`) by chart score, then the rest by quality. Parts of one show are grouped, a later part
never before an earlier one (an earlier part the member has not rated is pulled in before it).
quality (0..1): the reviewer's bowls (weight REVIEWER_WEIGHT) and the community score (weight
COMMUNITY_WEIGHT) over those present, /10; QUALITY_PRIOR (6.0/10) with neither; this guild's votes
(plain mean, n) damp it: (C · base + n · mean/10) / (C + n), C = PRIOR_WEIGHT (5 votes, as in /ratings).
Ties: scored shows before unscored ones, then newer first, then title; never alphabetical alone.

Filters (`bot.recommend.filters`) apply to every section. When nothing is left, `recommend_for`
raises `NothingToRecommend` naming the filter that emptied the list; `bot.ui` words everything.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.catalog.index import Catalog
from bot.catalog.model import Drama
from bot.catalog.vocabulary import unique_folded, where_to_watch
from bot.recommend.filters import Facets, FilterIndex, Filters, facets_of, first_emptying_filter
from bot.recommend.quality import (  # noqa: F401  (re-exported: the engine's public names)
    COMMUNITY_WEIGHT,
    QUALITY_PRIOR,
    REVIEWER_WEIGHT,
    STAND_IN_COUNT,
    STAND_IN_MIN_SCORE,
    base_quality,
    best_key,
    quality,
    stand_in_likes,
    taste_weights,
)
from bot.recommend.series import series_part
from bot.recommend.similarity import SimilarityIndex, fold

SIMILARITY_WEIGHT = 0.75
"""Share of the score that comes from similarity when liked shows are given (quality has the rest)."""
TASTE_WEIGHT = 0.35
"""Share of the score that comes from similarity to a member's taste profile (no options; quality has the rest)."""
SIMILARITY_FLOOR = 0.22
"""Below this similarity (0..1) a show is not "like" the seed and is not listed as such."""
ALSO_TRY = 5
"""After the close shows, at most this many best-rated others ("you might also try")."""
CF_SHARE, CF_SHRINK, CF_MIN = 0.5, 5.0, 2
"""Item-to-item blend: at most half the similarity; shrinkage constant in co-raters; fewest co-raters used."""
PAGE_SIZE = 5
"""Results per page of `/recommend`."""
ServerScores = Mapping[str, tuple[float, int]]
"""drama id → (the guild's plain mean in bowls 1..10, vote count)."""
CoLiked = Mapping[str, tuple[float, int]]
"""drama id → (item-to-item similarity to the liked shows −1..1, members who co-rated), from `bot.recommend.taste`."""


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One recommended drama.

    Attributes:
        drama: the show.
        score: the ranking score, 0..1 (see the module docstring).
        similarity: sim' to the liked show(s), 0..1 (0 without liked shows).
        shared_tags: tags this drama and a liked show both carry, rarest first, as this drama spells them.
        shared_genres: its genres a liked show also has, in its order.
        server: (plain mean in bowls, votes) in this guild, or None when nobody here has rated it.
        filters: the filters it passed.
        kind: "sequel" (another part of a liked show, `part_of`), "like" (above the floor), "also"
            (best-rated, after the close shows) or "best" (no liked shows).
        part_of: for a sequel, the liked show it continues.
        co_raters: members here who rated both it and a liked show (item-to-item evidence), else 0.
    The reason line members read is made from these by `bot.ui.messages.reason_line`.
    """

    drama: Drama
    score: float
    similarity: float = 0.0
    shared_tags: tuple[str, ...] = ()
    shared_genres: tuple[str, ...] = ()
    server: tuple[float, int] | None = None
    filters: Filters = field(default_factory=Filters)
    kind: str = "best"
    part_of: Drama | None = None
    co_raters: int = 0

    @property
    def server_mean(self) -> float | None:
        """The plain mean of this guild's votes (bowls), or None without votes."""
        return self.server[0] if self.server is not None and self.server[1] > 0 else None


def cf_blend(sim: float, cf: float, co_raters: int) -> float:
    """sim' from the content similarity and the item-to-item one (see the module docstring)."""
    if co_raters < CF_MIN:
        return sim
    alpha = CF_SHARE * co_raters / (co_raters + CF_SHRINK)
    return (1.0 - alpha) * sim + alpha * max(0.0, cf)


class Recommender:
    """The content model, quality and series of a catalog; built once (numpy arrays), queried per request."""

    def __init__(self, catalog: Catalog | Iterable[Drama]) -> None:
        dramas = list(catalog)
        self._dramas = dramas
        self._index_of = {d.id: i for i, d in enumerate(dramas)}
        self._sim = SimilarityIndex(dramas)
        # Many shows share the same platforms and networks: each combination is worked out once.
        where_of = functools.lru_cache(maxsize=None)(
            lambda platforms, network: where_to_watch(Drama(id="-", title="-", platforms=platforms, network=network))
        )
        where = [where_of(d.platforms, d.network) for d in dramas]
        self._facets: list[Facets] = [facets_of(d, fold, w) for d, w in zip(dramas, where, strict=True)]
        self._static = np.array([base_quality(d) for d in dramas], dtype=np.float64)
        self._scored = np.array([d.review is not None or d.community_score is not None for d in dramas])
        self._year = np.array([d.year or 0 for d in dramas], dtype=np.int64)
        titles = sorted(range(len(dramas)), key=lambda i: (fold(dramas[i].title), dramas[i].id))
        self._title_rank = np.empty(len(dramas), dtype=np.int64)
        self._title_rank[titles] = np.arange(len(dramas))
        self._part: list[int] = []
        self._series_key: list[str] = []
        series: dict[str, list[int]] = {}
        for i, d in enumerate(dramas):
            key, part = series_part(d.title, fold)
            self._series_key.append(key)
            self._part.append(part)
            series.setdefault(key, []).append(i)
        self._series = {k: sorted(v, key=lambda i: (self._part[i], i)) for k, v in series.items() if len(v) > 1}
        self._filter_index = FilterIndex(self._facets)
        self._tag_df: dict[str, int] = {}
        for facets in self._facets:
            for tag in facets.tags:
                self._tag_df[tag] = self._tag_df.get(tag, 0) + 1
        # Each distinct spelling once (first occurrence first), so `unique_folded` folds few strings.
        self.genres: list[str] = unique_folded(dict.fromkeys(g for d in dramas for g in d.genres))
        """Every genre, one spelling per folded form, sorted case-insensitively (for autocomplete)."""
        self.tags: list[str] = unique_folded(dict.fromkeys(t for d in dramas for t in d.tags))
        """Every tag, one spelling per folded form, sorted case-insensitively (for autocomplete)."""
        self.platforms: list[str] = unique_folded(dict.fromkeys(p for w in where for p in w))
        """Every streaming service, one spelling per folded form, sorted (for autocomplete)."""
        self.networks: list[str] = unique_folded(dict.fromkeys(n for d in dramas for n in d.network))
        """Every original broadcaster, one spelling per folded form, sorted (for autocomplete)."""

    def __len__(self) -> int:
        return len(self._dramas)

    # ------------------------------------------------------------------ similarity

    def similarity(self, a: Drama, b: Drama) -> float:
        """sim(a, b), 0..1: how alike `b` is to `a` as a seed (see `bot.recommend.similarity`).

        Raises KeyError if either drama is not in this recommender's catalog.
        """
        return self._sim.pair(self._index_of[a.id], self._index_of[b.id])

    def series_of(self, drama: Drama) -> list[Drama]:
        """Every part of `drama`'s series in the catalog, in part order (just [drama] for a lone show)."""
        i = self._index_of[drama.id]
        return [self._dramas[j] for j in self._series.get(self._series_key[i], [i])]

    def shared_tags(self, drama: Drama, likes: Sequence[Drama]) -> tuple[str, ...]:
        """Tags `drama` shares with any of `likes` (compared folded), rarest first, as `drama` spells them."""
        liked = set().union(*(self._facets[self._index_of[d.id]].tags for d in likes)) if likes else set()
        spelled = {fold(t): t for t in reversed(drama.tags)}
        keys = sorted(set(spelled) & liked, key=lambda t: (self._tag_df.get(t, 0), t))
        return tuple(spelled[k] for k in keys)

    # ------------------------------------------------------------------ filters

    def filter_mask(self, filters: Filters) -> np.ndarray:
        """Boolean array over the catalog: True where a drama passes every set filter (`FilterIndex.mask`)."""
        return self._filter_index.mask(filters)

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
        co_liked: CoLiked | None = None,
        limit: int | None = None,
    ) -> list[Recommendation]:
        """Dramas to watch next, best first (see the module docstring for the sections and their order).

        Args:
            likes: shows the member likes (catalog dramas); they are never recommended themselves.
            filters: what the member asked for (see `bot.recommend.filters`); None = any.
            exclude: drama ids to leave out (e.g. the ones the member has already rated).
            server_scores: drama id → (plain mean 1..10, votes) for this guild; empty in a DM.
            co_liked: item-to-item evidence from this guild's votes (`bot.recommend.taste`), or None.
            limit: at most this many results (None: all that qualify).
        Raises:
            KeyError: a liked drama is not in this recommender's catalog.
        """
        filters = filters or Filters()
        n = len(self._dramas)
        like_ix = [self._index_of[d.id] for d in likes]
        allowed = np.ones(n, dtype=bool)
        banned = [self._index_of[i] for i in exclude if i in self._index_of] + like_ix
        allowed[banned] = False
        if filters:
            allowed &= self.filter_mask(filters)
        qualities, best = self._quality(server_scores or {})
        limit = n if limit is None else max(0, limit)
        if not like_ix:
            pool = np.flatnonzero(allowed)  # "best": by `best_key`, then quality
            order = self._top(pool, best[pool], qualities[pool], limit)
            return self._results(self._grouped(order, allowed, limit), {}, "best", likes, filters, server_scores)
        sim = self._sim.scores(like_ix)
        co = self._blend(sim, co_liked or {})
        kinds: dict[int, str] = {}
        sequels = [j for i in like_ix for j in self._series.get(self._series_key[i], ()) if allowed[j]]
        for j in sequels:
            kinds[j] = "sequel"
            allowed[j] = False
        close = np.flatnonzero(allowed & (sim >= SIMILARITY_FLOOR))
        score = SIMILARITY_WEIGHT * sim[close] + (1 - SIMILARITY_WEIGHT) * qualities[close]
        order = self._top(close, score, qualities[close], limit)
        ordered = list(dict.fromkeys(sequels)) + self._grouped(order, allowed, limit)
        kinds |= {i: "like" for i in ordered if i not in kinds}
        ordered = ordered[:limit]
        room = min(ALSO_TRY, limit - len(ordered))
        if room > 0:
            allowed[ordered] = False
            pool = np.flatnonzero(allowed & self._scored)
            also = self._top(pool, best[pool], qualities[pool], room)
            also = self._grouped(also, allowed, room)
            kinds |= {i: "also" for i in also}
            ordered += also
        return self._results(ordered, kinds, "like", likes, filters, server_scores, sim, co)

    def _blend(self, sim: np.ndarray, co_liked: CoLiked) -> dict[int, int]:
        """Blend item-to-item evidence into `sim` in place; returns drama index → co-raters where it lifted."""
        used = {}
        for drama_id, (cf, co_raters) in co_liked.items():
            i = self._index_of.get(drama_id)
            if i is not None and co_raters >= CF_MIN:
                sim[i] = cf_blend(float(sim[i]), cf, co_raters)
                if cf > 0:  # what a reason may name: members who rated them alike
                    used[i] = co_raters
        return used

    def _quality(self, server_scores: ServerScores) -> tuple[np.ndarray, np.ndarray]:
        """(quality per drama index, the "best" order's key per index), this guild's votes applied."""
        patched = {self._index_of[k]: v for k, v in server_scores.items() if v[1] > 0 and k in self._index_of}
        if not patched:
            return self._static, self._static
        values, best = self._static.copy(), self._static.copy()
        for i, server in patched.items():
            values[i] = quality(self._dramas[i], server, base=float(self._static[i]))
            best[i] = best_key(float(values[i]), server)
        return values, best

    def _top(self, ids: np.ndarray, score: np.ndarray, q: np.ndarray, limit: int) -> list[int]:
        """The `limit` best of `ids` by score, then quality, scored before unscored, newer, title."""
        if len(ids) > limit + 64:  # keep everything that can still reach the top `limit` (ties included)
            cut = np.partition(score, len(score) - limit)[len(score) - limit] if limit else np.inf
            keep = score >= cut
            ids, score, q = ids[keep], score[keep], q[keep]
        order = np.lexsort((self._title_rank[ids], -self._year[ids], ~self._scored[ids], -q, -np.round(score, 12)))
        return ids[order][: limit + 16].tolist()

    def _grouped(self, order: list[int], allowed: np.ndarray, limit: int) -> list[int]:
        """`order` with each series' parts together: earlier unrated parts pulled in first, later ones after."""
        out: list[int] = []
        placed: set[int] = set()
        listed = set(order)
        for i in order:
            if len(out) >= limit:
                break
            if i in placed:
                continue
            parts = self._series.get(self._series_key[i], [i])
            for j in parts:
                earlier_ok = self._part[j] < self._part[i] and allowed[j]
                if j not in placed and (j == i or earlier_ok or (j in listed and self._part[j] > self._part[i])):
                    out.append(j)
                    placed.add(j)
        return out[:limit]

    def _results(self, ordered, kinds, default, likes, filters, server_scores, sim=None, co=None, weight=None):
        """Recommendation objects for drama indexes `ordered` (`weight`: the similarity share of the score)."""
        weight = SIMILARITY_WEIGHT if weight is None else weight
        servers = server_scores or {}
        qualities, _ = self._quality(servers)
        liked_genres = {fold(g) for d in likes for g in d.genres}
        like_series = {self._series_key[self._index_of[d.id]]: d for d in likes}
        out = []
        for i in ordered:
            drama = self._dramas[i]
            kind = kinds.get(i, default)
            similarity = float(sim[i]) if sim is not None else 0.0
            q = float(qualities[i])
            server = servers.get(drama.id)
            out.append(
                Recommendation(
                    drama=drama,
                    score=weight * similarity + (1 - weight) * q if sim is not None else q,
                    similarity=similarity,
                    shared_tags=self.shared_tags(drama, likes) if kind != "also" else (),
                    shared_genres=tuple(g for g in drama.genres if fold(g) in liked_genres) if kind != "also" else (),
                    server=server if server is not None and server[1] > 0 else None,
                    filters=filters,
                    kind=kind,
                    part_of=like_series.get(self._series_key[i]) if kind == "sequel" else None,
                    co_raters=(co or {}).get(i, 0),
                )
            )
        return out

    def for_member(
        self,
        rated: Sequence[tuple[str, int]],
        *,
        server_scores: ServerScores | None = None,
        co_liked: CoLiked | None = None,
        limit: int | None = None,
        exclude: Iterable[str] = (),
    ) -> tuple[list[Recommendation], list[Drama]]:
        """A member's "taste" list from their votes here (see the module docstring), and the profile's shows.

        Args:
            rated: the member's votes as (drama id, score); those shows are left out.
            server_scores, co_liked, limit, exclude: as for `recommend`.
        Returns:
            (results best first, the shows the profile is made of, most weight first); ([], []) when
            no vote says anything about taste (no vote above the member's mean and none ≥ 7).
        """
        weights = {self._index_of[d]: w for d, w in taste_weights(rated).items() if d in self._index_of}
        if not weights:
            return [], []
        profile = sorted(weights, key=lambda i: (-weights[i], i))
        sim = self._sim.scores(profile, [weights[i] for i in profile])
        co = self._blend(sim, co_liked or {})
        n = len(self._dramas)
        allowed = np.ones(n, dtype=bool)
        left_out = [*(d for d, _ in rated), *exclude]
        allowed[[self._index_of[d] for d in left_out if d in self._index_of]] = False
        qualities = self._static  # the guild's votes count through `co_liked` here (see the docstring)
        ids = np.flatnonzero(allowed)
        limit = n if limit is None else max(0, limit)
        score = TASTE_WEIGHT * sim[ids] + (1 - TASTE_WEIGHT) * qualities[ids]
        order = self._grouped(self._top(ids, score, qualities[ids], limit), allowed, limit)
        likes = [self._dramas[i] for i in profile]
        results = self._results(order, {}, "taste", likes, Filters(), server_scores, sim, co, TASTE_WEIGHT)
        return results, likes[:STAND_IN_COUNT]

    def recommend_for(
        self,
        like: Drama | None,
        filters: Filters,
        *,
        rated: Sequence[tuple[str, int]] = (),
        server_scores: ServerScores | None = None,
        co_liked: CoLiked | None = None,
        limit: int | None = None,
        watched: Collection[str] = (),
    ) -> Picks:
        """What /recommend answers for one member: exclusion, stand-in likes and the empty case.

        Args:
            like: the show the member named, or None.
            filters: the filter options, whole.
            rated: the member's votes here as (drama id, score), newest first: those shows are left
                out, and with no `like` and no filters they make the member's taste profile (`for_member`).
            server_scores: drama id → (plain mean in bowls, votes) in this guild; empty in a DM.
            co_liked: item-to-item evidence for the liked show(s) (or, with no options, the member's
                profile shows: `taste_weights`) from this guild's votes, or None.
            limit: at most this many results.
            watched: drama ids the member finished or dropped here (their watchlist): left out too.
        Raises:
            NothingToRecommend: no drama is left; it names the filter that emptied the list (None:
                the member has rated every drama that matches).
        """
        likes = [like] if like is not None else []
        exclude = {drama_id for drama_id, _ in rated} | set(watched)
        if like is None and not filters and rated:
            results, profile = self.for_member(
                rated, server_scores=server_scores, co_liked=co_liked, limit=limit, exclude=watched
            )
            if results:
                return Picks(results, profile, True, filters)
        results = self.recommend(
            likes, filters=filters, exclude=exclude, server_scores=server_scores, co_liked=co_liked, limit=limit
        )
        if not results:
            raise NothingToRecommend(filters, self.emptying_filter(filters, exclude=exclude | {d.id for d in likes}))
        return Picks(results, likes, False, filters)


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
