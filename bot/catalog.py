"""The drama catalog: frozen dataclasses, loading and validating `data/dramas/*.toml`, and lookup.

Facts come from the TOML entries the project writes (from `../shared/catalog-facts/` and the
reviewer's reviews). Each piece of story text carries a spoiler level; the ending is always
a spoiler and is typed so (`EndingFact`). Any file that breaks a rule stops start-up with a
`CatalogError` naming the file and the field.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import fnmatch
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

RAMEN_MAX = 10
MAX_ID_LENGTH = 80  # ids travel in autocomplete values and custom_ids ("ramen:characters:<id>"), ≤ 100
SUGGEST_CUTOFF = 60.0  # rapidfuzz score a "did you mean" suggestion needs
SUGGEST_MARGIN = 12.0  # suggestions stay within this many points of the best one


class SpoilerLevel(StrEnum):
    """How much a fact gives away: `safe` for any reply, `spoiler` only inside `||…||`."""

    SAFE = "safe"
    SPOILER = "spoiler"


class Role(StrEnum):
    """A character's place in the cast."""

    LEAD = "lead"
    SUPPORTING = "supporting"


class Fit(StrEnum):
    """How well a show suits a viewer looking for something (`/shouldiwatch looking_for:`)."""

    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


class CatalogError(Exception):
    """A catalog file breaks a rule. `str()` reads `<file>: <field>: <problem>`."""

    def __init__(self, source: str, field_path: str, problem: str) -> None:
        self.source, self.field_path, self.problem = source, field_path, problem
        where = f"{source}: {field_path}" if field_path else source
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class Fact:
    """One sentence of story text with its spoiler level."""

    text: str
    level: SpoilerLevel = SpoilerLevel.SAFE

    @property
    def is_spoiler(self) -> bool:
        return self.level is SpoilerLevel.SPOILER


@dataclass(frozen=True, slots=True)
class EndingFact:
    """One sentence about the ending: a spoiler by type, it has no level to get wrong."""

    text: str

    @property
    def is_spoiler(self) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class Item:
    """Something the reviewer liked or disliked: a head line and the text, under one spoiler level.

    The head is part of the fact: for a spoiler item neither may appear outside spoiler tags.
    """

    head: str
    text: str
    level: SpoilerLevel

    @property
    def is_spoiler(self) -> bool:
        return self.level is SpoilerLevel.SPOILER


@dataclass(frozen=True, slots=True)
class Character:
    """A character card: name (safe), actor (None when the source does not say), role, facts."""

    name: str
    role: Role
    actor: str | None = None
    aliases: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()

    @property
    def safe_facts(self) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if not f.is_spoiler)

    @property
    def spoiler_facts(self) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.is_spoiler)


@dataclass(frozen=True, slots=True)
class AudienceNote:
    """The answer for a viewer looking for `looking_for` (e.g. "action"): a fit and its reason."""

    looking_for: str
    fit: Fit
    reason: str


@dataclass(frozen=True, slots=True)
class Audience:
    """Who the show is for and not for (all safe), plus per-interest notes."""

    summary: str | None = None
    for_: tuple[str, ...] = ()
    not_for: tuple[str, ...] = ()
    notes: tuple[AudienceNote, ...] = ()

    def note(self, looking_for: str) -> AudienceNote | None:
        """The note for `looking_for` (case-insensitive), or None."""
        key = looking_for.casefold()
        return next((n for n in self.notes if n.looking_for.casefold() == key), None)


@dataclass(frozen=True, slots=True)
class Review:
    """The reviewer's verdict: ramen bowls out of 10 and a one-line summary in the project's words."""

    ramen: int
    summary: str | None = None
    has_unspoiled_review: bool = False


@dataclass(frozen=True, slots=True)
class Drama:
    """One show. Facts-only entries (e.g. from a CSV) have no review, story text or characters.

    Attributes:
        id: unique slug, e.g. "run-on".
        title, aliases: display title and other names it is known by.
        year: release year; aired_start/aired_end: ISO dates when known.
        episodes: episode count when known.
        network: original broadcasters; platforms: where to watch now.
        genres, tags: genre words and descriptive tags (facts, not prose).
        spoiler_tags: tags that give the plot away (see `SpoilerTags`): shown only in spoiler tags.
        starring: lead actors. community_score: 0-10 with its source named in community_source.
        source: the file the entry came from (for error messages).
    """

    id: str
    title: str
    year: int | None = None
    aliases: tuple[str, ...] = ()
    aired_start: dt.date | None = None
    aired_end: dt.date | None = None
    episodes: int | None = None
    network: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    spoiler_tags: tuple[str, ...] = ()
    starring: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    review: Review | None = None
    premise: tuple[Fact, ...] = ()
    characters: tuple[Character, ...] = ()
    liked: tuple[Item, ...] = ()
    disliked: tuple[Item, ...] = ()
    ending: tuple[EndingFact, ...] = ()
    audience: Audience | None = None
    community_score: float | None = None
    community_source: str | None = None
    source: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The title followed by every alias."""
        return (self.title, *self.aliases)

    @property
    def is_reviewed(self) -> bool:
        return self.review is not None

    @property
    def is_unedited_draft(self) -> bool:
        """Whether story text still holds the importer's "TODO:" placeholders (`bot.importer`)."""
        texts = [f.text for f in self.premise] + [f.text for f in self.ending]
        texts += [f.text for c in self.characters for f in c.facts] + [i.text for i in (*self.liked, *self.disliked)]
        if self.audience:
            texts += [self.audience.summary or "", *self.audience.for_, *self.audience.not_for]
        return any(t.startswith("TODO") for t in texts)

    def similar_characters(self, name: str, limit: int = 3) -> list[str]:
        """Character names closest to `name` (rapidfuzz, aliases included), best first, for "did you mean"."""
        names = {normalize(n): c.name for c in self.characters for n in (c.name, *c.aliases)}
        hits = process.extract(normalize(name), list(names), scorer=fuzz.WRatio, limit=limit * 2, score_cutoff=60)
        return list(dict.fromkeys(names[key] for key, _, _ in hits))[:limit]

    def character(self, name: str) -> Character | None:
        """The character whose name or alias equals `name` (case- and accent-insensitive), or None."""
        key = normalize(name)
        for character in self.characters:
            if key in {normalize(n) for n in (character.name, *character.aliases)}:
                return character
        return None


def normalize(text: str) -> str:
    """Fold `text` for lookup: accents removed, case folded, punctuation to spaces, spaces collapsed.

    "Run-On", "run on" and "RÚN ON" all give "run on".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", stripped.casefold()).split())


class UnknownTitle(LookupError):
    """No drama matches `query`; `suggestions` holds the closest titles (best first, maybe empty)."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        self.query, self.suggestions = query, suggestions
        super().__init__(query)


class Catalog:
    """All dramas, looked up by id, by exact title or alias (case/accent-insensitive), or fuzzily."""

    def __init__(self, dramas: Iterable[Drama]) -> None:
        self._by_id: dict[str, Drama] = {}
        for drama in dramas:
            if drama.id in self._by_id:
                other = self._by_id[drama.id].source
                raise CatalogError(drama.source, "id", f"duplicate id {drama.id!r} (also in {other})")
            self._by_id[drama.id] = drama
        self._by_name: dict[str, list[Drama]] = {}
        choices: list[tuple[str, str]] = []  # (display name, drama id), one per title or alias
        for drama in self._by_id.values():
            for key in dict.fromkeys(normalize(name) for name in drama.names):
                self._by_name.setdefault(key, []).append(drama)
            choices.extend((name, drama.id) for name in dict.fromkeys(drama.names))
        self._choices = choices
        self._choice_keys = [normalize(name) for name, _ in choices]
        self._sorted_keys = sorted((k, i) for i, k in enumerate(self._choice_keys))
        self._word_index: dict[str, list[int]] = {}
        for i, k in enumerate(self._choice_keys):
            for word in dict.fromkeys(k.split()):
                self._word_index.setdefault(word, []).append(i)
        self._sorted_words = sorted(self._word_index)
        self._repeated_names = {name for name, _ in choices if len(self._by_name[normalize(name)]) > 1}
        # With nothing typed yet, autocomplete offers the reviewed shows first, then A to Z.
        self._alphabetical = sorted(
            self._by_id.values(), key=lambda d: (not d.is_reviewed, normalize(d.title), d.year or 0, d.id)
        )

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Drama]:
        return iter(self._by_id.values())

    def get(self, drama_id: str) -> Drama | None:
        """The drama with this id, or None."""
        return self._by_id.get(drama_id)

    def find(self, query: str) -> Drama | None:
        """The drama whose id, title or alias equals `query` after `normalize()`, or None.

        A title shared by several years resolves to the newest unless `query` names the year
        ("Hyena (2020)") or is the id.
        """
        if query in self._by_id:
            return self._by_id[query]
        key = normalize(query)
        matches = self._by_name.get(key)
        if not matches:
            year_match = re.fullmatch(r"(.*?)\s*\(?(\d{4})\)?", query.strip())
            if year_match:
                year = int(year_match.group(2))
                same = [d for d in self._by_name.get(normalize(year_match.group(1)), []) if d.year == year]
                return same[0] if same else None
            return None
        return max(matches, key=lambda d: d.year or 0)

    def resolve(self, query: str) -> Drama:
        """Like `find()`, but raises `UnknownTitle` with up to 3 suggestions when nothing matches."""
        drama = self.find(query)
        if drama is None:
            ranked = self.ranked(query, limit=3, cutoff=SUGGEST_CUTOFF)
            best = ranked[0][2] if ranked else 0.0
            raise UnknownTitle(query, [label for label, _, score in ranked if score >= best - SUGGEST_MARGIN])
        return drama

    def search(self, query: str, *, limit: int = 25, cutoff: float = 0) -> list[tuple[str, str]]:
        """Typo-tolerant title search for autocomplete and "did you mean".

        Returns:
            Up to `limit` (label, drama id) pairs, best first. The label is the matched title or
            alias, with the year added where titles repeat, at most 100 characters (Discord's
            choice limit). An empty query lists titles alphabetically.
        """
        return [(label, drama_id) for label, drama_id, _ in self.ranked(query, limit=limit, cutoff=cutoff)]

    def ranked(self, query: str, *, limit: int = 25, cutoff: float = 0) -> list[tuple[str, str, float]]:
        """Like `search()`, with each match's score: 0-100 (rapidfuzz), above 100 for a prefix match.

        Cost per query: a prefix lookup (bisect), `fuzz.ratio` over every name (catches typos like
        "rnu on"), and the slower word-set and partial scorers only over names that share a word
        (or, for the last word typed, a word prefix) with the query.
        """
        key = normalize(query)
        if not key:  # nothing typed: the reviewed shows, then A to Z (none when a minimum score is asked)
            return [] if cutoff > 0 else [(self._label(d.title, d), d.id, 0.0) for d in self._alphabetical[:limit]]
        scores: dict[int, float] = {}
        start = bisect.bisect_left(self._sorted_keys, (key, -1))
        for name_key, index in self._sorted_keys[start:]:
            if not name_key.startswith(key) or len(scores) >= limit * 2:
                break
            scores[index] = 100.0 + len(key) / len(name_key)
        if len(scores) < limit * 2:
            self._fuzzy(key, scores, limit, cutoff)
        ranked_hits = sorted(scores.items(), key=lambda kv: (-kv[1], len(self._choice_keys[kv[0]]), kv[0]))
        out: list[tuple[str, str, float]] = []
        seen: set[str] = set()
        for index, score in ranked_hits:
            name, drama_id = self._choices[index]
            if score < cutoff or drama_id in seen:
                continue
            seen.add(drama_id)
            out.append((self._label(name, self._by_id[drama_id]), drama_id, score))
            if len(out) == limit:
                break
        return out

    def _fuzzy(self, key: str, scores: dict[int, float], limit: int, cutoff: float) -> None:
        for _, score, index in process.extract(
            key, self._choice_keys, scorer=fuzz.ratio, processor=None, limit=limit * 2, score_cutoff=cutoff
        ):
            scores[index] = max(scores.get(index, 0.0), score)
        candidates = self._word_candidates(key)
        if not candidates:
            return
        names = [self._choice_keys[i] for i in candidates]
        for scorer, weight in ((fuzz.token_set_ratio, 1.0), (fuzz.partial_ratio, PARTIAL_WEIGHT)):
            for _, score, pos in process.extract(
                key, names, scorer=scorer, processor=None, limit=limit * 2, score_cutoff=cutoff / weight
            ):
                index = candidates[pos]
                scores[index] = max(scores.get(index, 0.0), score * weight)

    def _word_candidates(self, key: str) -> list[int]:
        """Names sharing the most words with `key` (the last word may be a prefix), at most MAX_WORD_CANDIDATES."""
        words = [w for w in key.split() if len(w) >= 2]
        if not words:
            return []
        hits: Counter[int] = Counter()
        for word in words[:-1]:
            hits.update(self._word_index.get(word, ()))
        last = words[-1]
        i = bisect.bisect_left(self._sorted_words, last)
        expanded: set[int] = set()
        while i < len(self._sorted_words) and self._sorted_words[i].startswith(last):
            expanded.update(self._word_index[self._sorted_words[i]])
            i += 1
        hits.update(expanded)
        return sorted(index for index, _ in hits.most_common(MAX_WORD_CANDIDATES))

    def _label(self, name: str, drama: Drama) -> str:
        repeated = name in self._repeated_names
        label = f"{name} ({drama.year})" if repeated and drama.year else name
        return label if len(label) <= 100 else label[:99] + "…"


# Whole-title similarity catches typos ("rnu on"), the word set catches word order and extra
# words ("playlist hospital"), partial catches a fragment of a long title; partial counts a little less.
PARTIAL_WEIGHT = 0.9
MAX_WORD_CANDIDATES = 600  # names (most shared words first) given to the slower scorers


class SpoilerTags:
    """Which tags give the plot away, from `data/spoiler-tags.toml` (case-insensitive fnmatch patterns)."""

    def __init__(self, patterns: Iterable[str] = ()) -> None:
        self.patterns = tuple(p.casefold() for p in patterns)
        # One compiled regex for all patterns: start-up checks every tag of every drama.
        self._regex = re.compile("|".join(fnmatch.translate(p) for p in self.patterns)) if self.patterns else None

    @classmethod
    def load(cls, path: Path) -> SpoilerTags:
        """Read `patterns = [...]` from `path`. Raises CatalogError naming the file and field."""
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except OSError as exc:
            raise CatalogError(str(path), "", f"cannot read the spoiler tag list: {exc.strerror or exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(str(path), "", f"not valid TOML: {exc}") from exc
        fields = _Fields(data, str(path), "")
        patterns = fields.strings("patterns")
        fields.done()
        return cls(patterns)

    def is_spoiler(self, tag: str) -> bool:
        """Whether `tag` matches one of the patterns (case-insensitive)."""
        return self._regex is not None and self._regex.match(tag.casefold()) is not None

    def apply(self, drama: Drama) -> Drama:
        """`drama` with its plot-revealing tags moved from `tags` to `spoiler_tags`."""
        hidden = tuple(t for t in drama.tags if self.is_spoiler(t))
        if not hidden:
            return drama
        return replace(
            drama,
            tags=tuple(t for t in drama.tags if t not in hidden),
            spoiler_tags=tuple(dict.fromkeys((*drama.spoiler_tags, *hidden))),
        )


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
    """A catalog of the TOML entries in `directory` alone (no CSV, see `bot.csv_catalog.build_catalog`).

    Raises:
        CatalogError: as `load_entries`, or the folder has no entry, or two entries share an id.
    """
    entries = load_entries(directory)
    if not entries:
        raise CatalogError(str(directory), "", "no *.toml drama entries in the catalog folder")
    return Catalog(entries)


def load_drama_file(path: Path) -> Drama:
    """Parse and validate one TOML drama entry. Raises `CatalogError` naming `path` and the field."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(str(path), "", f"not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise CatalogError(str(path), "", f"not UTF-8 text: {exc}") from exc
    return parse_drama(data, str(path))


def parse_drama(data: dict[str, Any], source: str) -> Drama:
    """Build a `Drama` from a parsed TOML document; `source` names it in errors."""
    root = _Fields(data, source, "")
    review_t = root.table("review", required=False)
    review = None
    if review_t is not None:
        review = Review(
            ramen=review_t.integer("ramen", low=0, high=RAMEN_MAX),
            summary=review_t.text("summary", required=False),
            has_unspoiled_review=review_t.boolean("has_unspoiled_review", default=False),
        )
        review_t.done()
    audience_t = root.table("audience", required=False)
    audience = None
    if audience_t is not None:
        notes = []
        for note_t in audience_t.tables("notes"):
            notes.append(
                AudienceNote(
                    looking_for=note_t.text("looking_for"),
                    fit=note_t.enum("fit", Fit),
                    reason=note_t.text("reason"),
                )
            )
            note_t.done()
        audience = Audience(
            summary=audience_t.text("summary", required=False),
            for_=audience_t.strings("for"),
            not_for=audience_t.strings("not_for"),
            notes=tuple(notes),
        )
        audience_t.done()
    characters = []
    for char_t in root.tables("characters"):
        characters.append(
            Character(
                name=char_t.text("name"),
                role=char_t.enum("role", Role),
                actor=char_t.text("actor", required=False),
                aliases=char_t.strings("aliases"),
                facts=tuple(_facts(char_t.tables("facts"))),
            )
        )
        char_t.done()
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
        premise=tuple(_facts(root.tables("premise"))),
        characters=tuple(characters),
        liked=tuple(_items(root.tables("liked"))),
        disliked=tuple(_items(root.tables("disliked"))),
        ending=ending,
        audience=audience,
        community_score=root.number("community_score", low=0, high=10, required=False),
        community_source=root.text("community_source", required=False),
        source=source,
    )
    root.done()
    return drama


def _facts(tables: list[_Fields]) -> Iterator[Fact]:
    for t in tables:
        yield Fact(text=t.text("text"), level=t.enum("level", SpoilerLevel))
        t.done()


def _items(tables: list[_Fields]) -> Iterator[Item]:
    for t in tables:
        yield Item(head=t.text("head"), text=t.text("text"), level=t.enum("level", SpoilerLevel))
        t.done()


@dataclass
class _Fields:
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

    def table(self, key: str, *, required: bool = True) -> _Fields | None:
        value = self._typed(key, dict, "a table", required)
        return None if value is None else _Fields(value, self.source, self._where(key))

    def tables(self, key: str) -> list[_Fields]:
        value = self._typed(key, list, "an array of tables ([[...]])", False) or []
        out = []
        for i, item in enumerate(value):
            where = f"{self._where(key)}[{i}]"
            if not isinstance(item, dict):
                raise CatalogError(self.source, where, f"expected a table, got {_type_name(item)}")
            out.append(_Fields(item, self.source, where))
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
