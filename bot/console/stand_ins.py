"""Local stand-ins for the Discord objects the cogs touch: members, the guild, a channel, messages
and interactions. Just the attributes the bot reads; replies are printed by the session."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.console.commands import DEFAULT_MEMBER

if TYPE_CHECKING:
    from bot.console.session import ConsoleSession

GUILD_ID = 900_000_000_000_000_001
GUILD_NAME = "Console Server"


def member_id(name: str) -> int:
    """A stable snowflake-sized id for a console member name (same name, same id, across restarts)."""
    return 800_000_000_000_000_000 + zlib.crc32(name.casefold().encode())


@dataclass
class ConsoleUser:
    """A member as the console plays them."""

    name: str
    id: int
    bot: bool = False
    roles: list[ConsoleRole] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class ConsoleRole:
    """A role of the console server (`:give bob Mods`); its id is stable per name."""

    name: str
    id: int


@dataclass
class ConsoleGuild:
    id: int = GUILD_ID
    name: str = GUILD_NAME
    events: Any = None  # bot.console.watch_stand_ins.ConsoleEvents, set by the session

    async def create_scheduled_event(self, **kwargs: Any) -> Any:
        return await self.events.create_scheduled_event(**kwargs)

    async def fetch_scheduled_event(self, event_id: int, *, with_counts: bool = True) -> Any:
        return await self.events.fetch_scheduled_event(event_id, with_counts=with_counts)


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
    poll: Any = None  # bot.console.watch_stand_ins.ConsolePoll
    restored_view: bool = False  # it had buttons or menus in an earlier session (they are gone)

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

    async def end_poll(self) -> ConsoleMessage:
        """As Discord's POST …/polls/{message}/expire: the results are final from now on."""
        if self.poll is None or self.poll.finalised:
            raise discord.HTTPException(_FakeResponse(400), "Poll expired" if self.poll else "Not a poll")
        self.poll.finalised = True
        self.session.write(f"  (the poll on message #{self.number} has ended)")
        return self


class ConsoleChannel:
    """The one text channel of the console server (or a DM channel)."""

    def __init__(self, session: ConsoleSession, channel_id: int, guild: ConsoleGuild | None) -> None:
        self.session, self.id, self.guild = session, channel_id, guild
        self.name = "general" if guild else "direct-message"

    def get_partial_message(self, message_id: int) -> ConsoleMessage | GoneMessage:
        """The message (kept across restarts), or, as Discord, a partial one whose calls answer 404."""
        return self.session.message_by_id(message_id) or GoneMessage(message_id)

    async def fetch_message(self, message_id: int) -> ConsoleMessage:
        message = self.session.message_by_id(message_id)
        if message is None:
            raise discord.NotFound(_FakeResponse(404), "Unknown Message")
        return message

    async def send(self, content: str | None = None, **kwargs: Any) -> ConsoleMessage:
        return self.session.post(
            content=content, header="Ramen posted", guild_id=self.guild and self.guild.id, **kwargs
        )


class GoneMessage:
    """A partial message for an id the console server does not hold: every call is 404 Unknown Message."""

    def __init__(self, message_id: int) -> None:
        self.id = message_id

    async def _gone(self, *args: Any, **kwargs: Any) -> Any:
        raise discord.NotFound(_FakeResponse(404), "Unknown Message")

    end_poll = edit = fetch = add_reaction = remove_reaction = _gone


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
        # The console's own member ("you") owns the server; the others have no special permission.
        owner = user.name == DEFAULT_MEMBER
        self.permissions = discord.Permissions.all() if owner else discord.Permissions.none()
        self.app_permissions = discord.Permissions.all()  # Ramen's, here: it may do everything
        self.created_at = discord.utils.utcnow()
        self.locale = discord.Locale.british_english
        self.response = ConsoleResponse(self)
        self.followup = ConsoleFollowup(self)
        self.original: ConsoleMessage | None = None

    def is_guild_integration(self) -> bool:
        """The console server has the bot (a guild install); a DM is not a guild."""
        return self.guild_id is not None

    def is_expired(self) -> bool:
        """A console interaction never expires: the session answers it at once."""
        return False

    def reply_header(self, ephemeral: bool) -> str:
        who = "you" if self.user.name == DEFAULT_MEMBER else self.user.name  # the console's own member
        return f"Ramen replied to {who} (only {who} can see this)" if ephemeral else f"Ramen replied to {who}"

    async def original_response(self) -> ConsoleMessage:
        if self.original is None:
            raise discord.NotFound(_FakeResponse(404), "Unknown Message")
        return self.original

    async def edit_original_response(self, **changes: Any) -> ConsoleMessage:
        message = await self.original_response()
        self.session.apply_edit(message, changes)
        return message
