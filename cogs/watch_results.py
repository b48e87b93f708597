"""The end of a watch-night poll: Discord's poll-result message (type 46) or the poll's finalised
MESSAGE_UPDATE while the bot runs, and on the first READY the polls that ended while it was down.
Guard clauses and one call to the shared `bot.ui.watch_results.PollAnnouncer` (announced once).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.ui.watch_results import PollAnnouncer

if TYPE_CHECKING:
    from bot.client import RamenBot


class WatchResultsCog(commands.Cog):
    """Hears watch-night polls end and has their result posted once."""

    def __init__(self, announcer: PollAnnouncer) -> None:
        self.announcer = announcer
        self._pickup: asyncio.Task[int] | None = None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Discord's poll-result message replies to the poll that ended."""
        if message.type is not discord.MessageType.poll_result or message.reference is None:
            return
        if message.reference.message_id is not None:
            await self.announcer.poll_ended(message.reference.message_id)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """The poll's own MESSAGE_UPDATE once Discord has finalised its results."""
        results = (payload.data.get("poll") or {}).get("results") or {}
        if results.get("is_finalized"):
            await self.announcer.poll_ended(payload.message_id)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        if self._pickup is None:  # the first READY only; later ones are reconnects (events are replayed)
            self._pickup = asyncio.create_task(self.announcer.pickup(), name="ramen-watchnight-pickup")

    async def cog_unload(self) -> None:
        if self._pickup is not None:
            self._pickup.cancel()


async def setup(bot: RamenBot) -> None:
    watchnight = bot.get_cog("WatchNightCog")  # cogs.watchnight loads first (bot.client.EXTENSIONS)
    announcer = getattr(watchnight, "announcer", None) or PollAnnouncer(bot, bot.storage, bot.catalog)
    await bot.add_cog(WatchResultsCog(announcer))
