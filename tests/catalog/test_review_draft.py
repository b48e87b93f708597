"""The review importer (`python -m bot import-review`): parsing, warnings, exit codes, round trip.

The real Run On review is read from ../shared/reviews/ and never copied here; the reviews under
tests/reviews/ are invented for these tests, each with deliberate slips.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot import cli
from bot.catalog.csv_rows import load_csv
from bot.catalog.model import Role, SpoilerLevel
from bot.catalog.review_draft import Draft, parse_review
from bot.catalog.review_text import ReviewError, read_review
from bot.catalog.review_toml import to_toml
from bot.catalog.toml_entries import load_drama_file, parse_drama
from bot.config import PROJECT_ROOT
from bot.ui.embeds import drama_embed
from tests.conftest import CATALOG_DIR, REVIEW_RUN_ON

REVIEWS = Path(__file__).resolve().parent / "reviews"
HARBOR = REVIEWS / "harbor-lights-full-review.txt"
CRANES = REVIEWS / "paper-cranes-crlf-bom.txt"
BAKERY = REVIEWS / "midnight-bakery-slips.txt"
EMPTY = REVIEWS / "empty.txt"
ALL_REVIEWS = [HARBOR, CRANES, BAKERY]


@pytest.fixture
def run_on_path() -> Path:
    if not REVIEW_RUN_ON.is_file():
        pytest.skip(f"the real review is not on this machine ({REVIEW_RUN_ON})")
    return REVIEW_RUN_ON


def draft_of(path: Path) -> Draft:
    return parse_review(read_review(path), source=path.name)


def warned(draft: Draft, *needles: str) -> bool:
    """Whether one warning contains every needle."""
    return any(all(n in w for n in needles) for w in draft.warnings)


def word_runs(text: str, n: int = 8) -> set[tuple[str, ...]]:
    straight = text.translate(str.maketrans("‘’“”", "''\"\""))
    words = re.findall(r"[a-z0-9']+", straight.casefold())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def assert_no_prose_copied(review: Path, draft_text: str) -> None:
    """No 8-word run of the review's prose is in the draft. ♥ metadata lines are facts, not prose."""
    prose = [line for line in review.read_text(encoding="utf-8-sig").splitlines() if not line.startswith("♥")]
    copied = set().union(*map(word_runs, prose)) & word_runs(draft_text)
    assert not copied, f"8-word runs copied from {review.name}: {sorted(copied)[:3]}"


# --------------------------------------------------------------------------- the real review


def test_importer_run_on_metadata(run_on_path: Path) -> None:
    d = draft_of(run_on_path).data
    assert d["id"] == "run-on"
    assert d["title"] == "Run On"
    assert d["aired_start"] == dt.date(2020, 12, 16)
    assert d["aired_end"] == dt.date(2021, 2, 4)
    assert d["year"] == 2020
    assert d["episodes"] == 16
    assert d["platforms"] == ["Netflix"]
    assert d["genres"] == ["Romantic Drama"]
    assert d["starring"] == ["Im Shi Wan", "Shin Se Kyung"]
    assert d["review"]["ramen"] == 8
    assert d["review"]["has_unspoiled_review"] is True


def test_importer_run_on_characters(run_on_path: Path) -> None:
    cast = {c["name"]: (c["actor"], c["role"]) for c in draft_of(run_on_path).data["characters"]}
    assert cast == {
        "Oh Mi Joo": ("Shin Se Kyung", "lead"),
        "Ki Seon Gyeom": ("Im Shi Wan", "lead"),
        "Seo Dan Ah": ("Choi Soo Young", "supporting"),
        "Lee Young Hwa": ("Kang Tae Oh", "supporting"),
        "Park Mae Yi": ("Lee Bong Ryun", "supporting"),
    }


def test_importer_run_on_sections_and_levels(run_on_path: Path) -> None:
    d = draft_of(run_on_path).data
    assert [i["head"] for i in d["liked"]] == ["Movie Cut-Scenes", "More Than Similarities", "Confession Scene"]
    assert [i["head"] for i in d["disliked"]] == ["No Family Resolution", "Dan Ah's Illness", "Poor Ki Eun Bi"]
    assert {i["level"] for i in d["liked"] + d["disliked"]} == {"spoiler"}
    assert len(d["premise"]) == 1 and d["premise"][0]["level"] == "safe"
    for c in d["characters"]:
        assert c["facts"], c["name"]
        assert {f["level"] for f in c["facts"]} == {"safe" if c["role"] == "lead" else "spoiler"}
    assert len(d["ending"]["facts"]) == 1


def test_importer_run_on_audience_notes(run_on_path: Path) -> None:
    notes = {n["looking_for"]: n["fit"] for n in draft_of(run_on_path).data["audience"]["notes"]}
    assert notes == {
        "action": "no",
        "humor": "no",
        "slow-burn romance": "yes",
        "character growth": "yes",
        "short watch": "maybe",
    }


def test_importer_run_on_warns_about_spelling_and_role(run_on_path: Path) -> None:
    draft = draft_of(run_on_path)
    assert warned(draft, "Ki Seon Gyeom", "Seon Gyeum")
    assert warned(draft, "sprinter", "marathon runner")
    assert len(draft.warnings) == 2, draft.warnings


def test_importer_run_on_draft_copies_no_review_sentence(run_on_path: Path) -> None:
    draft_text = to_toml(draft_of(run_on_path))
    assert_no_prose_copied(run_on_path, draft_text)
    # The whole review, metadata included, across line breaks: still nothing 8 words long.
    assert word_runs(run_on_path.read_text(encoding="utf-8")).isdisjoint(word_runs(draft_text))


def test_importer_run_on_round_trip(run_on_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "run-on.toml"
    assert cli.main(["import-review", str(run_on_path), "--out", str(out)]) == 0
    drama = load_drama_file(out)
    assert drama.title == "Run On" and drama.review.ramen == 8
    assert [c.role for c in drama.characters] == [Role.LEAD] * 2 + [Role.SUPPORTING] * 3
    assert drama.character("Mi Joo").actor == "Shin Se Kyung"
    assert all(i.level is SpoilerLevel.SPOILER for i in drama.disliked)
    assert drama.audience.note("slow-burn romance").fit == "yes"
    assert drama.is_unedited_draft  # start-up warns about it until the TODOs are written
    assert not load_drama_file(CATALOG_DIR / "run-on.toml").is_unedited_draft
    assert_renders(drama)


def assert_renders(drama) -> None:
    embed = drama_embed(drama)
    assert drama.title in (embed.title or "")
    assert len(embed) <= 6000


# --------------------------------------------------------------------------- invented reviews


def test_importer_clean_review_has_no_warnings() -> None:
    # Em dash in the dates, curly quotes, trailing spaces after headings: all fine, no warnings.
    draft = draft_of(HARBOR)
    assert draft.warnings == []
    d = draft.data
    assert (d["id"], d["title"]) == ("harbor-lights", "Harbor Lights")
    assert (d["aired_start"], d["aired_end"]) == (dt.date(2022, 3, 3), dt.date(2022, 5, 19))
    assert d["platforms"] == ["Viki", "Netflix"]
    assert d["genres"] == ["Romantic Comedy"]
    assert d["review"] == {**d["review"], "ramen": 9, "has_unspoiled_review": True}
    assert [i["head"] for i in d["liked"]] == ["The Island Itself", '"Ferry Talk" Banter']
    assert [i["head"] for i in d["disliked"]] == ["A Rushed Finale"]
    assert [(c["name"], c["role"]) for c in d["characters"]] == [
        ("Baek Seo Rin", "lead"),
        ("Kang Do Hyun", "lead"),
        ("Choi Min Kyung", "supporting"),
    ]
    notes = {n["looking_for"]: n["fit"] for n in d["audience"]["notes"]}
    assert notes == {"action": "no", "humor": "yes", "short watch": "yes"}


def test_importer_crlf_bom_review_with_bad_date_and_score_mismatch() -> None:
    raw = CRANES.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw, "fixture lost its BOM or CRLF line endings"
    draft = draft_of(CRANES)
    d = draft.data
    assert d["title"] == "Paper Cranes"  # title line with a plain hyphen
    assert "aired_start" not in d and "aired_end" not in d
    assert warned(draft, "air dates", "Spring 2019")
    assert d["review"]["ramen"] == 7
    assert warned(draft, "says 7", "6")
    assert d["genres"] == ["Family", "Slice of Life"]
    assert [i["head"] for i in d["disliked"]] == ["The Landlord Subplot"]  # straight-quote heading
    notes = {n["looking_for"]: n["fit"] for n in d["audience"]["notes"]}
    assert notes == {"character growth": "yes", "short watch": "no"}
    assert len(draft.warnings) == 2, draft.warnings


def test_importer_line_endings_bom_and_quotes_do_not_change_the_draft(tmp_path: Path) -> None:
    text = HARBOR.read_text(encoding="utf-8")
    windows = tmp_path / "harbor-lights-full-review.txt"
    windows.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    straight = tmp_path / "straight.txt"
    straight.write_text(text.translate(str.maketrans("‘’“”", "''\"\"")), encoding="utf-8")
    expected = draft_of(HARBOR)
    for variant in (windows, straight):
        got = draft_of(variant)
        assert (got.data, got.warnings) == (expected.data, expected.warnings)


def test_importer_review_with_slips_warns_and_still_drafts() -> None:
    draft = draft_of(BAKERY)
    assert warned(draft, "missing section", "Supporting Characters")
    assert warned(draft, "missing section", "The Ending")
    assert warned(draft, "no score sentence", "6")
    assert warned(draft, "Courtroom Pacing", "no ♥")
    assert warned(draft, "Yoo Hae Jin", "Hae Jun")
    assert warned(draft, "prosecutor", "defense attorney")
    d = draft.data
    assert d["review"]["ramen"] == 6
    assert "ending" not in d
    assert [c["role"] for c in d["characters"]] == ["lead", "lead"]
    assert [i["head"] for i in d["liked"]] == ["Sourdough Montages", "Courtroom Pacing"]
    notes = {n["looking_for"]: n["fit"] for n in d["audience"]["notes"]}
    assert notes == {"slow-burn romance": "maybe", "humor": "no", "short watch": "maybe"}


@pytest.mark.parametrize("path", ALL_REVIEWS, ids=lambda p: p.stem)
def test_importer_fixture_round_trip(path: Path, tmp_path: Path) -> None:
    assert cli.main(["import-review", str(path), "--out", str(tmp_path)]) == 0
    (written,) = tmp_path.glob("*.toml")
    drama = load_drama_file(written)
    assert drama.id == written.stem
    assert_no_prose_copied(path, written.read_text(encoding="utf-8"))
    assert_renders(drama)


def test_importer_never_crashes_on_cut_reviews() -> None:
    # Every prefix of each review and each review with one line dropped: a draft that loads as it
    # is, or ReviewError. Nothing else may escape.
    for path in [*ALL_REVIEWS, *([REVIEW_RUN_ON] if REVIEW_RUN_ON.is_file() else [])]:
        lines = read_review(path).splitlines()
        variants = [lines[:i] for i in range(len(lines))] + [lines[:i] + lines[i + 1 :] for i in range(len(lines))]
        for variant in variants:
            try:
                draft = parse_review("\n".join(variant), source=path.name)
            except ReviewError:
                continue
            parse_drama(tomllib.loads(to_toml(draft)), path.name)


@pytest.mark.parametrize(
    ("aired", "start", "end"),
    [
        ("December 16, 2020 – February 4, 2021", dt.date(2020, 12, 16), dt.date(2021, 2, 4)),
        ("Dec 1st, 2020 — Jan 2, 2021", dt.date(2020, 12, 1), dt.date(2021, 1, 2)),
        ("2020-12-16 - 2021-02-04", dt.date(2020, 12, 16), dt.date(2021, 2, 4)),
        ("5 May 2019 to 30 June 2019", dt.date(2019, 5, 5), dt.date(2019, 6, 30)),
        ("March 3, 2024", dt.date(2024, 3, 3), None),
    ],
)
def test_importer_air_dates(aired: str, start: dt.date, end: dt.date | None) -> None:
    d = parse_review(f"Tiny Show – Full Review\n♥ Aired: {aired}\n").data
    assert (d.get("aired_start"), d.get("aired_end")) == (start, end)


def test_importer_end_before_start_is_a_warning() -> None:
    draft = parse_review("Tiny Show – Full Review\n♥ Aired: May 2, 2020 – May 1, 2020\n")
    assert draft.data["aired_start"] == dt.date(2020, 5, 2) and "aired_end" not in draft.data
    assert warned(draft, "before the first")


# --------------------------------------------------------------------------- command line


def test_importer_main_prints_draft_and_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["import-review", str(BAKERY)]) == 0
    out, err = capsys.readouterr()
    data = tomllib.loads(out)
    assert data["id"] == "midnight-bakery"
    assert "# WARNING: missing section: The Ending" in out
    assert "warning: missing section: The Ending" in err
    assert "spoiler" in out.split("\n\n")[0]  # the header explains the conservative levels


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"\xef\xbb\xbf \r\n\r\n", "empty"),
        (b"Shopping list\neggs\nflour\n", "not a review"),
        (b"Lonely Show \xe2\x80\x93 Full Review\nJust an intro.\n", "not a review"),
        (b"\xff\xfe\x00broken", "not UTF-8"),
    ],
    ids=["missing", "empty", "bom-and-blank-lines", "not-a-review", "title-only", "not-utf8"],
)
def test_importer_main_fails_when_no_entry_can_be_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    path = tmp_path / "review.txt"
    if content is not None:
        path.write_bytes(content)
    assert cli.main(["import-review", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_importer_main_empty_fixture(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["import-review", str(EMPTY)]) == 1
    assert "empty" in capsys.readouterr().err
    with pytest.raises(ReviewError):
        draft_of(EMPTY)


def test_importer_main_will_not_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "entry.toml"
    out.write_text("keep me", encoding="utf-8")
    assert cli.main(["import-review", str(HARBOR), "--out", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "keep me"
    assert cli.main(["import-review", str(HARBOR), "--out", str(out), "--force"]) == 0
    assert load_drama_file(out).title == "Harbor Lights"


def test_importer_main_bad_arguments_return_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["import-review"]) == 2
    assert "usage" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["bot", "import-review"]], ids=" ".join)
def test_importer_runs_as_a_module(command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *command, str(CRANES)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert tomllib.loads(done.stdout)["title"] == "Paper Cranes"
    assert "warning:" in done.stderr


def test_importer_out_folder_with_trailing_slash_and_unwritable_path(run_on_path: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    assert cli.main(["import-review", str(run_on_path), "--out", f"{folder}/"]) == 0
    assert (folder / "run-on.toml").is_file()
    assert cli.main(["import-review", str(run_on_path), "--out", "/proc/x.toml"]) == 1
    assert "import-review: cannot write /proc/x.toml" in capsys.readouterr().err


def test_importer_out_into_a_missing_folder_is_an_error_not_created(run_on_path: Path, tmp_path: Path, capsys) -> None:
    typo = tmp_path / "drafs"
    assert cli.main(["import-review", str(run_on_path), "--out", f"{typo}/"]) == 1
    assert cli.main(["import-review", str(run_on_path), "--out", str(typo / "run-on.toml")]) == 1
    err = capsys.readouterr().err
    assert err.count(f"import-review: the folder {typo} does not exist; create it first") == 2
    assert not typo.exists()


def test_review_draft_and_csv_loader_give_one_id_for_a_title_with_an_apostrophe(tmp_path: Path) -> None:
    title = "It's Okay to Not Be Okay"
    review = f"{title} – Full Review\n♥ Aired: June 20, 2020 – August 9, 2020\n♥# of Episodes: 16\n"
    csv_file = tmp_path / "rows.csv"
    csv_file.write_text(f'title,year\n"{title}",2020\n', encoding="utf-8")
    (row,) = load_csv(csv_file).dramas
    assert parse_review(review, "review").data["id"] == row.id == "its-okay-to-not-be-okay"
    assert (CATALOG_DIR / "its-okay-to-not-be-okay.toml").is_file()  # the starter entry's file, same id


CLINIC = REVIEWS / "clinic-on-the-hill-honorifics.txt"  # invented: honorifics, hyphens, apostrophes


def test_importer_reads_names_with_honorifics_hyphens_and_apostrophes(tmp_path: Path) -> None:
    out = tmp_path / "clinic.toml"
    assert cli.main(["import-review", str(CLINIC), "--out", str(out)]) == 0
    drama = load_drama_file(out)
    cast = [(c.name, c.actor, c.role.value) for c in drama.characters]
    assert cast == [
        ("Dr. Yoon Chae Won", "Seo Ha-neul", "lead"),
        ("Lee Min-jun", "Park O'Neil", "lead"),
        ("Mrs. Go Mi Ja", "Kim Ye-jin", "supporting"),
        ("Prof. Han Do Yun", "Choi D'Arcy Jr.", "supporting"),
    ]
    assert drama.starring == ("Seo Ha-neul", "Park O'Neil")
    aliases = {c.name: c.aliases for c in drama.characters}
    assert aliases["Dr. Yoon Chae Won"] == ("Yoon Chae Won",) and aliases["Mrs. Go Mi Ja"] == ("Go Mi Ja",)
    assert drama.character("yoon chae won").name == "Dr. Yoon Chae Won"  # found without the title
