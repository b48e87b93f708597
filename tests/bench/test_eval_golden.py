"""The golden files of issue #12 are well-formed and name real shows; the evaluation runs end to end.

The goals themselves are asserted in test_verdict_goals.py (verdicts); the figures
are printed by `bench/eval_recommend.py` and recorded in bench/README.md.
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from bench import eval_recommend
from bench.evalkit import adapter, golden
from tests.conftest import SHARED_CSV


@pytest.fixture(scope="module")
def seeds() -> list[golden.Seed]:
    return golden.load_seeds()


@pytest.fixture(scope="module")
def verdicts() -> list[golden.VerdictCase]:
    return golden.load_verdicts()


@pytest.fixture(scope="module")
def bundled_index() -> golden.TitleIndex:
    return golden.TitleIndex(adapter.load_catalog())


@pytest.fixture(scope="module")
def full_index() -> golden.TitleIndex:
    if not SHARED_CSV.is_file():
        pytest.skip(f"the shared K-drama CSV is absent ({SHARED_CSV}); CSV titles are checked where it exists")
    return golden.TitleIndex(adapter.load_catalog(SHARED_CSV))


def test_golden_counts_and_mix(seeds, verdicts):
    assert len(seeds) >= golden.MIN_SEEDS
    assert len(verdicts) >= golden.MIN_VERDICTS
    bundled_side = [s for s in seeds if s.catalog in ("bundled", "both")]
    csv_side = [s for s in seeds if s.catalog in ("csv", "both")]
    assert len(bundled_side) >= 15 and len(csv_side) >= 15  # about half each, as the brief asks
    assert {c.interest for c in verdicts} == set(golden.GOLDEN_INTERESTS)
    assert {c.expected for c in verdicts} == set(golden.LABELS)


def test_golden_interests_are_the_bots(verdicts):
    assert set(golden.GOLDEN_INTERESTS) <= set(adapter.INTERESTS)


def test_no_title_is_both_expected_and_absurd(seeds):
    for seed in seeds:
        assert not set(seed.expect) & set(seed.absurd), seed.title
        assert 3 <= len(seed.expect) <= 8 and 2 <= len(seed.absurd) <= 5, seed.title


def test_issue_traps_are_labelled(verdicts):
    labels = {(c.title, c.interest): c.expected for c in verdicts}
    assert labels[("D.P.", "slow-burn romance")] == "no"
    assert labels[("Business Proposal", "slow-burn romance")] == "no"
    assert labels[("My Mister", "tearjerker")] == "yes"


def test_bundled_titles_exist(seeds, verdicts, bundled_index):
    assert golden.title_problems(seeds, verdicts, bundled_index, None) == []


def test_csv_titles_exist(seeds, verdicts, bundled_index, full_index):
    assert golden.title_problems(seeds, verdicts, bundled_index, full_index) == []


def test_short_watch_labels_follow_episode_counts(verdicts, bundled_index):
    # ≤ 12 yes, 13-16 maybe, more no, by the catalog's own count.
    full = golden.TitleIndex(adapter.load_catalog(SHARED_CSV)) if SHARED_CSV.is_file() else bundled_index
    checked = 0
    for case in (c for c in verdicts if c.interest == "short watch"):
        drama = full.find(case.title, case.year)
        if drama is None:
            continue
        n = drama.episodes
        assert case.expected == ("yes" if n <= 12 else "maybe" if n <= 16 else "no"), (case.title, n)
        checked += 1
    assert checked >= 8


def test_a_broken_golden_file_is_named(tmp_path: Path):
    bad = tmp_path / "recommend.toml"
    bad.write_text(
        '[[seed]]\ntitle = "Run On"\ncatalog = "bundled"\nexpect = ["Goblin", "Healer", "Signal"]\n'
        'absurd = ["Goblin", "Kingdom"]\n',
        encoding="utf-8",
    )
    with pytest.raises(golden.GoldenError, match=r"recommend\.toml: entry 1 \('Run On'\): Goblin is both"):
        golden.load_seeds(bad)
    bad.write_text('[[verdict]]\ntitle = "Run On"\ninterest = "romance"\nexpected = "yes"\n', encoding="utf-8")
    with pytest.raises(golden.GoldenError, match="interest: 'romance' is not one of"):
        golden.load_verdicts(bad)


def test_golden_files_say_how_they_were_made():
    for path in (golden.SEEDS_FILE, golden.VERDICTS_FILE):
        head = path.read_text(encoding="utf-8").split("\n[[", 1)[0]
        assert "How it was made" in head and "How to extend" in head
        tomllib.loads(path.read_text(encoding="utf-8"))


def _shares(results: eval_recommend.EvalResults) -> list[float]:
    out = []
    for cat in results.catalogs:
        for r in cat.rankers:
            out += [r.hit_at_5, r.absurd_at_5, r.expected_at_5, r.coverage]
            out += [r.mean_rank_pct] if r.mean_rank_pct is not None else []
    out += [v.accuracy for v in results.verdicts]
    out += [row.hit_rate_at_10 for row in results.taste.rows] + [row.coverage for row in results.taste.rows]
    return [*out, results.taste.oracle_hit_rate, results.taste.random_expected]


@pytest.fixture(scope="module")
def fast_results() -> eval_recommend.EvalResults:
    return eval_recommend.evaluate(fast=True, csv_path=SHARED_CSV)


def test_fast_eval_completes_with_every_row(fast_results):
    expected_catalogs = ["bundled", "bundled+CSV"] if SHARED_CSV.is_file() else ["bundled"]
    assert [c.catalog for c in fast_results.catalogs] == expected_catalogs
    for cat in fast_results.catalogs:
        assert [r.name for r in cat.rankers] == ["random", "community", "before", "engine"]
    assert {v.name for v in fast_results.verdicts} == {
        "random", "always maybe", "before", "engine", "before (rules)", "engine (rules)",
    }  # fmt: skip
    assert [row.name for row in fast_results.taste.rows] == ["random", "community", "engine"]
    assert fast_results.taste.held_out > 0
    if not SHARED_CSV.is_file():
        assert any("skipped" in n for n in fast_results.notes)


def test_fast_eval_figures_are_shares(fast_results):
    assert all(0.0 <= x <= 1.0 for x in _shares(fast_results))
    for v in fast_results.verdicts:
        assert 0 <= v.confidently_wrong <= v.cases and 0 <= v.guessed_unknown <= v.cases


def test_always_maybe_is_never_confidently_wrong(fast_results):
    # A worked-out check that the counter counts only yes↔no swaps: "maybe" is never one.
    for v in fast_results.verdicts:
        if v.name == "always maybe":
            assert v.confidently_wrong == 0 and v.guessed_unknown == 0


def test_the_community_baseline_ignores_the_seed(fast_results):
    # The same top list for every seed: coverage is at most 10 + 1 shows (the seed itself drops one).
    for cat in fast_results.catalogs:
        community = next(r for r in cat.rankers if r.name == "community")
        assert community.coverage <= 11 / cat.size


def test_a_plugged_in_ranker_is_scored_beside_the_defaults():
    def only_expected(dramas):
        seeds = {(s.title): s for s in golden.load_seeds() if s.judged_on("bundled")}
        by_title = {d.title: d.id for d in dramas}

        def rank(seed, k):
            return [by_title[t] for t in seeds[seed.title].expect][:k] if seed.title in seeds else []

        return rank

    results = eval_recommend.evaluate(fast=True, csv_path=None, rankers={"perfect": only_expected}, members=5)
    perfect = results.ranker("bundled", "perfect")
    assert (perfect.hit_at_5, perfect.absurd_at_5, perfect.expected_at_5) == (1.0, 0.0, 1.0)
    assert any("skipped" in n for n in results.notes)
    assert dataclasses.asdict(results)  # plain data all the way down


def test_the_report_says_simulated_and_met_or_missed(fast_results):
    text = eval_recommend.report(fast_results)
    assert "SIMULATED" in text
    assert "confidently wrong = 0 (issue goal): " in text
    assert "met" in text or "missed" in text
