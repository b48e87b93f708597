"""The ONE place the evaluation harness touches project code.

Everything the harness needs from the bot goes through the names below, so a restructure of the
`bot` package (issue #10: bot/recommend.py → bot/recommend/, bot/verdict.py → bot/catalog/verdict.py,
bot/csv_catalog.py → bot/catalog/…) is fixed by editing the import block and, at most, the small
functions under it. No other module of `bench.evalkit` or `bench/eval_recommend.py` imports `bot`.

Plugging in a new engine: change `engine_ranker` (a "because you like X" ranker), `engine_verdict`
(one /shouldiwatch answer as a label) or `engine_taste_signal` (what /recommend shows a member with
no `like`), keeping their signatures. The frozen "before" versions live in `bench.evalkit.before`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# --------------------------------------------------------------------------- the adapter block
from bot.catalog.assemble import build_catalog
from bot.catalog.model import Drama, normalize  # noqa: F401  (re-exported for the harness)
from bot.catalog.verdict import answer
from bot.catalog.vocabulary import LOOKING_FOR
from bot.recommend.engine import Recommender, taste_weights
from bot.recommend.filters import Filters
from bot.recommend.taste import GuildTaste

# ---------------------------------------------------------------------------

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BUNDLED_DIR = PROJECT_ROOT / "data" / "dramas"

INTERESTS: tuple[str, ...] = tuple(LOOKING_FOR)
"""The /shouldiwatch `looking_for` values, as the bot offers them."""

LABELS = ("yes", "maybe", "no", "unknown")
"""The verdict labels the golden file uses; `engine_verdict` maps the engine's answers onto them."""

Ranker = Callable[[Drama, int], list[str]]
"""(seed drama, k) → up to k drama ids, best first, never the seed itself."""


def load_catalog(csv_path: Path | None = None) -> list[Drama]:
    """The catalog as the bot builds it at start-up: data/dramas (+ the CSV at `csv_path`), spoiler tags applied.

    Raises the bot's CatalogError when a file is broken.
    """
    catalog, _problems = build_catalog(BUNDLED_DIR, csv_path)
    return list(catalog)


def engine_ranker(dramas: Sequence[Drama]) -> Ranker:
    """The live recommender's "because you like X" ranking over `dramas` (what `/recommend like:` shows)."""
    recommender = Recommender(dramas)

    def rank(seed: Drama, k: int) -> list[str]:
        return [r.drama.id for r in recommender.recommend([seed], limit=k)]

    return rank


def engine_verdict(drama: Drama, interest: str) -> str:
    """The live /shouldiwatch answer for `drama` and `interest`, as one of `LABELS`.

    Maps the engine's fit onto the golden labels: "probably not"/"no" → "no"; any "can't tell"
    style answer (a fit whose value contains "unknown", "cant" or "tell") → "unknown".
    """
    fit_value = answer(drama, interest).fit
    fit = str(getattr(fit_value, "value", fit_value)).casefold()
    if fit in ("yes", "maybe"):
        return fit
    if fit in ("no", "probably not", "probably_not"):
        return "no"
    if any(word in fit for word in ("unknown", "cant", "can't", "tell")):
        return "unknown"
    raise ValueError(f"engine_verdict: unmapped fit {fit!r}; extend the adapter")


def engine_taste_signal(dramas: Sequence[Drama], votes: Mapping[str, Mapping[str, int]]):
    """What /recommend shows a member with no options: their taste profile from their votes
    (`Recommender.for_member`, shows rated above their own mean), blended with this guild's
    item-to-item evidence for those shows (`GuildTaste.co_liked`); the member's rated shows are
    excluded; the guild's plain means are the server scores, as the cog passes them.
    Returns (member, k) → up to k drama ids.
    """
    recommender = Recommender(dramas)
    taste = GuildTaste(votes)
    server_scores = {i: (_mean(votes, i), len(raters)) for i, raters in taste.by_drama.items()}

    def rank(member: str, k: int) -> list[str]:
        own = votes.get(member, {})
        co_liked = taste.co_liked(taste_weights(own.items()))
        picks = recommender.recommend_for(
            None,
            Filters(),
            rated=list(own.items()),
            server_scores=server_scores,
            co_liked=co_liked,
            limit=k,
        )
        return [r.drama.id for r in picks.results]

    return rank


def _mean(votes: Mapping[str, Mapping[str, int]], drama_id: str) -> float:
    scores = [v[drama_id] for v in votes.values() if drama_id in v]
    return sum(scores) / len(scores)


def engine_best(dramas: Sequence[Drama]):
    """What /recommend shows a member with no votes and no options but `platform` on a server whose
    members voted (`Recommender.recommend_for`, the "best" list). Returns (server scores, platform, k) → ids."""
    recommender = Recommender(dramas)

    def rank(server_scores: Mapping[str, tuple[float, int]], platform: str | None, k: int) -> list[str]:
        picks = recommender.recommend_for(None, Filters(platform=platform), server_scores=server_scores, limit=k)
        return [r.drama.id for r in picks.results]

    return rank
