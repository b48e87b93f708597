"""/recommend with no options on a server with votes: the golden cases of bench/golden/server_best.toml.

`load_cases` checks the file's shape (raises `golden.GoldenError` naming the file, the case and the
field); `score` runs each best-list ranker over the cases and returns one `BestFigures` per ranker:
hit@5 = share of cases whose every `expect` title is in the top 5 and no `never` title is.

Rankers (catalog → (server scores, platform, k) → drama ids):
  * "community": the community score only (the server's votes ignored), as the issue-12 baseline;
  * "blend": the rule before this set was written (frozen here): the catalog's quality damped by the
    server's votes, (5 · base + n · mean / 10) / (5 + n), base = reviewer 0.6 / community 0.4 over
    those present, 0.6 with neither; ties by folded title;
  * "engine": the live code (`adapter.engine_best`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.evalkit import adapter, golden
from bench.evalkit.adapter import Drama, normalize

CASES_FILE = golden.GOLDEN_DIR / "server_best.toml"
TOP = 5

ServerScores = Mapping[str, tuple[float, int]]
BestRanker = Callable[[ServerScores, "str | None", int], list[str]]
"""(drama id → (plain mean, votes), platform or None, k) → up to k drama ids, best first."""


@dataclass(frozen=True, slots=True)
class BestCase:
    name: str
    catalog: str  # "bundled" | "csv"
    votes: dict[str, tuple[int, ...]]
    expect: tuple[str, ...]
    never: tuple[str, ...] = ()
    platform: str | None = None


@dataclass
class BestFigures:
    name: str
    catalog: str
    cases: int
    hit_at_5: float
    misses: list[str] = field(default_factory=list)


def load_cases(path: Path = CASES_FILE) -> list[BestCase]:
    """The [[case]] entries of `path`. Raises golden.GoldenError for a malformed entry."""
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("case")
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise golden.GoldenError(f"{path.name}: {exc}") from exc
    if not isinstance(entries, list) or not entries:
        raise golden.GoldenError(f"{path.name}: [[case]]: expected an array of tables")
    cases = []
    for n, entry in enumerate(entries, 1):
        where = f"{path.name}: case {n} ({entry.get('name', '?')!r})"
        votes = entry.get("votes")
        if not isinstance(votes, dict) or not all(
            isinstance(v, list) and v and all(isinstance(s, int) and 1 <= s <= 10 for s in v) for v in votes.values()
        ):
            raise golden.GoldenError(f"{where}: votes: expected title = [votes 1-10, ...]")
        expect, never = tuple(entry.get("expect", ())), tuple(entry.get("never", ()))
        if not 1 <= len(expect) <= TOP or not set(expect) | set(never) <= set(votes):
            raise golden.GoldenError(f"{where}: expect/never: 1-{TOP} expected titles, each with votes")
        if entry.get("catalog") not in ("bundled", "csv"):
            raise golden.GoldenError(f"{where}: catalog: expected 'bundled' or 'csv'")
        cases.append(
            BestCase(
                str(entry.get("name", n)),
                entry["catalog"],
                {t: tuple(v) for t, v in votes.items()},
                expect,
                never,
                entry.get("platform"),
            )
        )
    return cases


def community_best(dramas: Sequence[Drama]) -> BestRanker:
    """Baseline: the community score only (reviewer's bowls where none); the server's votes ignored."""
    order = sorted(dramas, key=lambda d: (-(d.community_score or (d.review.ramen if d.review else 0.0)), d.id))
    return lambda _scores, platform, k: [d.id for d in order if _streams(d, platform)][:k]


def blend_best(dramas: Sequence[Drama]) -> BestRanker:
    """Baseline: the rule before these cases (frozen): catalog quality damped by the server's votes."""

    def base(d: Drama) -> float:
        parts = [(0.6, d.review.ramen / 10)] if d.review else []
        parts += [(0.4, d.community_score / 10)] if d.community_score is not None else []
        return sum(w * v for w, v in parts) / sum(w for w, _ in parts) if parts else 0.6

    def rank(scores: ServerScores, platform: str | None, k: int) -> list[str]:
        def quality(d: Drama) -> float:
            mean, n = scores.get(d.id, (0.0, 0))
            return (5 * base(d) + n * mean / 10) / (5 + n)

        ordered = sorted(dramas, key=lambda d: (-quality(d), normalize(d.title), d.id))
        return [d.id for d in ordered if _streams(d, platform)][:k]

    return rank


def _streams(drama: Drama, platform: str | None) -> bool:
    needle = (platform or "").casefold()
    return not needle or any(needle in p.casefold() for p in (*drama.platforms, *drama.network))


def default_rankers() -> dict[str, Callable[[Sequence[Drama]], BestRanker]]:
    return {"community": community_best, "blend": blend_best, "engine": adapter.engine_best}


def score(name: str, dramas: list[Drama], cases: Sequence[BestCase], rankers=None) -> list[BestFigures]:
    """hit@5 of each ranker over `cases` on the catalog `dramas` (named `name`). Raises GoldenError for a
    title that does not name exactly one show."""
    index = golden.TitleIndex(dramas)
    rows = []
    for ranker_name, factory in (rankers or default_rankers()).items():
        rank = factory(dramas)
        hits, misses = 0, []
        for case in cases:
            ids = {}
            for title in case.votes:
                drama = index.find(title)
                if drama is None:
                    raise golden.GoldenError(f"server_best case {case.name!r}: {index.problem(title)}")
                ids[title] = drama.id
            scores = {ids[t]: (sum(v) / len(v), len(v)) for t, v in case.votes.items()}
            top = set(rank(scores, case.platform, TOP)[:TOP])
            ok = {ids[t] for t in case.expect} <= top and not {ids[t] for t in case.never} & top
            hits += ok
            misses += [] if ok else [case.name]
        rows.append(BestFigures(ranker_name, name, len(cases), hits / len(cases) if cases else 0.0, misses))
    return rows
