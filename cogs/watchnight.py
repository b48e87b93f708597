"""/watchnight start|end|party|interest: the server's native-poll watch night and its watch party.

Options are checked and turned into requests by the UI layer (`bot.ui.watch_night.poll_request`,
`bot.ui.watch_party.party_title`, `Zone`), whose rules are `bot.watch` (pure); the once-only result is
`bot.ui.watch_results.PollAnnouncer`, the scheduled event `bot.ui.watch_party`. The poll's end (while
running or after downtime) is heard by `cogs.watch_results`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui import watch_night as texts
from bot.ui.errors import UserFacingError
from bot.ui.options import Title
from bot.ui.replies import guild_id_of, in_time, respond
from bot.ui.watch_party import PartyRequest, Zone, create_party, interest, party_title
from bot.ui.watch_results import PollAnnouncer
from bot.watch.watchnight import (
    ANSWERS_MAX,
    DEFAULT_DURATION_HOURS,
    DURATION_MAX_HOURS,
    DURATION_MIN_HOURS,
    may_end_poll,
)

if TYPE_CHECKING:
    from bot.catalog.index import Catalog
    from bot.client import RamenBot
    from bot.store import Storage, WatchPoll

Hours = app_commands.Range[int, DURATION_MIN_HOURS, DURATION_MAX_HOURS]


@app_commands.guild_only()
class WatchNightCog(commands.GroupCog, group_name="watchnight", group_description="Decide together what to watch."):
    """Watch night and the watch party: a native poll (2-5 titles named, or up next's top ten) and an event."""

    def __init__(self, bot: Any, storage: Storage, catalog: Catalog) -> None:
        self.bot = bot
        self.storage = storage
        self.catalog = catalog
        self.announcer = PollAnnouncer(bot, storage, catalog)  # shared with cogs.watch_results
        super().__init__()

    @app_commands.command(name="start", description="Post a poll of the 2-5 titles you name, or of up next's top ten.")
    @app_commands.describe(
        title1="A title (leave all empty for the top of up next)",
        hours=f"How long voting lasts, {DURATION_MIN_HOURS}-{DURATION_MAX_HOURS} hours (default 24)",
        question="The poll's question (default: What do we watch next?)",
    )
    async def start(
        self,
        interaction: discord.Interaction,
        title1: Title | None = None,
        title2: Title | None = None,
        title3: Title | None = None,
        title4: Title | None = None,
        title5: Title | None = None,
        hours: Hours = DEFAULT_DURATION_HOURS,
        question: app_commands.Range[str, 1, 300] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        named = (title1, title2, title3, title4, title5)
        queue = (
            []
            if any(t is not None for t in named)
            else await in_time(interaction, self.storage.upnext_top(guild_id, ANSWERS_MAX))
        )
        request = texts.poll_request(named, queue, question, hours, self.catalog)
        async with self.announcer.posting:  # checked and posted under one lock: two starts cannot both pass
            await texts.one_poll_at_a_time(interaction, self.storage, guild_id)
            message_id, expires = await texts.post_poll(interaction, request)
            await self.storage.add_watch_poll(
                message_id,
                guild_id,
                interaction.channel_id or 0,
                interaction.user.id,
                request.question,
                request.drama_ids,
                expires,
            )
        started = texts.started(request.hours, len(request.drama_ids), request.from_queue)
        await respond(interaction, content=started, ephemeral=True)

    @app_commands.command(name="end", description="End this server's running watch-night poll now and post the winner.")
    async def end(self, interaction: discord.Interaction) -> None:
        poll = await in_time(interaction, self._open_poll(guild_id_of(interaction)), ephemeral=True)
        if poll is None:
            raise UserFacingError(texts.NOT_STARTED_HERE)
        manages = interaction.permissions.manage_guild
        if not may_end_poll(interaction.user.id, poll.started_by, manages):
            raise UserFacingError(texts.NOT_YOURS)
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)
        ended = await self.announcer.end_now(poll)
        await respond(interaction, content=texts.ended_note(ended, poll.channel_id), ephemeral=True)

    @app_commands.command(
        name="party", description="Schedule a watch party (a server event) for a title or the winner."
    )
    @app_commands.describe(
        title="The drama (default: the last watch night's winner)",
        date="Day in your time zone, YYYY-MM-DD",
        time="Start time, e.g. 20:30 or 8:30 pm",
        timezone="Your IANA time zone, e.g. America/New_York (default UTC)",
        iso="Or the start as ISO 8601 with offset, e.g. 2026-12-05T20:30+09:00",
        voice_channel="Hold it in this voice channel (default: an external event)",
        location="Where, for an external event (default: Discord)",
    )
    async def party(
        self,
        interaction: discord.Interaction,
        title: Title | None = None,
        date: str | None = None,
        time: str | None = None,
        timezone: Zone = "UTC",
        iso: str | None = None,
        voice_channel: discord.VoiceChannel | None = None,
        location: app_commands.Range[str, 1, 100] = "Discord",
    ) -> None:
        guild_id = guild_id_of(interaction)
        winner = None if title is not None else await in_time(interaction, self.storage.last_watch_winner(guild_id))
        drama = party_title(title, winner, self.catalog)
        created = await create_party(
            interaction, PartyRequest(drama, date, time, timezone, iso, voice_channel, location)
        )
        if created is not None:
            event, reply = created
            await self.storage.add_watch_party(event.id, guild_id, drama.id, interaction.user.id, event.start_time)
            await respond(interaction, content=reply)

    @app_commands.command(name="interest", description="How many members are interested in the last watch party.")
    async def interest(self, interaction: discord.Interaction) -> None:
        party = await in_time(interaction, self.storage.latest_watch_party(guild_id_of(interaction)), ephemeral=True)
        if party is None:
            raise UserFacingError(texts.NO_PARTY_YET)
        await interest(interaction, party.event_id)

    async def _open_poll(self, guild_id: int) -> WatchPoll | None:
        async with self.announcer.posting:  # a poll being posted right now counts
            return await self.storage.latest_open_watch_poll(guild_id)


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(WatchNightCog(bot, bot.storage, bot.catalog))
