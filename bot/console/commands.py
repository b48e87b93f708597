"""Reading a console line: the slash command and its options, checked and converted the way
Discord's client does before it sends them, plus the usage lines."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from discord import AppCommandOptionType, app_commands

if TYPE_CHECKING:
    from bot.client import RamenBot

DEFAULT_MEMBER = "you"


class ConsoleUsageError(Exception):
    """A console line could not be understood; the message is a usage line."""


def split_meta(text: str) -> tuple[str, str, bool]:
    """Take the trailing `as:<member>` and `in:dm` off a line: (the rest, member name, in a DM).

    Raises ConsoleUsageError for an `in:` other than dm.
    """
    member, in_dm = DEFAULT_MEMBER, False
    while True:
        match = re.search(r"\s+(as|in):(\S+)\s*$", text)
        if not match:
            break
        key, value = match.groups()
        if key == "as":
            member = value
        elif value.lower() == "dm":
            in_dm = True
        else:
            raise ConsoleUsageError("in:dm is the only place besides the server")
        text = text[: match.start()]
    return text, member, in_dm


def parse_command(tree: app_commands.CommandTree, text: str) -> tuple[app_commands.Command, dict[str, str]]:
    """The command a line names and its raw option values (name → text), unconverted.

    Raises ConsoleUsageError for an unknown command or text that is not `name:value` options.
    """
    name, _, rest = text.removeprefix("/").partition(" ")
    command = tree.get_command(name.lower())
    if isinstance(command, app_commands.Group):  # "/watchnight start …": the subcommand is the next word
        sub, _, rest = rest.strip().partition(" ")
        found = command.get_command(sub.lower())
        if not isinstance(found, app_commands.Command):
            subs = " | ".join(c.name for c in command.commands)
            raise ConsoleUsageError(f"/{command.name} needs one of: {subs}")
        command = found
    if not isinstance(command, app_commands.Command):
        names = ", ".join(f"/{c.name}" for c in tree.get_commands())
        raise ConsoleUsageError(f"unknown command /{name}. Commands: {names}")
    params = {p.name: p for p in command.parameters}
    raw: dict[str, str] = {}
    if rest.strip():
        pattern = r"(?:^|\s)(" + "|".join(map(re.escape, params)) + r"):" if params else r"$^"
        parts = re.split(pattern, " " + rest)
        if parts[0].strip():
            raise ConsoleUsageError(f"{command_usage(command)}  (could not read {parts[0].strip()!r})")
        for key, value in zip(parts[1::2], parts[2::2], strict=True):
            raw[key] = unquote(value.strip())
    return command, raw


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        try:
            return shlex.split(value)[0]
        except ValueError:
            return value[1:-1]
    return value


Resolver = Callable[[AppCommandOptionType, str], Any]
"""Turns a typed member (`@alice`) or role (`@Mods`) option into the console's stand-in object."""
_REFERENCES = (AppCommandOptionType.user, AppCommandOptionType.role)


def convert_options(
    command: app_commands.Command, raw: dict[str, str], resolve: Resolver | None = None
) -> dict[str, Any]:
    """Check and convert typed option values the way Discord's client does before sending; member
    and role options go through `resolve` (Discord sends them resolved).

    Raises:
        ConsoleUsageError: a required option is missing, a value has the wrong type, is out of
            range, or is not one of the offered choices.
    """
    values: dict[str, Any] = {}
    for param in command.parameters:
        if param.name not in raw:
            if param.required:
                raise ConsoleUsageError(f"{command_usage(command)}  (missing {param.name})")
            continue
        text = raw[param.name]
        if param.type in _REFERENCES and resolve is not None:
            values[param.name] = resolve(param.type, text.removeprefix("@"))
            continue
        try:
            value = _typed(param.type, text)
        except ValueError:
            raise ConsoleUsageError(f"{command_usage(command)}  ({param.name} must be {_a(param.type.name)})") from None
        too_low = param.min_value is not None and value < param.min_value
        if too_low or (param.max_value is not None and value > param.max_value):
            raise ConsoleUsageError(f"{param.name} must be between {param.min_value} and {param.max_value}")
        if isinstance(value, str) and not value.strip() and param.required:
            raise ConsoleUsageError(f"{command_usage(command)}  ({param.name} is empty)")
        if param.choices:
            match = next(
                (c for c in param.choices if text.casefold() in (c.name.casefold(), str(c.value).casefold())), None
            )
            if match is None:
                options = ", ".join(str(c.value) for c in param.choices)
                raise ConsoleUsageError(f"{param.name} must be one of: {options}")
            value = match.value
        values[param.name] = value
    return values


def _typed(kind: AppCommandOptionType, text: str) -> Any:
    """`text` as an option of type `kind` (integer, number, boolean or text); ValueError if it is not one."""
    if kind is AppCommandOptionType.integer:
        return int(text)
    if kind is AppCommandOptionType.number:
        return float(text)
    if kind is AppCommandOptionType.boolean:
        if text.lower() not in ("true", "false", "yes", "no"):
            raise ValueError(text)
        return text.lower() in ("true", "yes")
    return text


def value_hint(parameter: app_commands.Parameter) -> str:
    """What an option takes, as typed: its choices ("ending|likes"), "true|false", a range
    ("1-10", from the option's min/max), else its name ("title")."""
    if parameter.choices:
        return "|".join(str(c.value) for c in parameter.choices)
    if parameter.type is AppCommandOptionType.boolean:
        return "true|false"
    if parameter.min_value is not None and parameter.max_value is not None:
        return f"{parameter.min_value:g}-{parameter.max_value:g}"
    return parameter.name


def command_usage(command: app_commands.Command) -> str:
    """ "/drama title:<title>  [name:<name>]" for a command."""
    parts = [f"/{command.qualified_name}"]
    for p in command.parameters:
        kind = value_hint(p)
        parts.append(f"{p.name}:<{kind}>" if p.required else f"[{p.name}:<{kind}>]")
    return " ".join(parts)


def usage(bot: RamenBot) -> str:
    lines = ["Commands (options as name:value; add as:<member> to act as someone else, in:dm for a DM):"]
    for command in bot.tree.walk_commands():
        if isinstance(command, app_commands.Command):
            lines.append(f"  {command_usage(command)}  {command.description}")
    lines += [
        "  :complete /drama title:rn          autocomplete choices for the last option",
        "  :select <msg #> <option>           pick from a message's menu",
        "  :click <msg #> <button label>      press a button",
        "  :react <msg #> <emoji> [as:name]   react (e.g. :react 3 8️⃣ as:alice); :unreact removes it",
        "  :vote <msg #> <answer #> [as:name] vote in a poll (e.g. :vote 4 2 as:bob); :endpoll <msg #> ends it",
        "  :give <member> <role>              give a console member a role (e.g. :give bob Mods)",
        "  :quit",
    ]
    return "\n".join(lines)
