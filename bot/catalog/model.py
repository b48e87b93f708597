"""The catalog's data: frozen dataclasses for a drama and its facts, and `normalize()` for lookup.

Each piece of story text carries a spoiler level; the ending is always a spoiler and is typed so
(`EndingFact`). Loading lives in `toml_entries` and `csv_rows`, lookup in `index`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

MAX_ID_LENGTH = 80  # ids travel in autocomplete values and custom_ids ("ramen:characters:<id>"), ≤ 100


class SpoilerLevel(StrEnum):
    """How much a fact gives away: `safe` for any reply, `spoiler` only inside `||…||`."""

    SAFE = "safe"
    SPOILER = "spoiler"


class Role(StrEnum):
    """A character's place in the cast."""

    LEAD = "lead"
    SUPPORTING = "supporting"

    @property
    def label(self) -> str:
        """How the role reads on a card or in a menu: "Lead", "Supporting"."""
        return self.value.capitalize()


class Fit(StrEnum):
    """How well a show suits a viewer looking for something (`/shouldiwatch looking_for:`)."""

    YES = "yes"
    MAYBE = "maybe"
    NO = "no"
    UNKNOWN = "unknown"  # the catalog holds no evidence either way: "can't tell yet"


class CatalogError(Exception):
    """A catalog file breaks a rule. `str()` reads `<file>: <field>: <problem>`."""

    def __init__(self, source: str, field_path: str, problem: str) -> None:
        self.source, self.field_path, self.problem = source, field_path, problem
        where = f"{source}: {field_path}" if field_path else source
        super().__init__(f"{where}: {problem}")


class Leveled:
    """Story text under a spoiler `level`: `is_spoiler` says whether it may only go inside `||…||`."""

    __slots__ = ()
    level: SpoilerLevel

    @property
    def is_spoiler(self) -> bool:
        return self.level is SpoilerLevel.SPOILER


@dataclass(frozen=True, slots=True)
class Fact(Leveled):
    """One sentence of story text with its spoiler level."""

    text: str
    level: SpoilerLevel = SpoilerLevel.SAFE


@dataclass(frozen=True, slots=True)
class EndingFact:
    """One sentence about the ending: a spoiler by type, it has no level to get wrong."""

    text: str

    @property
    def is_spoiler(self) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class Item(Leveled):
    """Something the reviewer liked or disliked: a head line and the text, under one spoiler level.

    The head is part of the fact: for a spoiler item neither may appear outside spoiler tags.
    """

    head: str
    text: str
    level: SpoilerLevel


@dataclass(frozen=True, slots=True)
class Character:
    """A character card: name (safe), actor (None when the source does not say), role, facts."""

    name: str
    role: Role
    actor: str | None = None
    aliases: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()

    @property
    def is_spoiler_only(self) -> bool:
        """Whether every fact about this character is a spoiler: then even the name stays in spoiler tags."""
        return bool(self.facts) and all(f.is_spoiler for f in self.facts)

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
        """Whether text still holds the importer's "TODO" placeholders (`bot.catalog.drafts.draft_fields`)."""
        from bot.catalog.drafts import draft_fields  # drafts builds on this module

        return bool(draft_fields(self))

    @property
    def visible_characters(self) -> tuple[Character, ...]:
        """The characters that may be named outside spoiler tags (not `is_spoiler_only`), in file order."""
        return tuple(c for c in self.characters if not c.is_spoiler_only)

    @property
    def hidden_characters(self) -> int:
        """How many characters exist only in spoilers (named nowhere outside spoiler tags)."""
        return len(self.characters) - len(self.visible_characters)

    def character_key(self, character: Character) -> str:
        """A short stable id for `character` within this drama (slug of the name, ≤ 40 characters, then
        "-2", "-3"… if two names slug alike). Autocomplete values and menu options carry it, so a
        name longer than Discord's 100-character limit still opens its card."""
        return self._character_keys()[self.characters.index(character)]

    def _character_keys(self) -> list[str]:
        keys: list[str] = []
        for character in self.characters:
            base = re.sub(r"[^a-z0-9]+", "-", normalize(character.name)).strip("-")[:40] or "character"
            key, n = base, 1
            while key in keys:
                n += 1
                key = f"{base}-{n}"
            keys.append(key)
        return keys

    def similar_characters(self, name: str, limit: int = 3) -> list[str]:
        """Visible character names closest to `name` (rapidfuzz, aliases included), best first, for
        "did you mean". A spoiler-only character is never suggested."""
        names = {normalize(n): c.name for c in self.visible_characters for n in (c.name, *c.aliases)}
        hits = process.extract(normalize(name), list(names), scorer=fuzz.WRatio, limit=limit * 2, score_cutoff=60)
        return list(dict.fromkeys(names[key] for key, _, _ in hits))[:limit]

    def character(self, name: str) -> Character | None:
        """The visible character whose key (`character_key`), name or alias equals `name` (case- and
        accent-insensitive), or None. A spoiler-only character is not found by name: its card would
        name it outside spoiler tags."""
        keys = dict(zip(self._character_keys(), self.characters, strict=True))
        if name in keys and not keys[name].is_spoiler_only:
            return keys[name]
        key = normalize(name)
        for character in self.visible_characters:
            if key in {normalize(n) for n in (character.name, *character.aliases)}:
                return character
        return None


def normalize(text: str) -> str:
    """Fold `text` for lookup: accents removed, case folded, punctuation to spaces, spaces collapsed.

    "Run-On", "run on" and "RÚN ON" all give "run on".
    """
    if text.isascii():  # nothing to decompose or strip (most titles: the catalog folds ~10^5 names)
        stripped = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", stripped.casefold()).split())
