"""/recommend with no liked show ("best", and "also try"): the server's favourites by the chart's damped
score, then the catalog's scores (README's /recommend row; `bot.recommend.quality.best_key`).

Every figure below is worked out by hand: chart = (5 · 6.0 + Σ votes) / (5 + n), as /ratings orders.
"""

from __future__ import annotations

import pytest

from bot.catalog.model import Drama, Review
from bot.recommend.engine import Recommender
from bot.recommend.filters import Filters, asked_first
from bot.recommend.quality import best_key
from bot.ui.rating_embeds import recommend_embed, recommendation_lines


def _catalog() -> list[Drama]:
    return [
        Drama(id="move", title="Move to Heaven", community_score=9.2, platforms=("Netflix",)),
        Drama(id="alchemy", title="Alchemy of Souls", community_score=9.1, platforms=("Netflix",)),
        Drama(id="weak", title="Weak Hero Class 1", community_score=9.0, platforms=("Wavve",)),
        Drama(id="run-on", title="Run On", review=Review(ramen=8), community_score=8.3, platforms=("Netflix",)),
        Drama(id="signal", title="Signal", community_score=8.9, platforms=("Viki", "Netflix")),
        Drama(id="panned", title="Panned", community_score=9.5, platforms=("Netflix",)),
        Drama(id="meh", title="Meh", community_score=7.0, platforms=("Netflix",)),
    ]


SERVER = {
    "run-on": (8.5, 2),  # 8 + 9: chart (30 + 17) / 7 = 6.714
    "signal": (25 / 3, 3),  # 8 + 8 + 9: chart (30 + 25) / 8 = 6.875
    "panned": (3.0, 1),  # chart (30 + 3) / 6 = 5.5: not liked here; quality (5 · 0.95 + 0.3) / 6 = 0.8417
    "meh": (6.0, 4),  # chart exactly 6.0: not above the prior; quality (5 · 0.7 + 4 · 0.6) / 9 = 0.6556
}


def test_best_key_lifts_only_shows_the_server_liked():
    assert best_key(0.8229, (8.5, 2)) == pytest.approx(1 + 47 / 7 / 10)  # 1.6714
    assert best_key(0.86875, (25 / 3, 3)) == pytest.approx(1.6875)
    assert best_key(0.8417, (3.0, 1)) == 0.8417  # chart 5.5
    assert best_key(0.6556, (6.0, 4)) == 0.6556  # chart 6.0 is the prior, not above it
    assert best_key(0.92, None) == 0.92 and best_key(0.92, (9.0, 0)) == 0.92


def test_no_options_puts_the_servers_favourites_first_in_chart_order():
    engine = Recommender(_catalog())
    results = engine.recommend(server_scores=SERVER)
    # Signal 6.875 > Run On 6.714 (chart), then quality: 0.92, 0.91, 0.90, Panned 0.8417, Meh 0.6556.
    assert [r.drama.id for r in results] == ["signal", "run-on", "move", "alchemy", "weak", "panned", "meh"]
    # Without the server's votes the catalog alone decides: Panned's 9.5 leads.
    assert [r.drama.id for r in engine.recommend()][:2] == ["panned", "move"]


def test_a_platform_filter_keeps_the_favourites_on_top():
    results = Recommender(_catalog()).recommend(filters=Filters(platform="Netflix"), server_scores=SERVER)
    assert [r.drama.id for r in results] == ["signal", "run-on", "move", "alchemy", "panned", "meh"]


def test_also_try_after_close_shows_uses_the_same_order():
    dramas = [*_catalog(), Drama(id="seed", title="Seed", genres=("Sports",))]
    seed = dramas[-1]
    results = Recommender(dramas).recommend([seed], server_scores=SERVER)
    # Nothing is close to Seed: the list is "also try" only, the server's favourites first.
    assert [r.kind for r in results] == ["also"] * 5
    assert [r.drama.id for r in results][:3] == ["signal", "run-on", "move"]


def test_the_platform_asked_for_is_listed_first():
    assert asked_first(("Prime Video", "Apple TV", "Viki", "Netflix"), Filters(platform="netflix")) == (
        "Netflix",
        "Prime Video",
        "Apple TV",
        "Viki",
    )
    assert asked_first(("Viki", "Netflix"), Filters()) == ("Viki", "Netflix")
    flower = Drama(
        id="f", title="Flower of Evil", episodes=16, platforms=("Prime Video", "Apple TV", "Viki", "Netflix")
    )
    [result] = Recommender([flower]).recommend(filters=Filters(platform="Netflix", network=None))
    facts = str(recommendation_lines(result)[1])
    assert facts == "16 episodes · Netflix, Prime Video, Apple TV"  # three shown, the one asked for among them
    embed = recommend_embed([result], 1, 1, "Best-rated dramas")
    assert "Netflix, Prime Video, Apple TV" in embed.fields[0].value
