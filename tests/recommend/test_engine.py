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
    ALSO_TRY,
    PAGE_SIZE,
    QUALITY_PRIOR,
    SIMILARITY_FLOOR,
    SIMILARITY_WEIGHT,
    Recommender,
    base_quality,
    quality,
    stand_in_likes,
    taste_weights,
)
from bot.recommend.filters import Filters, first_emptying_filter
from bot.recommend.series import series_part
from bot.recommend.similarity import IDF_CAP, SimilarityIndex, family_terms
from bot.ui.messages import no_match_message, reason_line
from bot.ui.rating_embeds import recommend_embed
from cogs.recommend import MAX_RESULTS

# --------------------------------------------------------------------------- a toy catalog, by hand


def _toy() -> list[Drama]:
    return [
        Drama(id="a", title="Alpha", genres=("Romance",), tags=("sports", "healing")),
        Drama(id="b", title="Bravo", genres=("Romance",), tags=("sports",)),
        Drama(id="c", title="Charlie", genres=("Thriller",), tags=("revenge",)),
        Drama(id="d", title="Delta", genres=("Romance", "Thriller"), tags=("healing",)),
    ]


@pytest.fixture
def toy() -> Recommender:
    return Recommender(Catalog(_toy()))


def test_idf_weighs_rare_terms_more_and_is_capped():
    index = SimilarityIndex(_toy())
    # N = 4. df: romance 3, thriller 2 (genre family); sports 2, healing 2, revenge 1 (curated). idf = 1 + ln(N/df).
    assert index.idf[("genre", "romance")] == pytest.approx(1 + math.log(4 / 3))  # 1.287682
    assert index.idf[("curated", "sports")] == pytest.approx(1 + math.log(2))  # 1.693147
    assert index.idf[("curated", "revenge")] == pytest.approx(1 + math.log(4))  # 2.386294
    # 100 shows, one carries "once": 1 + ln 100 = 5.605 is capped at 1 + ln 40 = 4.688879.
    many = [Drama(id=f"x{i}", title=f"X{i}", genres=("Drama",), tags=("once",) if i == 0 else ()) for i in range(100)]
    assert pytest.approx(4.688879, abs=1e-6) == IDF_CAP
    assert SimilarityIndex(many).idf[("curated", "once")] == pytest.approx(IDF_CAP)


def test_tags_fall_into_families_by_their_spelling():
    drama = Drama(
        id="x", title="X", genres=("Comedy",), tags=("comedy", "healing", "Strong Female Lead"), starring=("Kim A",)
    )
    # "comedy" the tag repeats the genre: it counts once, as a genre. Title Case tags are MyDramaList's.
    assert family_terms(drama) == {
        "genre": {"comedy"},
        "curated": {"healing"},
        "community": {"strong female lead"},
        "cast": {"kim a"},
    }


def test_similarity_matches_the_hand_computation(toy):
    a, b, c, d = _toy()
    # A has genres and curated tags: Σ W = 0.35 + 0.35 = 0.7.
    # A→B: cos_genre = 1 (romance alone); cos_curated = s² / (s√2 · s) = 1/√2 = 0.707107 (s = h = 1.693147).
    #      sim = (0.35 · 1 + 0.35 · 0.707107) / 0.7 = 0.853553.
    assert toy.similarity(a, b) == pytest.approx(0.853553, abs=1e-6)
    # A→D: cos_genre = r / √(r² + t²) = 1.287682 / 2.127175 = 0.605350; cos_curated = 1/√2.
    #      sim = 0.5 · 0.605350 + 0.5 · 0.707107 = 0.656228.
    assert toy.similarity(a, d) == pytest.approx(0.656228, abs=1e-6)
    assert toy.similarity(a, c) == 0.0  # nothing shared
    assert toy.similarity(a, a) == pytest.approx(1.0)


def test_recommend_ranks_toy_shows_and_stops_at_the_floor(toy):
    a = _toy()[0]
    results = toy.recommend([a])
    # C shares nothing: below the floor, and unscored, so not even "you might also try".
    assert [r.drama.id for r in results] == ["b", "d"]
    assert [r.kind for r in results] == ["like", "like"]
    assert [r.similarity for r in results] == pytest.approx([0.853553, 0.656228], abs=1e-6)
    # No scores at all: quality is the prior, 0.6, so score = 0.75 · 0.853553 + 0.25 · 0.6 = 0.790165 for B.
    assert results[0].score == pytest.approx(SIMILARITY_WEIGHT * 0.853553 + (1 - SIMILARITY_WEIGHT) * 0.6, abs=1e-6)
    assert results[0].shared_tags == ("sports",)
    assert reason_line(results[0]) == "shared tags: sports"
    assert reason_line(results[1]) == "shared tags: healing"


def test_one_rare_shared_tag_cannot_carry_a_pick():
    seed = Drama(id="s", title="Seed", genres=("Romance", "Sports"), tags=("slow-burn romance", "athlete", "healing"))
    prison = Drama(id="p", title="Prison", genres=("Thriller", "Crime"), tags=("athlete", "prison"))
    filler = [Drama(id=f"f{i}", title=f"F{i}", genres=("Drama",), tags=("office",)) for i in range(20)]
    engine = Recommender([seed, prison, *filler])
    # Only "athlete" is shared: idf a = 1 + ln(22/2) = 3.397895; every other tag is on one show, b = 1 + ln 22
    # = 4.091042. cos_curated = a² / (√(a² + 2b²) · √(a² + b²)) = 11.54569 / (6.709616 · 5.318112) = 0.323567,
    # and sim = 0.35 · 0.323567 / 0.7 = 0.161784: under the floor, so Prison is not "like" Seed.
    assert engine.similarity(seed, prison) == pytest.approx(0.161784, abs=1e-6)
    assert engine.similarity(seed, prison) < SIMILARITY_FLOOR
    assert "p" not in {r.drama.id for r in engine.recommend([seed]) if r.kind == "like"}


def test_seasons_are_grouped_and_a_seeds_sequel_comes_first():
    assert series_part("Hospital Playlist Season 2") == ("hospital playlist", 2)
    assert series_part("Weak Hero Class 1") == ("weak hero class", 1)
    assert series_part("Age of Youth 2") == ("age of youth", 2)
    assert series_part("Kingdom: Part 3") == ("kingdom", 3)
    assert series_part("Reply 1988") == ("reply 1988", 1)  # a year, not a part
    assert series_part("The K2") == ("the k2", 1)  # a number glued to a word
    show = Drama(id="h1", title="Ward", genres=("Medical",), tags=("medical", "healing"), community_score=9.0)
    two = Drama(id="h2", title="Ward Season 2", genres=("Medical",), tags=("medical",), community_score=9.1)
    other = Drama(id="o1", title="Clinic", genres=("Medical",), tags=("medical", "healing"), community_score=8.0)
    other2 = Drama(id="o2", title="Clinic 2", genres=("Medical",), tags=("medical", "healing"), community_score=9.5)
    engine = Recommender([show, two, other, other2])
    results = engine.recommend([show])
    # The seed's own next season first, labelled; then Clinic before Clinic 2 although Clinic 2 scores higher.
    assert [(r.drama.id, r.kind) for r in results] == [("h2", "sequel"), ("o1", "like"), ("o2", "like")]
    assert results[0].part_of == show and reason_line(results[0]) == "another part of Ward, which you like"
    # A member who rated Clinic sees Clinic 2 alone; one who did not never sees it before Clinic.
    assert [r.drama.id for r in engine.recommend([show], exclude=["o1"])] == ["h2", "o2"]
    assert [r.drama.id for r in engine.recommend()] == ["o1", "o2", "h1", "h2"]


def test_without_likes_unscored_shows_come_newest_first_never_alphabetical():
    dramas = [
        Drama(id="a", title="Alpha", year=2001),
        Drama(id="z", title="Zulu", year=2020),
        Drama(id="m", title="Mike", year=2010, community_score=7.0),
    ]
    assert [r.drama.id for r in Recommender(dramas).recommend()] == ["m", "z", "a"]


def test_taste_weights_are_votes_above_the_members_mean():
    # Mean (9 + 5 + 7) / 3 = 7: only "a" is above it, by 2.
    assert taste_weights([("a", 9), ("b", 5), ("c", 7)]) == {"a": 2.0}
    # All equal: nothing is above the mean, so shows rated ≥ 7 weigh 1 each.
    assert taste_weights([("a", 8), ("b", 8)]) == {"a": 1.0, "b": 1.0}
    assert taste_weights([("a", 5), ("b", 5)]) == {}


def test_recommend_two_likes_sum_their_vectors(toy):
    _a, b, c, _d = _toy()
    results = toy.recommend([b, c])
    # The query is the mean of B's and C's; D shares romance with B and thriller with C, A romance + sports.
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


def test_like_run_on_lists_close_shows_then_stops(big):
    catalog, engine = big
    run_on = catalog.get("run-on")
    results = engine.recommend([run_on], limit=MAX_RESULTS)
    kinds = [r.kind for r in results]
    assert "run-on" not in {r.drama.id for r in results}
    # The close shows first, then at most ALSO_TRY best-rated others: the list ends instead of padding.
    close = [r for r in results if r.kind == "like"]
    assert kinds == ["like"] * len(close) + ["also"] * (len(results) - len(close))
    assert 10 <= len(close) < MAX_RESULTS and len(results) - len(close) <= ALSO_TRY
    assert all(r.similarity >= SIMILARITY_FLOOR for r in close)
    for r in close:
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
    scores = [r.score for r in close if engine.series_of(r.drama) == [r.drama]]  # seasons stay together
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
    # By quality; a show with several seasons has its later seasons right after its first, whatever they score.
    scores = [r.score for r in engine.recommend() if engine.series_of(r.drama) == [r.drama]]
    assert scores == sorted(scores, reverse=True)


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
