"""The printed tables of `bench/eval_recommend.py`: each row beside the baselines of the same run, with
"met"/"missed" against the issue's and the team's goals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.eval_recommend import EvalResults

RULES_ONLY = " (rules)"
"""Suffix of a verdict row scored with the entries' own notes set aside."""


def _pct(x: float | None) -> str:
    return "   n/a" if x is None else f"{100 * x:5.1f}%"


def _num(x: float | None) -> str:
    return " n/a" if x is None else f"{x:4.2f}"


def _versus(value: float, others: Sequence[float], higher_is_better: bool) -> str:
    """ "met" when `value` beats every other. At the end of the scale (a share of 1.0 where higher is
    better, 0 where lower is) a baseline that is there too is tied, not beaten: still met, and said."""
    bound = 1.0 if higher_is_better else 0.0
    better = all((value > o) if higher_is_better else (value < o) for o in others if not value == o == bound)
    tied = value == bound and bound in others
    return ("met (at the end of the scale; a baseline is there too)" if tied else "met") if better else "missed"


def _verdict_report(results: EvalResults, subject: str, details: bool) -> list[str]:
    """The /shouldiwatch tables of `report`, one per catalog."""
    out: list[str] = []
    for catalog in dict.fromkeys(v.catalog for v in results.verdicts):
        rows = [v for v in results.verdicts if v.catalog == catalog]
        out.append(f"\n/shouldiwatch verdicts · {catalog} catalog ({rows[0].cases} labelled pairs)")
        out.append(f"  {'verdict':<16} {'accuracy':>8} {'conf. wrong':>11} {'guessed unknown':>15}")
        for v in rows:
            out.append(f"  {v.name:<16} {_pct(v.accuracy):>8} {v.confidently_wrong:>11} {v.guessed_unknown:>15}")
        me = next((v for v in rows if v.name == subject), None)
        if me is not None:
            others = [v for v in rows if v.name != subject and not v.name.endswith(RULES_ONLY)]
            out.append(
                f"  {subject}: confidently wrong = 0 (issue goal): "
                f"{'met' if me.confidently_wrong == 0 else 'missed'} ({me.confidently_wrong}); "
                f"accuracy above every baseline (team goal): "
                f"{_versus(me.accuracy, [v.accuracy for v in others], True)}"
            )
            mine, theirs = (next((v for v in rows if v.name == f"{n}{RULES_ONLY}"), None) for n in (subject, "before"))
            if mine is not None and theirs is not None:
                out.append(
                    f"  {subject}{RULES_ONLY}, own notes set aside: confidently wrong {mine.confidently_wrong}; "
                    f"accuracy above before{RULES_ONLY}: {_versus(mine.accuracy, [theirs.accuracy], True)}"
                )
            if details:
                out.extend(f"    wrong: {w}" for w in me.wrong)
                if mine is not None:
                    out.extend(f"    wrong{RULES_ONLY}: {w}" for w in mine.wrong)
    return out


def report(results: EvalResults, *, subject: str = "engine", details: bool = True) -> str:
    """The printed tables. `subject` is the row judged against the others ("met"/"missed")."""
    out = []
    for cat in results.catalogs:
        out.append(
            f"\n/recommend like:<seed> · {cat.catalog} catalog ({cat.size} shows, {cat.seeds} golden seeds, "
            f"coverage over {cat.coverage_seeds} seeds; catalog mean community score {_num(cat.catalog_mean_score)})"
        )
        out.append(
            f"  {'ranker':<11} {'hit@5':>7} {'absurd@5':>9} {'exp@5':>7} {'coverage':>9} "
            f"{'mean score':>10} {'pop. pct':>8}"
        )
        for r in cat.rankers:
            out.append(
                f"  {r.name:<11} {_pct(r.hit_at_5):>7} {_pct(r.absurd_at_5):>9} {_pct(r.expected_at_5):>7} "
                f"{_pct(r.coverage):>9} {_num(r.mean_score):>10} {_num(r.mean_rank_pct):>8}"
            )
        me = next((r for r in cat.rankers if r.name == subject), None)
        if me is not None:
            others = [r for r in cat.rankers if r.name != subject]
            out.append(
                f"  {subject}: hit@5 above every baseline (team goal): "
                f"{_versus(me.hit_at_5, [r.hit_at_5 for r in others], True)}; "
                f"absurd@5 below every baseline (team goal): "
                f"{_versus(me.absurd_at_5, [r.absurd_at_5 for r in others], False)}; "
                f"coverage and popularity: no goal in the issue, reported"
            )
            if details:
                out.append(f"    missed seeds: {', '.join(me.misses) or 'none'}")
                out.append(f"    absurd in top 5: {'; '.join(me.absurd_hits) or 'none'}")
    out += _verdict_report(results, subject, details)
    for catalog in dict.fromkeys(b.catalog for b in results.best):
        rows = [b for b in results.best if b.catalog == catalog]
        out.append(f"\n/recommend, no options, server votes · {catalog} ({rows[0].cases} cases, server_best.toml)")
        out += [f"  {b.name:<11} hit@5 {_pct(b.hit_at_5)}  missed: {', '.join(b.misses) or 'none'}" for b in rows]
    t = results.taste
    out.append(
        f"\nTaste signal, leave-one-out hit-rate@10 · SIMULATED server (invented members and votes, "
        f"not real data): {t.members} members, {t.votes} votes, {t.held_out} held out, {t.catalog} catalog"
    )
    out.append(f"  {'signal':<11} {'hit@10':>7} {'coverage':>9} {'mean score':>10} {'pop. pct':>8}")
    for row in t.rows:
        out.append(
            f"  {row.name:<11} {_pct(row.hit_rate_at_10):>7} {_pct(row.coverage):>9} "
            f"{_num(row.mean_score):>10} {_num(row.mean_rank_pct):>8}"
        )
    out.append(
        f"  (random's expected hit@10 is {_pct(t.random_expected).strip()}; ceiling, ranking by the hidden "
        f"taste and popularity themselves: {_pct(t.oracle_hit_rate).strip()})"
    )
    me = next((r for r in t.rows if r.name == subject), None)
    if me is not None:
        others = [r.hit_rate_at_10 for r in t.rows if r.name != subject]
        out.append(f"  {subject}: hit@10 above every baseline (team goal): {_versus(me.hit_rate_at_10, others, True)}")
    out.extend(f"\nnote: {n}" for n in results.notes)
    return "\n".join(out)
