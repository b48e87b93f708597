"""Watchlist rules: statuses, episode validation, /watchlist add, /watched, counts, privacy."""

from __future__ import annotations

import pytest

from bot.watch.errors import EpisodeError, StatusError, WatchRuleError
from bot.watch.watchlist import (
    EXCLUDED_FROM_RECOMMEND,
    Entry,
    Status,
    apply_watched,
    counts_line,
    entry_for_add,
    may_view_list,
    status_counts,
    validate_episode,
)

P, W, F, D = Status.PLAN_TO_WATCH, Status.WATCHING, Status.FINISHED, Status.DROPPED


def test_status_labels_and_keys():
    assert [s.label for s in Status] == ["plan to watch", "watching", "finished", "dropped"]
    assert [s.value for s in Status] == ["plan_to_watch", "watching", "finished", "dropped"]
    assert frozenset({F, D}) == EXCLUDED_FROM_RECOMMEND


@pytest.mark.parametrize(
    "text", ["plan to watch", "Plan To Watch", "plan_to_watch", "plan-to-watch", " plan  to watch "]
)
def test_status_parse_accepts_label_or_key(text):
    assert Status.parse(text) is P


def test_status_parse_rejects_other_words_naming_the_choices():
    with pytest.raises(StatusError) as caught:
        Status.parse("binging")
    assert str(caught.value) == (
        '"binging" is not a watchlist status; use one of "plan to watch", "watching", "finished", "dropped".'
    )


def test_validate_episode_bounds():
    assert validate_episode(1, 16) == 1
    assert validate_episode(16, 16) == 16
    assert validate_episode(300, None) == 300
    with pytest.raises(EpisodeError, match=r"^Run On has 16 episodes, so episode 17 is not one of them\.$"):
        validate_episode(17, 16, "Run On")
    with pytest.raises(EpisodeError, match=r"^Special has 1 episode, so episode 2"):
        validate_episode(2, 1, "Special")
    with pytest.raises(EpisodeError, match="start at 1"):
        validate_episode(0, 16)
    with pytest.raises(EpisodeError, match="start at 1"):
        validate_episode(-3, None)
    with pytest.raises(EpisodeError, match="10000"):
        validate_episode(10_001, None)
    with pytest.raises(EpisodeError, match="whole number"):
        validate_episode(True, 16)


def test_errors_are_one_family_of_value_errors():
    assert issubclass(EpisodeError, WatchRuleError)
    assert issubclass(WatchRuleError, ValueError)


@pytest.mark.parametrize(
    ("status", "episode", "count", "expected"),
    [
        (None, None, 16, Entry(P)),
        (None, 5, 16, Entry(W, 5)),
        (None, 16, 16, Entry(F, 16)),
        (W, None, 16, Entry(W)),
        (W, 4, 16, Entry(W, 4)),
        (W, 16, 16, Entry(F, 16)),
        (F, None, 16, Entry(F, 16)),
        (F, None, None, Entry(F)),
        (F, 16, 16, Entry(F, 16)),
        (D, 3, 16, Entry(D, 3)),
        (D, None, 16, Entry(D)),
        (P, None, 16, Entry(P)),
    ],
)
def test_entry_for_add(status, episode, count, expected):
    assert entry_for_add(status, episode, count, "Run On") == expected


def test_entry_for_add_refusals():
    with pytest.raises(StatusError, match='add Run On as "watching" to save episode 3'):
        entry_for_add(P, 3, 16, "Run On")
    with pytest.raises(StatusError, match="Run On ends at episode 16"):
        entry_for_add(F, 12, 16, "Run On")
    with pytest.raises(EpisodeError, match="has 16 episodes"):
        entry_for_add(W, 20, 16, "Run On")


def test_watched_from_nothing_moves_to_watching():
    outcome = apply_watched(None, 3, 16)
    assert outcome.entry == Entry(W, 3)
    assert (outcome.previous, outcome.finished_now, outcome.went_back) == (None, False, False)


def test_watched_from_plan_to_watch_and_dropped():
    assert apply_watched(Entry(P), 1, 16).entry == Entry(W, 1)
    assert apply_watched(Entry(D, 5), 6, 16).entry == Entry(W, 6)


def test_watched_last_episode_finishes():
    outcome = apply_watched(Entry(W, 15), 16, 16)
    assert outcome.entry == Entry(F, 16)
    assert outcome.finished_now is True


def test_watched_last_episode_again_is_not_finished_now():
    outcome = apply_watched(Entry(F, 16), 16, 16)
    assert outcome.entry == Entry(F, 16)
    assert outcome.finished_now is False


def test_watched_earlier_episode_is_a_rewatch_or_correction():
    outcome = apply_watched(Entry(F, 16), 2, 16)
    assert outcome.entry == Entry(W, 2)
    assert outcome.went_back is True


def test_watched_unknown_count_never_finishes():
    assert apply_watched(Entry(W, 100), 250, None).entry == Entry(W, 250)


def test_watched_past_the_end_is_refused():
    with pytest.raises(EpisodeError, match="Run On has 16 episodes, so episode 17"):
        apply_watched(Entry(W, 15), 17, 16, "Run On")


def test_status_counts_has_every_status():
    counts = status_counts([W, W, F, D, W])
    assert counts == {P: 0, W: 3, F: 1, D: 1}
    assert list(counts) == [P, W, F, D]
    assert status_counts([]) == {P: 0, W: 0, F: 0, D: 0}


def test_counts_line_tells_watching_and_finished_only():
    assert counts_line({P: 4, W: 3, F: 1, D: 2}) == "3 watching · 1 finished"
    assert counts_line({P: 0, W: 0, F: 2, D: 0}) == "2 finished"
    assert counts_line(status_counts([P, D])) == ""


def test_may_view_list():
    assert may_view_list(1, 1, True) is True  # your own, even private
    assert may_view_list(2, 1, False) is True
    assert may_view_list(2, 1, True) is False
