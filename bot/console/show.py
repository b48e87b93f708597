"""Rendering a reply as text, as Discord would show it: content, embeds and their fields, which
parts are spoilers (`⟦spoiler: …⟧`), ephemeral or not, menus, buttons and reactions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import discord

from bot.ui import limits

if TYPE_CHECKING:
    from bot.console.stand_ins import ConsoleMessage

_SPOILER = re.compile(r"\|\|(.+?)(?<!\\)\|\|", re.S)
_UNESCAPE = re.compile(r"\\([\\*_`~|>#\-\[\]])")


def base_item(item: discord.ui.Item) -> discord.ui.Item:
    """The Select or Button a dynamic item wraps (or the item itself)."""
    return item.item if isinstance(item, discord.ui.DynamicItem) else item


def show_markup(text: str, mentions: Callable[[str], str] | None = None) -> str:
    """Show Discord markup as text: spoilers as ⟦spoiler: …⟧, escapes removed, and (with `mentions`,
    where Discord renders them: content, embed descriptions, field values) `<@id>` as @name."""
    text = mentions(text) if mentions is not None else text
    return _UNESCAPE.sub(r"\1", _SPOILER.sub(lambda m: f"⟦spoiler: {m.group(1)}⟧", text))


def render_message(message: ConsoleMessage, header: str) -> str:
    """A message as the console prints it: header, content, embeds with fields, components, reactions."""
    flags = " [ephemeral]" if message.ephemeral else ""
    lines = [f"── #{message.number} · {header}{flags} " + "─" * 10]
    mentions = message.session.server.show_mentions
    if message.content:
        lines += [f"  {line}" for line in show_markup(message.content, mentions).splitlines()]
    for embed in message.embeds:
        lines += embed_lines(embed, mentions)
    if message.poll is not None:
        lines += message.poll.lines(message.number)
    if message.content and len(message.content) > limits.CONTENT:
        lines.append(f"  !! content is {len(message.content)} characters; Discord allows {limits.CONTENT}")
    if message.view is not None:
        for child in message.view.children:
            item = base_item(child)
            state = " (disabled)" if getattr(item, "disabled", False) else ""
            if isinstance(item, discord.ui.Select):
                labels = " | ".join(o.label for o in item.options)
                hint = f":select {message.number} <option>"
                lines.append(f"  [menu{state}] {item.placeholder or ''}: {labels}   → {hint}")
            elif isinstance(item, discord.ui.Button):
                lines.append(f"  [button{state}] {item.label}   → :click {message.number} {item.label}")
    if message.reactions:
        lines.append("  reactions: " + "  ".join(f"{e} {len(u)}" for e, u in message.reactions.items()))
    return "\n".join(lines)


def embed_lines(embed: discord.Embed, mentions: Callable[[str], str] | None = None) -> list[str]:
    """One embed as the console prints it: title, description, fields, footer, limit problems.
    Mentions render (through `mentions`) in the description and field values only, as in Discord."""
    lines = [f"  ┃ {embed.title or ''}".rstrip()]
    if embed.description:
        lines += [f"  ┃ {line}" for line in show_markup(embed.description, mentions).splitlines()]
    for f in embed.fields:
        value = show_markup(f.value or "", mentions).splitlines() or [""]
        lines.append(f"  ┃ ▸ {f.name}: {value[0]}")
        lines += [f"  ┃     {line}" for line in value[1:]]
    if embed.footer and embed.footer.text:
        lines.append(f"  ┃ ({embed.footer.text})")
    return lines + [f"  !! {p}" for p in embed_problems(embed)]


def embed_problems(embed: discord.Embed) -> list[str]:
    """Discord limits this embed breaks (empty when it is fine)."""
    out = []
    checks = [
        ("title", len(embed.title or ""), limits.EMBED_TITLE),
        ("description", len(embed.description or ""), limits.EMBED_DESCRIPTION),
        ("fields", len(embed.fields), limits.EMBED_FIELDS),
        ("total", len(embed), limits.EMBED_TOTAL),
    ]
    checks += [(f"field {f.name!r} value", len(f.value or ""), limits.FIELD_VALUE) for f in embed.fields]
    for what, size, limit in checks:
        if size > limit:
            out.append(f"embed {what} is {size}; Discord allows {limit}")
    return out
