"""The live tally on rating prompts: after a committed vote (`rating_vote`, dispatched by the
reaction listener and reconciliation; `rating_vote_by_command`, by `/rate title score:`, for every open
prompt of that drama in the guild), the prompt is edited to show the server mean, the vote count
and a histogram, at most once per interval per prompt (`bot.ui.live_tally.TallyUpdater`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.ratings.scores import PROMPT_OPEN_DAYS, RATING_EMOJI
from bot.ui.live_tally import STATES_KEPT, TallyUpdater
from bot.ui.rating_embeds import rating_prompt_embed
from bot.ui.replies import NO_PINGS
from bot.watch.tally import DEFAULT_MIN_INTERVAL

if TYPE_CHECKING:
    from bot.catalog.index import Catalog
    from bot.client import RamenBot
    from bot.store import Storage

log = logging.getLogger(__name__)


class LiveTallyCog(commands.Cog):
    """Keeps each rating prompt's tally current, without an edit storm."""

    def __init__(self, bot: Any, storage: Storage, catalog: Catalog, interval: float = DEFAULT_MIN_INTERVAL) -> None:
        self.bot = bot
        self.storage = storage
        self.catalog = catalog
        self.updater = TallyUpdater(self.show, interval)
        self.shown: OrderedDict[int, dict] = OrderedDict()  # prompt → the embed its last edit sent

    async def cog_unload(self) -> None:
        await self.updater.close()

    @commands.Cog.listener()
    async def on_rating_vote(self, guild_id: int, message_id: int) -> None:
        """A keycap vote on message `message_id` was handled and committed. No read here (a burst must
        not slow the votes down): whether it is a prompt is checked once per edit, in `show`."""
        self.updater.changed(message_id)

    @commands.Cog.listener()
    async def on_rating_vote_by_command(self, guild_id: int, drama_id: str) -> None:
        """A `/rate title score:` vote was committed: the guild's open prompts for that drama (posted in
        the last `PROMPT_OPEN_DAYS` days) are due, through the same throttled updater as reactions."""
        since = discord.utils.utcnow() - dt.timedelta(days=PROMPT_OPEN_DAYS)
        for message_id in await self.storage.open_prompt_ids(guild_id, drama_id, since):
            self.updater.changed(message_id)

    async def show(self, message_id: int) -> None:
        """Edit the prompt to its current tally. A prompt gone from the store, the catalog or Discord is
        left alone; other HTTP errors raise, so the updater retries."""
        prompt = await self.storage.prompt(message_id)
        drama = self.catalog.get(prompt.drama_id) if prompt else None
        if prompt is None or drama is None:
            return  # not a prompt (a keycap on any other message), or its drama left the catalog
        score = await self.storage.guild_score(prompt.guild_id, prompt.drama_id)
        channel = self.bot.get_partial_messageable(prompt.channel_id, guild_id=prompt.guild_id)
        try:
            embed = rating_prompt_embed(drama, RATING_EMOJI, score)
            if self.shown.get(message_id) == (sent := embed.to_dict()):
                return  # what the last edit showed (e.g. a superseded reaction's removal): no second edit
            await channel.get_partial_message(message_id).edit(embed=embed, allowed_mentions=NO_PINGS)
            self.shown[message_id] = sent
            self.shown.move_to_end(message_id)
            if len(self.shown) > STATES_KEPT:
                self.shown.popitem(last=False)
        except (discord.NotFound, discord.Forbidden) as exc:
            log.info("live tally: prompt %s cannot be edited (%s)", message_id, exc)


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(LiveTallyCog(bot, bot.storage, bot.catalog))
