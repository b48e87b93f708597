"""Benchmark title autocomplete: speed and whether its top choice is the show meant, against
brute-force `rapidfuzz.process.extractOne(scorer=WRatio)` over every title and alias in the same run.

    .venv/bin/python bench/bench_autocomplete.py [--queries 200] [--sizes 10000,100000]

Catalogs: the start-up catalog (bundled TOML + the shared CSV, actors included), then synthesized
catalogs of the given sizes (copies of the real rows with numbered titles, `bench_recommend.synthesize`).
Queries are realistic typos of a random show's title (one swapped, dropped or doubled character,
in the whole title or in its first 60-100%, with random case); the show meant is that show.

Targets (issue #13): p99 of `title_choices` ≤ 2 ms at 10k titles and ≤ 5 ms at 100k; the top
choice is the show meant at least as often as the WRatio baseline's, at every size. Each figure
says met or missed. Needs the shared CSV; says "skipped" without it.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_recommend import SHARED_CSV, percentiles, synthesize, timed, typo  # noqa: E402
from bot.catalog.assemble import build_catalog  # noqa: E402
from bot.catalog.index import Catalog  # noqa: E402
from bot.catalog.model import Drama, normalize  # noqa: E402
from bot.ui.options import title_choices  # noqa: E402

SEED = 13
TARGET_P99_MS = {10_000: 2.0, 100_000: 5.0}


def queries_for(dramas: list[Drama], count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(query, id of the show meant): a typo in the title or in its first 60-100%, random case."""
    out = []
    for _ in range(count):
        drama = rng.choice(dramas)
        title = drama.title
        if rng.random() < 0.5:
            title = title[: max(4, round(len(title) * rng.uniform(0.6, 1.0)))]
        text = typo(title, rng)
        out.append((text.lower() if rng.random() < 0.5 else text, drama.id))
    return out


class Baseline:
    """Brute force: `extractOne(WRatio)` over every title and alias of every drama."""

    def __init__(self, catalog: Catalog) -> None:
        pairs = [(normalize(n), d.id) for d in catalog for n in d.names]
        self.keys = [k for k, _ in pairs]
        self.ids = [i for _, i in pairs]

    def top(self, query: str) -> str | None:
        hit = process.extractOne(normalize(query), self.keys, scorer=fuzz.WRatio, processor=None)
        return self.ids[hit[2]] if hit else None


def measure(label: str, catalog: Catalog, queries: list[tuple[str, str]], target_ms: float | None) -> bool:
    title_choices(catalog, "warm up")
    samples, ours_hits, base_hits, agree = [], 0, 0, 0
    baseline = Baseline(catalog)
    base_ms = []
    for query, meant in queries:
        samples.append(timed(lambda q=query: title_choices(catalog, q)))
        choices = title_choices(catalog, query)
        ours = choices[0].value if choices else None
        base_ms.append(timed(lambda q=query: baseline.top(q)))
        base = baseline.top(query)
        ours_hits += ours == meant
        base_hits += base == meant
        agree += ours == base
    p50, p99, worst = percentiles(samples)
    n = len(queries)
    names = len(baseline.keys)
    print(f"\n{label}: {len(catalog):,} dramas, {names:,} titles and aliases, {n} typo queries")
    speed_ok = target_ms is None or p99 <= target_ms
    target = f"target p99 ≤ {target_ms:g} ms: {'met' if speed_ok else 'MISSED'}" if target_ms else "(no target)"
    print(f"  title_choices            p50 {p50:6.3f} ms  p99 {p99:6.3f} ms  max {worst:6.3f} ms   {target}")
    b50, b99, _ = percentiles(base_ms)
    print(f"  baseline extractOne      p50 {b50:6.3f} ms  p99 {b99:6.3f} ms   ({b99 / p99:.0f}× slower at p99)")
    quality_ok = ours_hits >= base_hits
    print(
        f"  top choice = show meant: ours {ours_hits}/{n} ({ours_hits / n:.1%}), baseline {base_hits}/{n}"
        f" ({base_hits / n:.1%}); same top choice in {agree}/{n}   "
        f"target ours ≥ baseline: {'met' if quality_ok else 'MISSED'}"
    )
    return speed_ok and quality_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200, help="typo queries per catalog (default 200)")
    parser.add_argument("--sizes", default="10000,100000", help="synthesized catalog sizes (default 10000,100000)")
    args = parser.parse_args(argv)
    if not SHARED_CSV.is_file():
        print(f"skipped: the shared K-drama CSV is absent ({SHARED_CSV})")
        return 0
    rng = random.Random(SEED)
    catalog, _ = build_catalog(ROOT / "data" / "dramas", SHARED_CSV)
    real = list(catalog)
    all_met = measure("start-up catalog", catalog, queries_for(real, args.queries, rng), None)
    for size in (int(s) for s in args.sizes.split(",")):
        synthetic = Catalog(synthesize(real, size, rng), catalog.actors)
        queries = queries_for(list(synthetic), args.queries, rng)
        all_met &= measure(f"synthesized {size:,}", synthetic, queries, TARGET_P99_MS.get(size))
    print(f"\nall targets: {'met' if all_met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
