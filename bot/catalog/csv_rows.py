"""The catalog at scale: facts-only dramas from a K-drama CSV, merged with the TOML entries.

The CSV format is the operator's `kdramas.csv` (see `../shared/catalog-data/README.md`): UTF-8,
RFC-4180 quoting, a header row, lists inside a cell separated by `; `. Its facts come from
MyDramaList (MDL) in the end, so its score is labelled as MDL's community score. The file is
operator data: it is read from wherever `CATALOG_CSV` points and never copied into the project.

Loading is forgiving row by row and strict about the file: a bad row is reported with its line
number and skipped (or, for a bad optional value, loaded without that value), while a missing or
unreadable file or a missing required column raises `CatalogError`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from bot.catalog.model import CatalogError, Drama, normalize

#: Every column of the format, in the operator file's order. Unknown extra columns are ignored.
CSV_COLUMNS = (
    "title",
    "year",
    "aired_start",
    "aired_end",
    "episodes",
    "network",
    "genres",
    "tags",
    "cast",
    "source_rating",
    "alt_titles",
    "platforms",
    "enrichment_source",
)
#: Columns without which no row could be keyed (title + year); a file lacking one is refused.
REQUIRED_COLUMNS = ("title", "year")
YEAR_RANGE = (1950, 2100)  # the same bounds bot.catalog applies to TOML entries
EPISODES_RANGE = (1, 10_000)
SCORE_RANGE = (0.0, 10.0)
COMMUNITY_SOURCE = "MyDramaList community score"  # said in words: members never see a file name

_SKIPPED = "row skipped"
_IGNORED = "value ignored, rest of the row loaded"


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem in one CSV row.

    Attributes:
        line: the row's first line as a person counts lines in the file (header = line 1).
        field: the column at fault, or "" for the row as a whole (e.g. a wrong column count).
        problem: what is wrong, ending with whether the row was skipped or only the value ignored.
    """

    line: int
    field: str
    problem: str

    def __str__(self) -> str:
        where = f"line {self.line}: {self.field}" if self.field else f"line {self.line}"
        return f"{where}: {self.problem}"


@dataclass(frozen=True, slots=True)
class CsvLoad:
    """What `load_csv` read: the dramas that loaded (file order), the problems, and the row count.

    `rows` counts data rows (blank lines excluded; each row an unclosed quote swallowed counts as
    one, so `rows - len(dramas)` is the number of rows actually lost).
    """

    dramas: tuple[Drama, ...]
    problems: tuple[RowProblem, ...]
    rows: int

    @property
    def skipped(self) -> int:
        """How many data rows did not load."""
        return self.rows - len(self.dramas)


class _BadRow(Exception):
    """Internal: a value that makes the whole row unusable."""


SLUG_MAX = 64  # leaves room for "-<year>" and "-<n>" within the catalog's 80-character ids


def slug_for(title: str) -> str:
    """A lowercase ASCII slug for `title`: "It's Okay to Not Be Okay" -> "its-okay-to-not-be-okay".

    Apostrophes are dropped, accents folded, other punctuation becomes a hyphen. A title with no
    Latin letters or digits gets "drama-" plus 8 hex digits of its SHA-1, so ids stay deterministic;
    a slug over `SLUG_MAX` characters is cut and ends in those 8 hex digits instead.
    """
    folded = normalize(title.replace("'", "").replace("\u2019", ""))
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    digest = hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    if not slug:
        return "drama-" + digest
    if len(slug) > SLUG_MAX:  # ids travel as autocomplete values (≤ 100 characters, with room for -year-n)
        return f"{slug[: SLUG_MAX - 9].rstrip('-')}-{digest}"
    return slug


# --------------------------------------------------------------------------- loading


def load_csv(path: Path) -> CsvLoad:
    """Load every good row of a K-drama CSV (the `kdramas.csv` format) as a facts-only `Drama`.

    Row rules: the key is title + year. A row without a title, with a bad year (not an integer in
    1950-2100), non-integer episodes, a score outside 0-10, an unparseable ISO date, the wrong
    number of columns, or the same normalized title and year as an earlier row is reported and
    skipped. An end date before the start date is reported and dropped; the row still loads.
    Empty optional cells load as None / empty tuples. Blank lines are ignored.

    Ids are `slug_for(title)`, with `-<year>` appended to every row whose slug is shared by
    another row ("hyena-2006", "hyena-2020"), then `-2`, `-3`… in file order if still not unique.
    Each Drama gets starring = the first two cast names, community_source naming MyDramaList in
    words (`COMMUNITY_SOURCE`), and source = "<path>:<line>".

    Raises:
        CatalogError: the file is missing, unreadable or not UTF-8, is empty, or its header lacks a
            required column (title, year). The message names the file and the column.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return _read_csv(fh, path)
    except FileNotFoundError:
        raise CatalogError(str(path), "", "CSV file not found (check CATALOG_CSV or the path given)") from None
    except UnicodeDecodeError as exc:
        raise CatalogError(str(path), "", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise CatalogError(str(path), "", f"cannot read the file: {exc.strerror or exc}") from None


def _read_csv(fh: TextIO, path: Path) -> CsvLoad:
    reader = csv.reader(fh)
    header_row = next(reader, None)
    if header_row is None:
        raise CatalogError(str(path), "", "empty file: expected a header row naming the columns")
    header = [name.strip().casefold() for name in header_row]
    for column in REQUIRED_COLUMNS:
        if column not in header:
            found = ", ".join(h for h in header if h) or "nothing"
            raise CatalogError(str(path), column, f"missing required column in the header (found: {found})")
    index = {name: i for i, name in reversed(list(enumerate(header))) if name}  # first occurrence wins
    width = len(header)
    source_label = COMMUNITY_SOURCE

    problems: list[RowProblem] = []
    parsed: list[dict[str, Any]] = []
    first_line_of_key: dict[tuple[str, int], int] = {}
    rows = 0
    for line, end_line, row in _records(reader, problems):
        if row is None:  # unreadable: already reported, and lost
            rows += 1
            continue
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if len(row) != width:
            lost = _joined_rows(row)
            rows += lost - 1
            span = (
                f" (lines {line}-{end_line}: an unclosed quote joined {lost} rows into one; all {lost} skipped)"
                if lost > 1
                else ""
            )
            problems.append(RowProblem(line, "", f"expected {width} columns, found {len(row)}{span}; {_SKIPPED}"))
            continue
        fields = _row_fields(row, index, line, problems)
        if fields is None:
            continue
        key = (normalize(fields["title"]), fields["year"])
        if key in first_line_of_key:
            problems.append(
                RowProblem(line, "title", f"same title and year as line {first_line_of_key[key]}; {_SKIPPED}")
            )
            continue
        first_line_of_key[key] = line
        fields["source"] = f"{path}:{line}"
        fields["community_source"] = source_label if fields["community_score"] is not None else None
        parsed.append(fields)

    ids = _unique_ids([(slug_for(f["title"]), f["year"]) for f in parsed])
    dramas = tuple(Drama(id=drama_id, **fields) for drama_id, fields in zip(ids, parsed, strict=True))
    return CsvLoad(dramas=dramas, problems=tuple(problems), rows=rows)


def _records(reader: Iterator[list[str]], problems: list[RowProblem]) -> Iterator[tuple[int, int, list[str] | None]]:
    """Yield (first line, last line, cells) per record; a record may span lines inside quotes.
    An unreadable record is reported in `problems` and yielded with cells None."""
    previous_end = reader.line_num  # type: ignore[attr-defined]
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(RowProblem(previous_end + 1, "", f"unreadable CSV record ({exc}); {_SKIPPED}"))
            yield previous_end + 1, reader.line_num, None  # type: ignore[attr-defined]
            previous_end = reader.line_num  # type: ignore[attr-defined]
            continue
        end = reader.line_num  # type: ignore[attr-defined]
        yield previous_end + 1, end, row
        previous_end = end


def _joined_rows(row: list[str]) -> int:
    """How many rows of the file one malformed record holds: 1, plus each non-blank line that an
    unclosed quote swallowed into a cell (the line breaks are still inside the cell's text)."""
    return 1 + sum(1 for cell in row for piece in cell.split("\n")[1:] if piece.strip())


def _row_fields(row: list[str], index: dict[str, int], line: int, problems: list[RowProblem]) -> dict[str, Any] | None:
    """Drama keyword arguments for one row, or None (problems recorded) when the row is skipped."""

    def cell(name: str) -> str:
        i = index.get(name)
        return row[i].strip() if i is not None else ""

    row_problems: list[RowProblem] = []

    def check(name: str, parse: Callable[[str], Any], raw: str) -> Any:
        if not raw:
            return None
        try:
            return parse(raw)
        except _BadRow as exc:
            row_problems.append(RowProblem(line, name, f"{exc}; {_SKIPPED}"))
            return None

    title = " ".join(cell("title").split())
    if not title:
        row_problems.append(RowProblem(line, "title", f"missing title; {_SKIPPED}"))
    year_raw = cell("year")
    if not year_raw:
        row_problems.append(RowProblem(line, "year", f"missing year (the key is title + year); {_SKIPPED}"))
    year = check("year", lambda raw: _integer(raw, "year", *YEAR_RANGE), year_raw)
    episodes = check("episodes", lambda raw: _integer(raw, "episode count", *EPISODES_RANGE), cell("episodes"))
    score = check("source_rating", _score, cell("source_rating"))
    aired_start = check("aired_start", _date, cell("aired_start"))
    aired_end = check("aired_end", _date, cell("aired_end"))
    if row_problems:
        problems.extend(row_problems)
        return None
    if aired_start and aired_end and aired_end < aired_start:
        problems.append(RowProblem(line, "aired_end", f"{aired_end} is before aired_start {aired_start}; {_IGNORED}"))
        aired_end = None
    cast = _split(cell("cast"))
    title_key = normalize(title)
    aliases = tuple(a for a in _split(cell("alt_titles")) if normalize(a) != title_key)
    return {
        "title": title,
        "year": year,
        "aliases": tuple(dict.fromkeys(aliases)),
        "aired_start": aired_start,
        "aired_end": aired_end,
        "episodes": episodes,
        "network": _split(cell("network")),
        "platforms": _split(cell("platforms")),
        "genres": _split(cell("genres")),
        "tags": _split(cell("tags")),
        "cast": cast,
        "starring": cast[:2],
        "community_score": score,
    }


def _split(raw: str) -> tuple[str, ...]:
    """A `; `-separated cell as a tuple: items stripped, empties and repeats dropped, order kept."""
    if not raw:
        return ()
    return tuple(dict.fromkeys(item for item in (part.strip() for part in raw.split(";")) if item))


def _integer(raw: str, what: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise _BadRow(f"{what} is not a whole number: {raw!r}") from None
    if not low <= value <= high:
        raise _BadRow(f"{what} must be between {low} and {high}, got {value}")
    return value


def _score(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise _BadRow(f"community score is not a number: {raw!r}") from None
    low, high = SCORE_RANGE
    if not math.isfinite(value) or not low <= value <= high:
        raise _BadRow(f"community score must be between {low:g} and {high:g}, got {raw}")
    return value


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise _BadRow(f"not a valid date (YYYY-MM-DD): {raw!r}") from None


def _unique_ids(keys: list[tuple[str, int]]) -> list[str]:
    """Ids for (slug, year) keys in file order: `-<year>` where a slug repeats, then `-2`, `-3`…"""
    counts: dict[str, int] = {}
    for slug, _ in keys:
        counts[slug] = counts.get(slug, 0) + 1
    taken: set[str] = set()
    ids = []
    for slug, year in keys:
        drama_id = f"{slug}-{year}" if counts[slug] > 1 else slug
        ids.append(claim_id(drama_id, taken))
    return ids


def claim_id(drama_id: str, taken: set[str]) -> str:
    """`drama_id`, or the first free `drama_id-2`, `-3`…; the result is added to `taken`."""
    candidate, n = drama_id, 1
    while candidate in taken:
        n += 1
        candidate = f"{drama_id}-{n}"
    taken.add(candidate)
    return candidate
