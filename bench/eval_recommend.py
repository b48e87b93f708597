"""Measure /recommend and /shouldiwatch against the golden files and baselines, in one run (issue #12).

Run from the project root:

    .venv/bin/python bench/eval_recommend.py          # full: every show as a coverage seed, 200 members
    .venv/bin/python bench/eval_recommend.py --fast   # small: 150 coverage seeds, 30 members

What it prints, each row beside the baselines of the same run:
  * hit@5 / absurd@5 on bench/golden/recommend.toml, per catalog (bundled; bundled + CSV when
    ../shared/catalog-data/kdramas.csv or $RAMEN_SHARED_DIR/catalog-data/kdramas.csv exists),
    with catalog coverage and popularity bias of the top-10 lists (every catalog show as a seed);
  * verdict accuracy on bench/golden/verdicts.toml and the "confidently wrong" count;
  * leave-one-out hit-rate@10 of the taste signal on a SIMULATED server (invented members and votes,
    see bench/evalkit/simulate.py), with coverage and popularity bias of the members' top-10s.
Rows: "random" (fixed seed), "community" (community score only), "before" (the pre-issue-12 rules,
frozen in bench/evalkit/before.py) and "engine" (the live code, through bench/evalkit/adapter.py).

Plugging in: `evaluate(rankers=..., verdicts=..., taste_signals=...)` takes extra named entries
(factories over the catalog, see the type aliases below); they are scored beside the defaults.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.evalkit import adapter, golden, server_best, simulate  # noqa: E402
from bench.evalkit.adapter import Drama, Ranker  # noqa: E402
from bench.evalkit.before import before_ranker, before_verdict  # noqa: E402
from bench.evalkit.report import RULES_ONLY, report  # noqa: E402

SHARED_CSV = Path(os.environ.get("RAMEN_SHARED_DIR", ROOT.parent / "shared")) / "catalog-data" / "kdramas.csv"
SEED = 20201216  # Run On's first air date: the same random draws every run
TOP = 5  # hit@5 / absurd@5
TOP_LIST = 10  # coverage, popularity and leave-one-out use top-10 lists

RankerFactory = Callable[[Sequence[Drama]], Ranker]
"""catalog → (seed drama, k) → drama ids, best first (never the seed)."""
VerdictFn = Callable[[Drama, str], str]
"""(drama, interest) → "yes" | "maybe" | "no" | "unknown"."""


# --------------------------------------------------------------------------- results


@dataclass
class RankerFigures:
    """One ranker on one catalog. Shares are 0..1; score figures are None without community scores."""

    name: str
    hit_at_5: float  # seeds with ≥ 1 expected title in the top 5
    absurd_at_5: float  # seeds with ≥ 1 absurd title in the top 5 (lower is better)
    expected_at_5: float  # mean share of min(5, |expect|) expected titles found in the top 5
    coverage: float  # share of the catalog in any top-10 (coverage seeds)
    mean_score: float | None  # mean community score of the top-10 slots
    mean_rank_pct: float | None  # mean popularity percentile of the top-10 slots (1.0 = best-scored)
    misses: list[str] = field(default_factory=list)  # seeds with no expected title in the top 5
    absurd_hits: list[str] = field(default_factory=list)  # "seed → absurd title" found in the top 5


@dataclass
class CatalogFigures:
    catalog: str  # "bundled" or "bundled+CSV"
    size: int
    seeds: int
    coverage_seeds: int
    catalog_mean_score: float | None
    rankers: list[RankerFigures]


@dataclass
class VerdictFigures:
    name: str
    catalog: str
    cases: int
    accuracy: float
    confidently_wrong: int  # yes where expected no, or no where expected yes
    guessed_unknown: int  # yes or no where the catalog cannot tell (expected "unknown")
    wrong: list[str] = field(default_factory=list)


@dataclass
class TasteFigures:
    name: str
    hit_rate_at_10: float
    coverage: float
    mean_score: float | None
    mean_rank_pct: float | None


@dataclass
class TasteRun:
    catalog: str
    members: int
    held_out: int
    votes: int
    rows: list[TasteFigures]
    oracle_hit_rate: float  # ceiling: ranking by the hidden watch propensities
    random_expected: float  # what a random top-10 hits on average: mean of 10 / unrated shows


@dataclass
class EvalResults:
    """Everything one run measured; `notes` says what was skipped and why."""

    catalogs: list[CatalogFigures]
    verdicts: list[VerdictFigures]
    taste: TasteRun
    notes: list[str] = field(default_factory=list)
    best: list[server_best.BestFigures] = field(default_factory=list)  # no options, server votes

    def ranker(self, catalog: str, name: str) -> RankerFigures:
        cat = next(c for c in self.catalogs if c.catalog == catalog)
        return next(r for r in cat.rankers if r.name == name)

    def verdict(self, catalog: str, name: str) -> VerdictFigures:
        return next(v for v in self.verdicts if v.catalog == catalog and v.name == name)


# --------------------------------------------------------------------------- baselines


def random_ranker(dramas: Sequence[Drama]) -> Ranker:
    """Baseline: k other shows at random, seeded by the seed show (same list every run)."""
    ids = [d.id for d in dramas]

    def rank(seed: Drama, k: int) -> list[str]:
        pool = [i for i in ids if i != seed.id]
        return random.Random(f"{SEED}:{seed.id}").sample(pool, min(k, len(pool)))

    return rank


def community_ranker(dramas: Sequence[Drama]) -> Ranker:
    """Baseline: the best community-scored shows (reviewer's bowls where none), whatever the seed."""
    order = simulate.score_order(dramas)

    def rank(seed: Drama, k: int) -> list[str]:
        return [i for i in order if i != seed.id][:k]

    return rank


def default_rankers() -> dict[str, RankerFactory]:
    return {
        "random": random_ranker,
        "community": community_ranker,
        "before": before_ranker,
        "engine": adapter.engine_ranker,
    }


"""Suffix of the verdict rows that set each show's own notes aside (see `default_verdicts`)."""


def default_verdicts() -> dict[str, VerdictFn]:
    labels = ("yes", "maybe", "no", "unknown")

    def random_verdict(drama: Drama, interest: str) -> str:
        return random.Random(f"{SEED}:{drama.id}:{interest}").choice(labels)

    def rules_only(fn: VerdictFn) -> VerdictFn:
        # The same answer with the show's own audience notes set aside: what the genre/tag rules
        # alone say. On the bundled catalog, where every show has a note for every interest and a
        # note wins by rule, "before" and "engine" tie by construction; these rows tell them apart.
        return lambda drama, interest: fn(dataclasses.replace(drama, audience=None), interest)

    return {
        "random": random_verdict,
        "always maybe": lambda _d, _i: "maybe",
        "before": before_verdict,
        "engine": adapter.engine_verdict,
        f"before{RULES_ONLY}": rules_only(before_verdict),
        f"engine{RULES_ONLY}": rules_only(adapter.engine_verdict),
    }


def default_taste_signals() -> dict[str, simulate.TasteSignalFactory]:
    return {
        "random": simulate.random_signal(SEED),
        "community": simulate.community_signal,
        "engine": adapter.engine_taste_signal,
    }


# --------------------------------------------------------------------------- measuring


class Popularity:
    """Community-score figures of recommended lists against the catalog."""

    def __init__(self, dramas: Sequence[Drama]) -> None:
        scored = [d for d in dramas if d.community_score is not None]
        self.score = {d.id: d.community_score for d in scored}
        order = sorted(scored, key=lambda d: d.community_score or 0.0)
        n = len(order)
        self.pct = {d.id: (r + 1) / n for r, d in enumerate(order)} if n else {}
        self.catalog_mean = sum(self.score.values()) / n if n else None

    def figures(self, lists: Sequence[Sequence[str]]) -> tuple[float | None, float | None]:
        slots = [i for top in lists for i in top if i in self.score]
        if not slots:
            return None, None
        return sum(self.score[i] for i in slots) / len(slots), sum(self.pct[i] for i in slots) / len(slots)


def score_rankers(
    name: str,
    dramas: list[Drama],
    seeds: Sequence[golden.Seed],
    rankers: Mapping[str, RankerFactory],
    coverage_seeds: int | None,
) -> CatalogFigures:
    """hit@5, absurd@5, coverage and popularity of each ranker on `dramas` (catalog `name`)."""
    index = golden.TitleIndex(dramas)
    popularity = Popularity(dramas)
    cover = (
        dramas
        if coverage_seeds is None or coverage_seeds >= len(dramas)
        else random.Random(SEED).sample(dramas, coverage_seeds)
    )
    rows = []
    for ranker_name, factory in rankers.items():
        rank = factory(dramas)
        hits = absurd = 0
        expected_share = 0.0
        misses, absurd_hits = [], []
        for seed in seeds:
            drama = index.find(seed.title, seed.year)
            if drama is None:
                raise golden.GoldenError(f"seed {seed.title!r}: {index.problem(seed.title, seed.year)}")
            top = set(_titles(rank(drama, TOP)[:TOP], dramas))
            found = top & set(seed.expect)
            hits += bool(found)
            expected_share += len(found) / min(TOP, len(seed.expect))
            if not found:
                misses.append(seed.title)
            laughs = sorted(top & set(seed.absurd))
            absurd += bool(laughs)
            absurd_hits += [f"{seed.title} → {t}" for t in laughs]
        lists = [rank(d, TOP_LIST)[:TOP_LIST] for d in cover]
        covered = {i for top in lists for i in top}
        mean_score, mean_pct = popularity.figures(lists)
        n = len(seeds) or 1
        rows.append(
            RankerFigures(
                ranker_name,
                hits / n,
                absurd / n,
                expected_share / n,
                len(covered) / len(dramas),
                mean_score,
                mean_pct,
                misses,
                absurd_hits,
            )
        )
    return CatalogFigures(name, len(dramas), len(seeds), len(cover), popularity.catalog_mean, rows)


def _titles(ids: Sequence[str], dramas: Sequence[Drama]) -> list[str]:
    by_id = {d.id: d.title for d in dramas}
    return [by_id[i] for i in ids]


def score_verdicts(
    name: str, dramas: list[Drama], cases: Sequence[golden.VerdictCase], verdicts: Mapping[str, VerdictFn]
) -> list[VerdictFigures]:
    """Accuracy, confidently-wrong and guessed-unknown counts of each verdict function on `cases`."""
    index = golden.TitleIndex(dramas)
    rows = []
    for verdict_name, fn in verdicts.items():
        right = confident = guessed = 0
        wrong = []
        for case in cases:
            drama = index.find(case.title, case.year)
            if drama is None:
                raise golden.GoldenError(f"verdict {case.title!r}: {index.problem(case.title, case.year)}")
            got = fn(drama, case.interest)
            if got == case.expected:
                right += 1
                continue
            wrong.append(f"{case.title} / {case.interest}: {got} (expected {case.expected})")
            confident += {got, case.expected} == {"yes", "no"}
            guessed += case.expected == "unknown" and got in ("yes", "no")
        rows.append(
            VerdictFigures(
                verdict_name, name, len(cases), right / len(cases) if cases else 0.0, confident, guessed, wrong
            )
        )
    return rows


def evaluate(
    *,
    fast: bool = False,
    csv_path: Path | None = SHARED_CSV,
    rankers: Mapping[str, RankerFactory] | None = None,
    verdicts: Mapping[str, VerdictFn] | None = None,
    taste_signals: Mapping[str, simulate.TasteSignalFactory] | None = None,
    members: int | None = None,
) -> EvalResults:
    """Run the whole evaluation and return its figures (prints nothing).

    Args:
        fast: small settings (150 coverage seeds per catalog, 30 simulated members) for the tests.
        csv_path: the shared K-drama CSV; None or a missing file skips the bundled+CSV parts (a note says so).
        rankers, verdicts, taste_signals: extra named entries scored beside the defaults (same name
            replaces a default).
        members: simulated members (default 30 fast, 200 full).
    Raises:
        golden.GoldenError: a golden file is malformed or names a show its catalog lacks.
    """
    seeds, cases = golden.load_seeds(), golden.load_verdicts()
    all_rankers = default_rankers() | dict(rankers or {})
    all_verdicts = default_verdicts() | dict(verdicts or {})
    all_signals = default_taste_signals() | dict(taste_signals or {})
    coverage_seeds = 150 if fast else None
    notes: list[str] = []

    bundled = adapter.load_catalog()
    bundled_titles = {d.title for d in bundled}
    catalogs = [
        score_rankers("bundled", bundled, [s for s in seeds if s.judged_on("bundled")], all_rankers, coverage_seeds)
    ]
    bundled_cases = [c for c in cases if c.title in bundled_titles]
    verdict_rows = score_verdicts("bundled", bundled, bundled_cases, all_verdicts)
    best_cases = server_best.load_cases()
    best_rows = server_best.score("bundled", bundled, [c for c in best_cases if c.catalog == "bundled"])
    full = None
    if csv_path is not None and csv_path.is_file():
        full = adapter.load_catalog(csv_path)
        catalogs.append(
            score_rankers("bundled+CSV", full, [s for s in seeds if s.judged_on("csv")], all_rankers, coverage_seeds)
        )
        verdict_rows += score_verdicts("bundled+CSV", full, cases, all_verdicts)
        best_rows += server_best.score("bundled+CSV", full, [c for c in best_cases if c.catalog == "csv"])
    else:
        notes.append(
            f"bundled+CSV parts skipped: no CSV at {csv_path} (hit@5/absurd@5 on CSV seeds, "
            f"{len(cases) - len(bundled_cases)} CSV-only verdicts)"
        )

    taste_catalog = full if full is not None else bundled
    server = simulate.simulate_server(
        taste_catalog,
        members=members or (30 if fast else 200),
        watch_min=8 if fast else 15,
        watch_max=15 if fast else 40,
        seed=SEED,
    )
    popularity = Popularity(taste_catalog)
    taste_rows = []
    for signal_name, factory in all_signals.items():
        rate, lists = simulate.leave_one_out(server, factory, TOP_LIST)
        covered = {i for top in lists for i in top}
        mean_score, mean_pct = popularity.figures(lists)
        taste_rows.append(TasteFigures(signal_name, rate, len(covered) / len(taste_catalog), mean_score, mean_pct))
    oracle, _ = simulate.leave_one_out(server, simulate.oracle_signal(server), TOP_LIST)
    taste = TasteRun(
        "bundled+CSV" if full is not None else "bundled",
        len(server.visible),
        len(server.held_out),
        server.vote_count,
        taste_rows,
        oracle,
        simulate.random_expectation(server, TOP_LIST),
    )
    return EvalResults(catalogs, verdict_rows, taste, notes, best_rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fast", action="store_true", help="small settings (what the test suite runs)")
    parser.add_argument("--csv", type=Path, default=SHARED_CSV, help="the shared K-drama CSV (default: %(default)s)")
    parser.add_argument("--members", type=int, default=None, help="simulated members (default 30 fast, 200 full)")
    parser.add_argument("--quiet", action="store_true", help="tables only, without missed seeds and wrong verdicts")
    args = parser.parse_args(argv)
    results = evaluate(fast=args.fast, csv_path=args.csv, members=args.members)
    print(
        f"Ramen judgment evaluation ({'fast' if args.fast else 'full'}); seed {SEED}."
        " Rows: random, community (score only), before (pre-issue-12 rules, frozen), engine (live code)."
    )
    print(report(results, details=not args.quiet))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
