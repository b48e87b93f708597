"""The offline console: type slash commands, see the replies as Discord would show them.

It runs the real cogs on the real catalog and a local SQLite file, calling the same app command
callbacks the bot uses through a small local interaction (`ConsoleInteraction`). Syntax:

    /drama title:Run On                      a slash command; options as name:value
    /rate title:Run On as:alice              act as another member (default: you)
    /ratings in:dm                           run it in a direct message instead of the server
    :complete /drama title:rn                what autocomplete offers for the last option
    :select 2 Oh Mi Joo                      pick an option in message #2's menu
    :click 4 Next                            press a button on message #4
    :react 3 8️⃣ as:alice / :unreact 3 8️⃣ as:alice   react to message #3 (or its full id)
    :help, :quit
"""

from __future__ import annotations

import asyncio
import re
import shlex
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

import discord
from discord import AppCommandOptionType, app_commands

from bot import limits
from bot.client import RamenBot
from bot.errors import handle_app_command_error

GUILD_ID = 900_000_000_000_000_001
GUILD_NAME = "Console Server"
CHANNEL_ID = 900_000_000_000_000_002
BOT_USER_ID = 900_000_000_000_000_003
DEFAULT_MEMBER = "you"
SNOWFLAKE_MIN = 1 << 22  # smaller numbers are message numbers (#3), not Discord message ids
_SPOILER = re.compile(r"\|\|(.+?)(?<!\\)\|\|", re.S)
_UNESCAPE = re.compile(r"\\([\\*_`~|>#\-\[\]])")


class ConsoleUsageError(Exception):
    """A console line could not be understood; the message is a usage line."""


def member_id(name: str) -> int:
    """A stable snowflake-sized id for a console member name (same name, same id, across restarts)."""
    return 800_000_000_000_000_000 + zlib.crc32(name.casefold().encode())


@dataclass
class ConsoleUser:
    """A member as the console plays them."""

    name: str
    id: int
    bot: bool = False

    @property
    def display_name(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


@dataclass
class ConsoleGuild:
    id: int = GUILD_ID
    name: str = GUILD_NAME


@dataclass
class ConsoleMessage:
    """A message the console printed: content, embeds, view and reactions (emoji -> user ids)."""

    session: ConsoleSession
    number: int
    id: int
    channel_id: int
    guild_id: int | None
    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None
    ephemeral: bool = False
    reactions: dict[str, list[int]] = field(default_factory=dict)

    async def add_reaction(self, emoji: str | discord.PartialEmoji) -> None:
        await self.session.react(self, str(emoji), self.session.bot_user)

    async def remove_reaction(self, emoji: str | discord.PartialEmoji, member: discord.abc.Snowflake) -> None:
        if member.id in self.reactions.get(str(emoji), []):
            self.session.write(f"  (Ramen removes the superseded {emoji} reaction from message #{self.number})")
            # Discord sends a reaction-remove event for it, as for any removal.
            await self.session.unreact(self, str(emoji), self.session.member_by_id(member.id))

    async def edit(self, **changes: Any) -> ConsoleMessage:
        self.session.apply_edit(self, changes)
        return self


class ConsoleChannel:
    """The one text channel of the console server (or a DM channel)."""

    def __init__(self, session: ConsoleSession, channel_id: int, guild: ConsoleGuild | None) -> None:
        self.session, self.id, self.guild = session, channel_id, guild
        self.name = "general" if guild else "direct-message"

    def get_partial_message(self, message_id: int) -> ConsoleMessage:
        message = self.session.message_by_id(message_id)
        if message is None:
            raise ConsoleUsageError(f"no message {message_id} in this console session")
        return message

    async def fetch_message(self, message_id: int) -> ConsoleMessage:
        message = self.session.message_by_id(message_id)
        if message is None:
            raise discord.NotFound(_FakeResponse(404), "Unknown Message")
        return message

    async def send(self, content: str | None = None, **kwargs: Any) -> ConsoleMessage:
        return self.session.post(
            content=content, header="Ramen posted", guild_id=self.guild and self.guild.id, **kwargs
        )


class _FakeResponse:
    """Just enough of an aiohttp response for discord.HTTPException's constructor."""

    def __init__(self, status: int) -> None:
        self.status, self.reason = status, "console"


class ConsoleResponse:
    """`interaction.response` for the console: one acknowledgement, like Discord allows."""

    def __init__(self, interaction: ConsoleInteraction) -> None:
        self._interaction = interaction
        self._done = False
        self.deferred_ephemeral = False
        self.choices: list[app_commands.Choice[Any]] = []

    def is_done(self) -> bool:
        return self._done

    def _ack(self) -> None:
        if self._done:
            raise discord.InteractionResponded(self._interaction)  # type: ignore[arg-type]
        self._done = True

    async def send_message(self, content: str | None = None, *, ephemeral: bool = False, **kwargs: Any) -> None:
        self._ack()
        message = self._interaction.session.post(
            content=content,
            ephemeral=ephemeral,
            header=self._interaction.reply_header(ephemeral),
            guild_id=self._interaction.guild_id,
            **kwargs,
        )
        self._interaction.original = message

    async def autocomplete(self, choices: list[app_commands.Choice[Any]]) -> None:
        self._ack()
        self.choices = list(choices)

    async def defer(self, *, ephemeral: bool = False, thinking: bool = False) -> None:
        self._ack()
        self.deferred_ephemeral = ephemeral

    async def edit_message(self, **changes: Any) -> None:
        self._ack()
        if self._interaction.message is not None:
            self._interaction.session.apply_edit(self._interaction.message, changes)


class ConsoleFollowup:
    def __init__(self, interaction: ConsoleInteraction) -> None:
        self._interaction = interaction

    async def send(self, content: str | None = None, *, ephemeral: bool = False, **kwargs: Any) -> ConsoleMessage:
        inter = self._interaction
        if not inter.response.is_done():
            raise discord.NotFound(_FakeResponse(404), "Unknown Webhook: follow-up before the response")
        ephemeral = ephemeral or (inter.original is None and inter.response.deferred_ephemeral)
        message = inter.session.post(
            content=content,
            ephemeral=ephemeral,
            header=inter.reply_header(ephemeral),
            guild_id=inter.guild_id,
            **kwargs,
        )
        if inter.original is None:
            inter.original = message
        return message


class ConsoleInteraction:
    """A local stand-in for `discord.Interaction`: the attributes the cogs read, nothing more."""

    def __init__(
        self,
        session: ConsoleSession,
        user: ConsoleUser,
        *,
        in_dm: bool = False,
        command: app_commands.Command | None = None,
        namespace: dict[str, Any] | None = None,
        message: ConsoleMessage | None = None,
    ) -> None:
        self.session = session
        self.client = session.bot
        self.id = discord.utils.time_snowflake(discord.utils.utcnow()) + session.next_serial()
        self.user = user
        self.guild = None if in_dm else session.guild
        self.guild_id = None if in_dm else session.guild.id
        self.channel = session.dm_channel if in_dm else session.channel
        self.channel_id = self.channel.id
        self.command = command
        self.namespace = app_commands.Namespace.__new__(app_commands.Namespace)
        self.namespace.__dict__.update(namespace or {})
        self.message = message
        self.created_at = discord.utils.utcnow()
        self.locale = discord.Locale.british_english
        self.response = ConsoleResponse(self)
        self.followup = ConsoleFollowup(self)
        self.original: ConsoleMessage | None = None

    def reply_header(self, ephemeral: bool) -> str:
        who = self.user.name
        return f"Ramen replied to {who} (only {who} can see this)" if ephemeral else f"Ramen replied to {who}"

    async def original_response(self) -> ConsoleMessage:
        if self.original is None:
            raise discord.NotFound(_FakeResponse(404), "Unknown Message")
        return self.original

    async def edit_original_response(self, **changes: Any) -> ConsoleMessage:
        message = await self.original_response()
        self.session.apply_edit(message, changes)
        return message


class ConsoleBot(RamenBot):
    """The real bot with the console as its only channel: nothing goes over the network."""

    session: ConsoleSession

    def get_partial_messageable(self, id: int, **kwargs: Any) -> Any:
        return self.session.dm_channel if id == self.session.dm_channel.id else self.session.channel


class ConsoleSession:
    """Reads console lines, runs them through the real cogs, and writes replies to `out`."""

    def __init__(self, bot: ConsoleBot, out: TextIO = sys.stdout) -> None:
        self.bot = bot
        bot.session = self
        self.out = out
        self.guild = ConsoleGuild()
        self.channel = ConsoleChannel(self, CHANNEL_ID, self.guild)
        self.dm_channel = ConsoleChannel(self, CHANNEL_ID + 1, None)
        self.bot_user = ConsoleUser("Ramen", BOT_USER_ID, bot=True)
        self.messages: list[ConsoleMessage] = []
        self.members: dict[int, ConsoleUser] = {}
        self.interactive = False
        self._bot_reacted: dict[int, list[str]] = {}
        self.usage_errors = 0
        self._serial = 0
        # The cogs read bot.user to ignore the bot's own reactions.
        bot._connection.user = discord.ClientUser(
            state=bot._connection,
            data={  # type: ignore[arg-type]
                "id": BOT_USER_ID,
                "username": "Ramen",
                "discriminator": "0",
                "avatar": None,
                "bot": True,
            },
        )

    # ------------------------------------------------------------------ output

    def write(self, text: str = "") -> None:
        print(text, file=self.out)

    def echo(self, line: str) -> None:
        """Repeat the line being run, so a transcript of --exec lines or piped input reads clearly."""
        if not self.interactive:
            self.write(f"> {line}")

    def next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def message_by_id(self, message_id: int) -> ConsoleMessage | None:
        return next((m for m in self.messages if m.id == message_id), None)

    def post(
        self,
        *,
        content: str | None,
        header: str,
        guild_id: int | None,
        ephemeral: bool = False,
        embed: discord.Embed | None = None,
        embeds: Iterable[discord.Embed] = (),
        view: discord.ui.View | None = None,
        **_: Any,
    ) -> ConsoleMessage:
        all_embeds = [embed] if embed is not None else list(embeds)
        message = ConsoleMessage(
            self,
            len(self.messages) + 1,
            discord.utils.time_snowflake(discord.utils.utcnow()) + self.next_serial(),
            self.channel.id if guild_id else self.dm_channel.id,
            guild_id,
            content,
            all_embeds,
            view,
            ephemeral,
        )
        self.messages.append(message)
        self.write(render_message(message, header))
        return message

    def apply_edit(self, message: ConsoleMessage, changes: dict[str, Any]) -> None:
        if "content" in changes:
            message.content = changes["content"]
        if "embed" in changes:
            message.embeds = [changes["embed"]] if changes["embed"] else []
        if "embeds" in changes:
            message.embeds = list(changes["embeds"])
        if "view" in changes:
            message.view = changes["view"]
        self.write(render_message(message, "Ramen edited"))

    # ------------------------------------------------------------------ input

    def member(self, name: str) -> ConsoleUser:
        user = ConsoleUser(name, member_id(name))
        self.members[user.id] = user
        return user

    def member_by_id(self, user_id: int) -> ConsoleUser:
        if user_id == self.bot_user.id:
            return self.bot_user
        return self.members.get(user_id) or ConsoleUser(str(user_id), user_id)

    async def execute(self, line: str) -> bool:
        """Run one console line. Returns False when the session should end."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        try:
            if line in (":quit", ":q", ":exit"):
                return False
            if line in (":help", "help", "?"):
                self.write(usage(self.bot))
            elif line.startswith("/"):
                await self.run_command(line)
            elif line.startswith(":complete "):
                await self.complete(line.removeprefix(":complete ").strip())
            elif line.startswith((":react ", ":unreact ")):
                await self.reaction(line)
            elif line.startswith((":select ", ":click ")):
                await self.component(line)
            else:
                raise ConsoleUsageError(f"Not a command: {line!r}. Type :help for the syntax.")
        except ConsoleUsageError as exc:
            self.usage_errors += 1
            self.write(f"usage: {exc}")
        return True

    def _split_meta(self, text: str) -> tuple[str, ConsoleUser, bool]:
        user, in_dm = self.member(DEFAULT_MEMBER), False
        while True:
            match = re.search(r"\s+(as|in):(\S+)\s*$", text)
            if not match:
                break
            key, value = match.groups()
            if key == "as":
                user = self.member(value)
            elif value.lower() == "dm":
                in_dm = True
            else:
                raise ConsoleUsageError("in:dm is the only place besides the server")
            text = text[: match.start()]
        return text, user, in_dm

    def _command(self, text: str) -> tuple[app_commands.Command, dict[str, str]]:
        name, _, rest = text.removeprefix("/").partition(" ")
        command = self.bot.tree.get_command(name.lower())
        if not isinstance(command, app_commands.Command):
            names = ", ".join(f"/{c.name}" for c in self.bot.tree.get_commands())
            raise ConsoleUsageError(f"unknown command /{name}. Commands: {names}")
        params = {p.name: p for p in command.parameters}
        raw: dict[str, str] = {}
        if rest.strip():
            pattern = r"(?:^|\s)(" + "|".join(map(re.escape, params)) + r"):" if params else r"$^"
            parts = re.split(pattern, " " + rest)
            if parts[0].strip():
                raise ConsoleUsageError(f"{command_usage(command)}  (could not read {parts[0].strip()!r})")
            for key, value in zip(parts[1::2], parts[2::2], strict=True):
                raw[key] = _unquote(value.strip())
        return command, raw

    async def run_command(self, line: str) -> None:
        text, user, in_dm = self._split_meta(line)
        command, raw = self._command(text)
        values = convert_options(command, raw)
        interaction = ConsoleInteraction(self, user, in_dm=in_dm, command=command, namespace=values)
        self.echo(line)
        try:
            if command.guild_only and in_dm:
                raise app_commands.NoPrivateMessage()
            # discord.py's own path for an arriving slash command: transformers (title → Drama), then
            # the cog's callback. Private in name, but it is exactly what the command tree calls.
            await command._invoke_with_namespace(interaction, interaction.namespace)  # type: ignore[arg-type]
        except Exception as exc:  # the same handler as the bot's command tree
            await handle_app_command_error(interaction, exc)  # type: ignore[arg-type]
        for number, emoji in self._bot_reacted.items():
            self.write(f"  (Ramen reacted to message #{number} with {' '.join(emoji)})")
        self._bot_reacted.clear()
        if not interaction.response.is_done():
            self.write("(the command sent nothing: Discord would show 'The application did not respond')")

    async def complete(self, text: str) -> None:
        text, user, in_dm = self._split_meta(text)
        command, raw = self._command(text)
        if not raw:
            raise ConsoleUsageError(":complete /drama title:ru  (give the option being typed last)")
        focused = list(raw)[-1]
        param = next(p for p in command.parameters if p.name == focused)
        if not param.autocomplete:
            raise ConsoleUsageError(f"option {focused} of /{command.name} has no autocomplete")
        interaction = ConsoleInteraction(self, user, in_dm=in_dm, command=command, namespace=raw)
        # discord.py's own autocomplete dispatch (the tree calls it the same way); it answers
        # through interaction.response.autocomplete, which the console records.
        await command._invoke_autocomplete(interaction, focused, interaction.namespace)  # type: ignore[arg-type]
        choices = interaction.response.choices
        if len(choices) > limits.AUTOCOMPLETE_CHOICES:
            self.write(f"  !! {len(choices)} choices: Discord allows {limits.AUTOCOMPLETE_CHOICES}")
        self.write(f"> autocomplete /{command.name} {focused}:{raw[focused]!r}")
        for choice in choices:
            self.write(f"  {choice.name}  (value: {choice.value})")
        if not choices:
            self.write("  (no choices)")

    def _message(self, ref: str) -> ConsoleMessage | int:
        ref = ref.lstrip("#")
        if not ref.isdigit():
            raise ConsoleUsageError(f"{ref!r} is not a message number (#3) or id")
        number = int(ref)
        if 1 <= number <= len(self.messages):
            return self.messages[number - 1]
        found = self.message_by_id(number)
        if found is not None:
            return found
        if number < SNOWFLAKE_MIN:
            shown = f"#1 to #{len(self.messages)}" if self.messages else "none yet"
            raise ConsoleUsageError(f"no message #{number} in this session (messages: {shown})")
        return number  # a full message id from an earlier session: the bot sees it as an uncached message

    async def reaction(self, line: str) -> None:
        text, user, _in_dm = self._split_meta(line)
        parts = text.split()
        if len(parts) != 3:
            raise ConsoleUsageError(":react <message #> <emoji> [as:<member>]   e.g. :react 3 8️⃣ as:alice")
        verb, ref, emoji = parts
        target = self._message(ref)
        if verb == ":react":
            await self.react(target, emoji, user)
        else:
            await self.unreact(target, emoji, user)

    async def react(self, target: ConsoleMessage | int, emoji: str, user: ConsoleUser) -> None:
        message = target if isinstance(target, ConsoleMessage) else None
        if message is not None:
            users = message.reactions.setdefault(emoji, [])
            if user.id in users:
                return  # Discord ignores a repeated reaction: no event
            if len(message.reactions) > 20:
                raise ConsoleUsageError("a message can have at most 20 distinct reactions")
            users.append(user.id)
            if user.bot:
                self._bot_reacted.setdefault(message.number, []).append(emoji)
            else:
                self.write(f"  ({user.name} reacted {emoji} to message #{message.number})")
        await self._dispatch("raw_reaction_add", target, emoji, user)

    async def unreact(self, target: ConsoleMessage | int, emoji: str, user: ConsoleUser) -> None:
        message = target if isinstance(target, ConsoleMessage) else None
        if message is not None:
            users = message.reactions.get(emoji, [])
            if user.id not in users:
                self.write(f"  ({user.name} has no {emoji} reaction on message #{message.number})")
                return
            users.remove(user.id)
            if not users:
                del message.reactions[emoji]
            self.write(f"  ({user.name} removed {emoji} from message #{message.number})")
        await self._dispatch("raw_reaction_remove", target, emoji, user)

    async def _dispatch(self, event: str, target: ConsoleMessage | int, emoji: str, user: ConsoleUser) -> None:
        message_id = target.id if isinstance(target, ConsoleMessage) else target
        guild_id = target.guild_id if isinstance(target, ConsoleMessage) else self.guild.id
        data: dict[str, Any] = {"message_id": message_id, "channel_id": self.channel.id, "user_id": user.id, "type": 0}
        if guild_id:
            data["guild_id"] = guild_id
        kind = "REACTION_ADD" if event.endswith("add") else "REACTION_REMOVE"
        payload = discord.RawReactionActionEvent(data, discord.PartialEmoji(name=emoji), kind)  # type: ignore[arg-type]
        # Await the listeners in turn (the bot's dispatch would schedule them as tasks).
        for listener in self.bot.extra_events.get(f"on_{event}", []):
            await listener(payload)

    async def component(self, line: str) -> None:
        text, user, _in_dm = self._split_meta(line)
        verb, _, rest = text.partition(" ")
        ref, _, choice = rest.strip().partition(" ")
        target = self._message(ref)
        if not isinstance(target, ConsoleMessage):
            raise ConsoleUsageError(f"message {ref} is from an earlier session; its buttons and menus are gone")
        if target.view is None:
            raise ConsoleUsageError(f"message #{target.number} has no buttons or menus")
        view, choice = target.view, _unquote(choice.strip())
        interaction = ConsoleInteraction(self, user, in_dm=target.guild_id is None, message=target)
        self.echo(line)
        for child in view.children:
            item = _base(child)
            if verb == ":select" and isinstance(item, discord.ui.Select) and not item.disabled:
                option = next((o for o in item.options if choice.casefold() in (o.label.casefold(), o.value)), None)
                if option is None:
                    labels = " | ".join(o.label for o in item.options)
                    raise ConsoleUsageError(f":select {ref} <one of: {labels}>")
                # discord.py's own state update for a select interaction.
                item._refresh_state(interaction, {"values": [option.value]})  # type: ignore[arg-type]
                await self._dispatch_item(view, child, interaction)
                return
            if verb == ":click" and _is_button(item, choice):
                await self._dispatch_item(view, child, interaction)
                return
        raise ConsoleUsageError(f"message #{target.number} has no enabled {verb[1:]} matching {choice!r}")

    async def _dispatch_item(self, view: discord.ui.View, child: discord.ui.Item, interaction: Any) -> None:
        """As discord.py does: a dynamic item's own check (else the view's), then its callback."""
        check = child.interaction_check if isinstance(child, discord.ui.DynamicItem) else view.interaction_check
        if await check(interaction):
            await self._run_item(child, interaction)
        elif not interaction.response.is_done():
            self.write("  (this component refused you)")

    async def _run_item(self, item: discord.ui.Item, interaction: ConsoleInteraction) -> None:
        try:
            await item.callback(interaction)  # type: ignore[arg-type]
        except Exception as exc:
            await handle_app_command_error(interaction, exc)  # type: ignore[arg-type]


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _base(item: discord.ui.Item) -> discord.ui.Item:
    """The Select or Button a dynamic item wraps (or the item itself)."""
    return item.item if isinstance(item, discord.ui.DynamicItem) else item


def _is_button(item: discord.ui.Item, choice: str) -> bool:
    if not isinstance(item, discord.ui.Button) or item.disabled:
        return False
    return choice.casefold() in {(item.label or "").casefold(), (item.custom_id or "").casefold()}


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        try:
            return shlex.split(value)[0]
        except ValueError:
            return value[1:-1]
    return value


def convert_options(command: app_commands.Command, raw: dict[str, str]) -> dict[str, Any]:
    """Check and convert typed option values the way Discord's client does before sending.

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
        try:
            value: Any
            if param.type is AppCommandOptionType.integer:
                value = int(text)
            elif param.type is AppCommandOptionType.number:
                value = float(text)
            elif param.type is AppCommandOptionType.boolean:
                if text.lower() not in ("true", "false", "yes", "no"):
                    raise ValueError(text)
                value = text.lower() in ("true", "yes")
            else:
                value = text
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


def command_usage(command: app_commands.Command) -> str:
    """ "/drama title:<title>  [name:<name>]" for a command."""
    parts = [f"/{command.name}"]
    for p in command.parameters:
        kind = "|".join(str(c.value) for c in p.choices) if p.choices else p.name
        parts.append(f"{p.name}:<{kind}>" if p.required else f"[{p.name}:<{kind}>]")
    return " ".join(parts)


def usage(bot: RamenBot) -> str:
    lines = ["Commands (options as name:value; add as:<member> to act as someone else, in:dm for a DM):"]
    for command in bot.tree.get_commands():
        if isinstance(command, app_commands.Command):
            lines.append(f"  {command_usage(command)}  {command.description}")
    lines += [
        "  :complete /drama title:rn          autocomplete choices for the last option",
        "  :select <msg #> <option>           pick from a message's menu",
        "  :click <msg #> <button label>      press a button",
        "  :react <msg #> <emoji> [as:name]   react (e.g. :react 3 8️⃣ as:alice); :unreact removes it",
        "  :quit",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- text rendering


def show_markup(text: str) -> str:
    """Show Discord markup as text: spoilers as ⟦spoiler: …⟧, escapes removed."""
    return _UNESCAPE.sub(r"\1", _SPOILER.sub(lambda m: f"⟦spoiler: {m.group(1)}⟧", text))


def render_message(message: ConsoleMessage, header: str) -> str:
    """A message as the console prints it: header, content, embeds with fields, components, reactions."""
    flags = " [ephemeral]" if message.ephemeral else ""
    lines = [f"── #{message.number} · {header}{flags} " + "─" * 10]
    if message.content:
        lines += [f"  {line}" for line in show_markup(message.content).splitlines()]
    for embed in message.embeds:
        lines.append(f"  ┃ {embed.title or ''}".rstrip())
        if embed.description:
            lines += [f"  ┃ {line}" for line in show_markup(embed.description).splitlines()]
        for f in embed.fields:
            value = show_markup(f.value or "").splitlines() or [""]
            lines.append(f"  ┃ ▸ {f.name}: {value[0]}")
            lines += [f"  ┃     {line}" for line in value[1:]]
        if embed.footer and embed.footer.text:
            lines.append(f"  ┃ ({embed.footer.text})")
        problems = embed_problems(embed)
        lines += [f"  !! {p}" for p in problems]
    if message.content and len(message.content) > limits.CONTENT:
        lines.append(f"  !! content is {len(message.content)} characters; Discord allows {limits.CONTENT}")
    if message.view is not None:
        for child in message.view.children:
            item = _base(child)
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


async def run_console(
    bot: ConsoleBot, *, execute: list[str], out: TextIO = sys.stdout, stdin: TextIO = sys.stdin
) -> int:
    """Run the console: each `execute` line, then (when none given) lines from `stdin` until EOF.

    Returns the exit status: 0, or 2 when an `--exec` line was not understood.
    """
    session = ConsoleSession(bot, out)
    if execute:
        for line in execute:
            await session.execute(line)
        return 2 if session.usage_errors else 0
    interactive = session.interactive = stdin.isatty()
    if interactive:
        session.write("Ramen console: slash commands as in Discord, e.g. /drama title:Run On  (:help, :quit)")
        session.write(f"Server: {GUILD_NAME}; you are '{DEFAULT_MEMBER}'. Catalog: {len(bot.catalog)} dramas.")
    lines_read = 0
    while True:
        if interactive:
            session.out.write("ramen> ")
            session.out.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            if not lines_read and not interactive:
                print(
                    '(no input: run it in a terminal, pipe commands in, or use --exec "/drama title:Run On")',
                    file=sys.stderr,
                )
            return 0
        lines_read += 1
        if not await session.execute(line):
            return 0
