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
    :vote 4 2 as:bob / :endpoll 4            vote in message #4's poll / end it as its timer would
    /watchlist add title:Goblin status:watching episode:3   a subcommand: the group, then its name
    :give bob Mods                           give a member a role (/upnext role role:@Mods)
    :help, :quit
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

import discord
from discord import app_commands

from bot.client import RamenBot
from bot.console import saved
from bot.console.commands import (
    DEFAULT_MEMBER,
    ConsoleUsageError,
    convert_options,
    parse_command,
    split_meta,
    usage,
)
from bot.console.components import component
from bot.console.server import BOT_USER_ID, VOICE_CHANNEL_NAME, ConsoleServer
from bot.console.show import render_message
from bot.console.stand_ins import GUILD_NAME, ConsoleInteraction, ConsoleMessage, ConsoleUser
from bot.console.watch_stand_ins import ConsoleEvents, ConsolePoll
from bot.ui import limits
from bot.ui.errors import handle_app_command_error
from bot.ui.help import servers_only

SNOWFLAKE_MIN = 1 << 22  # smaller numbers are message numbers (#3), not Discord message ids
log = logging.getLogger(__name__)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 and C1 control characters other than tab and newline."""
_COMMENT = re.compile(r"\s{2,}#\s.*$")
"""A trailing comment: two or more spaces, then `# ` (a title such as "#Alive" keeps its hash)."""


class ConsoleBot(RamenBot):
    """The real bot with the console as its only channel: nothing goes over the network."""

    session: ConsoleSession

    def get_partial_messageable(self, id: int, **kwargs: Any) -> Any:
        return self.session.dm_channel if id == self.session.dm_channel.id else self.session.channel

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        """Custom events (e.g. `rating_vote`) go to the cogs' listeners; the session awaits them after the line."""
        for listener in self.extra_events.get(f"on_{event_name}", []):
            self.session.background.append(asyncio.ensure_future(listener(*args, **kwargs)))


class ConsoleSession:
    """Reads console lines, runs them through the real cogs, and writes replies to `out`."""

    def __init__(self, bot: ConsoleBot, out: TextIO = sys.stdout, state_path: Path | None = None) -> None:
        """state_path: where the console server is kept across restarts (`bot.console.saved`); None: not kept."""
        self.bot = bot
        bot.session = self
        self.out = out
        self.server = ConsoleServer(self, bot._connection)
        self.guild, self.channel, self.dm_channel = self.server.guild, self.server.channel, self.server.dm_channel
        self.bot_user = self.server.bot_user
        self.messages: list[ConsoleMessage] = []
        self.last_number = 0  # message numbers go on across restarts, like Discord's messages
        self.state_path = state_path
        if state_path is not None:
            saved.load(self, state_path)
        self.interactive = False
        self._bot_reacted: dict[int, list[str]] = {}
        self.usage_errors = 0
        self._serial = 0
        self.background: list[asyncio.Future[Any]] = []  # listeners of custom events, awaited per line
        self.guild.events = ConsoleEvents(self, self.guild.id)
        tally = bot.get_cog("LiveTallyCog")
        if tally is not None:  # one line at a time: show each vote's tally at once
            tally.updater.interval = 0  # type: ignore[attr-defined]
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
        """Print `text`; control characters (a typed ESC or BEL, say) are shown as escapes, never sent
        to the terminal, so a member's text cannot drive it."""
        print(_CONTROL.sub(lambda m: repr(m.group())[1:-1], text), file=self.out)

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
        poll: discord.Poll | None = None,
        **_: Any,
    ) -> ConsoleMessage:
        all_embeds = [embed] if embed is not None else list(embeds)
        self.last_number += 1
        message = ConsoleMessage(
            self,
            self.last_number,
            discord.utils.time_snowflake(discord.utils.utcnow()) + self.next_serial(),
            self.channel.id if guild_id else self.dm_channel.id,
            guild_id,
            content,
            all_embeds,
            view,
            ephemeral,
        )
        if poll is not None:
            message.poll = ConsolePoll.from_discord(poll)
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
        return self.server.member(name)

    def member_by_id(self, user_id: int) -> ConsoleUser:
        return self.server.member_by_id(user_id)

    async def execute(self, line: str) -> bool:
        """Run one console line. Returns False when the session should end."""
        line = _COMMENT.sub("", line).strip()  # "/rate title:Run On   # posts a prompt", as the README shows
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
            elif line.startswith(":give "):
                self.write(self.server.give_role(line))
            elif line.startswith((":select ", ":click ")):
                await component(self, line)
            elif line.startswith((":vote", ":endpoll")):
                await self.poll_action(line)
            else:
                raise ConsoleUsageError(f"Not a command: {line!r}. Type :help for the syntax.")
        except ConsoleUsageError as exc:
            self.usage_errors += 1
            self.write(f"usage: {exc}")
        except Exception as exc:  # a console bug must not end the session: say so and go on
            self.usage_errors += 1
            log.debug("console line %r failed", line, exc_info=exc)
            self.write(f"error: this line failed ({type(exc).__name__}: {exc}); the session goes on")
        await self.settle()
        self.save()
        return True

    def save(self) -> None:
        """Keep the console server for the next session; a file that cannot be written is said once."""
        if self.state_path is None:
            return
        try:
            saved.save(self, self.state_path)
        except OSError as exc:
            self.write(f"  (the console's messages cannot be kept in {self.state_path}: {exc.strerror or exc})")
            self.state_path = None

    async def settle(self) -> None:
        """Let what the line set off in the background finish (custom events, the live tally's edits)."""
        while self.background:
            pending, self.background = self.background, []
            await asyncio.gather(*pending, return_exceptions=True)
        tally = self.bot.get_cog("LiveTallyCog")
        if tally is not None:
            await tally.updater.drain()  # type: ignore[attr-defined]

    async def poll_action(self, line: str) -> None:
        """`:vote <msg #> <answer #> [as:name]` votes in a poll; `:endpoll <msg #>` ends it as its timer would."""
        text, user, _in_dm = self.meta(line)
        verb, *rest = text.split()
        usage_text = ":vote <message #> <answer #> [as:<member>]   or   :endpoll <message #>"
        if len(rest) != (2 if verb == ":vote" else 1):
            raise ConsoleUsageError(usage_text)
        target = self.find_message(rest[0])
        if not isinstance(target, ConsoleMessage) or target.poll is None:
            raise ConsoleUsageError(f"message {rest[0]} has no poll")
        if target.poll.is_finalised():
            raise ConsoleUsageError(f"the poll on message #{target.number} has ended")
        self.echo(line)
        if verb == ":endpoll":
            await target.end_poll()
            cog = self.bot.get_cog("WatchResultsCog")
            if cog is not None:  # Discord's poll-result message reaches the bot's listener
                await cog.announcer.poll_ended(target.id)  # type: ignore[attr-defined]
            return
        if not rest[1].isdigit():
            raise ConsoleUsageError(usage_text)
        try:
            answer = target.poll.vote(int(rest[1]), user.id)
        except ValueError as exc:
            raise ConsoleUsageError(f"{exc} (message #{target.number})") from None
        self.write(f"  ({user.name} voted for {answer.id}. {answer.text} on message #{target.number})")

    def meta(self, text: str) -> tuple[str, ConsoleUser, bool]:
        """A `:verb` line's trailing `as:<member>` and `in:dm` taken off: (the rest, member, in a DM)."""
        text, name, in_dm = split_meta(text)
        return text, self.member(name), in_dm

    async def run_command(self, line: str) -> None:
        parsed = parse_command(self.bot.tree, line)
        command, user, in_dm = parsed.command, self.member(parsed.member), parsed.in_dm
        values = convert_options(command, parsed.raw, self.server.resolve)
        interaction = ConsoleInteraction(self, user, in_dm=in_dm, command=command, namespace=values)
        self.echo(line)
        try:
            if servers_only(command) and in_dm:
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
        parsed = parse_command(self.bot.tree, text)
        command, raw, user, in_dm = parsed.command, parsed.raw, self.member(parsed.member), parsed.in_dm
        if not raw:
            raise ConsoleUsageError(":complete /drama title:ru  (give the option being typed last)")
        focused = list(raw)[-1]
        param = next(p for p in command.parameters if p.name == focused)
        if not param.autocomplete:
            raise ConsoleUsageError(f"option {focused} of /{command.qualified_name} has no autocomplete")
        interaction = ConsoleInteraction(self, user, in_dm=in_dm, command=command, namespace=raw)
        # discord.py's own autocomplete dispatch (the tree calls it the same way); it answers
        # through interaction.response.autocomplete, which the console records.
        await command._invoke_autocomplete(interaction, focused, interaction.namespace)  # type: ignore[arg-type]
        choices = interaction.response.choices
        if len(choices) > limits.AUTOCOMPLETE_CHOICES:
            self.write(f"  !! {len(choices)} choices: Discord allows {limits.AUTOCOMPLETE_CHOICES}")
        self.write(f"> autocomplete /{command.qualified_name} {focused}:{raw[focused]!r}")
        for choice in choices:
            self.write(f"  {choice.name}  (value: {choice.value})")
        if not choices:
            self.write("  (no choices)")

    def find_message(self, ref: str) -> ConsoleMessage | int:
        """Message `#3` (its number) or a full message id. Raises ConsoleUsageError for an unknown number."""
        ref = ref.lstrip("#")
        if not ref.isdigit():
            raise ConsoleUsageError(f"{ref!r} is not a message number (#3) or id")
        number = int(ref)
        found = next((m for m in self.messages if m.number == number), None) or self.message_by_id(number)
        if found is not None:
            return found
        if number < SNOWFLAKE_MIN:
            numbers = [m.number for m in self.messages]
            shown = f"#{min(numbers)} to #{max(numbers)}" if numbers else "none yet"
            raise ConsoleUsageError(f"no message #{number} in the console server (messages: {shown})")
        return number  # a full message id from an earlier session: the bot sees it as an uncached message

    async def reaction(self, line: str) -> None:
        text, user, _in_dm = self.meta(line)
        parts = text.split()
        if len(parts) != 3:
            raise ConsoleUsageError(":react <message #> <emoji> [as:<member>]   e.g. :react 3 8️⃣ as:alice")
        verb, ref, emoji = parts
        target = self.find_message(ref)
        if isinstance(target, ConsoleMessage) and target.ephemeral:  # Discord offers no reactions on these
            raise ConsoleUsageError(f"message #{target.number} is ephemeral: Discord lets nobody react to it")
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


async def run_console(
    bot: ConsoleBot,
    *,
    execute: list[str],
    out: TextIO = sys.stdout,
    stdin: TextIO = sys.stdin,
    state_path: Path | None = None,
) -> int:
    """Run the console: each `execute` line, then (when none given) lines from `stdin` until EOF.

    state_path: the file that keeps the console server's messages and members across restarts.
    Returns the exit status: 0, or 2 when an `--exec` line was not understood or failed.
    """
    session = ConsoleSession(bot, out, state_path)
    results = bot.get_cog("WatchResultsCog")
    if results is not None:  # as at the bot's first READY: polls that ended while the console was closed
        await results.announcer.pickup()  # type: ignore[attr-defined]
    if execute:
        for line in execute:
            await session.execute(line)
        return 2 if session.usage_errors else 0
    interactive = session.interactive = stdin.isatty()
    if interactive:
        session.write("Ramen console: slash commands as in Discord, e.g. /drama title:Run On  (:help, :quit)")
        session.write(
            f"Server: {GUILD_NAME} (#general, 🔊 {VOICE_CHANNEL_NAME}); you are '{DEFAULT_MEMBER}'. "
            f"Catalog: {len(bot.catalog)} dramas."
        )
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
