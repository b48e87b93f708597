"""The golden /shouldiwatch cases as tests of issue #12's goals, on the live verdicts.

Each labelled (show, interest) pair of bench/golden/verdicts.toml is one test: the engine may miss
(a "maybe" where a fan says yes), but it may never be confidently wrong (yes where the answer is
no, or no where it is yes), and it never answers yes or no where the catalog cannot tell.
The aggregate goals are checked on the same run as the baselines: accuracy above every baseline,
and at least `MIN_ACCURACY`.

Measured (bench/README.md): the live verdicts 93.3% bundled (56/60) and 93.5% with the CSV (86/92).
Every bundled show now carries its own per-interest notes, which win by rule; they disagree with
four golden labels by one step (yes↔maybe, maybe↔no), and the "before" code also reads them, so on
the bundled catalog the two tie by construction. The rules alone (notes set aside, the "(rules)"
rows) measure the genre/tag vocabulary itself: 95.0% bundled (57/60) and 95.7% with the CSV
(88/92), against 91.7% and 81.5% for the old substring rules. The floors sit just below.
"""

from __future__ import annotations

import pytest

from bench import eval_recommend
from bench.evalkit import adapter, golden
from tests.conftest import SHARED_CSV

MIN_ACCURACY = 0.93
MIN_RULES_ACCURACY = 0.94

_CASES = golden.load_verdicts()


@pytest.fixture(scope="module")
def bundled() -> golden.TitleIndex:
    return golden.TitleIndex(adapter.load_catalog())


@pytest.fixture(scope="module")
def full() -> golden.TitleIndex | None:
    return golden.TitleIndex(adapter.load_catalog(SHARED_CSV)) if SHARED_CSV.is_file() else None


@pytest.mark.parametrize("case", _CASES, ids=[f"{c.title}/{c.interest}" for c in _CASES])
def test_golden_verdict_is_never_confidently_wrong(case: golden.VerdictCase, bundled, full):
    indexes = [bundled] + ([full] if full is not None else [])
    judged = 0
    for index in indexes:
        drama = index.find(case.title, case.year)
        if drama is None:
            continue  # a CSV-only show, judged only with the CSV
        got = adapter.engine_verdict(drama, case.interest)
        assert {got, case.expected} != {"yes", "no"}, f"{case.title} / {case.interest}: {got}, fan says {case.why}"
        if case.expected == "unknown":
            assert got not in ("yes", "no"), f"{case.title} / {case.interest}: guessed {got}"
        judged += 1
    if judged == 0:
        pytest.skip(f"{case.title} is only in the shared CSV ({SHARED_CSV}), absent here")


@pytest.fixture(scope="module")
def results() -> eval_recommend.EvalResults:
    return eval_recommend.evaluate(fast=True, csv_path=SHARED_CSV if SHARED_CSV.is_file() else None, members=5)


@pytest.mark.parametrize("catalog", ["bundled", "bundled+CSV"])
def test_verdict_accuracy_beats_every_baseline_and_the_floor(results, catalog):
    if catalog not in {v.catalog for v in results.verdicts}:
        pytest.skip(f"the shared CSV is absent ({SHARED_CSV})")
    engine = results.verdict(catalog, "engine")
    assert engine.confidently_wrong == 0, engine.wrong
    assert engine.guessed_unknown == 0, engine.wrong
    assert engine.accuracy >= MIN_ACCURACY, engine.wrong
    for baseline in ("random", "always maybe"):
        assert engine.accuracy > results.verdict(catalog, baseline).accuracy, baseline
    before = results.verdict(catalog, "before").accuracy
    if catalog == "bundled":
        # Every bundled show carries its own note for every interest (issue #13), and a note wins by
        # rule in both the engine and the "before" code: on this catalog the two tie by construction.
        assert engine.accuracy >= before, "before"
    else:
        assert engine.accuracy > before, "before"
    rules, before_rules = results.verdict(catalog, "engine (rules)"), results.verdict(catalog, "before (rules)")
    assert rules.confidently_wrong == 0 and rules.guessed_unknown == 0, rules.wrong
    assert rules.accuracy >= MIN_RULES_ACCURACY, rules.wrong
    assert rules.accuracy > before_rules.accuracy
