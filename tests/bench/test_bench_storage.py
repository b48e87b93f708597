"""The storage bench runs (small: 3,000 votes, 100 ingested) and reports every figure with met/missed;
the figures themselves are measured by `bench/bench_storage.py`, never asserted here."""

from __future__ import annotations

import argparse

from bench.bench_storage import report, run


async def test_storage_bench_runs_small_on_both_backends(postgres_server_url: str):
    args = argparse.Namespace(votes=3000, ingest=100, reads=5, postgres=postgres_server_url)
    results = await run(args)
    assert sorted(results) == ["postgres", "sqlite"]
    for backend, result in results.items():
        lines = report(backend, result, args.votes)
        assert len(lines) == 8
        assert all(("met" in line or "missed" in line or "baseline" in line) for line in lines if "seeded" not in line)
