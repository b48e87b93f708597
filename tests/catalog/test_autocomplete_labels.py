"""What a title autocomplete choice reads (the show's title, the alias typed only as a hint) and which
actors a full actor's name offers. Hand-built catalogs; the bundled one where its aliases are the point."""

from __future__ import annotations

import pytest

from bot.catalog.actors import ActorNames
from bot.catalog.index import Catalog
from bot.catalog.model import Drama
from bot.catalog.toml_entries import load_catalog
from bot.ui.options import title_choices
from tests.conftest import CATALOG_DIR


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return load_catalog(CATALOG_DIR)


def names(catalog: Catalog, typed: str) -> list[tuple[str, str]]:
    """What members see: (choice name, value) from the live `title_choices`."""
    return [(c.name, c.value) for c in title_choices(catalog, typed)]


# --------------------------------------------------------------------------- the title, the alias as a hint


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        # The title's own start is typed: the title alone, though "sky 캐슬" is shorter and ties.
        ("sky", ("SKY Castle", "sky-castle")),
        # "hotel del" starts both "Hotel del Luna" and the alias "Hotel Deluna": the title alone.
        ("hotel del", ("Hotel del Luna", "hotel-del-luna")),
        # The alias in full is a near-copy of the title (fuzz.ratio "hoteldeluna"/"hoteldelluna" ≈ 95.7): no hint.
        ("hotel deluna", ("Hotel del Luna", "hotel-del-luna")),
        ("goblin", ("Goblin", "goblin")),
        ("Crash Landing on You", ("Crash Landing on You", "crash-landing-on-you")),
        # Hangul, a fan abbreviation, an English alternate title: the title scores nothing like the
        # alias, so the alias matched is the hint.
        ("도깨비", ("Goblin (도깨비)", "goblin")),
        ("cloy", ("Crash Landing on You (CLOY)", "crash-landing-on-you")),
        ("guardian", ("Goblin (Guardian: The Lonely and Great God)", "goblin")),
        ("스카이캐슬", ("SKY Castle (스카이캐슬)", "sky-castle")),
    ],
)
def test_a_choice_shows_the_title_and_the_alias_only_when_it_differs(bundled, typed, shown):
    assert names(bundled, typed)[0] == shown


def test_a_hint_beside_a_repeated_title_keeps_the_year():
    catalog = Catalog(
        [
            Drama(id="hyena-2020", title="Hyena", year=2020, aliases=("하이에나",)),
            Drama(id="hyena-2006", title="Hyena", year=2006),
        ]
    )
    assert names(catalog, "하이에나") == [("Hyena (2020, 하이에나)", "hyena-2020")]
    assert [n for n, _ in names(catalog, "hyena")] == ["Hyena (2020)", "Hyena (2006)"]


def test_a_long_title_is_cut_to_keep_the_hint_within_100_characters():
    title = "The " + "Very " * 18 + "Long Drama"  # 104 characters
    catalog = Catalog([Drama(id="long", title=title, year=2020, aliases=("VLD",))])
    [(label, value)] = names(catalog, "vld")
    # 100 - len(" (VLD)") = 94: 93 characters of the title, "…", then the hint whole.
    assert value == "long"
    assert label == title[:93].rstrip() + "… (VLD)" and len(label) <= 100


# --------------------------------------------------------------------------- actors typed in full


def actor_catalog() -> Catalog:
    return Catalog(
        [
            Drama(id="goblin", title="Goblin", year=2016, starring=("Gong Yoo", "Kim Go Eun")),
            Drama(id="coffee-prince", title="Coffee Prince", year=2007, starring=("Gong Yoo", "Yoon Eun Hye")),
            Drama(id="first-kiss", title="First Kiss", year=2018, cast=("Gong Yoo Rim",)),
            Drama(id="pasta", title="Pasta", year=2010, starring=("Gong Hyo Jin",)),
            Drama(id="the-producers", title="The Producers", year=2015, starring=("Gong Hyo Jin",)),
            Drama(id="my-fair-lady", title="My Fair Lady", year=2009, starring=("Song Yoon Ah",)),
            Drama(id="d-p", title="D.P.", year=2021, cast=("Go Yoon",)),
            Drama(id="signal", title="Signal", year=2016, starring=("Lee Je Hoon",)),
            Drama(id="bok-joo", title="Weightlifting Fairy Kim Bok Joo", year=2016, cast=("Lee Jae Yoon",)),
        ],
        ActorNames({"Gong Yoo": ["Gong Yu"]}),
    )


def test_an_actor_typed_in_full_offers_their_shows_then_names_going_on_not_near_misses():
    catalog = actor_catalog()
    expected = [
        ("Goblin — with Gong Yoo", "goblin"),
        ("Coffee Prince — with Gong Yoo", "coffee-prince"),
        # "gong yoo rim" goes on from "gong yoo" (the member may still be typing): after his shows.
        ("First Kiss — with Gong Yoo Rim", "first-kiss"),
    ]
    for typed in ("gong yoo", "Gong-Yoo", "gongyoo"):
        assert names(catalog, typed) == expected, typed
    # His other spelling in full: his shows; "gong yoo rim" does not go on from "gong yu".
    assert names(catalog, "gong yu") == expected[:2]
    assert names(catalog, "lee je hoon") == [("Signal — with Lee Je Hoon", "signal")]


def test_a_typo_in_an_actor_still_reaches_them_among_near_misses():
    catalog = actor_catalog()
    offered = names(catalog, "gong yo")
    assert offered[:2] == [("Goblin — with Gong Yoo", "goblin"), ("Coffee Prince — with Gong Yoo", "coffee-prince")]
    # No name typed in full: near-miss actors stay ("gong yo" is as close to "go yoon" as to others).
    assert ("D.P. — with Go Yoon", "d-p") in offered


def test_a_title_typed_in_full_drops_near_miss_actors():
    catalog = Catalog(
        [
            Drama(id="signal", title="Signal", year=2016),
            Drama(id="other", title="Other", year=2016, cast=("Signa",)),
        ]
    )
    # "signa" is one letter from "signal" (ratio 2·5/11 ≈ 90.9) but the title is typed in full.
    assert names(catalog, "signal") == [("Signal", "signal")]
    # "signa" is the actor in full: her show, then the title matches ("signal" starts so: 95).
    assert names(catalog, "signa") == [("Other — with Signa", "other"), ("Signal", "signal")]
    # Neither in full: both, best first ("signl" ratio: 2·5/11 ≈ 90.9 to "signal", 2·4/10 = 80 to "signa").
    assert names(catalog, "signl") == [("Signal", "signal"), ("Other — with Signa", "other")]
