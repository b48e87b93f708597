"""The autocomplete bench runs (small: 8 typo queries, one 2,000-drama catalog) and prints every
figure with its baseline and a met/missed verdict; figures are measured by
`bench/bench_autocomplete.py`, never asserted here."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import bench_autocomplete


def test_autocomplete_bench_runs_small_and_says_met_or_missed(
    shared_csv: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(bench_autocomplete.TARGET_P99_MS, 2000, 2.0)
    assert bench_autocomplete.main(["--queries", "8", "--sizes", "2000"]) == 0
    out = capsys.readouterr().out
    assert "start-up catalog:" in out and "synthesized 2,000:" in out
    assert out.count("old way ") >= 8  # a baseline row for each kind and the total, on both catalogs
    quality = [line for line in out.splitlines() if "target ours ≥ each baseline:" in line]
    assert len(quality) == 2 and all(line.endswith(("met", "MISSED")) for line in quality)
    speed = [line for line in out.splitlines() if "target p99 ≤ 2 ms:" in line]
    assert len(speed) == 1 and speed[0].endswith(("met", "MISSED"))
    assert "CPU time alone: p99" in out
    assert out.rstrip().splitlines()[-1] in ("all targets: met", "all targets: MISSED")
