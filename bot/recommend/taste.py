"""Taste from one guild's votes: item-to-item ("members here who loved X also loved …") and member affinity.

Pure: built from the guild's votes (member → {drama id → 1..10 bowls}, `Storage.guild_votes`), no I/O.
Every comparison uses each member's deviations from their own mean (μ_u), so a generous voter and a
harsh one who order shows alike count as alike.

Item-to-item (adjusted cosine over the members who rated both shows, n co-raters):

    cf(i, j) = Σ_u (r_ui − μ_u)(r_uj − μ_u) / (√Σ_u (r_ui − μ_u)² · √Σ_u (r_uj − μ_u)²)      −1..1

`bot.recommend.engine.cf_blend` shrinks it towards the content similarity when n is small.

Member affinity (Pearson over the shows both rated, n of them, at least MIN_OVERLAP), shrunk:

    affinity(a, b) = pearson(a, b) · n / (n + AFFINITY_SHRINK)                                −1..1

"Members with your taste" are those with affinity ≥ KINDRED; their mean vote for a show, with their
count, is what /shouldiwatch adds.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

MIN_OVERLAP = 3
"""Fewest shows two members must both have rated before their affinity is computed."""
AFFINITY_SHRINK = 5.0
"""Shrinkage constant (in co-rated shows) of member affinity."""
KINDRED = 0.3
"""Affinity at or above which a member counts as having your taste."""
LOVED = 8
"""A vote of at least this many bowls counts as loving a show."""

Member = Hashable
Votes = Mapping[Member, Mapping[str, int]]
"""member → {drama id → score 1..10}."""


@dataclass(frozen=True, slots=True)
class Affinity:
    """How two members' votes agree.

    Attributes:
        value: shrunk Pearson correlation, −1..1 (see the module docstring).
        overlap: shows both rated.
        favourites: shows both loved (≥ LOVED), best by their combined score first.
        disagreement: (drama id, a's score, b's score) of the show they rated furthest apart, or None.
    """

    value: float
    overlap: int
    favourites: tuple[str, ...]
    disagreement: tuple[str, int, int] | None

    @property
    def percent(self) -> int:
        """The affinity as a whole percentage, −100..100."""
        return round(100 * self.value)


class GuildTaste:
    """One guild's votes, indexed both ways, with each member's mean. Build once per change of votes."""

    def __init__(self, votes: Votes) -> None:
        self.by_member: dict[Member, dict[str, int]] = {m: dict(v) for m, v in votes.items() if v}
        self.mean = {m: sum(v.values()) / len(v) for m, v in self.by_member.items()}
        self.by_drama: dict[str, dict[Member, float]] = {}
        for member, own in self.by_member.items():
            mu = self.mean[member]
            for drama_id, score in own.items():
                self.by_drama.setdefault(drama_id, {})[member] = score - mu
        self._norm = {d: math.sqrt(sum(x * x for x in devs.values())) for d, devs in self.by_drama.items()}

    # ------------------------------------------------------------------ item to item

    def co_liked(self, drama_ids: Iterable[str]) -> dict[str, tuple[float, int]]:
        """drama id → (mean adjusted cosine to `drama_ids`, most co-raters with any of them), for every
        other show some member rated beside one of them. Shows nobody co-rated are absent."""
        seeds = [d for d in dict.fromkeys(drama_ids) if d in self.by_drama]
        sums: dict[str, float] = {}
        counts: dict[str, int] = {}
        for seed in seeds:
            dots: dict[str, float] = {}
            co: dict[str, int] = {}
            for member, dev in self.by_drama[seed].items():
                mu = self.mean[member]
                for other, score in self.by_member[member].items():
                    if other != seed:
                        dots[other] = dots.get(other, 0.0) + dev * (score - mu)
                        co[other] = co.get(other, 0) + 1
            for other, dot in dots.items():
                denom = self._norm[seed] * self._norm[other]
                sums[other] = sums.get(other, 0.0) + (dot / denom if denom else 0.0)
                counts[other] = max(counts.get(other, 0), co[other])
        return {d: (sums[d] / len(seeds), counts[d]) for d in sums if d not in seeds}

    def loved_also(self, drama_id: str) -> list[tuple[str, int]]:
        """Shows loved (≥ LOVED) by members who loved `drama_id`, as (drama id, such members), most first."""
        lovers = [m for m, s in ((m, self.by_member[m].get(drama_id, 0)) for m in self.by_member) if s >= LOVED]
        counts: dict[str, int] = {}
        for member in lovers:
            for other, score in self.by_member[member].items():
                if other != drama_id and score >= LOVED:
                    counts[other] = counts.get(other, 0) + 1
        return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))

    # ------------------------------------------------------------------ members

    def affinity(self, a: Member, b: Member) -> Affinity | None:
        """How `a`'s and `b`'s votes agree, or None when they share fewer than MIN_OVERLAP rated shows."""
        va, vb = self.by_member.get(a, {}), self.by_member.get(b, {})
        both = sorted(set(va) & set(vb))
        if a == b or len(both) < MIN_OVERLAP:
            return None
        ma = sum(va[d] for d in both) / len(both)
        mb = sum(vb[d] for d in both) / len(both)
        dot = sum((va[d] - ma) * (vb[d] - mb) for d in both)
        denom = math.sqrt(sum((va[d] - ma) ** 2 for d in both) * sum((vb[d] - mb) ** 2 for d in both))
        pearson = dot / denom if denom else 0.0
        loved = sorted((d for d in both if va[d] >= LOVED and vb[d] >= LOVED), key=lambda d: (-(va[d] + vb[d]), d))
        far = max(both, key=lambda d: (abs(va[d] - vb[d]), d))
        gap = (far, va[far], vb[far]) if va[far] != vb[far] else None
        return Affinity(pearson * len(both) / (len(both) + AFFINITY_SHRINK), len(both), tuple(loved), gap)

    def kindred(self, member: Member) -> dict[Member, float]:
        """Other members whose affinity with `member` is at least KINDRED → that affinity."""
        out = {}
        for other in self.by_member:
            found = self.affinity(member, other)
            if found is not None and found.value >= KINDRED:
                out[other] = found.value
        return out

    def kindred_rating(self, member: Member, drama_id: str) -> tuple[float, int] | None:
        """(mean vote, count) for `drama_id` among the members with `member`'s taste, or None if none rated it."""
        scores = [self.by_member[m][drama_id] for m in self.kindred(member) if drama_id in self.by_member[m]]
        return (sum(scores) / len(scores), len(scores)) if scores else None

    def predict(self, member: Member) -> dict[str, float]:
        """Predicted deviation from `member`'s mean for every show kindred members rated and `member` has not:
        Σ_v affinity · (r_v − μ_v) / Σ_v |affinity| (user-based; used with the content engine for /recommend)."""
        own = self.by_member.get(member, {})
        num: dict[str, float] = {}
        den: dict[str, float] = {}
        for other, weight in self.kindred(member).items():
            mu = self.mean[other]
            for drama_id, score in self.by_member[other].items():
                if drama_id not in own:
                    num[drama_id] = num.get(drama_id, 0.0) + weight * (score - mu)
                    den[drama_id] = den.get(drama_id, 0.0) + abs(weight)
        return {d: num[d] / den[d] for d in num if den[d]}


class TasteBook:
    """`GuildTaste` per guild, rebuilt only when the store's `GuildVotes` for it has a new version."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._kept: dict[int, tuple[object, GuildTaste]] = {}

    def of(self, votes: GuildVotesLike) -> GuildTaste:
        """The guild's taste from `votes` (`bot.store.GuildVotes`: guild_id, version, by_member)."""
        kept = self._kept.pop(votes.guild_id, None)
        if kept is None or kept[0] != votes.version:
            kept = (votes.version, GuildTaste(votes.by_member))
        self._kept[votes.guild_id] = kept
        while len(self._kept) > self.size:
            self._kept.pop(next(iter(self._kept)))
        return kept[1]


class GuildVotesLike(Protocol):
    """What `TasteBook.of` reads (the store's `GuildVotes`)."""

    guild_id: int
    version: object
    by_member: Votes
