"""Which tags give the plot away: rules by family plus a list, from `data/spoiler-tags.toml`.

A tag is a spoiler when
    * it matches one of the list's `patterns` (case-insensitive fnmatch, `*` a wildcard), or
    * after `normalize()` ("Long-lost Father" → "long lost father") one of its words is in a
      family's `words`, or it contains one of the family's `phrases` as whole words,
and it is not one of the `safe` tags (premise words a rule would otherwise catch, e.g. "Death Game").

Families group what a tag reveals (death, illness, betrayal, hidden identity, family secrets,
endings and twists), so a new community tag of a known kind ("Death Of A Cousin", "Lung Cancer")
is hidden without anyone listing it. `SpoilerTags.apply` moves a drama's spoiler tags out of
`Drama.tags`, so nothing that reads `tags` (filters, reasons, autocomplete, verdicts) can show one.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from bot.catalog.model import CatalogError, Drama, normalize
from bot.catalog.toml_entries import Fields

LISTED = "listed"
"""`SpoilerTags.family` for a tag caught by the list of patterns rather than by a family's rule."""


@dataclass(frozen=True, slots=True)
class Family:
    """One kind of plot reveal: its name, single words and whole-word phrases (all folded)."""

    name: str
    words: frozenset[str] = frozenset()
    phrases: tuple[str, ...] = ()

    def matches(self, folded: str) -> bool:
        """Whether the folded tag `folded` has one of the words or contains one of the phrases."""
        if self.words.intersection(folded.split()):
            return True
        padded = f" {folded} "
        return any(f" {p} " in padded for p in self.phrases)


class SpoilerTags:
    """The spoiler-tag rules: `patterns` (fnmatch list), `families` (word rules), `safe` exceptions."""

    def __init__(self, patterns: Iterable[str] = (), families: Iterable[Family] = (), safe: Iterable[str] = ()) -> None:
        self.patterns = tuple(p.casefold() for p in patterns)
        self.families = tuple(families)
        self.safe = frozenset(normalize(s) for s in safe)
        # One compiled regex for all patterns: start-up checks every tag of every drama.
        self._regex = re.compile("|".join(fnmatch.translate(p) for p in self.patterns)) if self.patterns else None
        self._cache: dict[str, str | None] = {}

    @classmethod
    def load(cls, path: Path) -> SpoilerTags:
        """Read `patterns`, `safe` and `[[family]]` tables from `path`.

        Raises CatalogError naming the file and field when it is unreadable or malformed.
        """
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except OSError as exc:
            raise CatalogError(str(path), "", f"cannot read the spoiler tag rules: {exc.strerror or exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(str(path), "", f"not valid TOML: {exc}") from exc
        fields = Fields(data, str(path), "")
        patterns, safe = fields.strings("patterns"), fields.strings("safe")
        families = []
        for table in fields.tables("family"):
            name = table.text("name")
            words = frozenset(normalize(w) for w in table.strings("words"))
            phrases = tuple(normalize(p) for p in table.strings("phrases"))
            table.done()
            families.append(Family(name, words, phrases))
        fields.done()
        return cls(patterns, families, safe)

    def family(self, tag: str) -> str | None:
        """The family that makes `tag` a spoiler (`LISTED` for the pattern list), or None when it is safe."""
        if tag in self._cache:
            return self._cache[tag]
        folded = normalize(tag)
        found: str | None = None
        if folded not in self.safe:
            if self._regex is not None and self._regex.match(tag.casefold()) is not None:
                found = LISTED
            else:
                found = next((f.name for f in self.families if f.matches(folded)), None)
        self._cache[tag] = found
        return found

    def is_spoiler(self, tag: str) -> bool:
        """Whether `tag` gives the plot away (see the module docstring)."""
        return self.family(tag) is not None

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
