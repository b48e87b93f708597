"""A SIMULATED server for the taste signal's leave-one-out test: invented members, invented votes.

Nothing here is real member data. Each simulated member has a hidden taste profile:
  * liked features: 3 genres and 2 tags (drawn in proportion to how common they are in the
    catalog), each weighted U(0.5, 1.5); disliked features: 2 other genres weighted U(-1.5, -0.5);
  * a liking for well-rated shows, β ~ U(0, 0.6), times the show's community score (z-scored;
    0 where the catalog has no score).
A show's hidden utility for the member is Σ weight · [show has feature] + β · score_z + N(0, 0.5),
z-scored over the catalog. A member "watches" n ~ U(watch_min, watch_max) shows drawn without
replacement with probability ∝ exp(1.5 · utility_z + 1.0 · score_z) (people pick what they expect
to like and what is popular), and votes round(6 + 1.8 · utility_z + N(0, 0.7)) clipped to 1..10.

Leave-one-out: for each member with a vote ≥ 8, one such vote (chosen at random) is hidden; every
other vote of every member stays visible. A taste signal sees only the visible votes and returns a
top-k for the member; a hit is the hidden show in that top-k. Deterministic for a given seed.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bench.evalkit.adapter import Drama, normalize

HIGH_VOTE = 8
TOP_TAGS = 40  # tags that can be part of a hidden profile: the most common ones
WATCH_TASTE, WATCH_POPULARITY = 1.5, 1.0  # how strongly taste and community score drive what members watch

TasteSignal = Callable[[str, int], list[str]]
"""(member id, k) → up to k drama ids, best first, none the member has a visible vote for."""
TasteSignalFactory = Callable[[Sequence[Drama], Mapping[str, Mapping[str, int]]], TasteSignal]
"""(catalog, visible votes member → {drama id → 1..10}) → a TasteSignal. Build indexes once here."""


@dataclass
class SimulatedServer:
    """The simulated guild: visible votes, the held-out vote per member, hidden utilities (for the oracle)."""

    dramas: list[Drama]
    visible: dict[str, dict[str, int]]
    held_out: dict[str, str]  # member → drama id of the hidden high vote
    utility: dict[str, dict[str, float]] = field(repr=False, default_factory=dict)
    propensity: dict[str, dict[str, float]] = field(repr=False, default_factory=dict)
    members_without_high_vote: int = 0

    @property
    def vote_count(self) -> int:
        return sum(len(v) for v in self.visible.values()) + len(self.held_out)


def _features(drama: Drama, tag_vocab: set[str]) -> set[str]:
    return {"g:" + normalize(g) for g in drama.genres} | {
        "t:" + t for t in map(normalize, drama.tags) if t in tag_vocab
    }


def _zscores(values: Sequence[float]) -> list[float]:
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) or 1.0
    return [(v - mean) / sd for v in values]


def simulate_server(
    dramas: Sequence[Drama], *, members: int, watch_min: int, watch_max: int, seed: int
) -> SimulatedServer:
    """Invent a server over `dramas` (see the module docstring). Same arguments → same server."""
    rng = random.Random(seed)
    dramas = list(dramas)
    tag_counts = Counter(normalize(t) for d in dramas for t in d.tags)
    tag_vocab = {t for t, _ in tag_counts.most_common(TOP_TAGS)}
    features = [_features(d, tag_vocab) for d in dramas]
    genre_counts = Counter(f for fs in features for f in fs if f.startswith("g:"))
    tag_feature_counts = Counter(f for fs in features for f in fs if f.startswith("t:"))
    scores = [d.community_score for d in dramas]
    known = [s for s in scores if s is not None]
    score_z = (
        _zscores([s if s is not None else (sum(known) / len(known) if known else 0.0) for s in scores])
        if known
        else [0.0] * len(dramas)
    )

    def draw(counter: Counter, n: int, exclude: set[str]) -> list[str]:
        pool = {k: v for k, v in counter.items() if k not in exclude}
        out: list[str] = []
        while pool and len(out) < n:
            keys = sorted(pool)
            pick = rng.choices(keys, weights=[pool[k] for k in keys])[0]
            out.append(pick)
            del pool[pick]
        return out

    server = SimulatedServer(dramas=dramas, visible={}, held_out={})
    watch_max = min(watch_max, len(dramas))
    for m in range(members):
        member = f"member-{m:04d}"
        liked = draw(genre_counts, 3, set()) + draw(tag_feature_counts, 2, set())
        disliked = draw(genre_counts, 2, set(liked))
        weights = {f: rng.uniform(0.5, 1.5) for f in liked} | {f: rng.uniform(-1.5, -0.5) for f in disliked}
        beta = rng.uniform(0.0, 0.6)
        raw = [
            sum(weights.get(f, 0.0) for f in fs) + beta * z + rng.gauss(0, 0.5)
            for fs, z in zip(features, score_z, strict=True)
        ]
        utility = _zscores(raw)
        server.utility[member] = {d.id: u for d, u in zip(dramas, utility, strict=True)}
        n = rng.randint(min(watch_min, watch_max), watch_max)
        # Weighted sampling without replacement (Efraimidis-Spirakis): the n largest u^(1/w).
        propensity = [WATCH_TASTE * u + WATCH_POPULARITY * z for u, z in zip(utility, score_z, strict=True)]
        server.propensity[member] = {d.id: p for d, p in zip(dramas, propensity, strict=True)}
        keys = [rng.random() ** (1.0 / math.exp(p)) for p in propensity]
        watched = sorted(range(len(dramas)), key=lambda i: -keys[i])[:n]
        votes = {dramas[i].id: max(1, min(10, round(6 + 1.8 * utility[i] + rng.gauss(0, 0.7)))) for i in watched}
        high = sorted(i for i, s in votes.items() if s >= HIGH_VOTE)
        if high:
            hidden = rng.choice(high)
            server.held_out[member] = hidden
            del votes[hidden]
        else:
            server.members_without_high_vote += 1
        server.visible[member] = votes
    return server


def leave_one_out(server: SimulatedServer, factory: TasteSignalFactory, k: int = 10) -> tuple[float, list[list[str]]]:
    """Hit-rate@k of `factory`'s signal on `server`: share of held-out shows found in the member's top-k.

    Returns (hit rate 0..1, every member's top-k list, for coverage and popularity figures).
    Raises ValueError when the signal recommends a show the member has a visible vote for.
    """
    signal = factory(server.dramas, server.visible)
    hits, lists = 0, []
    for member, hidden in server.held_out.items():
        top = list(signal(member, k))[:k]
        if seen := set(top) & set(server.visible[member]):
            raise ValueError(f"taste signal recommended shows {member} already rated: {sorted(seen)[:3]}")
        hits += hidden in top
        lists.append(top)
    return (hits / len(server.held_out) if server.held_out else 0.0), lists


def random_expectation(server: SimulatedServer, k: int = 10) -> float:
    """The hit-rate@k a random ranking gets on average: mean over held-out members of k / unrated shows."""
    n = len(server.dramas)
    rates = [min(1.0, k / (n - len(server.visible[m]))) for m in server.held_out]
    return sum(rates) / len(rates) if rates else 0.0


# --------------------------------------------------------------------------- reference signals


def random_signal(seed: int) -> TasteSignalFactory:
    """Baseline: k unrated shows at random (seeded per member)."""

    def factory(dramas: Sequence[Drama], votes: Mapping[str, Mapping[str, int]]) -> TasteSignal:
        ids = [d.id for d in dramas]

        def rank(member: str, k: int) -> list[str]:
            own = votes.get(member, {})
            pool = [i for i in ids if i not in own]
            return random.Random(f"{seed}:{member}").sample(pool, min(k, len(pool)))

        return rank

    return factory


def score_order(dramas: Sequence[Drama]) -> list[str]:
    """Drama ids by community score (the reviewer's bowls where there is none), best first, then title."""

    def key(d: Drama) -> tuple[float, str, str]:
        score = d.community_score if d.community_score is not None else (d.review.ramen if d.review else -1.0)
        return (-score, normalize(d.title), d.id)

    return [d.id for d in sorted(dramas, key=key)]


def community_signal(dramas: Sequence[Drama], votes: Mapping[str, Mapping[str, int]]) -> TasteSignal:
    """Baseline: the best community-scored shows the member has not rated."""
    order = score_order(dramas)

    def rank(member: str, k: int) -> list[str]:
        own = votes.get(member, {})
        return [i for i in order if i not in own][:k]

    return rank


def oracle_signal(server: SimulatedServer) -> TasteSignalFactory:
    """Reference ceiling, not a baseline: ranks by the member's HIDDEN watch propensity (taste and popularity).

    No real signal can see it; it shows how far a perfect model of the simulation could get.
    """

    def factory(dramas: Sequence[Drama], votes: Mapping[str, Mapping[str, int]]) -> TasteSignal:
        def rank(member: str, k: int) -> list[str]:
            own = votes.get(member, {})
            hidden = server.propensity[member]
            return sorted((i for i in hidden if i not in own), key=lambda i: (-hidden[i], i))[:k]

        return rank

    return factory
