"""The console server as Discord would hold it: its channels (a text channel and a voice channel),
its members and their roles, resolving typed member, role and channel options, and showing
mentions (`<@id>`, `<@&id>`, `<#id>`) the way Discord renders them (@alice, @Mods, #general)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from discord import AppCommandOptionType, ChannelType, app_commands

from bot.console.commands import DEFAULT_MEMBER, ConsoleUsageError
from bot.console.stand_ins import ConsoleChannel, ConsoleGuild, ConsoleRole, ConsoleUser, member_id

if TYPE_CHECKING:
    from bot.console.session import ConsoleSession

CHANNEL_ID = 900_000_000_000_000_002  # #general; +1 is the DM channel
BOT_USER_ID = 900_000_000_000_000_003
VOICE_CHANNEL_ID = 900_000_000_000_000_004
VOICE_CHANNEL_NAME = "movie-night"
_MENTION = re.compile(r"<(@!?|@&|#)(\d+)>")


@dataclass(frozen=True)
class ChannelOption:
    """A channel option as Discord sends it (an `AppCommandChannel`): `resolve()` gives the channel."""

    id: int
    name: str
    type: ChannelType
    channel: Any

    def resolve(self) -> Any:
        return self.channel


class ConsoleServer:
    """The guild, its channels, members (by id) and roles (by id) of one console session."""

    def __init__(self, session: ConsoleSession, state: Any) -> None:
        self.guild = ConsoleGuild()
        self.channel = ConsoleChannel(session, CHANNEL_ID, self.guild)
        self.dm_channel = ConsoleChannel(session, CHANNEL_ID + 1, None)
        voice_data = {"id": VOICE_CHANNEL_ID, "name": VOICE_CHANNEL_NAME, "type": 2, "position": 1}
        voice_data |= {"bitrate": 64000, "user_limit": 0, "rtc_region": None, "permission_overwrites": []}
        self.voice_channel = discord.VoiceChannel(state=state, guild=self.guild, data=voice_data)  # type: ignore[arg-type]
        self.bot_user = ConsoleUser("Ramen", BOT_USER_ID, bot=True)
        self.owner = ConsoleUser(DEFAULT_MEMBER, member_id(DEFAULT_MEMBER))
        self.members: dict[int, ConsoleUser] = {self.owner.id: self.owner}
        self.roles: dict[int, ConsoleRole] = {}

    def channels(self) -> list[tuple[ChannelType, Any]]:
        """The server's channels, text first: (type, channel)."""
        return [(ChannelType.text, self.channel), (ChannelType.voice, self.voice_channel)]

    def channel_list(self) -> str:
        """ "#general (text), 🔊 movie-night (voice)": what the console server has."""
        shown = [f"#{c.name} (text)" if t is ChannelType.text else f"🔊 {c.name} (voice)" for t, c in self.channels()]
        return ", ".join(shown)

    def member(self, name: str) -> ConsoleUser:
        """The member called `name` (made on first use; "you" is the console's own member)."""
        name = name.removeprefix("@")
        if name.casefold() == "you":
            return self.owner
        user = self.members.get(member_id(name)) or ConsoleUser(name, member_id(name))
        self.members[user.id] = user
        return user

    def role(self, name: str) -> ConsoleRole:
        role = ConsoleRole(name.removeprefix("@"), member_id(f"role:{name.removeprefix('@')}"))
        self.roles[role.id] = role
        return role

    def member_by_id(self, user_id: int) -> ConsoleUser:
        if user_id == self.bot_user.id:
            return self.bot_user
        return self.members.get(user_id) or ConsoleUser(str(user_id), user_id)

    def resolve(self, param: app_commands.Parameter, text: str) -> Any:
        """A member, role or channel option as Discord would send it: resolved to the console's object.

        Raises ConsoleUsageError for an empty name, or a channel the server does not have (or of a
        type the option does not take), naming the server's channels.
        """
        if not text.strip().lstrip("@#🔊").strip():  # Discord's client sends no empty member, role or channel
            channel = next((c for t, c in self.channels() if t in (param.channel_types or [t])), self.channel)
            examples = {AppCommandOptionType.role: "@Mods", AppCommandOptionType.channel: f"#{channel.name}"}
            example = examples.get(param.type, "@alice")
            raise ConsoleUsageError(f"{param.name} is empty: name one, e.g. {param.name}:{example}")
        if param.type is AppCommandOptionType.role:
            return self.role(text)
        if param.type is AppCommandOptionType.channel:
            return self.channel_option(param, text)
        return self.member(text)

    def channel_option(self, param: app_commands.Parameter, text: str) -> ChannelOption:
        wanted = text.strip().lstrip("#🔊").strip().casefold()
        allowed = param.channel_types or [t for t, _ in self.channels()]
        for kind, channel in self.channels():
            if channel.name.casefold() == wanted or str(channel.id) == wanted.strip("<#>"):
                if kind not in allowed:
                    takes = " or ".join(t.name for t in allowed)
                    raise ConsoleUsageError(
                        f"{param.name} takes a {takes} channel; #{channel.name} is {kind.name}. "
                        f"The console server's channels: {self.channel_list()}"
                    )
                return ChannelOption(channel.id, channel.name, kind, channel)
        raise ConsoleUsageError(
            f"{param.name}: no channel {text.strip()!r} here. The console server's channels: {self.channel_list()}"
        )

    def give_role(self, line: str) -> str:
        """`:give <member> <role>`: the member holds the role from now on; returns the note to show."""
        parts = line.split()
        if len(parts) != 3:
            raise ConsoleUsageError(":give <member> <role>   e.g. :give bob Mods")
        user, role = self.member(parts[1]), self.role(parts[2])
        if role not in user.roles:
            user.roles.append(role)
        return f"  ({user.name} now has the role {role.name})"

    def mention_text(self, kind: str, object_id: int) -> str:
        """A mention as Discord shows it: @member, @role, #channel (unknown ones as Discord: @unknown-user …)."""
        if kind == "#":
            named = next((c.name for _, c in self.channels() if c.id == object_id), None)
            return f"#{named}" if named else "#unknown-channel"
        if kind == "@&":
            role = self.roles.get(object_id)
            return f"@{role.name}" if role else "@unknown-role"
        user = self.bot_user if object_id == self.bot_user.id else self.members.get(object_id)
        return f"@{user.display_name}" if user else "@unknown-user"

    def show_mentions(self, text: str) -> str:
        """`text` with each user, role and channel mention shown as Discord renders it."""
        return _MENTION.sub(lambda m: self.mention_text(m.group(1).rstrip("!"), int(m.group(2))), text)
