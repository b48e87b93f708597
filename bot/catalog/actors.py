"""One spelling per actor: `data/actors.toml` maps the K-drama CSV's spelling (canonical) to the other
spellings members type (alternate romanizations, stage or legal names).

The file is one line per actor, `"CSV Spelling" = ["alias", …]`. Title autocomplete offers an
actor's shows for the canonical name and every alias ("Gong Yu" finds Goblin, labelled with Gong
Yoo); catalog entries write the canonical spelling (the catalog tests check it).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

from bot.catalog.model import CatalogError, Drama, normalize
from bot.config import DEFAULT_CATALOG_DIR


class ActorNames:
    """Canonical actor spellings and their aliases, looked up case-, accent- and punctuation-insensitively."""

    def __init__(self, table: Mapping[str, Iterable[str]] | None = None, source: str = "actors") -> None:
        self.aliases: dict[str, tuple[str, ...]] = {}
        self._canonical: dict[str, str] = {}  # folded spelling -> canonical spelling
        for name, aliases in (table or {}).items():
            self.aliases[name] = tuple(aliases)
            self._canonical[normalize(name)] = name
        for name, aliases in self.aliases.items():
            for i, alias in enumerate(aliases):
                key, where = normalize(alias), f"{name}[{i}]"
                owner = self._canonical.get(key)
                if owner == name:
                    raise CatalogError(source, where, f"alias {alias!r} is the actor's own name (or repeated)")
                if owner is not None:
                    kind = "canonical name" if normalize(owner) == key else "alias"
                    raise CatalogError(source, where, f"alias {alias!r} is already the {kind} of {owner!r}")
                self._canonical[key] = name

    def canonical(self, name: str) -> str:
        """The canonical (CSV) spelling of `name`, or `name` itself when the file does not list it."""
        return self._canonical.get(normalize(name), name)

    def spellings(self, name: str) -> tuple[str, ...]:
        """The canonical spelling of `name`, then its aliases: every name members may type for them."""
        canonical = self.canonical(name)
        return (canonical, *self.aliases.get(canonical, ()))

    def is_alias(self, name: str) -> bool:
        """Whether `name` is a listed non-canonical spelling (entries should write the canonical one)."""
        return self.canonical(name) != name and normalize(self.canonical(name)) != normalize(name)


def actors_of(drama: Drama) -> tuple[str, ...]:
    """Everyone `drama` names as acting in it: starring, the cast list, then character cards' actors."""
    named = (*drama.starring, *drama.cast, *(c.actor for c in drama.characters if c.actor))
    return tuple(dict.fromkeys(n for n in named if n))


def load_actors(path: Path) -> ActorNames:
    """Read `path` (`"CSV Spelling" = ["alias", …]`) into `ActorNames`.

    Raises:
        CatalogError naming the file and the actor: unreadable or invalid TOML, a value that is not
        a list of non-empty strings, an alias that is another actor's canonical name or alias, or
        that repeats the actor's own name.
    """
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise CatalogError(str(path), "", f"cannot read the actor spellings: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(str(path), "", f"not valid TOML: {exc}") from exc
    for name, aliases in data.items():
        if not name.strip():
            raise CatalogError(str(path), repr(name), "an actor's name must not be empty")
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise CatalogError(str(path), name, f"expected a list of non-empty strings, got {aliases!r}")
    return ActorNames(data, str(path))


def default_actors_path() -> Path:
    """The bundled actor spellings, `data/actors.toml`."""
    return DEFAULT_CATALOG_DIR.parent / "actors.toml"
