"""Load and check the golden files in bench/golden/ (recommend.toml, verdicts.toml).

`load_seeds` / `load_verdicts` check each file's shape (fields, types, allowed values, list sizes,
no title both expected and absurd) and raise `GoldenError` naming the file, the entry and the
field. `title_problems` checks titles against a catalog: each must name exactly one show.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.evalkit.adapter import Drama

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden"
SEEDS_FILE = GOLDEN_DIR / "recommend.toml"
VERDICTS_FILE = GOLDEN_DIR / "verdicts.toml"

GOLDEN_INTERESTS = (
    "action",
    "humor",
    "slow-burn romance",
    "character growth",
    "short watch",
    "thrills",
    "tearjerker",
)
"""The interests the golden verdicts use (the seven /shouldiwatch choices of issue #12)."""
LABELS = ("yes", "maybe", "no", "unknown")
CATALOGS = ("bundled", "csv", "both")
MIN_SEEDS, MIN_VERDICTS = 30, 60
EXPECT_SIZE, ABSURD_SIZE = (3, 8), (2, 5)


class GoldenError(ValueError):
    """A golden file breaks a rule; `str()` reads `<file>: <entry>: <field>: <problem>`."""


@dataclass(frozen=True, slots=True)
class Seed:
    """One "because you like `title`" case: titles a fan expects near the top, and absurd ones."""

    title: str
    catalog: str  # "bundled" | "csv" | "both"
    expect: tuple[str, ...]
    absurd: tuple[str, ...]
    year: int | None = None
    why: str = ""

    def judged_on(self, catalog_name: str) -> bool:
        """Whether this seed is scored on the catalog named `catalog_name` ("bundled" or "csv")."""
        return self.catalog in (catalog_name, "both")


@dataclass(frozen=True, slots=True)
class VerdictCase:
    """One labelled (show, interest) pair and the answer a fan gives."""

    title: str
    interest: str
    expected: str  # one of LABELS
    year: int | None = None
    why: str = ""


def _entries(path: Path, key: str) -> list[dict]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GoldenError(f"{path.name}: {exc}") from exc
    entries = data.get(key)
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise GoldenError(f"{path.name}: [[{key}]]: expected an array of tables")
    return entries


def _field(path: Path, n: int, entry: dict, name: str, kind: type, *, required: bool = True):
    where = f"{path.name}: entry {n} ({entry.get('title', '?')!r}): {name}"
    if name not in entry:
        if required:
            raise GoldenError(f"{where}: missing")
        return None
    value = entry[name]
    if kind is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise GoldenError(f"{where}: expected a list of titles")
        return tuple(value)
    if not isinstance(value, kind) or isinstance(value, bool) or (kind is str and not value.strip()):
        raise GoldenError(f"{where}: expected a non-empty {kind.__name__}")
    return value


def load_seeds(path: Path = SEEDS_FILE) -> list[Seed]:
    """The [[seed]] entries of `path`, checked for shape (see the file's header). Raises GoldenError."""
    seeds = []
    allowed = {"title", "catalog", "expect", "absurd", "year", "why"}
    for n, entry in enumerate(_entries(path, "seed"), 1):
        if unknown := set(entry) - allowed:
            raise GoldenError(f"{path.name}: entry {n}: unknown field(s) {', '.join(sorted(unknown))}")
        seed = Seed(
            title=_field(path, n, entry, "title", str),
            catalog=_field(path, n, entry, "catalog", str),
            expect=_field(path, n, entry, "expect", tuple),
            absurd=_field(path, n, entry, "absurd", tuple),
            year=_field(path, n, entry, "year", int, required=False),
            why=_field(path, n, entry, "why", str, required=False) or "",
        )
        where = f"{path.name}: entry {n} ({seed.title!r})"
        if seed.catalog not in CATALOGS:
            raise GoldenError(f"{where}: catalog: {seed.catalog!r} is not one of {', '.join(CATALOGS)}")
        for name, values, (low, high) in (("expect", seed.expect, EXPECT_SIZE), ("absurd", seed.absurd, ABSURD_SIZE)):
            if not low <= len(values) <= high:
                raise GoldenError(f"{where}: {name}: {len(values)} titles, expected {low}-{high}")
            if len(set(values)) != len(values):
                raise GoldenError(f"{where}: {name}: a title is listed twice")
        if both := set(seed.expect) & set(seed.absurd):
            raise GoldenError(f"{where}: {', '.join(sorted(both))} is both expected and absurd")
        if seed.title in seed.expect or seed.title in seed.absurd:
            raise GoldenError(f"{where}: the seed names itself")
        seeds.append(seed)
    keys = [(s.title, s.catalog) for s in seeds]
    if len(set(keys)) != len(keys):
        raise GoldenError(f"{path.name}: a (title, catalog) seed is listed twice")
    return seeds


def load_verdicts(path: Path = VERDICTS_FILE) -> list[VerdictCase]:
    """The [[verdict]] entries of `path`, checked for shape. Raises GoldenError."""
    cases = []
    allowed = {"title", "interest", "expected", "year", "why"}
    for n, entry in enumerate(_entries(path, "verdict"), 1):
        if unknown := set(entry) - allowed:
            raise GoldenError(f"{path.name}: entry {n}: unknown field(s) {', '.join(sorted(unknown))}")
        case = VerdictCase(
            title=_field(path, n, entry, "title", str),
            interest=_field(path, n, entry, "interest", str),
            expected=_field(path, n, entry, "expected", str),
            year=_field(path, n, entry, "year", int, required=False),
            why=_field(path, n, entry, "why", str, required=False) or "",
        )
        where = f"{path.name}: entry {n} ({case.title!r})"
        if case.interest not in GOLDEN_INTERESTS:
            raise GoldenError(f"{where}: interest: {case.interest!r} is not one of {', '.join(GOLDEN_INTERESTS)}")
        if case.expected not in LABELS:
            raise GoldenError(f"{where}: expected: {case.expected!r} is not one of {', '.join(LABELS)}")
        cases.append(case)
    keys = [(c.title, c.interest) for c in cases]
    if len(set(keys)) != len(keys):
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        raise GoldenError(f"{path.name}: (title, interest) listed twice: {dupes}")
    return cases


class TitleIndex:
    """Exact-title lookup over a catalog (titles as spelled; `year` settles a shared title)."""

    def __init__(self, dramas: Iterable[Drama]) -> None:
        self.by_title: dict[str, list[Drama]] = {}
        for drama in dramas:
            self.by_title.setdefault(drama.title, []).append(drama)

    def find(self, title: str, year: int | None = None) -> Drama | None:
        """The one drama titled exactly `title` (and from `year` when given), or None if none or several."""
        found = [d for d in self.by_title.get(title, ()) if year is None or d.year == year]
        return found[0] if len(found) == 1 else None

    def problem(self, title: str, year: int | None = None) -> str | None:
        """Why `title` does not name exactly one show, or None when it does."""
        found = [d for d in self.by_title.get(title, ()) if year is None or d.year == year]
        if not found:
            return f"{title!r} is not in the catalog"
        if len(found) > 1:
            return f"{title!r} names {len(found)} shows (years {sorted(d.year or 0 for d in found)}): add year"
        return None


def title_problems(
    seeds: Sequence[Seed], verdicts: Sequence[VerdictCase], bundled: TitleIndex, full: TitleIndex | None
) -> list[str]:
    """Every golden title that does not name exactly one show in the catalog it is judged on.

    Bundled and "both" seeds are checked against `bundled`; CSV seeds and verdict titles against
    `full` (bundled + CSV), or skipped when `full` is None (the CSV is absent) unless a verdict
    title is a bundled show.
    """
    out = []
    for seed in seeds:
        index = bundled if seed.catalog in ("bundled", "both") else full
        if index is None:
            continue
        for title in (seed.title, *seed.expect, *seed.absurd):
            year = seed.year if title == seed.title else None
            if (problem := index.problem(title, year)) is not None:
                out.append(f"seed {seed.title!r} ({seed.catalog}): {problem}")
    for case in verdicts:
        index = full if full is not None else bundled
        problem = index.problem(case.title, case.year)
        if problem is not None and (full is not None or bundled.by_title.get(case.title)):
            out.append(f"verdict {case.title!r} / {case.interest}: {problem}")
    return out
