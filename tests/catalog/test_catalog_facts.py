"""Issue #13: the bundled entries checked against the shared K-drama CSV, one spelling per actor,
premises free of spoiler-tagged facts, and every starter show found by its Korean and alternate titles.

The CSV is operator data read from ../shared (never copied in); tests that need it skip without it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from bot.catalog.actors import ActorNames, actors_of, default_actors_path, load_actors
from bot.catalog.assemble import SpoilerTags, build_catalog, default_spoiler_tags_path, merge_with_pairs
from bot.catalog.csv_rows import load_csv
from bot.catalog.model import CatalogError, Drama, normalize
from bot.catalog.toml_entries import load_catalog, load_entries
from tests.conftest import CATALOG_DIR, SHARED, SHARED_CSV

needs_real_csv = pytest.mark.skipif(not SHARED_CSV.is_file(), reason=f"operator data {SHARED_CSV} is absent")
FACTS_DIR = SHARED / "catalog-facts"


@pytest.fixture(scope="module")
def pairs() -> list[tuple[Drama, Drama]]:
    _, merged = merge_with_pairs(load_entries(CATALOG_DIR), list(load_csv(SHARED_CSV).dramas))
    return merged


def _facts_file_actors(drama_id: str) -> set[str]:
    """Actors a show's facts file names ("— played by Lee Bong Ryun."), when it has one."""
    path = FACTS_DIR / f"{drama_id}.md"
    if not path.is_file():
        return set()
    text = " ".join(path.read_text(encoding="utf-8").split())
    return {m.group(1) for m in re.finditer(r"played by ([A-Z][\w-]*(?: [A-Z][\w-]*)*)", text)}


@needs_real_csv
def test_every_bundled_entry_is_in_the_csv_with_the_same_year_episodes_and_network(pairs):
    assert len(pairs) == len(load_entries(CATALOG_DIR)) == 43
    for entry, row in pairs:
        assert entry.year == row.year, entry.id
        if row.episodes is not None:
            assert entry.episodes == row.episodes, entry.id
        if row.network:  # the CSV's network cell may also list streaming services
            assert entry.network and set(entry.network) <= set(row.network), (entry.id, entry.network, row.network)


@needs_real_csv
def test_every_actor_is_in_that_shows_csv_cast_or_its_facts_file(pairs):
    """Rule: the CSV lists at most six cast names, so an actor missing there is allowed when the show's
    facts file in ../shared/catalog-facts/ names them ("played by …"), e.g. Run On's Lee Bong Ryun."""
    allowed_by_facts = 0
    for entry, row in pairs:
        facts = _facts_file_actors(entry.id)
        for actor in (*entry.starring, *(c.actor for c in entry.characters if c.actor)):
            if actor not in row.cast:
                assert actor in facts, (entry.id, actor, row.cast)
                allowed_by_facts += 1
    assert allowed_by_facts == 1  # Run On's Mae (Lee Bong Ryun): worked out by hand from run-on.md


@needs_real_csv
def test_one_spelling_per_actor_the_csvs(pairs):
    actors = load_actors(default_actors_path())
    csv_cast = {name for row in load_csv(SHARED_CSV).dramas for name in row.cast}
    assert set(actors.aliases) <= csv_cast  # every canonical spelling is the CSV's
    for entry, _ in pairs:
        for actor in actors_of(entry):
            assert not actors.is_alias(actor), (entry.id, actor, actors.canonical(actor))
    run_on = next(e for e, _ in pairs if e.id == "run-on")
    misaeng = next(e for e, _ in pairs if e.id == "misaeng")
    assert "Yim Si Wan" in run_on.starring and "Yim Si Wan" in misaeng.starring


def test_actors_file_is_sorted_one_line_per_actor():
    lines = [ln for ln in default_actors_path().read_text(encoding="utf-8").splitlines() if ln and ln[0] != "#"]
    keys = [re.match(r'"([^"]+)" = \[', ln).group(1) for ln in lines]  # type: ignore[union-attr]
    assert keys == sorted(keys, key=str.casefold) and len(keys) == len(set(keys))
    assert len(load_actors(default_actors_path()).aliases) == len(lines)


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        ('"Gong Yoo" = ["Gong Yu"]\n"Gong Yu" = []\n', "Gong Yoo[0]", "already the canonical name of 'Gong Yu'"),
        ('"A B" = ["C D"]\n"E F" = ["c-d"]\n', "E F[0]", "already the alias of 'A B'"),
        ('"A B" = ["a b"]\n', "A B[0]", "the actor's own name"),
        ('"A B" = "C D"\n', "A B", "expected a list of non-empty strings"),
        ('"A B" = [""]\n', "A B", "expected a list of non-empty strings"),
        ('"A B" = [\n', "", "not valid TOML"),
    ],
)
def test_actors_file_errors_name_the_file_and_actor(tmp_path: Path, text: str, field: str, problem: str):
    path = tmp_path / "actors.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_actors(path)
    assert caught.value.source == str(path) and caught.value.field_path == field
    assert problem in caught.value.problem


def test_actor_aliases_fold_to_the_csv_spelling():
    actors = ActorNames({"Yim Si Wan": ["Im Si Wan", "Im Shi Wan"]})
    assert actors.canonical("im shi-wan") == "Yim Si Wan" and actors.canonical("Nobody") == "Nobody"
    assert actors.spellings("Im Shi Wan") == ("Yim Si Wan", "Im Si Wan", "Im Shi Wan")
    assert actors.is_alias("Im Shi Wan") and not actors.is_alias("Yim Si Wan")


@needs_real_csv
def test_no_premise_mentions_a_spoiler_tagged_fact():
    """With the CSV's tags merged in, no spoiler tag's words and no spoiler-only character appear in a premise."""
    catalog, _ = build_catalog(CATALOG_DIR, SHARED_CSV)
    rules = SpoilerTags.load(default_spoiler_tags_path())
    checked = 0
    for entry in load_entries(CATALOG_DIR):
        drama = catalog.get(entry.id)
        assert drama is not None
        premise = normalize(" ".join(f.text for f in drama.premise))
        for tag in drama.spoiler_tags:
            assert rules.is_spoiler(tag)
            assert f" {normalize(tag)} " not in f" {premise} ", (drama.id, tag)
            checked += 1
        for character in drama.characters:
            if character.is_spoiler_only:
                assert normalize(character.name) not in premise, (drama.id, character.name)
    assert checked > 0


# --------------------------------------------------------------------------- found the way members type


def _is_hangul(text: str) -> bool:
    return any("HANGUL" in unicodedata.name(c, "") for c in text)


# Where the Korean title is the English one written in Hangul, the alternate is its Revised
# Romanization (added to the entries): there is no separate English title to offer.
ROMANIZED_ONLY = {"sky-castle", "healer", "itaewon-class", "signal", "sweet-home", "vincenzo", "move-to-heaven"}


def test_every_starter_show_is_found_by_its_korean_title_and_an_alternate_title():
    catalog = load_catalog(CATALOG_DIR)
    starters = [d for d in load_entries(CATALOG_DIR) if not d.is_reviewed]
    assert len(starters) == 42
    for drama in starters:
        korean, *others = drama.aliases
        assert _is_hangul(korean), drama.id
        alternates = [a for a in others if not _is_hangul(a) and normalize(a) != normalize(drama.title)]
        assert alternates, drama.id
        for name in (korean, alternates[0]):
            assert getattr(catalog.find(name), "id", None) == drama.id, (drama.id, name)
            assert catalog.search(name, limit=1)[0][1] == drama.id, (drama.id, name)
        if drama.id in ROMANIZED_ONLY:  # the one alternate is the romanized Korean title
            assert len(alternates) == 1 and alternates[0] == drama.aliases[-1], drama.id
    assert {d.id for d in starters} >= ROMANIZED_ONLY


@pytest.mark.parametrize(
    ("typed", "drama_id"),
    [
        ("도깨비", "goblin"),  # Hangul
        ("런 온", "run-on"),  # Hangul, spacing
        ("CLOY", "crash-landing-on-you"),  # fan abbreviation
        ("cloy", "crash-landing-on-you"),  # case
        ("hoteldelluna", "hotel-del-luna"),  # spacing
        ("SKY-castle", "sky-castle"),  # punctuation
        ("startup", "start-up"),
        ("Guardian: The Lonely and Great God", "goblin"),  # English alternate title
        ("Round 6", "squid-game"),
        ("Mr Queen", "mr-queen"),
        ("It’s Okay to Not Be Okay", "its-okay-to-not-be-okay"),  # typographic apostrophe
        ("ＣＬＯＹ", "crash-landing-on-you"),  # full-width letters (NFKC)
    ],
)
def test_titles_are_found_case_accent_spacing_and_punctuation_insensitively(typed: str, drama_id: str):
    catalog = load_catalog(CATALOG_DIR)
    found = catalog.find(typed)
    assert found is not None and found.id == drama_id


def test_actor_names_in_title_autocomplete_offer_their_shows_labelled_with_them():
    catalog = load_catalog(CATALOG_DIR)
    assert catalog.search("Gong Yoo", limit=1) == [("Goblin — with Gong Yoo", "goblin")]
    assert catalog.search("gong yu", limit=1) == [("Goblin — with Gong Yoo", "goblin")]  # an alias
    # Yim Si Wan is in Run On and Misaeng; the old spelling finds both, labelled with the CSV's.
    labels = dict((i, label) for label, i in catalog.search("Im Shi Wan", limit=2))
    assert labels == {"run-on": "Run On — with Yim Si Wan", "misaeng": "Misaeng: Incomplete Life — with Yim Si Wan"}
    # An actor's name is not a title: submitting it unpicked is "did you mean" with the show's title.
    assert catalog.find("Gong Yoo") is None


# --------------------------------------------------------------------------- one genre vocabulary


def test_every_entry_uses_the_csvs_genre_words():
    from bot.catalog.vocabulary import GENRES

    for drama in load_entries(CATALOG_DIR):
        assert set(drama.genres) <= set(GENRES), (drama.id, sorted(set(drama.genres) - set(GENRES)))


@needs_real_csv
def test_the_genre_words_are_the_csvs():
    from bot.catalog.vocabulary import GENRES

    assert set(GENRES) == {g for row in load_csv(SHARED_CSV).dramas for g in row.genres}


def test_genre_law_and_its_synonym_legal_find_the_three_legal_dramas():
    from bot.recommend.filters import Filters, facets_of

    legal = {"extraordinary-attorney-woo", "stranger", "vincenzo"}  # the three entries that said "Legal"
    for typed in ("Law", "law", "Legal", "LEGAL"):
        found = {d.id for d in load_entries(CATALOG_DIR) if Filters(genre=typed).admits(facets_of(d))}
        assert found == legal, typed
