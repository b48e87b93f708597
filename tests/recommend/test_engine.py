"""/recommend's engine: TF-IDF (hand-computed on a toy catalog), quality, filters, on the real catalog too.

The tests over the real catalog read the shared K-drama CSV (operator data beside the project,
never copied into it) and skip when it is absent.
"""

from __future__ import annotations

import math

import pytest

from bot.catalog.index import Catalog
from bot.catalog.model import Drama, Review, normalize
from bot.catalog.vocabulary import matching_terms, where_to_watch
from bot.recommend.engine import (
    PAGE_SIZE,
    QUALITY_PRIOR,
    SIMILARITY_WEIGHT,
    Recommender,
    base_quality,
    quality,
    stand_in_likes,
)
from bot.recommend.filters import Filters, first_emptying_filter
from bot.ui.messages import no_match_message, reason_line
from bot.ui.rating_embeds import recommend_embed
from cogs.recommend import MAX_RESULTS

# --------------------------------------------------------------------------- a toy catalog, by hand


def _toy() -> list[Drama]:
    return [
        Drama(id="a", title="Alpha", genres=("Romance",), tags=("sports", "healing")),
        Drama(id="b", title="Bravo", genres=("Romance",), tags=("Sports",)),  # case differs: same term
        Drama(id="c", title="Charlie", genres=("Thriller",), tags=("revenge",)),
        Drama(id="d", title="Delta", genres=("Romance", "Thriller"), tags=("healing",)),
    ]


@pytest.fixture
def toy() -> Recommender:
    return Recommender(Catalog(_toy()))


def test_recommender_idf_weighs_rare_terms_more(toy):
    # N = 4. df: romance 3, sports 2, healing 2, thriller 2, revenge 1.  idf = 1 + ln(N / df).
    assert toy.idf("Romance") == pytest.approx(1 + math.log(4 / 3))  # 1.287682
    assert toy.idf("SPORTS") == pytest.approx(1 + math.log(2))  # 1.693147
    assert toy.idf("revenge") == pytest.approx(1 + math.log(4))  # 2.386294
    assert toy.idf("revenge") > toy.idf("sports") > toy.idf("romance")
    assert toy.idf("unknown") == 0.0


def test_recommender_cosine_matches_the_hand_computation(toy):
    a, b, c, d = _toy()
    # r = idf(romance) = 1.287682, s = idf(sports) = h = idf(healing) = 1.693147.
    # A = {romance, sports, healing}, B = {romance, sports}: dot = r² + s² = 1.658125 + 2.866747 = 4.524872;
    # |A| = √(r² + s² + h²) = √7.391619 = 2.718753, |B| = √4.524872 = 2.127175;
    # cos(A, B) = 4.524872 / (2.718753 · 2.127175) = 0.782408.
    assert toy.similarity(a, b) == pytest.approx(0.782408, abs=1e-6)
    # D = {romance, thriller, healing}: dot(A, D) = r² + h² = 4.524872; |D| = √(r² + t² + h²) = 2.718753;
    # cos(A, D) = 4.524872 / 7.391619 = 0.612162.
    assert toy.similarity(a, d) == pytest.approx(0.612162, abs=1e-6)
    assert toy.similarity(a, c) == 0.0  # nothing shared
    assert toy.similarity(a, a) == pytest.approx(1.0)
    assert toy.similarity(b, a) == toy.similarity(a, b)


def test_recommend_ranks_toy_shows_by_cosine_and_skips_unrelated_ones(toy):
    a = _toy()[0]
    results = toy.recommend([a])
    # C shares no term with A: the inverted index never reaches it. A itself is left out.
    assert [r.drama.id for r in results] == ["b", "d"]
    assert [r.similarity for r in results] == pytest.approx([0.782408, 0.612162], abs=1e-6)
    # No scores at all: quality is the prior, 0.6, so score = 0.7 · cos + 0.3 · 0.6 = 0.727686 for B.
    assert results[0].score == pytest.approx(SIMILARITY_WEIGHT * 0.782408 + (1 - SIMILARITY_WEIGHT) * 0.6, abs=1e-6)
    assert results[0].shared_tags == ("Sports",)  # as B spells it; "healing" is A's alone
    assert reason_line(results[0]) == "shared tags: Sports"
    assert reason_line(results[1]) == "shared tags: healing"


def test_recommend_two_likes_sum_their_vectors(toy):
    _a, b, c, _d = _toy()
    results = toy.recommend([b, c])
    # The query is unit(B) + unit(C); D shares romance with B and thriller with C, A shares romance + sports.
    assert {r.drama.id for r in results} == {"a", "d"}
    assert all(r.drama.id not in {"b", "c"} for r in results)


def test_quality_blends_present_signals_and_ignores_missing_ones():
    reviewed = Drama(id="r", title="R", review=Review(ramen=8), community_score=9.0)
    # base = (0.6 · 0.8 + 0.4 · 0.9) / (0.6 + 0.4) = 0.48 + 0.36 = 0.84
    assert base_quality(reviewed) == pytest.approx(0.84)
    assert quality(reviewed) == pytest.approx(0.84)
    # Five votes of 10 (mean 10.0): quality = (5 · 0.84 + 5 · 1.0) / 10 = 0.92
    assert quality(reviewed, (10.0, 5)) == pytest.approx(0.92)
    # One lone 10 moves it 1/6 of the way up, never down towards 6.0: (5 · 0.84 + 1) / 6
    assert quality(reviewed, (10.0, 1)) == pytest.approx(0.866667, abs=1e-6)
    # A missing review or server score is not a zero: community 9.0 alone gives 0.9.
    assert quality(Drama(id="x", title="X", community_score=9.0)) == pytest.approx(0.9)
    # Nothing known: the prior 0.6, and server votes then give exactly the /ratings damped mean / 10.
    assert quality(Drama(id="y", title="Y")) == QUALITY_PRIOR
    assert quality(Drama(id="y", title="Y"), (10.0, 1)) == pytest.approx(40 / 60)  # (5 · 6 + 10) / 6 / 10


def test_recommend_without_likes_ranks_by_quality_with_ties_by_title():
    dramas = [
        Drama(id="z", title="Zulu", community_score=8.0),
        Drama(id="m", title="Mike", community_score=9.0),
        Drama(id="a", title="alpha", community_score=8.0),
    ]
    results = Recommender(dramas).recommend()
    assert [r.drama.id for r in results] == ["m", "a", "z"]  # 0.9, then the 0.8 tie by folded title
    # 40 votes of 10 for Zulu: quality (5 · 0.8 + 40 · 1.0) / 45 = 0.978.
    server = Recommender(dramas).recommend(server_scores={"z": (10.0, 40)})
    assert server[0].drama.id == "z" and reason_line(server[0]) == "members here rate it 10.0 (40 votes)"
    assert server[0].score == pytest.approx(44 / 45)


def test_filters_each_rule():
    show = Drama(
        id="s",
        title="S",
        genres=("Romance",),
        tags=("Slow Burn",),
        episodes=12,
        platforms=("Netflix",),
        network=("JTBC",),
    )
    assert Filters(genre="romance").matches(show) and not Filters(genre="Thriller").matches(show)
    assert Filters(tag="slow-burn").matches(show)  # folded: punctuation and case do not matter
    assert Filters(max_episodes=12).matches(show) and not Filters(max_episodes=11).matches(show)
    assert not Filters(max_episodes=99).matches(Drama(id="u", title="U"))  # unknown episodes never pass
    assert Filters(platform="flix").matches(show) and not Filters(platform="jtbc").matches(show)  # JTBC airs it
    assert Filters(network="jtbc").matches(show) and not Filters(network="Netflix").matches(show)
    assert not Filters(platform="Viki").matches(show)
    netflix_original = Drama(id="n", title="N", network=("Netflix",))  # a streaming network is where to watch
    assert Filters(platform="Netflix").matches(netflix_original) and Filters(network="netflix").matches(
        netflix_original
    )
    assert not Filters(genre="  ")  # blank means not given


def test_first_emptying_filter_names_the_filter_that_left_nothing():
    dramas = _toy()
    assert first_emptying_filter(dramas, Filters(genre="Romance", tag="healing")) is None
    assert first_emptying_filter(dramas, Filters(genre="Romance", tag="revenge")) == "tag"
    assert first_emptying_filter(dramas, Filters(genre="Documentary", tag="nothing")) == "genre"
    message = no_match_message(Filters(tag="revenge", max_episodes=8), "max_episodes")
    assert message == "No drama tagged “revenge”, with ≤ 8 episodes: the max_episodes filter emptied the list."


def test_no_match_message_escapes_member_text():
    message = no_match_message(Filters(tag="||*x*||"), "tag")
    assert "||*x*||" not in message and "\\|\\|" in message


def test_stand_in_likes_takes_the_top_three_of_seven_or_more():
    votes = [("a", 7), ("b", 10), ("c", 6), ("d", 9), ("e", 10)]
    assert stand_in_likes(votes) == ["b", "e", "d"]
    assert stand_in_likes([("a", 6)]) == []


def test_matching_terms_prefix_first_then_contains():
    vocab = ["Comedy", "Romance", "Romantic Comedy"]
    assert matching_terms(vocab, "com") == ["Comedy", "Romantic Comedy"]
    assert matching_terms(vocab, "") == vocab
    assert len(matching_terms([f"t{i}" for i in range(40)], "t")) == 25


# --------------------------------------------------------------------------- the real catalog


def _folded(values) -> set[str]:
    return {normalize(v) for v in values}


def test_like_run_on_returns_shows_sharing_its_tags_never_run_on(big):
    catalog, engine = big
    run_on = catalog.get("run-on")
    results = engine.recommend([run_on], limit=MAX_RESULTS)
    assert len(results) == MAX_RESULTS
    assert "run-on" not in {r.drama.id for r in results}
    for r in results[:20]:
        assert _folded(r.drama.tags) & _folded(run_on.tags), r.drama.title
        assert reason_line(r).startswith("shared tags: ")
    for r in results:
        # The explanation names only tags (or, lacking those, genres) both shows really carry.
        assert _folded(r.shared_tags) == _folded(r.drama.tags) & _folded(run_on.tags)
        if r.shared_tags:
            named = reason_line(r).removeprefix("shared tags: ").split(", ")
            assert reason_line(r).startswith("shared tags: ") and set(named) <= set(r.drama.tags)
            assert _folded(named) <= _folded(run_on.tags)
        else:
            named = reason_line(r).removeprefix("same genres: ").split(", ")
            assert reason_line(r).startswith("same genres: ") and set(named) <= set(r.drama.genres)
            assert _folded(named) <= _folded(run_on.genres)
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("like", [None, "run-on"])
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("genre", "romance"),
        ("tag", "Strong Female Lead"),
        ("max_episodes", 12),
        ("platform", "netflix"),
    ],
)
def test_each_filter_holds_for_every_result(big, like, name, value):
    catalog, engine = big
    likes = [catalog.get(like)] if like else []
    results = engine.recommend(likes, filters=Filters(**{name: value}))
    assert results
    for r in results:
        d = r.drama
        if name == "genre":
            assert "romance" in _folded(d.genres)
        elif name == "tag":
            assert "strong female lead" in _folded(d.tags)
        elif name == "max_episodes":
            assert d.episodes is not None and d.episodes <= 12
        else:
            assert any("netflix" in p.casefold() for p in where_to_watch(d))


def test_all_filters_together_hold(big):
    catalog, engine = big
    results = engine.recommend(
        [catalog.get("run-on")], filters=Filters(genre="Romance", tag="healing", max_episodes=16, platform="Netflix")
    )
    assert results
    f = Filters("Romance", "healing", 16, "Netflix")
    assert all(f.matches(r.drama) for r in results)


def test_recommend_is_deterministic(big):
    catalog, engine = big
    first = [r.drama.id for r in engine.recommend([catalog.get("run-on")], limit=30)]
    again = [r.drama.id for r in Recommender(catalog).recommend([catalog.get("run-on")], limit=30)]
    assert first == again
    best = engine.recommend(limit=40)
    assert [r.drama.id for r in best] == [r.drama.id for r in engine.recommend(limit=40)]
    keys = [(-r.score, normalize(r.drama.title), r.drama.id) for r in engine.recommend()]
    assert keys == sorted(keys)


def test_limit_keeps_the_full_ordering(big):
    _catalog, engine = big
    full = [r.drama.id for r in engine.recommend()]
    assert [r.drama.id for r in engine.recommend(limit=17)] == full[:17]


def test_recommend_embed_stays_within_limits(big):
    catalog, engine = big
    results = engine.recommend([catalog.get("run-on")], limit=PAGE_SIZE)
    embed = recommend_embed(results, 1, 10, "Because you like Run On")
    assert len(embed.fields) == PAGE_SIZE and len(embed) <= 6000
    assert embed.fields[0].name.startswith("1. ") and "shared tags" in embed.fields[0].value
    assert all(len(f.value) <= 1024 for f in embed.fields)
    assert embed.footer.text.startswith("Page 1/10")
