"""Title autocomplete's candidate index (`bot.catalog.title_search`) and what `Catalog.search` offers
through it: prefixes, words, grams, typos, actors, Hangul, and Discord's limits. No timings here:
speed is measured in bench/bench_autocomplete.py."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.catalog.actors import ActorNames
from bot.catalog.index import Catalog, UnknownTitle
from bot.catalog.model import Drama
from bot.catalog.title_search import GramIndex, TitleIndex, score
from bot.catalog.toml_entries import load_catalog
from bot.ui.options import DramaTitle, term_choices, title_choices
from tests.conftest import CATALOG_DIR
from tests.fakes import make_interaction


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return load_catalog(CATALOG_DIR)


# --------------------------------------------------------------------------- the index itself


def test_gram_index_shortlists_the_name_sharing_grams_with_a_typo():
    grams = GramIndex(["runon", "goblin", "signal"], 2)
    # "rnon" padded: {^r, rn, no, on}; "runon": {^r, ru, un, no, on} shares ^r, no, on; the others share none.
    assert grams.grams("rnon") and len(grams.grams("rnon")) == 4
    assert [a.tolist() for a in grams.shortlist("rnon", 10, 10)] == [[0], [0]]
    assert grams.sizes.tolist() == [5, 6, 6]  # distinct padded bigrams per text
    assert [a.tolist() for a in grams.shortlist("zzz", 10, 10)] == [[], []]  # no gram known


def test_title_index_keeps_each_folded_name_once_with_its_entries_in_order():
    index = TitleIndex(["Run On", "Run-On", "Yim Si Wan", "RUN ON", "Yim Si Wan"])
    assert index.keys == ["run on", "yim si wan"]
    assert index.entries_of(0) == [0, 1, 3] and index.entries_of(1) == [2, 4]
    assert len(index) == 2


def test_title_index_ranks_the_exact_prefix_first_and_finds_a_typo():
    index = TitleIndex(["Hotel del Luna", "Hospital Playlist", "Run On", "Runaway"])
    ranked = index.ranked("hos", cutoff=50)
    assert ranked[0] == (1, 95.0)  # "hos" is the start of "hospital playlist": 100 × PREFIX_WEIGHT
    assert index.ranked("rnu on", cutoff=50)[0][0] == 2
    assert index.ranked("hoteldelluna", cutoff=50)[0][0] == 0  # spacing-insensitive prefix


def test_score_counts_a_fragment_at_a_word_start_not_inside_a_word():
    # "luna" is the third word of "hotel del luna": 100 × PARTIAL_WEIGHT (0.85).
    assert score("luna", ["hotel del luna"]).tolist() == [85.0]
    # "gin" against "giant": ratio 2·3/(3+5) = 75. Inside "hanging" it is no fragment: the best is the
    # whole-name ratio 2·3/(3+10) ≈ 46.2 (a plain partial_ratio would have given it 85).
    giant, hanging = score("gin", ["giant", "hanging on"]).tolist()
    assert giant == 75.0
    assert hanging == pytest.approx(600 / 13)
    # A longer query is found anywhere in a longer name: "lonely and great" inside Goblin's English title.
    assert score("lonely and great", ["guardian the lonely and great god"]).tolist() == [85.0]


# --------------------------------------------------------------------------- what members see


def test_actor_name_offers_each_of_their_shows_labelled_with_them():
    actors = ActorNames({"Gong Yoo": ["Gong Yu"]})
    catalog = Catalog(
        [
            Drama(id="goblin", title="Goblin", year=2016, starring=("Gong Yoo", "Kim Go Eun")),
            Drama(id="coffee-prince", title="Coffee Prince", year=2007, cast=("Gong Yoo",)),
            Drama(id="signal", title="Signal", year=2016, starring=("Lee Je Hoon",)),
        ],
        actors,
    )
    for typed in ("gong yoo", "Gong Yoo", "GONG-YOO", "gong yu", "gongyoo"):
        labels = [label for label, _ in catalog.search(typed)]
        assert labels[:2] == ["Goblin — with Gong Yoo", "Coffee Prince — with Gong Yoo"], typed
    assert all("Signal" not in label for label, _ in catalog.search("gong yoo", cutoff=50))


def test_hangul_title_finds_goblin(bundled):
    assert bundled.search("도깨비", limit=1) == [("Goblin (도깨비)", "goblin")]


def test_case_spacing_and_punctuation_give_the_same_choices(bundled):
    answers = [bundled.search(typed) for typed in ("SKY castle", "skycastle", "Sky-Castle", "sky castle")]
    assert answers[0][0] == ("SKY Castle", "sky-castle")
    assert all(answer == answers[0] for answer in answers)


@pytest.mark.parametrize(
    ("typed", "drama_id"),
    [
        ("goblim", "goblin"),
        ("reply 1998", "reply-1988"),
        ("rnu on", "run-on"),
        ("hosptial playlist", "hospital-playlist"),
    ],
)
def test_typos_still_find_the_show(bundled, typed, drama_id):
    assert bundled.search(typed, limit=1)[0][1] == drama_id


def test_an_unknown_title_still_gets_did_you_mean(bundled):
    with pytest.raises(UnknownTitle) as info:
        bundled.resolve("Goblim")
    assert info.value.suggestions == ["Goblin"]
    with pytest.raises(UnknownTitle) as info:
        bundled.resolve("reply 1998")
    # The three Reply shows are within SUGGEST_MARGIN of each other; 1988 is one letter away.
    assert info.value.suggestions[0] == "Reply 1988" and set(info.value.suggestions) == {
        "Reply 1988",
        "Reply 1994",
        "Reply 1997",
    }


# --------------------------------------------------------------------------- Discord's limits


def test_at_most_25_choices_each_within_100_characters():
    dramas = [Drama(id=f"love-{n}", title=f"Love {n}", year=2000 + n % 20) for n in range(40)]
    catalog = Catalog(dramas)
    choices = title_choices(catalog, "love")
    assert len(choices) == 25
    assert len(title_choices(catalog, "")) == 25


def test_a_long_title_keeps_the_actor_in_its_label():
    title = "The " + "Very " * 18 + "Long Drama"  # 4 + 90 + 10 = 104 characters
    catalog = Catalog([Drama(id="long", title=title, year=2020, starring=("Kim Ok Bin",))])
    [(label, value)] = catalog.search("kim ok bin", limit=1)
    assert value == "long"
    assert len(label) == 100 and label.endswith("… — with Kim Ok Bin")
    [(label, _)] = catalog.search("the very", limit=1)
    assert len(label) == 100 and label.endswith("…")  # the title alone, cut


async def test_every_autocomplete_choice_is_within_discords_limits(bundled):
    inter = make_interaction(client=SimpleNamespace(catalog=bundled))
    for typed in (
        "",
        "a",
        "gong yoo",
        "도깨비",
        "the very long title that nobody has " * 4,
        "ⓒⓛⓞⓨ",
        "||x||",
        "@everyone",
    ):
        choices = await DramaTitle().autocomplete(inter, typed)
        assert len(choices) <= 25, typed
        assert all(1 <= len(c.name) <= 100 and 1 <= len(c.value) <= 100 for c in choices), typed


def test_a_filter_term_over_100_characters_is_not_offered_cut():
    long_tag = "Action " * 15  # 105 characters: a cut value would filter nothing
    choices = term_choices([long_tag, "Action", "Adventure"], "a")
    assert [(c.name, c.value) for c in choices] == [("Action", "Action"), ("Adventure", "Adventure")]
