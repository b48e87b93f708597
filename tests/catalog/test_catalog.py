"""Catalog loading: the real entries, every validation rule with a broken file, and lookup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.catalog.index import Catalog, UnknownTitle
from bot.catalog.model import CatalogError, EndingFact, Role, SpoilerLevel, normalize
from bot.catalog.toml_entries import load_catalog, load_drama_file
from tests.conftest import CATALOG_DIR, FACTS_RUN_ON

RUN_ON_TOML = (CATALOG_DIR / "run-on.toml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "entry.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in RUN_ON_TOML, old
    return write(tmp_path, RUN_ON_TOML.replace(old, new, 1), "run-on.toml")


def test_catalog_every_bundled_file_loads():
    catalog = load_catalog(CATALOG_DIR)
    assert len(catalog) == len(list(CATALOG_DIR.glob("*.toml")))


def test_catalog_run_on_matches_the_facts_file(run_on):
    assert run_on.title == "Run On"
    assert (run_on.aired_start, run_on.aired_end) == (dt.date(2020, 12, 16), dt.date(2021, 2, 4))
    assert run_on.episodes == 16
    assert run_on.platforms == ("Netflix",)
    assert set(run_on.starring) == {"Yim Si Wan", "Shin Se Kyung"}
    assert run_on.review is not None and run_on.review.ramen == 8
    cast = {c.name: (c.actor, c.role) for c in run_on.characters}
    assert cast["Oh Mi Joo"] == ("Shin Se Kyung", Role.LEAD)
    assert cast["Ki Seon Gyeom"] == ("Yim Si Wan", Role.LEAD)
    assert cast["Seo Dan Ah"] == ("Choi Soo Young", Role.SUPPORTING)
    assert cast["Lee Young Hwa"] == ("Kang Tae Oh", Role.SUPPORTING)
    assert cast["Park Mae Yi"] == ("Lee Bong Ryun", Role.SUPPORTING)
    # The facts file marks these three supporting characters' story facts as spoilers.
    for name in ("Kwon Young Il", "Ki Eun Bi", "Je Wook"):
        assert next(c for c in run_on.characters if c.name == name).spoiler_facts, name
    assert all(isinstance(f, EndingFact) and f.is_spoiler for f in run_on.ending)
    assert len(run_on.ending) == 6
    assert all(item.is_spoiler for item in run_on.disliked) and len(run_on.disliked) == 3
    assert [i.level for i in run_on.liked] == [SpoilerLevel.SAFE, SpoilerLevel.SAFE, SpoilerLevel.SPOILER]


def test_catalog_run_on_lead_is_a_sprinter_not_a_marathon_runner(run_on):
    text = " ".join(f.text for c in run_on.characters for f in c.facts) + " ".join(f.text for f in run_on.premise)
    assert "sprinter" in text
    assert "marathon" not in text.lower()


def test_catalog_facts_file_agrees_on_dates_when_present():
    if not FACTS_RUN_ON.is_file():
        pytest.skip(f"{FACTS_RUN_ON} is absent")
    facts = FACTS_RUN_ON.read_text(encoding="utf-8")
    assert "Aired: 2020-12-16 to 2021-02-04" in facts and "Episodes: 16" in facts
    assert "8 out of 10 ramen" in facts


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ('title = "Run On"\n', "", "title", "missing required field"),
        ("episodes = 16", 'episodes = "sixteen"', "episodes", "expected an integer"),
        ("episodes = 16", "episodse = 16", "episodse", "unknown field; did you mean 'episodes'"),
        ("aired_start = 2020-12-16", 'aired_start = "2020-13-40"', "aired_start", "not a valid date"),
        ("aired_end = 2021-02-04", "aired_end = 2019-01-01", "aired_end", "before aired_start"),
        ("ramen = 8", "ramen = 11", "review.ramen", "between 0 and 10"),
        ("ramen = 8", "ramen = -1", "review.ramen", "between 0 and 10"),
        (
            'level = "safe"\ntext = "On paper',
            'level = "mild"\ntext = "On paper',
            "premise[1].level",
            "unknown value 'mild'",
        ),
        ('role = "lead"', 'role = "hero"', "characters[0].role", "unknown value 'hero'"),
        ('actor = "Shin Se Kyung"', "actor = 3", "characters[0].actor", "expected a string"),
        ('id = "run-on"', 'id = "Run On!"', "id", "lowercase slug"),
        ('id = "run-on"', 'id = "' + "x" * 81 + '"', "id", "≤ 80 characters"),
        ('fit = "no"', 'fit = "nope"', "audience.notes[0].fit", "unknown value 'nope'"),
        ("[ending]\nfacts = [", "[ending]\nfact = [", "ending.fact", "unknown field"),
    ],
)
def test_catalog_broken_file_names_file_and_field(tmp_path, old, new, field, problem):
    path = broken(tmp_path, old, new)
    with pytest.raises(CatalogError) as info:
        load_drama_file(path)
    assert info.value.source == str(path)
    assert info.value.field_path == field
    assert problem in info.value.problem
    assert str(path) in str(info.value) and field in str(info.value)


def test_catalog_invalid_toml_date_names_the_file(tmp_path):
    path = broken(tmp_path, "aired_start = 2020-12-16", "aired_start = 2020-12-32")
    with pytest.raises(CatalogError, match=r"run-on\.toml: not valid TOML"):
        load_drama_file(path)


def test_catalog_duplicate_id_names_both_files(tmp_path):
    write(tmp_path, RUN_ON_TOML, "a.toml")
    write(tmp_path, RUN_ON_TOML, "b.toml")
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path)
    assert info.value.field_path == "id"
    assert "b.toml" in str(info.value) and "a.toml" in str(info.value)


def test_catalog_empty_or_missing_folder_is_an_error(tmp_path):
    with pytest.raises(CatalogError, match=r"no \*\.toml"):
        load_catalog(tmp_path)
    with pytest.raises(CatalogError, match="not found"):
        load_catalog(tmp_path / "nope")


def test_catalog_lookup_ignores_case_accents_and_punctuation(catalog):
    for query in ("Run On", "run on", "RUN-ON", "Rún Ón", "런온", "run-on"):
        assert catalog.find(query).id == "run-on", query
    assert normalize("  Rún-ÓN ") == "run on"


def test_catalog_resolve_suggests_close_titles(catalog):
    with pytest.raises(UnknownTitle) as info:
        catalog.resolve("Rum Onn")
    assert info.value.suggestions[0] == "Run On"


def test_catalog_search_is_typo_tolerant_and_bounded(catalog):
    assert catalog.search("rnu on")[0][1] == "run-on"
    assert len(catalog.search("", limit=25)) <= 25
    assert all(len(label) <= 100 for label, _ in catalog.search("a", limit=25))


def test_catalog_repeated_titles_are_told_apart_by_year():
    from bot.catalog.model import Drama

    catalog = Catalog(
        [Drama(id="hyena-2020", title="Hyena", year=2020), Drama(id="hyena-2015", title="Hyena", year=2015)]
    )
    assert catalog.find("Hyena").id == "hyena-2020"
    assert catalog.find("Hyena (2015)").id == "hyena-2015"
    labels = [label for label, _ in catalog.search("hyena")]
    assert sorted(labels) == ["Hyena (2015)", "Hyena (2020)"]


def test_catalog_autocomplete_with_nothing_typed_offers_reviewed_shows_first(catalog):
    assert catalog.search("", limit=3)[0] == ("Run On", "run-on")
