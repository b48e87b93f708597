"""/shouldiwatch verdicts from evidence: whole genres and tags, four answers, reasons naming evidence."""

from __future__ import annotations

import pytest

from bot.catalog.model import Audience, AudienceNote, Drama, Fit
from bot.catalog.verdict import answer
from bot.catalog.vocabulary import LOOKING_FOR, SIGNALS, where_to_watch


def _drama(genres=(), tags=(), episodes=None, **kw) -> Drama:
    return Drama(id="x", title="X", genres=tuple(genres), tags=tuple(tags), episodes=episodes, **kw)


def test_bromance_is_not_romance():
    # D.P.'s case: an army show with a Bromance tag and no love story.
    got = answer(_drama(["Drama", "Action"], ["military", "Bromance"]), "slow-burn romance")
    assert got.fit is Fit.NO
    assert got.evidence == ("Action", "military", "Bromance")
    assert "Bromance" in got.reason


def test_a_romance_genre_alone_cannot_tell_how_slow():
    got = answer(_drama(["Comedy", "Romance"]), "slow-burn romance")
    assert got.fit is Fit.UNKNOWN
    assert got.reason == "It has Romance, but nothing says whether it is slow-burn romance."


def test_fast_romance_rules_out_slow_burn_even_beside_romance_shapes():
    assert answer(_drama(["Romance"], ["Fast Paced Romance", "Love Triangle"]), "slow-burn romance").fit is Fit.NO
    both = answer(_drama(["Romance"], ["Slow Burn Romance", "Fast Paced Romance"]), "slow-burn romance")
    assert both.fit is Fit.MAYBE
    assert both.reason == "Slow Burn Romance points that way, but Fast Paced Romance points the other."


def test_slow_burn_tag_in_either_spelling_says_yes():
    assert answer(_drama(["Romance"], ["slow-burn romance"]), "slow-burn romance").fit is Fit.YES
    assert answer(_drama(["Romance"], ["Slow Burn Romance"]), "slow-burn romance").fit is Fit.YES


def test_a_missing_tag_is_never_a_no():
    # A Thriller/Comedy show with no tears tag: nothing says either way → can't tell, not "probably not".
    got = answer(_drama(["Thriller", "Comedy", "Drama"], ["Motherhood"]), "tearjerker")
    assert got.fit is Fit.UNKNOWN
    assert got.evidence == ()


def test_counter_signal_turns_yes_into_maybe_and_alone_into_no():
    assert answer(_drama(["Mystery"], ["feel-good"]), "thrills").fit is Fit.MAYBE
    alone = answer(_drama(["Romance"], ["feel-good"]), "tearjerker")
    assert (alone.fit, alone.reason) == (Fit.NO, "feel-good points the other way.")


def test_yes_names_its_evidence():
    got = answer(_drama(["Thriller", "Drama"], ["Death Game", "Suspense"]), "thrills")
    assert got.fit is Fit.YES
    assert got.reason == "Its genres and tags say so: Thriller, Death Game and Suspense."


def test_substrings_do_not_count():
    # "Romance" is inside "Bromance" and "Actionable" is not "Action": whole terms only.
    assert answer(_drama([], ["Bromance"]), "slow-burn romance").fit is Fit.NO
    assert answer(_drama(["Life"], ["Actionable Plot"]), "action").fit is Fit.NO  # Life: about something else


def test_spoiler_tags_are_never_evidence():
    drama = _drama(["Drama"], [], spoiler_tags=("Tearjerker", "Terminal Illness"))
    got = answer(drama, "tearjerker")
    assert got.fit is Fit.UNKNOWN and "Terminal" not in got.reason


def test_short_watch_from_episodes_and_unknown_count():
    assert answer(_drama(episodes=8), "short watch").fit is Fit.YES
    assert answer(_drama(episodes=16), "short watch").fit is Fit.MAYBE
    assert answer(_drama(episodes=20), "short watch").fit is Fit.NO
    assert answer(_drama(), "short watch").fit is Fit.UNKNOWN


def test_the_entrys_own_note_wins_over_tags():
    note = AudienceNote("tearjerker", Fit.YES, "Have tissues ready.")
    drama = _drama(["Comedy"], ["feel-good"], audience=Audience(notes=(note,)))
    assert answer(drama, "tearjerker").fit is Fit.YES
    assert answer(drama, "tearjerker").reason == "Have tissues ready."


def test_every_interest_but_short_watch_has_signals_and_no_term_both_ways():
    assert set(SIGNALS) == set(LOOKING_FOR) - {"short watch"}
    for interest, s in SIGNALS.items():
        pro = s.yes | s.maybe
        assert not pro & (s.rules_out | s.counter | s.elsewhere), interest


def test_unknown_interest_raises():
    with pytest.raises(ValueError, match="unknown interest"):
        answer(_drama(), "zombies")


def test_where_to_watch_adds_streaming_networks_once():
    d = _drama(platforms=("Viki",), network=("Netflix", "JTBC", "viki"))
    assert where_to_watch(d) == ("Viki", "Netflix")
