"""The evaluation harness for /recommend and /shouldiwatch (issue #12): golden files, baselines, metrics.

Every import of project code lives in `bench.evalkit.adapter`; nothing else here imports `bot`.
"""
