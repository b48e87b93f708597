"""/recommend with no options on a server with votes, against bench/golden/server_best.toml: each case
is a test of the live engine, and the frozen rule before it (catalog quality damped by the votes) is
measured beside it. The CSV cases skip where the shared K-drama CSV is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.evalkit import adapter, golden, server_best
from tests.conftest import SHARED_CSV

CASES = server_best.load_cases()


@pytest.fixture(scope="module")
def catalogs():
    out = {"bundled": adapter.load_catalog()}
    if SHARED_CSV.is_file():
        out["csv"] = adapter.load_catalog(SHARED_CSV)
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_case_holds_for_the_engine(catalogs, case):
    if case.catalog not in catalogs:
        pytest.skip(f"the shared K-drama CSV is absent ({SHARED_CSV})")
    [engine] = server_best.score(case.catalog, catalogs[case.catalog], [case], {"engine": adapter.engine_best})
    assert engine.hit_at_5 == 1.0, engine.misses


def test_the_engine_beats_both_baselines_where_the_csv_is(catalogs):
    if "csv" not in catalogs:
        pytest.skip(f"the shared K-drama CSV is absent ({SHARED_CSV})")
    rows = {r.name: r for r in server_best.score("csv", catalogs["csv"], [c for c in CASES if c.catalog == "csv"])}
    # Measured: community 0/3 and the old blend 0/3 (community 9+ shows outrank a 2-3-vote favourite).
    assert rows["engine"].hit_at_5 == 1.0 and rows["blend"].hit_at_5 == 0.0 and rows["community"].hit_at_5 == 0.0


def test_a_malformed_case_is_named(tmp_path: Path):
    bad = tmp_path / "server_best.toml"
    bad.write_text('[[case]]\nname = "x"\ncatalog = "bundled"\nvotes = { "Run On" = [11] }\nexpect = ["Run On"]\n')
    with pytest.raises(golden.GoldenError, match=r"server_best\.toml: case 1 \('x'\): votes"):
        server_best.load_cases(bad)
    bad.write_text('[[case]]\nname = "x"\ncatalog = "bundled"\nvotes = { "Run On" = [9] }\nexpect = ["Goblin"]\n')
    with pytest.raises(golden.GoldenError, match="each with votes"):
        server_best.load_cases(bad)
