"""Loading and validating the project's catalog entries, one TOML file per drama in `data/dramas/`.

Any file that breaks a rule stops start-up with a `CatalogError` naming the file and the field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from bot.catalog.actors import default_actors_path, load_actors
from bot.catalog.index import Catalog
from bot.catalog.model import (
    MAX_ID_LENGTH,
    Audience,
    AudienceNote,
    CatalogError,
    Character,
    Drama,
    EndingFact,
    Fact,
    Fit,
    Item,
    Review,
    Role,
    SpoilerLevel,
)
from bot.ratings.scores import MAX_SCORE

T = TypeVar("T")

# --------------------------------------------------------------------------- loading


def load_entries(directory: Path) -> list[Drama]:
    """Load and validate every `*.toml` entry in `directory` (sorted by file name); may be empty.

    Raises:
        CatalogError: the folder is missing, or a file has a syntax error, a missing or mistyped
            field, a bad date, a rating outside 0-10 or an unknown spoiler level. The message
            names the file and the field.
    """
    if not directory.is_dir():
        raise CatalogError(str(directory), "", "catalog folder not found (set CATALOG_DIR)")
    return [load_drama_file(path) for path in sorted(directory.glob("*.toml"))]


def load_catalog(directory: Path) -> Catalog:
    """A catalog of the TOML entries in `directory` alone (no CSV, see `bot.catalog.assemble.build_catalog`).

    Raises:
        CatalogError: as `load_entries`, or the folder has no entry, or two entries share an id.
    """
    entries = load_entries(directory)
    if not entries:
        raise CatalogError(str(directory), "", "no *.toml drama entries in the catalog folder")
    return Catalog(entries, load_actors(default_actors_path()))


def load_drama_file(path: Path) -> Drama:
    """Parse and validate one TOML drama entry. Raises `CatalogError` naming `path` and the field."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(str(path), "", f"not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise CatalogError(str(path), "", f"not UTF-8 text: {exc}") from exc
    except RecursionError:
        raise CatalogError(str(path), "", "a value is nested too deeply to read") from None
    except OSError as exc:  # a folder named *.toml, no read permission, a dangling symlink or a symlink loop
        raise CatalogError(str(path), "", f"cannot read the file: {_os_reason(exc, path)}") from None
    return parse_drama(data, str(path))


def _os_reason(exc: OSError, path: Path) -> str:
    """Plain words for why `path` could not be opened."""
    if isinstance(exc, IsADirectoryError):
        return "it is a folder, not a file"
    if path.is_symlink() and isinstance(exc, FileNotFoundError):
        return "it is a symbolic link to a file that does not exist"
    return exc.strerror or str(exc)


def parse_drama(data: dict[str, Any], source: str) -> Drama:
    """Build a `Drama` from a parsed TOML document; `source` names it in errors."""
    root = Fields(data, source, "")
    review = _one(root.table("review", required=False), _review)
    audience = _one(root.table("audience", required=False), _audience)
    characters = _each(root.tables("characters"), _character)
    ending_t = root.table("ending", required=False)
    ending: tuple[EndingFact, ...] = ()
    if ending_t is not None:
        ending = tuple(EndingFact(text) for text in ending_t.strings("facts"))
        ending_t.done()
    aired_start = root.date("aired_start", required=False)
    aired_end = root.date("aired_end", required=False)
    if aired_start and aired_end and aired_end < aired_start:
        raise CatalogError(source, "aired_end", f"{aired_end} is before aired_start {aired_start}")
    drama = Drama(
        id=root.slug("id"),
        title=root.text("title"),
        year=root.integer("year", low=1950, high=2100, required=False) or (aired_start and aired_start.year),
        aliases=root.strings("aliases"),
        aired_start=aired_start,
        aired_end=aired_end,
        episodes=root.integer("episodes", low=1, high=10_000, required=False),
        network=root.strings("network"),
        platforms=root.strings("platforms"),
        genres=root.strings("genres"),
        tags=root.strings("tags"),
        spoiler_tags=root.strings("spoiler_tags"),
        starring=root.strings("starring"),
        cast=root.strings("cast"),
        review=review,
        premise=_each(root.tables("premise"), _fact),
        characters=characters,
        liked=_each(root.tables("liked"), _item),
        disliked=_each(root.tables("disliked"), _item),
        ending=ending,
        audience=audience,
        community_score=root.number("community_score", low=0, high=10, required=False),
        community_source=root.text("community_source", required=False),
        source=source,
    )
    root.done()
    return drama


def _each(tables: list[Fields], build: Callable[[Fields], T]) -> tuple[T, ...]:
    """`build` applied to each table, each checked for unknown fields once read."""
    out = []
    for table in tables:
        out.append(build(table))
        table.done()
    return tuple(out)


def _one(table: Fields | None, build: Callable[[Fields], T]) -> T | None:
    """`build` applied to an optional table (None when absent), checked for unknown fields once read."""
    return None if table is None else _each([table], build)[0]


def _review(t: Fields) -> Review:
    return Review(
        ramen=t.integer("ramen", low=0, high=MAX_SCORE),
        summary=t.text("summary", required=False),
        has_unspoiled_review=t.boolean("has_unspoiled_review", default=False),
    )


def _audience(t: Fields) -> Audience:
    return Audience(
        summary=t.text("summary", required=False),
        for_=t.strings("for"),
        not_for=t.strings("not_for"),
        notes=_each(t.tables("notes"), _note),
    )


def _note(t: Fields) -> AudienceNote:
    return AudienceNote(looking_for=t.text("looking_for"), fit=t.enum("fit", Fit), reason=t.text("reason"))


def _character(t: Fields) -> Character:
    return Character(
        name=t.text("name"),
        role=t.enum("role", Role),
        actor=t.text("actor", required=False),
        aliases=t.strings("aliases"),
        facts=_each(t.tables("facts"), _fact),
    )


def _fact(t: Fields) -> Fact:
    return Fact(text=t.text("text"), level=t.enum("level", SpoilerLevel))


def _item(t: Fields) -> Item:
    return Item(head=t.text("head"), text=t.text("text"), level=t.enum("level", SpoilerLevel))


@dataclass
class Fields:
    """Typed reads from one TOML table that name `source` and the dotted field path in errors."""

    data: dict[str, Any]
    source: str
    path: str
    used: set[str] = field(default_factory=set)

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _fail(self, key: str, problem: str) -> CatalogError:
        return CatalogError(self.source, self._where(key), problem)

    def _get(self, key: str, required: bool) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                raise self._fail(key, "missing required field")
            return None
        return self.data[key]

    def _typed(self, key: str, kind: type | tuple[type, ...], name: str, required: bool) -> Any:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self._fail(key, f"expected {name}, got {_type_name(value)} {value!r}")
        return value

    def text(self, key: str, *, required: bool = True) -> Any:
        value = self._typed(key, str, "a string", required)
        if value is not None and not value.strip():
            raise self._fail(key, "must not be empty")
        return value.strip() if value is not None else None

    def slug(self, key: str) -> str:
        value = self.text(key)
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value) or len(value) > MAX_ID_LENGTH:
            raise self._fail(
                key, f"expected a lowercase slug like 'run-on' (≤ {MAX_ID_LENGTH} characters), got {value!r}"
            )
        return value

    def integer(self, key: str, *, low: int, high: int, required: bool = True) -> Any:
        value = self._typed(key, int, "an integer", required)
        if value is not None and not low <= value <= high:
            raise self._fail(key, f"must be between {low} and {high}, got {value}")
        return value

    def number(self, key: str, *, low: float, high: float, required: bool = True) -> Any:
        value = self._typed(key, (int, float), "a number", required)
        if value is not None and not low <= value <= high:
            raise self._fail(key, f"must be between {low:g} and {high:g}, got {value}")
        return float(value) if value is not None else None

    def boolean(self, key: str, *, default: bool) -> bool:
        value = self._typed(key, bool, "true or false", False)
        return default if value is None else value

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
            raise self._fail(key, f"expected a date like 2020-12-16, got {_type_name(value)} {value!r}")
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise self._fail(key, f"not a valid date (YYYY-MM-DD): {value!r}") from None
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self._typed(key, list, "a list of strings", False)
        if value is None:
            return ()
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                where = f"{self._where(key)}[{i}]"
                raise CatalogError(self.source, where, f"expected a non-empty string, got {item!r}")
        return tuple(item.strip() for item in value)

    def enum(self, key: str, kind: type[StrEnum]) -> Any:
        value = self.text(key)
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in kind)
            raise self._fail(key, f"unknown value {value!r}; expected one of {allowed}") from None

    def table(self, key: str, *, required: bool = True) -> Fields | None:
        value = self._typed(key, dict, "a table", required)
        return None if value is None else Fields(value, self.source, self._where(key))

    def tables(self, key: str) -> list[Fields]:
        value = self._typed(key, list, "an array of tables ([[...]])", False) or []
        out = []
        for i, item in enumerate(value):
            where = f"{self._where(key)}[{i}]"
            if not isinstance(item, dict):
                raise CatalogError(self.source, where, f"expected a table, got {_type_name(item)}")
            out.append(Fields(item, self.source, where))
        return out

    def done(self) -> None:
        """Reject keys nobody read: a mistyped field name must not vanish silently."""
        for key in self.data:
            if key not in self.used:
                close = difflib.get_close_matches(key, sorted(self.used), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise self._fail(key, f"unknown field{hint}")


def _type_name(value: Any) -> str:
    return {str: "string", int: "integer", float: "number", bool: "boolean", list: "list", dict: "table"}.get(
        type(value), type(value).__name__
    )
