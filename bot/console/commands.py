"""Reading a console line: the slash command and its options, checked and converted the way
Discord's client does before it sends them, plus the usage lines."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from discord import AppCommandOptionType, app_commands

if TYPE_CHECKING:
    from bot.client import RamenBot

DEFAULT_MEMBER = "console-user"  # the console's own member, owner of the console server (as:you too)


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


@dataclass(frozen=True)
class CommandLine:
    """A slash-command line read: the command, its raw option values (name → text, in the order
    typed), the member it runs as and whether it runs in a DM."""

    command: app_commands.Command
    raw: dict[str, str]
    member: str = DEFAULT_MEMBER
    in_dm: bool = False


# An option starts a word: `name:` (`title:Run On`). Inside a value, "Kingdom: Ashin" (a space after
# the colon) and "Real:Time:Love" (no space before the word) are text, not options.
_KEY = re.compile(r"(?:^|(?<=\s))([A-Za-z][\w-]*):")
_QUOTED = re.compile(r"(?<=:)(\"[^\"]*\"|'[^']*')")  # a quoted value: its colons are text
META = ("as", "in")


def parse_command(tree: app_commands.CommandTree, text: str) -> CommandLine:
    """The command a line names and its raw option values, in any order, as Discord takes them.

    Options are read by the command's own parameter names (plus the console's `as:` and `in:dm`);
    a lower-case `word:value` that is not one of them is an unknown option, while a colon inside a
    value ("Misaeng: Incomplete Life", "Real:Time:Love", or anything quoted) stays part of it.

    Raises ConsoleUsageError for an unknown command or option, an option given twice, or text
    that is not `name:value` options.
    """
    name, _, rest = text.strip().removeprefix("/").partition(" ")
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
    pairs = split_options(command, rest)
    member, in_dm = DEFAULT_MEMBER, False
    raw: dict[str, str] = {}
    for key, value in pairs:
        if key == "as":
            if not value or len(value.split()) != 1:
                raise ConsoleUsageError("as: takes one member name, e.g. as:alice")
            member = value.removeprefix("@")
        elif key == "in":
            if value.lower() != "dm":
                raise ConsoleUsageError("in:dm is the only place besides the server")
            in_dm = True
        else:
            raw[key] = value
    return CommandLine(command, raw, member, in_dm)


def split_options(command: app_commands.Command, rest: str) -> list[tuple[str, str]]:
    """`title:Run On as:bob` → [("title", "Run On"), ("as", "bob")] by `command`'s parameter names.

    Raises ConsoleUsageError for text before the first option, an unknown option or a repeated one.
    """
    names = {p.name.casefold(): p.name for p in command.parameters} | {m: m for m in META}
    masked = _QUOTED.sub(lambda m: "\0" * len(m.group()), rest)
    keys: list[tuple[str, int, int]] = []
    for match in _KEY.finditer(masked):
        word = match.group(1)
        if word.casefold() in names:
            keys.append((names[word.casefold()], match.start(), match.end()))
        elif word.islower() and masked[match.end() : match.end() + 1].strip():  # `extra:1`, not "Pick one: …"
            takes = ", ".join(p.name for p in command.parameters) or "none"
            raise ConsoleUsageError(
                f"/{command.qualified_name} has no option {word!r} (its options: {takes}; and as:, in:dm)"
            )
    if rest[: keys[0][1] if keys else len(rest)].strip():
        unread = rest[: keys[0][1] if keys else len(rest)].strip()
        raise ConsoleUsageError(f"{command_usage(command)}  (could not read {unread!r})")
    pairs: list[tuple[str, str]] = []
    for index, (key, _start, end) in enumerate(keys):
        stop = keys[index + 1][1] if index + 1 < len(keys) else len(rest)
        if any(key == seen for seen, _ in pairs):
            raise ConsoleUsageError(f"{key}: is given twice")
        pairs.append((key, unquote(rest[end:stop].strip())))
    return pairs


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def unquote(value: str) -> str:
    """A typed option value without its surrounding quotes. Raises ConsoleUsageError for a value that
    opens a double quote and never closes it (`title:"Run On`)."""
    if value.startswith('"') and (len(value) < 2 or not value.endswith('"')):
        raise ConsoleUsageError(f"the quote in {value!r} is never closed: close it or leave the quotes out")
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        try:
            return shlex.split(value)[0]
        except ValueError:
            return value[1:-1]
    return value


Resolver = Callable[[app_commands.Parameter, str], Any]
"""Turns a typed member (`@alice`), role (`@Mods`) or channel (`#movie-night`) option into the
console's object for it, as Discord sends them resolved; raises ConsoleUsageError when none fits."""
_RESOLVED = (AppCommandOptionType.user, AppCommandOptionType.role, AppCommandOptionType.channel)
_RESOLVED += (AppCommandOptionType.mentionable,)


def convert_options(
    command: app_commands.Command, raw: dict[str, str], resolve: Resolver | None = None
) -> dict[str, Any]:
    """Check and convert typed option values the way Discord's client does before sending: from the
    app command's own parameters (type, min/max value, or min/max length for text, choices).
    Member, role and channel options go through `resolve` (Discord sends them resolved).

    Raises:
        ConsoleUsageError: a required option is missing, a value has the wrong type, is out of
            range or too long or short, is not one of the offered choices, or names no member,
            role or channel `resolve` knows.
    """
    values: dict[str, Any] = {}
    for param in command.parameters:
        if param.name not in raw:
            if param.required:
                raise ConsoleUsageError(f"{command_usage(command)}  (missing {param.name})")
            continue
        values[param.name] = _convert(command, param, raw[param.name], resolve)
    return values


def _convert(command: app_commands.Command, param: app_commands.Parameter, text: str, resolve: Resolver | None) -> Any:
    if param.type in _RESOLVED and resolve is not None:
        return resolve(param, text)
    try:
        value = _typed(param.type, text)
    except ValueError:
        raise ConsoleUsageError(f"{command_usage(command)}  ({param.name} must be {_a(param.type.name)})") from None
    if isinstance(value, str):
        if not value.strip() and param.required:
            raise ConsoleUsageError(f"{command_usage(command)}  ({param.name} is empty)")
        low, high = param.min_value, param.max_value  # for a text option: its length in characters
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            raise ConsoleUsageError(f"{param.name} takes {_text_hint(param)} (this one has {len(value)})")
    elif (param.min_value is not None and value < param.min_value) or (
        param.max_value is not None and value > param.max_value
    ):
        raise ConsoleUsageError(f"{param.name} must be between {param.min_value:g} and {param.max_value:g}")
    if param.choices:
        match = next(
            (c for c in param.choices if text.casefold() in (c.name.casefold(), str(c.value).casefold())), None
        )
        if match is None:
            options = ", ".join(str(c.value) for c in param.choices)
            raise ConsoleUsageError(f"{param.name} must be one of: {options}")
        value = match.value
    return value


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


def _text_hint(parameter: app_commands.Parameter) -> str:
    """A text option's length bounds in words: "text, up to 300 characters", "text, 2-50 characters"."""
    low, high = parameter.min_value, parameter.max_value
    if high is None:
        return f"text, at least {low:g} characters"
    if low is None or low <= 1:
        return f"text, up to {high:g} characters"
    return f"text, {low:g}-{high:g} characters"


def value_hint(parameter: app_commands.Parameter) -> str:
    """What an option takes, as typed: its choices ("ending|likes"), "true|false", a range
    ("1-10", from a number option's min/max), a text's length ("text, up to 300 characters"),
    a channel ("voice channel"), else its name ("title")."""
    if parameter.choices:
        return "|".join(str(c.value) for c in parameter.choices)
    if parameter.type is AppCommandOptionType.boolean:
        return "true|false"
    if parameter.type is AppCommandOptionType.channel:
        return (
            " or ".join(t.name for t in parameter.channel_types) + " channel" if parameter.channel_types else "channel"
        )
    if parameter.type is AppCommandOptionType.string:
        if parameter.min_value is not None or parameter.max_value is not None:
            return _text_hint(parameter)
        return parameter.name
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
