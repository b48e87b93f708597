"""/help: every slash command with one example, built from the command tree so it never goes stale.

Each command (and each subcommand of a group) gets one line: an example invocation made from its
own parameters (required ones, or the first optional one when none is required) and its
description. Commands are grouped by cog, one embed field per cog; commands that work only in
servers are marked when /help is asked outside one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import discord
from discord import AppCommandOptionType, app_commands

from bot.ui.embeds import EmbedDraft
from bot.ui.markup import Markup, concat, md, plain

SAMPLE_VALUES = {
    "title": "Run On",
    "like": "Run On",
    "name": "Oh Mi Joo",
    "genre": "Romance",
    "tag": "slow-burn romance",
    "platform": "Netflix",
    "member": "@alice",
    "role": "@Moderator",
    "episode": "3",
}
"""Example values by option name; other options get their first choice, their minimum or a placeholder."""
SERVER_MARK = " · in servers with Ramen only"
OTHER = "More"


def walk(commands: Iterable[app_commands.Command | app_commands.Group]) -> Iterator[app_commands.Command]:
    """Every runnable slash command under `commands`, subcommands of groups included, in tree order."""
    for command in commands:
        if isinstance(command, app_commands.Group):
            yield from walk(command.commands)
        elif isinstance(command, app_commands.Command):
            yield command


def sample(parameter: app_commands.Parameter) -> str:
    """An example value for one option: its first choice, a known sample, its minimum, or "…"."""
    if parameter.choices:
        return str(parameter.choices[0].name)
    if parameter.name in SAMPLE_VALUES:
        return SAMPLE_VALUES[parameter.name]
    if parameter.type is AppCommandOptionType.boolean:
        return "true"
    if parameter.type in (AppCommandOptionType.integer, AppCommandOptionType.number):
        return str(int(parameter.min_value or 1) if parameter.min_value is not None else 1)
    return "…"


def example(command: app_commands.Command) -> str:
    """One example invocation of `command`, e.g. "/watchlist add title:Run On"."""
    parameters = [p for p in command.parameters if p.required] or command.parameters[:1]
    return " ".join([f"/{command.qualified_name}", *(f"{p.name}:{sample(p)}" for p in parameters)])


def servers_only(command: app_commands.Command) -> bool:
    """Whether `command` (or its group) is limited to servers."""
    node: app_commands.Command | app_commands.Group | None = command
    while node is not None:
        contexts = node.allowed_contexts
        if node.guild_only or (contexts is not None and not (contexts.dm_channel or contexts.private_channel)):
            return True
        node = node.parent
    return False


def help_embed(tree: app_commands.CommandTree, *, in_server: bool) -> discord.Embed:
    """The /help overview: one field per cog, one line per command (example — description)."""
    draft = EmbedDraft("Ramen: every command")
    draft.describe(md("Type `/` and a command's name; options autocomplete. One example each:"))
    sections: dict[str, list[Markup]] = {}
    for command in walk(tree.get_commands()):
        cog = command.binding
        section = re.split(r"[:,.\n]", getattr(cog, "description", "") or OTHER)[0] if cog else OTHER
        mark = SERVER_MARK if not in_server and servers_only(command) else ""
        line = concat(
            md("**"), plain(example(command), 200), md("** — "), plain(command.description + mark, 200), sep=""
        )
        sections.setdefault(section, []).append(line)
    for section, lines in sections.items():
        draft.add_field(section, lines)
    draft.footer = "Nothing Ramen sends pings anyone · spoilers stay behind black bars"
    return draft.build()
