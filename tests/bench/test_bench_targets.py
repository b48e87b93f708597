"""Benchmarks say met or missed against the targets they print (figures are never asserted on)."""

from __future__ import annotations

from bench import bench_recommend


def test_timing_row_says_met_or_missed_against_its_target() -> None:
    fast = [1.0] * 99 + [9.0]  # nearest-rank p99 = the 99th of 100 samples = 1.0 ms
    slow = [1.0] * 98 + [2.5, 2.5]  # p99 = 2.5 ms
    assert bench_recommend.line("fast", fast, 2.0).endswith("target p99 ≤ 2 ms: met")
    assert bench_recommend.line("slow", slow, 2.0).endswith("target p99 ≤ 2 ms: missed")
    assert "target" not in bench_recommend.line("baseline", slow)  # a baseline row has no target
    assert bench_recommend.verdict(300.0, 300.0) == "met" and bench_recommend.verdict(300.1, 300.0) == "missed"
