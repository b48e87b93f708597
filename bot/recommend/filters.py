"""`/recommend`'s filters: one rule set, applied to a drama's folded facets.

    genre         equals one of the drama's genres, synonyms folded to the genre word (`genre_key`:
                  "Legal" means "Law");
    tag           equals one of its tags (folded);
    max_episodes  its episode count is known and ≤ n;
    platform      a case-insensitive substring of one of its streaming services (its `platforms`,
                  plus a network that is itself a streaming service: `where_to_watch`);
    network       equals one of its original broadcasters (`network`), ignoring case.

The engine folds every drama's facets once (`facets_of`) and asks `Filters.admits`; a single
drama is checked with `Filters.matches`. Both go through `passes`, the only place the rules live.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.catalog.model import Drama, normalize
from bot.catalog.vocabulary import GENRE_SYNONYMS, genre_key, where_to_watch

FILTER_ORDER = ("genre", "tag", "max_episodes", "platform", "network")
"""The order in which filters are applied when finding the one that emptied the list."""


@dataclass(frozen=True, slots=True)
class Facets:
    """What the filters look at in one drama, folded once: genres and tags by `normalize()`,
    streaming services and networks casefolded, the episode count as it is."""

    genres: frozenset[str]
    tags: frozenset[str]
    episodes: int | None
    where: tuple[str, ...]
    networks: frozenset[str] = frozenset()


def facets_of(drama: Drama, fold: Callable[[str], str] = normalize, where: tuple[str, ...] | None = None) -> Facets:
    """The filter facets of `drama` (`fold`: `normalize`, or a remembered copy of it for a whole catalog;
    `where`: `where_to_watch(drama)` when the caller has it already)."""
    return Facets(
        genres=frozenset(fold(GENRE_SYNONYMS.get(fold(g), g)) for g in drama.genres),  # as `genre_key`
        tags=frozenset(fold(t) for t in drama.tags),
        episodes=drama.episodes,
        where=tuple(p.casefold() for p in (where_to_watch(drama) if where is None else where)),
        networks=frozenset(n.casefold().strip() for n in drama.network),
    )


@dataclass(frozen=True, slots=True)
class Filters:
    """What `/recommend`'s filter options ask for; None means "any". Blank text means not given."""

    genre: str | None = None
    tag: str | None = None
    max_episodes: int | None = None
    platform: str | None = None
    network: str | None = None

    def __post_init__(self) -> None:
        # Blank text means "not given" (a member who cleared the option).
        for name in ("genre", "tag", "platform", "network"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                object.__setattr__(self, name, None)

    @property
    def active(self) -> tuple[str, ...]:
        """Names of the filters that are set, in `FILTER_ORDER`."""
        return tuple(name for name in FILTER_ORDER if getattr(self, name) is not None)

    def __bool__(self) -> bool:
        return bool(self.active)

    def checks(self) -> list[tuple[Rule, Any]]:
        """The set filters as (rule, folded value) pairs, values folded once for many dramas."""
        return [(RULES[name], _folded(name, getattr(self, name))) for name in self.active]

    def admits(self, facets: Facets) -> bool:
        """Whether a drama with these facets passes every set filter."""
        return all(rule(facets, value) for rule, value in self.checks())

    def matches(self, drama: Drama) -> bool:
        """Whether `drama` passes every set filter."""
        return self.admits(facets_of(drama))


Rule = Callable[[Facets, Any], bool]

RULES: dict[str, Rule] = {
    "genre": lambda facets, key: key in facets.genres,
    "tag": lambda facets, key: key in facets.tags,
    "max_episodes": lambda facets, cap: facets.episodes is not None and facets.episodes <= cap,
    "platform": lambda facets, needle: any(needle in where for where in facets.where),
    "network": lambda facets, key: key in facets.networks,
}
"""The one rule per filter, on a drama's facets and the filter's folded value (see the module docstring)."""

KEPT_FILTER_MASKS = 256
"""Filter values whose passing arrays a `FilterIndex` keeps (oldest dropped first)."""

RULE_FACET = {"genre": "genres", "tag": "tags", "max_episodes": "episodes", "platform": "where", "network": "networks"}
"""The one facet field each rule reads: dramas equal in that field pass or fail a filter together."""


class FilterIndex:
    """A catalog's facets (`facets_of`, one per drama, catalog order) grouped per filter by the one
    field its rule reads, so each rule in `RULES` runs once per distinct value, not once per drama."""

    def __init__(self, facets: Sequence[Facets]) -> None:
        self._n = len(facets)
        self._groups: dict[str, list[tuple[Facets, np.ndarray]]] = {}
        for name, attr in RULE_FACET.items():
            groups: dict[object, list[int]] = {}
            for i, one in enumerate(facets):
                groups.setdefault(getattr(one, attr), []).append(i)
            self._groups[name] = [(facets[ix[0]], np.array(ix, dtype=np.int64)) for ix in groups.values()]
        self._kept: dict[tuple[str, Any], np.ndarray] = {}

    def mask(self, filters: Filters) -> np.ndarray:
        """Boolean array of shape (dramas,): True where the drama passes every set filter. Each filter
        value's array is kept (up to `KEPT_FILTER_MASKS`) for later requests; callers must not change it."""
        mask = np.ones(self._n, dtype=bool)
        for name, (_, value) in zip(filters.active, filters.checks(), strict=True):
            passing = self._kept.get((name, value))
            if passing is None:
                passing = np.zeros(self._n, dtype=bool)
                for facets, ix in self._groups[name]:
                    if RULES[name](facets, value):
                        passing[ix] = True
                if len(self._kept) >= KEPT_FILTER_MASKS:
                    self._kept.pop(next(iter(self._kept)))
                self._kept[(name, value)] = passing
            mask &= passing
        return mask


def _folded(name: str, value: Any) -> Any:
    """A filter's value folded as its facet is: genre and tag by `normalize()`, platform and network casefolded."""
    if name == "genre":  # a synonym means its genre: genre:Legal finds the Law dramas
        return genre_key(value)
    if name == "tag":
        return normalize(value)
    if name in ("platform", "network"):
        return value.casefold().strip()
    return value


def passes(facets: Facets, filters: Filters, name: str) -> bool:
    """Whether a drama's `facets` pass the one filter `name` (one of `FILTER_ORDER`); unset → True.

    Raises ValueError for an unknown filter name.
    """
    if name not in RULES:
        raise ValueError(f"unknown filter {name!r}")
    value = getattr(filters, name)
    return value is None or RULES[name](facets, _folded(name, value))


def asked_first(services: Iterable[str], filters: Filters) -> tuple[str, ...]:
    """A drama's streaming services (`where_to_watch`) with those the `platform` filter matches (the
    same rule as `RULES["platform"]`) first, the order otherwise kept; unchanged without a platform.

    >>> asked_first(("Prime Video", "Apple TV", "Viki", "Netflix"), Filters(platform="netflix"))
    ('Netflix', 'Prime Video', 'Apple TV', 'Viki')
    """
    services = tuple(services)
    if filters.platform is None:
        return services
    needle = _folded("platform", filters.platform)
    return tuple(sorted(services, key=lambda service: needle not in service.casefold()))


def first_emptying_filter(dramas: Iterable[Drama] | Iterable[Facets], filters: Filters) -> str | None:
    """Apply the set filters one at a time, in `FILTER_ORDER`, to `dramas` (or their facets).

    Returns:
        The name of the first filter after which no drama is left (one of `FILTER_ORDER`), or None
        when every filter leaves at least one drama.
    """
    pool = [d if isinstance(d, Facets) else facets_of(d) for d in dramas]
    for name, (rule, value) in zip(filters.active, filters.checks(), strict=True):
        pool = [f for f in pool if rule(f, value)]
        if not pool:
            return name
    return None
