"""The catalog at scale: CSV loading, merging with TOML entries, the starter catalog, import-csv.

The operator's `kdramas.csv` is read from `../shared/catalog-data/` beside the project (never
copied into it); tests that need it skip when it is absent. Every CSV row written here is invented.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot import cli
from bot.catalog.assemble import build_catalog, merge
from bot.catalog.csv_rows import CSV_COLUMNS, RowProblem, load_csv, slug_for
from bot.catalog.index import Catalog
from bot.catalog.model import CatalogError, Drama, Review, normalize
from bot.catalog.toml_entries import load_catalog, load_entries
from bot.catalog.vocabulary import LOOKING_FOR
from bot.config import PROJECT_ROOT
from tests.conftest import CATALOG_DIR, SHARED_CSV

TAGS_FILE = PROJECT_ROOT / "data" / "TAGS.md"
REAL_ROWS = 1647
REPEATED_TITLES = ("Once Again", "Crazy Love", "Hyena", "Trap", "Hero")

needs_real_csv = pytest.mark.skipif(
    not SHARED_CSV.is_file(),
    reason=f"operator data {SHARED_CSV} is absent (it is read from ../shared, never copied into the repo)",
)

HEADER = ",".join(CSV_COLUMNS)


def _row(
    title: str = "Moonlit Noodle Shop",
    year: str = "2021",
    start: str = "2021-03-01",
    end: str = "2021-04-20",
    episodes: str = "16",
    network: str = "tvN",
    genres: str = "Romance; Comedy",
    tags: str = "Cooking; Small Town",
    cast: str = "Actor One; Actor Two; Actor Three",
    score: str = "8.1",
    alt: str = "",
    platforms: str = "Netflix; Viki",
    enrichment: str = "top250",
) -> str:
    cells = [title, year, start, end, episodes, network, genres, tags, cast, score, alt, platforms, enrichment]
    return ",".join(f'"{c}"' if ("," in c or "\n" in c or '"' in c) else c for c in cells)


def _write(tmp_path: Path, lines: list[str], name: str = "dramas.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _vocabulary() -> set[str]:
    return set(re.findall(r"^- `([^`]+)`", TAGS_FILE.read_text(encoding="utf-8"), re.MULTILINE))


def _starter_entries() -> list[Drama]:
    return [d for d in load_entries(CATALOG_DIR) if not d.is_reviewed]


# --------------------------------------------------------------------------- load_csv


def test_load_csv_broken_rows_skips_bad_and_reports_lines(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            HEADER,  # line 1
            _row(),  # 2: good
            _row(title=""),  # 3: no title
            _row(title="Paper Lanterns", year="20x1"),  # 4: bad year
            _row(title="Paper Lanterns", episodes="twelve"),  # 5: non-integer episodes
            _row(title="Paper Lanterns", score="11.5"),  # 6: score outside 0-10
            _row(title="Paper Lanterns", start="2021-02-30"),  # 7: impossible date
            "Too Short,2020,,,16",  # 8: wrong column count
            _row(title="Quiet Harbour, Loud Hearts", genres="Drama;  Family;", alt="Loud Hearts"),  # 9: good
            "",  # 10: blank line, ignored
            _row(title="Slow River", start="", end="", episodes="", network="", tags="", score=""),  # 11
            _row(title="Backwards Calendar", start="2020-05-01", end="2020-04-01"),  # 12: end before start
            _row(title="moonlit noodle shop!", year="2021"),  # 13: same key as line 2
            _row(title="Paper Lanterns", year="2021", tags="Cooking\nBaking"),  # 14-15: multi-line cell, good
            _row(title="Last Row", year="1890"),  # 16: year out of range
        ],
    )
    load = load_csv(path)

    assert [d.title for d in load.dramas] == [
        "Moonlit Noodle Shop",
        "Quiet Harbour, Loud Hearts",
        "Slow River",
        "Backwards Calendar",
        "Paper Lanterns",
    ]
    by_line = {(p.line, p.field) for p in load.problems}
    assert by_line == {
        (3, "title"),
        (4, "year"),
        (5, "episodes"),
        (6, "source_rating"),
        (7, "aired_start"),
        (8, ""),
        (12, "aired_end"),
        (13, "title"),
        (16, "year"),
    }
    skipped = [p for p in load.problems if p.problem.endswith("row skipped")]
    assert len(skipped) == 8
    assert load.rows == 13
    assert load.skipped == 8
    assert str(RowProblem(8, "", "x")) == "line 8: x"
    line_13 = next(p for p in load.problems if p.line == 13)
    assert "line 2" in line_13.problem


def test_load_csv_fills_fields_and_loads_rows_with_missing_fields(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            HEADER,
            _row(title="Quiet Harbour, Loud Hearts", genres="Drama;  Family;", alt="Loud Hearts; Loud Hearts"),
            _row(title="Slow River", start="", end="", episodes="", network="", tags="", score=""),
        ],
    )
    harbour, river = load_csv(path).dramas

    assert harbour.id == "quiet-harbour-loud-hearts"
    assert harbour.year == 2021
    assert harbour.aired_start == dt.date(2021, 3, 1)
    assert harbour.aired_end == dt.date(2021, 4, 20)
    assert harbour.episodes == 16
    assert harbour.network == ("tvN",)
    assert harbour.genres == ("Drama", "Family")
    assert harbour.tags == ("Cooking", "Small Town")
    assert harbour.cast == ("Actor One", "Actor Two", "Actor Three")
    assert harbour.starring == ("Actor One", "Actor Two")
    assert harbour.platforms == ("Netflix", "Viki")
    assert harbour.aliases == ("Loud Hearts",)
    assert harbour.community_score == pytest.approx(8.1)
    assert "MyDramaList" in (harbour.community_source or "")
    assert harbour.source == f"{path}:2"
    assert harbour.review is None

    assert river.aired_start is river.aired_end is river.episodes is None
    assert river.network == river.tags == ()
    assert river.community_score is None and river.community_source is None
    assert river.source == f"{path}:3"


def test_load_csv_ids_are_slugs_with_year_where_titles_repeat(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            HEADER,
            _row(title="Echo", year="2019"),
            _row(title="It's Raining Noodles", year="2020"),
            _row(title="Echo", year="2008"),
            _row(title="Echo?", year="2015"),  # a different title with the same slug
            _row(title="Café Ümlaut", year="2018"),
            _row(title="런온", year="2020"),
        ],
    )
    ids = [d.id for d in load_csv(path).dramas]

    assert ids[:5] == ["echo-2019", "its-raining-noodles", "echo-2008", "echo-2015", "cafe-umlaut"]
    assert re.fullmatch(r"drama-[0-9a-f]{8}", ids[5])
    assert ids == [d.id for d in load_csv(path).dramas]  # deterministic
    assert slug_for("Mr. Queen") == "mr-queen"


def test_load_csv_crlf_bom_and_extra_columns_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "windows.csv"
    text = "\r\n".join([HEADER + ",extra", _row() + ",x", _row(title="Second", year="2") + ",y"]) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    load = load_csv(path)

    assert [d.title for d in load.dramas] == ["Moonlit Noodle Shop"]
    assert [(p.line, p.field) for p in load.problems] == [(3, "year")]


def test_load_csv_missing_file_is_fatal_and_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(CatalogError) as excinfo:
        load_csv(missing)
    assert str(missing) in str(excinfo.value)
    assert "not found" in str(excinfo.value)


def test_load_csv_missing_required_column_is_fatal_and_names_it(tmp_path: Path) -> None:
    path = _write(tmp_path, ["title,episodes", "Moonlit Noodle Shop,16"])
    with pytest.raises(CatalogError) as excinfo:
        load_csv(path)
    assert excinfo.value.field_path == "year"
    assert str(path) in str(excinfo.value)


def test_load_csv_empty_or_binary_file_is_fatal(tmp_path: Path) -> None:
    empty = _write(tmp_path, [], name="empty.csv")
    empty.write_text("", encoding="utf-8")
    with pytest.raises(CatalogError, match="empty file"):
        load_csv(empty)
    binary = tmp_path / "latin1.csv"
    binary.write_bytes(HEADER.encode() + b"\nCaf\xe9,2020" + b",x" * 11 + b"\n")
    with pytest.raises(CatalogError, match="not UTF-8"):
        load_csv(binary)


# --------------------------------------------------------------------------- merge


def _entry(**kwargs: object) -> Drama:
    base: dict[str, object] = {
        "id": "moonlit",
        "title": "Moonlit Noodle Shop",
        "year": 2021,
        "tags": ("healing", "food"),
        "review": Review(ramen=7),
        "source": "data/dramas/moonlit.toml",
    }
    base.update(kwargs)
    return Drama(**base)  # type: ignore[arg-type]


def _csv_drama(**kwargs: object) -> Drama:
    base: dict[str, object] = {
        "id": "moonlit-noodle-shop",
        "title": "Moonlit Noodle Shop",
        "year": 2021,
        "aliases": ("Noodles by Moonlight",),
        "aired_start": dt.date(2021, 3, 1),
        "aired_end": dt.date(2021, 4, 20),
        "episodes": 16,
        "network": ("tvN",),
        "genres": ("Romance",),
        "tags": ("Cooking", "Healing", "Small Town"),
        "cast": ("Actor One", "Actor Two", "Actor Three"),
        "starring": ("Actor One", "Actor Two"),
        "community_score": 8.1,
        "community_source": "MyDramaList community score",
        "source": "test.csv:2",
    }
    base.update(kwargs)
    return Drama(**base)  # type: ignore[arg-type]


def test_merge_toml_facts_win_and_row_fills_gaps() -> None:
    entry = _entry(episodes=12, starring=("Lead Actor",), aliases=("Moonlit-Noodle Shop",))
    (merged,) = merge([entry], [_csv_drama()])

    assert merged.id == "moonlit"
    assert merged.review == Review(ramen=7)
    assert merged.episodes == 12  # TOML wins where both have a value
    assert merged.starring == ("Lead Actor",)
    assert merged.network == ("tvN",)  # the row fills what the TOML lacks
    assert merged.cast == ("Actor One", "Actor Two", "Actor Three")
    assert (merged.aired_start, merged.aired_end) == (dt.date(2021, 3, 1), dt.date(2021, 4, 20))
    assert merged.community_score == pytest.approx(8.1)
    assert merged.community_source == "MyDramaList community score"
    assert merged.tags == ("healing", "food", "Cooking", "Small Town")  # union, TOML first
    assert merged.aliases == ("Moonlit-Noodle Shop", "Noodles by Moonlight")  # TOML aliases kept as written
    assert merged.source == "data/dramas/moonlit.toml + test.csv:2"


def test_merge_matches_on_alias_and_year_only() -> None:
    entry = _entry(title="Noodles by Moonlight", id="noodles")
    other_year = _csv_drama(id="moonlit-noodle-shop-2009", year=2009, source="test.csv:3")
    result = merge([entry], [other_year, _csv_drama()])

    assert [d.id for d in result] == ["noodles", "moonlit-noodle-shop-2009"]
    assert result[0].aliases == ("Moonlit Noodle Shop",)
    assert result[0].community_score == pytest.approx(8.1)
    assert result[1].review is None


def test_merge_keeps_toml_dates_and_score_as_pairs() -> None:
    entry = _entry(aired_start=dt.date(2021, 3, 2), community_score=9.0, community_source="Our own poll")
    (merged,) = merge([entry], [_csv_drama()])

    assert (merged.aired_start, merged.aired_end) == (dt.date(2021, 3, 2), None)
    assert (merged.community_score, merged.community_source) == (9.0, "Our own poll")


def test_merge_renames_csv_id_that_clashes_with_a_toml_id() -> None:
    entry = _entry(id="moonlit-noodle-shop", title="Something Else")
    result = merge([entry], [_csv_drama()])

    assert [d.id for d in result] == ["moonlit-noodle-shop", "moonlit-noodle-shop-2021"]
    assert len(Catalog(result)) == 2


# --------------------------------------------------------------------------- build_catalog


def test_build_catalog_without_csv_is_the_toml_catalog() -> None:
    catalog, problems = build_catalog(CATALOG_DIR, None)

    assert problems == []
    assert {d.id for d in catalog} == {d.id for d in load_catalog(CATALOG_DIR)}


def test_build_catalog_requires_the_toml_folder(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="catalog folder not found"):
        build_catalog(tmp_path / "missing", None)
    with pytest.raises(CatalogError, match=r"no \*\.toml"):
        build_catalog(tmp_path, None)


def test_build_catalog_csv_only_with_empty_toml_folder(tmp_path: Path) -> None:
    path = _write(tmp_path, [HEADER, _row(), _row(title="Bad", year="")])
    toml_dir = tmp_path / "dramas"
    toml_dir.mkdir()
    catalog, problems = build_catalog(toml_dir, path)

    assert [d.title for d in catalog] == ["Moonlit Noodle Shop"]
    assert [(p.line, p.field) for p in problems] == [(3, "year")]


# --------------------------------------------------------------------------- the real CSV


@needs_real_csv
def test_real_csv_loads_every_row_with_unique_ids() -> None:
    load = load_csv(SHARED_CSV)

    assert len(load.dramas) == REAL_ROWS
    assert load.problems == ()
    ids = [d.id for d in load.dramas]
    assert len(set(ids)) == REAL_ROWS
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids)
    for title in REPEATED_TITLES:
        same = [d for d in load.dramas if d.title == title]
        assert len(same) == 2, title
        assert len({d.year for d in same}) == 2
        assert {d.id for d in same} == {f"{slug_for(title)}-{d.year}" for d in same}
    catalog = Catalog(load.dramas)
    hyenas = {d.year for d in catalog if d.title == "Hyena"}
    assert catalog.find(f"Hyena ({min(hyenas)})").year == min(hyenas)


@needs_real_csv
def test_real_csv_run_on_merges_review_and_row() -> None:
    """A merged reviewed + CSV entry shows both halves."""
    catalog, problems = build_catalog(CATALOG_DIR, SHARED_CSV)
    run_on = catalog.get("run-on")

    assert problems == []
    assert run_on is not None
    # The TOML half: the review and the story text.
    assert run_on.is_reviewed and run_on.review is not None and run_on.review.ramen == 8
    assert run_on.premise and run_on.characters and run_on.ending
    assert run_on.starring == ("Yim Si Wan", "Shin Se Kyung")
    # The CSV half: community score, full cast, MDL tags after the project's own.
    assert run_on.community_score == pytest.approx(8.3)
    assert "MyDramaList" in (run_on.community_source or "")
    assert "Yim Si Wan" in run_on.cast and "Kang Tae Oh" in run_on.cast
    toml_run_on = next(d for d in load_entries(CATALOG_DIR) if d.id == "run-on")
    assert run_on.tags[: len(toml_run_on.tags)] == toml_run_on.tags
    assert "Multiple Couples" not in run_on.tags  # same tag as "multiple couples", kept once
    assert "Strong Female Lead" in run_on.tags
    assert run_on.source.startswith(toml_run_on.source + " + ")
    # Only one Run On in the whole catalog.
    assert [d.id for d in catalog if normalize(d.title) == "run on"] == ["run-on"]


@needs_real_csv
def test_real_csv_catalog_size_counts_each_show_once() -> None:
    catalog, _ = build_catalog(CATALOG_DIR, SHARED_CSV)
    entries = load_entries(CATALOG_DIR)
    rows = load_csv(SHARED_CSV).dramas
    toml_keys = {(normalize(n), d.year) for d in entries for n in d.names}
    merged = sum(1 for r in rows if any((normalize(n), r.year) in toml_keys for n in r.names))

    assert len(catalog) == len(entries) + len(rows) - merged


@needs_real_csv
def test_real_csv_alternate_titles_resolve() -> None:
    csv_only = Catalog(load_csv(SHARED_CSV).dramas)
    built, _ = build_catalog(CATALOG_DIR, SHARED_CSV)

    for catalog in (csv_only, built):
        goblin = catalog.find("Guardian: The Lonely and Great God")
        assert goblin is not None and goblin.title == "Goblin"
        labels = [label for label, _ in catalog.search("Guardian the lonely", limit=5)]
        assert "Goblin (Guardian: The Lonely and Great God)" in labels  # the title, the alias as a hint
    bong_soon = built.find("Strong Girl Bong-soon")
    assert bong_soon is not None and bong_soon.year == 2017


# --------------------------------------------------------------------------- the starter catalog


def test_starter_catalog_entries_have_the_full_shape() -> None:
    """Issue #13: every starter entry answers /drama, /characters, /shouldiwatch like Run On does."""
    starters = _starter_entries()

    assert len(starters) >= 42
    for drama in starters:
        assert drama.year and drama.episodes and drama.network and drama.genres and drama.tags, drama.id
        assert drama.starring and drama.platforms, drama.id
        sentences = sum(len(re.findall(r"[.!?](?:\s|$)", f.text)) for f in drama.premise)
        assert 2 <= sentences <= 4 and not any(f.is_spoiler for f in drama.premise), drama.id
        assert 3 <= len(drama.characters) <= 6, drama.id
        assert all(c.actor and c.safe_facts for c in drama.characters), drama.id
        assert drama.audience is not None and drama.audience.for_ and drama.audience.not_for, drama.id
        assert {n.looking_for for n in drama.audience.notes} == set(LOOKING_FOR), drama.id
        assert not drama.liked and not drama.disliked and not drama.is_unedited_draft, drama.id


def test_every_catalog_entry_uses_the_tag_vocabulary() -> None:
    vocabulary = _vocabulary()

    assert "slow-burn romance" in vocabulary
    assert all(tag == tag.lower() for tag in vocabulary)
    for drama in load_entries(CATALOG_DIR):
        assert set(drama.tags) <= vocabulary, (drama.id, sorted(set(drama.tags) - vocabulary))


def test_short_watch_tag_matches_episode_count() -> None:
    for drama in load_entries(CATALOG_DIR):
        if drama.episodes is not None:
            assert ("short watch" in drama.tags) == (drama.episodes <= 12), drama.id


@needs_real_csv
def test_starter_entries_agree_with_the_shared_csv() -> None:
    """Found by name alone, so a wrong year fails instead of silently finding no row."""
    rows = load_csv(SHARED_CSV).dramas
    by_name: dict[str, dict[str, Drama]] = {}
    for row in rows:
        for name in row.names:
            by_name.setdefault(normalize(name), {})[row.id] = row
    found = 0
    for drama in _starter_entries():
        candidates = {i: r for n in drama.names for i, r in by_name.get(normalize(n), {}).items()}
        if not candidates:
            continue  # not in the CSV: nothing to check against
        found += 1
        same_year = [r for r in candidates.values() if r.year == drama.year]
        assert same_year, (drama.id, drama.year, sorted((r.id, r.year) for r in candidates.values()))
        assert len(same_year) == 1, (drama.id, [r.id for r in same_year])
        (row,) = same_year
        assert row.episodes == drama.episodes, (drama.id, row.episodes, drama.episodes)
        if drama.aired_start and row.aired_start:
            assert row.aired_start == drama.aired_start, drama.id
        if drama.aired_end and row.aired_end:
            assert row.aired_end == drama.aired_end, drama.id
    assert found >= 25


# --------------------------------------------------------------------------- import-csv


def test_import_csv_main_reports_rows_and_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(
        tmp_path,
        [HEADER, _row(), _row(title="Paper Lanterns", year="20x1"), _row(title="Run On", year="2020")],
    )
    code = cli.main(["catalog", "import-csv", str(path)])
    out = capsys.readouterr().out

    assert code == 1  # a row was skipped
    assert "3 rows read, 2 dramas would load, 1 skipped" in out
    assert "line 3: year:" in out
    assert "run-on <- line 4" in out
    assert re.search(r"\b1 of \d+ TOML entries", out)


def test_import_csv_main_unreadable_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["catalog", "import-csv", str(tmp_path / "missing.csv")]) == 1
    captured = capsys.readouterr()
    assert "missing.csv" in captured.err and "not found" in captured.err
    assert "Traceback" not in captured.err + captured.out

    bad_header = _write(tmp_path, ["name,year", "X,2020"])
    assert cli.main(["catalog", "import-csv", str(bad_header)]) == 1
    assert "title" in capsys.readouterr().err


def test_import_csv_main_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["catalog", "import-csv"]) == 2
    assert "usage:" in capsys.readouterr().err
    assert cli.main(["catalog", "import-csv", "--help"]) == 0
    assert "import-csv [-h] PATH" in capsys.readouterr().out


@needs_real_csv
def test_import_csv_main_on_the_real_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["catalog", "import-csv", str(SHARED_CSV)]) == 0
    out = capsys.readouterr().out
    assert f"{REAL_ROWS} rows read, {REAL_ROWS} dramas would load, 0 skipped" in out
    assert "run-on <- line" in out
    assert "No row problems." in out


def test_plot_revealing_csv_tags_become_spoiler_tags(shared_csv: Path) -> None:
    from bot.recommend.engine import Recommender
    from bot.recommend.filters import Filters

    catalog, _ = build_catalog(CATALOG_DIR, shared_csv)
    everywhere = [t.casefold() for d in catalog for t in d.tags]
    assert "death" not in everywhere and "birth secret" not in everywhere
    assert not any(t.startswith("death of ") for t in everywhere)
    hidden = [d for d in catalog if any(t.casefold() == "death" for t in d.spoiler_tags)]
    assert len(hidden) >= 140  # 146 rows of the shared CSV carry the tag "Death" (counted with csv.DictReader)
    recommender = Recommender(catalog)
    assert "death" not in {t.casefold() for t in recommender.tags}
    assert recommender.recommend(filters=Filters(tag="Death"), limit=5) == []


def test_long_titles_get_ids_that_fit_discords_choice_values(tmp_path: Path) -> None:
    from bot.ui.options import title_choices

    long_title = "The Very Long Title Of A Drama " * 5  # 155 characters
    path = _write(tmp_path, [HEADER, _row(title=long_title), _row(title=long_title, year="2022")])
    dramas = load_csv(path).dramas
    assert len(dramas) == 2 and len({d.id for d in dramas}) == 2
    assert all(len(d.id) <= 80 for d in dramas)  # room for "ramen:characters:" in a 100-char custom_id
    choices = title_choices(Catalog(dramas), "very long title")
    assert len(choices) == 2
    assert all(len(c.value) <= 100 and len(c.name) <= 100 for c in choices)
