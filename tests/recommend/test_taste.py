"""Taste from a guild's votes (bot.recommend.taste): affinity, item-to-item and kindred ratings, by hand."""

from __future__ import annotations

import math

import pytest

from bot.catalog.model import Drama
from bot.recommend.engine import CF_MIN, Recommender, cf_blend
from bot.recommend.taste import AFFINITY_SHRINK, GuildTaste, TasteBook

VOTES = {
    "ann": {"x": 8, "y": 6, "z": 4},
    "ben": {"x": 9, "y": 7, "z": 5, "w": 9},  # orders x, y, z exactly as ann does
    "cat": {"x": 4, "y": 6, "z": 8, "w": 3},  # the opposite order
    "dan": {"x": 9},  # one vote: no affinity with anyone
}


def test_affinity_is_shrunk_pearson_with_favourites_and_the_biggest_gap():
    taste = GuildTaste(VOTES)
    ab = taste.affinity("ann", "ben")
    # Over x, y, z: Pearson 1.0, shrunk by n / (n + 5) = 3/8 → 0.375, 38%.
    assert ab.value == pytest.approx(3 / (3 + AFFINITY_SHRINK)) and ab.percent == 38 and ab.overlap == 3
    assert ab.favourites == ("x",)  # 8 and 9: both loved; nothing else is ≥ 8 for both
    assert ab.disagreement == ("z", 4, 5)  # every gap is 1: the last by id
    ac = taste.affinity("ann", "cat")
    assert ac.value == pytest.approx(-0.375) and ac.percent == -38
    assert ac.disagreement == ("z", 4, 8) and ac.favourites == ()
    assert taste.affinity("ann", "dan") is None  # one show in common: fewer than MIN_OVERLAP
    assert taste.affinity("ann", "ann") is None


def test_kindred_rating_counts_only_members_with_your_taste():
    taste = GuildTaste(VOTES)
    # ann's kindred: ben (0.375 ≥ 0.3); cat is opposite. Only ben rated w: 9.0 from 1 member.
    assert taste.kindred("ann") == {"ben": pytest.approx(0.375)}
    assert taste.kindred_rating("ann", "w") == (9.0, 1)
    assert taste.kindred_rating("dan", "w") is None


def test_co_liked_is_the_adjusted_cosine_over_co_raters():
    taste = GuildTaste(VOTES)
    # Deviations from each member's mean: ann μ 6 → x +2, z −2; ben μ 7.5 → x +1.5, z −2.5, w +1.5;
    # cat μ 5.25 → x −1.25, z +2.75, w −2.25; dan μ 9 → x 0.
    # cf(x, w) over ben and cat: (1.5·1.5 + (−1.25)(−2.25)) / (|x| · |w|), |x| = √(4 + 2.25 + 1.5625 + 0)
    # = 2.795085, |w| = √(2.25 + 5.0625) = 2.704163: (2.25 + 2.8125) / 7.558365 = 0.669788.
    cf, co = taste.co_liked(["x"])["w"]
    assert cf == pytest.approx(5.0625 / (math.sqrt(7.8125) * math.sqrt(7.3125)), abs=1e-9) and co == 2
    assert cf == pytest.approx(0.669788, abs=1e-6)
    assert "x" not in taste.co_liked(["x"])
    assert taste.loved_also("x") == [("w", 1)]  # ann, ben, dan loved x; of them only ben loved w


def test_the_blend_shrinks_towards_content_when_few_co_rated():
    assert cf_blend(0.4, 0.9, CF_MIN - 1) == 0.4  # too few co-raters: content alone
    # n = 5: α = 0.5 · 5 / 10 = 0.25 → 0.75 · 0.4 + 0.25 · 0.9 = 0.525; more co-raters move it further.
    assert cf_blend(0.4, 0.9, 5) == pytest.approx(0.525)
    assert cf_blend(0.4, 0.9, 45) > cf_blend(0.4, 0.9, 5)
    assert cf_blend(0.4, -1.0, 45) < 0.4  # those who loved the seed disliked it: pulled down, never below 0
    dramas = [Drama(id="s", title="S", genres=("Drama",)), Drama(id="t", title="T", genres=("Crime",))]
    results = Recommender(dramas).recommend([dramas[0]], co_liked={"t": (0.9, 45)})
    # No content in common, but 45 members agree: α = 0.5 · 45 / 50 = 0.45, sim' = 0.405 ≥ the floor.
    assert [(r.drama.id, r.kind, r.co_raters) for r in results] == [("t", "like", 45)]
    assert results[0].similarity == pytest.approx(0.405)


def test_taste_book_rebuilds_only_for_a_new_version():
    class Votes:
        def __init__(self, version, by_member):
            self.guild_id, self.version, self.by_member = 1, version, by_member

    book = TasteBook()
    first = book.of(Votes((3, 18, "t1"), VOTES))
    assert book.of(Votes((3, 18, "t1"), VOTES)) is first
    assert book.of(Votes((4, 27, "t2"), VOTES)) is not first
