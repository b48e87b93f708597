"""Watch night: candidates, answer texts, question, duration, and the result (winner, tie, no votes)."""

from __future__ import annotations

import pytest

from bot.watch.errors import PollRuleError
from bot.watch.text import text_length
from bot.watch.watchnight import (
    DEFAULT_QUESTION,
    OutcomeKind,
    choose_candidates,
    may_end_poll,
    poll_answers,
    poll_outcome,
    poll_question,
    validate_duration_hours,
)


def test_candidates_default_to_the_top_of_up_next():
    assert choose_candidates(None, ["a", "b", "c"]) == ["a", "b", "c"]
    assert choose_candidates([], ["a", "b"]) == ["a", "b"]
    queue = [f"d{i}" for i in range(12)]
    assert choose_candidates(None, queue) == queue[:10]


def test_named_candidates_are_deduplicated_in_order():
    assert choose_candidates(["a", "b", "a", "c", "b"], ["x", "y"]) == ["a", "b", "c"]
    # 12 names, 10 different: fits
    assert choose_candidates([*"abcdefghij", "a", "b"], []) == list("abcdefghij")


def test_too_few_or_too_many_candidates():
    with pytest.raises(PollRuleError, match=r"^Name at least 2 different titles"):
        choose_candidates(["a", "a"], ["x", "y"])
    with pytest.raises(PollRuleError, match="you named 11 different ones"):
        choose_candidates(list("abcdefghijk"), [])
    with pytest.raises(PollRuleError, match=r"^Up next has only 1 title"):
        choose_candidates(None, ["a"])
    with pytest.raises(PollRuleError, match=r"^Up next is empty"):
        choose_candidates(None, [])


def test_answers_short_titles_pass_through():
    assert poll_answers(["Run On", "사랑의 불시착", "🍜 Ramen Night"]) == ["Run On", "사랑의 불시착", "🍜 Ramen Night"]


def test_answers_stay_unique_after_shortening():
    words = " ".join(["aaaa"] * 12)
    first, second, third = poll_answers([words + " one", words + " two", words + " one"])
    assert first == " ".join(["aaaa"] * 11) + "…"  # 55 units
    # " (2)" takes 4 units, so the title gets 51: room 50 cuts inside word 11 -> back to 10 words
    assert second == " ".join(["aaaa"] * 10) + "… (2)"
    assert third == " ".join(["aaaa"] * 10) + "… (3)"
    assert [text_length(a) for a in (first, second, third)] == [55, 54, 54]


def test_answers_same_name_case_insensitively_and_skipping_taken_numbers():
    assert poll_answers(["Run On", "run on"]) == ["Run On", "run on (2)"]
    assert poll_answers(["Mask", "Mask (2)", "Mask"]) == ["Mask", "Mask (2)", "Mask (3)"]


def test_answers_with_the_same_name_say_their_years():
    # Two CSV shows are called Hyena (2020 and 2006): "Hyena" and "Hyena (2)" would not say which is which.
    assert poll_answers(["Hyena", "Signal", "Hyena"], ["2020", "2016", "2006"]) == [
        "Hyena (2020)",
        "Signal",
        "Hyena (2006)",
    ]
    # Same name and year: the later one is numbered instead; one without a year keeps the bare name.
    assert poll_answers(["Mask", "Mask", "Mask"], ["2015", "2015", None]) == ["Mask (2015)", "Mask (2)", "Mask"]
    # Long titles that read the same once shortened: the year goes in place of the cut words.
    words = " ".join(["aaaa"] * 12)
    first, second = poll_answers([words + " one", words + " two"], ["2019", "2021"])
    assert first == " ".join(["aaaa"] * 9) + "… (2019)"  # " (2019)" takes 7 units: room 48 - 1 for "…"
    assert second == " ".join(["aaaa"] * 9) + "… (2021)"
    with pytest.raises(PollRuleError, match="2 details for 3 titles"):
        poll_answers(["a", "b", "c"], ["1", "2"])


def test_answers_hangul_and_emoji_at_the_edge():
    hangul = "가" * 55
    emoji = "🍜" * 27 + "!"  # 55 units
    long_emoji = "🍜" * 28  # 56 units
    assert poll_answers([hangul, emoji, long_emoji]) == [hangul, emoji, "🍜" * 27 + "…"]


def test_answers_refuse_blank_or_more_than_ten():
    with pytest.raises(PollRuleError, match="blank"):
        poll_answers(["Run On", "  "])
    with pytest.raises(PollRuleError, match="at most 10"):
        poll_answers([str(i) for i in range(11)])


def test_question():
    assert poll_question(None) == DEFAULT_QUESTION == "What do we watch next?"
    assert poll_question("  ") == DEFAULT_QUESTION
    assert poll_question("  Friday   pick? ") == "Friday pick?"
    assert poll_question("q" * 300) == "q" * 300
    assert poll_question("🍜" * 150) == "🍜" * 150  # 300 units
    with pytest.raises(PollRuleError, match="301 characters long; Discord allows 300"):
        poll_question("q" * 301)
    with pytest.raises(PollRuleError, match="302 characters long"):
        poll_question("🍜" * 151)


@pytest.mark.parametrize("hours", [1, 24, 767, 768])
def test_duration_in_range(hours):
    assert validate_duration_hours(hours) == hours


@pytest.mark.parametrize("hours", [0, -1, 769, 10_000])
def test_duration_out_of_range(hours):
    with pytest.raises(PollRuleError, match=f"1 to 768 hours \\(32 days\\); {hours} is outside"):
        validate_duration_hours(hours)


@pytest.mark.parametrize("hours", [True, 2.5, "24"])
def test_duration_must_be_whole_hours(hours):
    with pytest.raises(PollRuleError, match="whole number of hours"):
        validate_duration_hours(hours)


def test_outcome_single_winner():
    outcome = poll_outcome([(1, 3), (2, 5), (3, 1)])
    assert (outcome.kind, outcome.leaders, outcome.top_votes, outcome.total_votes) == (OutcomeKind.WINNER, (2,), 5, 9)
    assert outcome.winner == 2


def test_outcome_tie_names_every_tied_answer_in_answer_order():
    outcome = poll_outcome([("run-on", 2), ("reply-1988", 4), ("mask", 0), ("moving", 4)])
    assert (outcome.kind, outcome.leaders, outcome.top_votes, outcome.total_votes) == (
        OutcomeKind.TIE,
        ("reply-1988", "moving"),
        4,
        10,
    )
    assert outcome.winner is None
    three_way = poll_outcome([(1, 1), (2, 1), (3, 1)])
    assert three_way.leaders == (1, 2, 3)
    assert three_way.kind is OutcomeKind.TIE


def test_outcome_no_votes():
    for counts in ([(1, 0), (2, 0)], []):
        outcome = poll_outcome(counts)
        assert (outcome.kind, outcome.leaders, outcome.top_votes, outcome.total_votes) == (
            OutcomeKind.NO_VOTES,
            (),
            0,
            0,
        )
        assert outcome.winner is None


def test_outcome_one_vote_wins():
    assert poll_outcome([(1, 0), (2, 1)]).winner == 2


def test_outcome_refuses_bad_counts():
    with pytest.raises(ValueError, match="whole number >= 0"):
        poll_outcome([(1, -1), (2, 3)])
    with pytest.raises(ValueError, match="appears twice"):
        poll_outcome([(1, 1), (1, 2)])


def test_may_end_poll():
    assert may_end_poll(7, 7, False) is True
    assert may_end_poll(8, 7, True) is True
    assert may_end_poll(8, 7, False) is False


def test_an_unannounced_poll_blocks_a_new_one_only_until_its_time_runs_out():
    import datetime as dt

    from bot.watch.watchnight import blocks_new_poll

    now = dt.datetime(2031, 5, 9, 20, 30, tzinfo=dt.UTC)
    assert blocks_new_poll(now + dt.timedelta(seconds=1), now)
    assert not blocks_new_poll(now, now)  # voting closed at this instant: being announced
    assert not blocks_new_poll(now - dt.timedelta(hours=1), now)
