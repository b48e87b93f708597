"""The pure rating helpers: keycaps ↔ scores, reactions → votes, the damped mean."""

import pytest

from bot.ratings.scores import (
    KEYCAP_SCORES,
    PRIOR_MEAN,
    PRIOR_WEIGHT,
    RATING_EMOJI,
    bayesian_mean,
    emoji_for_score,
    reactions_by_member,
    score_for_emoji,
)

BOT = 999
VS = "\ufe0f"


def test_rating_emoji_are_the_ten_keycaps_in_order():
    assert RATING_EMOJI == ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")
    assert [score_for_emoji(e) for e in RATING_EMOJI] == list(range(1, 11))


@pytest.mark.parametrize("digit", "123456789")
def test_score_for_emoji_accepts_keycaps_with_and_without_variation_selector(digit):
    with_vs, without_vs = f"{digit}{VS}\u20e3", f"{digit}\u20e3"
    assert with_vs != without_vs
    assert score_for_emoji(with_vs) == score_for_emoji(without_vs) == int(digit)


def test_score_for_emoji_reads_ten_in_both_spellings():
    assert score_for_emoji("🔟") == 10
    assert score_for_emoji("🔟" + VS) == 10
    assert score_for_emoji("1⃣") == score_for_emoji("1️⃣") == 1


@pytest.mark.parametrize("name", ["👍", "0️⃣", "0⃣", "#️⃣", "*️⃣", "1", "10", "ramen", "", None, "1️⃣1️⃣"])
def test_score_for_emoji_ignores_other_emoji(name):
    assert score_for_emoji(name) is None


def test_keycap_scores_only_holds_scores_one_to_ten():
    assert set(KEYCAP_SCORES.values()) == set(range(1, 11))


def test_emoji_for_score_inverts_score_for_emoji():
    assert all(score_for_emoji(emoji_for_score(s)) == s for s in range(1, 11))
    assert emoji_for_score(8) == "8️⃣"


@pytest.mark.parametrize("bad", [0, 11, -1, True, 5.0, "5"])
def test_emoji_for_score_rejects_non_scores(bad):
    with pytest.raises(ValueError):
        emoji_for_score(bad)


def test_bayesian_mean_hand_computed():
    # One lone 10 with the default prior (6.0 over 5 votes): (5*6 + 10) / (5 + 1) = 40/6.
    assert bayesian_mean(10, 1) == pytest.approx(40 / 6)
    # Twenty 9s: (30 + 180) / 25 = 8.4.
    assert bayesian_mean(180, 20) == pytest.approx(8.4)
    assert bayesian_mean(0, 0) == PRIOR_MEAN
    assert bayesian_mean(7, 1, prior_mean=5.0, weight=0) == 7.0
    assert (PRIOR_MEAN, PRIOR_WEIGHT) == (6.0, 5)


@pytest.mark.parametrize(("total", "count", "weight"), [(0, 0, 0), (5, -1, 5), (5, 1, -1)])
def test_bayesian_mean_rejects_undefined_inputs(total, count, weight):
    with pytest.raises(ValueError):
        bayesian_mean(total, count, weight=weight)


def test_reactions_by_member_merges_spellings_and_skips_bot_and_foreign_emoji():
    reactions = {
        "8️⃣": [1, 2, BOT],
        "8⃣": [3],
        "🔟": [BOT, 2],
        "👍": [4],
        "ramen": [5],
    }
    assert reactions_by_member(reactions, BOT) == {1: {8}, 2: {8, 10}, 3: {8}}


def test_reactions_by_member_of_only_the_bot_is_empty():
    assert reactions_by_member({e: [BOT] for e in RATING_EMOJI}, BOT) == {}


def test_one_decimal_rounds_halves_up_like_people_do():
    from bot.ratings.scores import one_decimal

    assert one_decimal(21 / 4) == "5.3"  # 5.25
    assert one_decimal(27 / 4) == "6.8"  # 6.75
    assert one_decimal(127 / 20) == "6.4"  # 6.35, not 6.3 from the float's binary tail
    assert one_decimal(7.0) == "7.0" and one_decimal(10) == "10.0"
