"""The one spoiler formatter: every piece of catalog or user text reaches Discord through here.

Discord renders `||spoiler||` markup in message content, embed descriptions and field values
only. Callers put the output of `spoiler()` in those places and nowhere else; titles, field
names, footers and author lines get `plain()`.
"""

from __future__ import annotations

import re
from typing import Protocol

from discord.utils import escape_markdown

ELLIPSIS = "…"
_MENTION_LIKE = re.compile(r"<(?=[@#/:]|[at]:)")
SPOILER_MARK = "||"
# Explicit bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): member text
# could use an unterminated U+202E to reverse the bot's own words after it on the line.
# Right-to-left scripts need none of them (the bidi algorithm orders their letters), so drop them.
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


class Markup(str):
    """Text that is safe to put where Discord renders markdown (descriptions, field values, content).

    Only this module makes it: `plain()` escapes, `spoiler()` escapes then wraps, `md()` marks a
    project-written literal such as "**Aired:** ". Joining Markup with `+` or `concat()` keeps
    the type; joining it with a bare `str` gives a bare `str`, which the embed builder refuses.
    """

    __slots__ = ()

    def __add__(self, other: str) -> str:
        joined = str.__add__(self, other)
        return Markup(joined) if isinstance(other, Markup) else joined


def md(literal: str) -> Markup:
    """Mark a markdown literal written in the project's code (never catalog or user text)."""
    return Markup(literal)


def concat(*parts: Markup, sep: str = "") -> Markup:
    """Join Markup parts (with a literal separator); raises TypeError on an unescaped `str`."""
    for part in parts:
        if not isinstance(part, Markup):
            raise TypeError(f"unescaped text reached markup: {part!r}")
    return Markup(sep.join(parts))


class HasLevel(Protocol):
    """Anything with story text and a spoiler level (`bot.catalog.Fact`, `Item`, `EndingFact`)."""

    @property
    def text(self) -> str: ...

    @property
    def is_spoiler(self) -> bool: ...


def plain(text: str, limit: int | None = None) -> Markup:
    """Escape markdown (so `||`, `*`, `_`, `` ` ``, `>` show literally) and cut to `limit` characters.

    Args:
        text: catalog or user text.
        limit: maximum length of the result in characters (None: no limit).
    Returns:
        Escaped text, ending in "…" when it had to be cut; never a dangling escape backslash.
    """
    return _fit(text, limit, wrap="")


def spoiler(text: str, limit: int | None = None) -> Markup:
    """Escape `text` and wrap it in Discord spoiler tags: `||escaped||`, at most `limit` characters.

    Escaping first means text that itself holds `||` cannot close the spoiler early.
    Cutting happens on the raw text before escaping, so the closing `||` is always intact.
    """
    return _fit(text, limit, wrap=SPOILER_MARK)


def fact_markup(fact: HasLevel, limit: int | None = None, *, force_spoiler: bool = False) -> Markup:
    """Markup for one fact: spoiler facts (or all, with `force_spoiler`) go in tags, safe ones plain."""
    if fact.is_spoiler or force_spoiler:
        return spoiler(fact.text, limit)
    return plain(fact.text, limit)


def _fit(text: str, limit: int | None, *, wrap: str) -> Markup:
    return Markup(_fit_str(text, limit, wrap=wrap))


def _fit_str(text: str, limit: int | None, *, wrap: str) -> str:
    text = " ".join(text.translate(_BIDI_CONTROLS).split())
    out = f"{wrap}{_escape(text)}{wrap}"
    if limit is None or len(out) <= limit:
        return out
    budget = limit - 2 * len(wrap) - len(ELLIPSIS)
    if budget <= 0:
        return (wrap + ELLIPSIS + wrap)[:limit] if limit > 0 else ""
    # Shrink the raw text until its escaped form fits: escaping can only lengthen text.
    cut = min(len(text), budget)
    while cut > 0:
        body = _escape(text[:cut].rstrip())
        if len(body) <= budget:
            return f"{wrap}{body}{ELLIPSIS}{wrap}"
        cut -= max(1, (len(body) - budget + 1) // 2)
    return f"{wrap}{ELLIPSIS}{wrap}"


def _escape(text: str) -> str:
    # escape_markdown escapes backslashes too, so a trailing "\\" cannot escape the closing "||".
    # ignore_links=False: a URL holding "||" must not close a spoiler early either.
    # Mention-like markup (<@id>, <#id>, <t:0:R>, </cmd:id>, <:emoji:id>) is shown as typed, not as a
    # pill: AllowedMentions already stops pings, this stops one member showing as another.
    return _MENTION_LIKE.sub(r"\\<", escape_markdown(text, ignore_links=False))
