"""/rate, /ratings and /myratings: server-wide ramen ratings, 1-10 bowls.

The rating prompts' reaction listeners and reconciliation are in `cogs.rating_prompts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.index import Catalog
from bot.ratings.scores import MAX_SCORE, MIN_SCORE, PRIOR_MEAN, PRIOR_WEIGHT, RATING_EMOJI
from bot.store import STORAGE_FAILURES
from bot.ui import messages, rating_embeds
from bot.ui.embeds import drama_title
from bot.ui.errors import UserFacingError
from bot.ui.keycaps import add_keycaps
from bot.ui.options import Title
from bot.ui.replies import guild_id_of, in_time, post_prompt, ramen, respond, take_back

if TYPE_CHECKING:
    from bot.client import RamenBot
    from bot.store import GuildScore, Storage

CHART_SIZE = 10
CHART_MIN_VOTES = 1


class RatingsCog(commands.Cog):
    """Server-wide ramen ratings, 1-10 bowls, from reactions on rating prompts or /rate."""

    def __init__(self, storage: Storage, catalog: Catalog) -> None:
        self.storage = storage
        self.catalog = catalog

    @app_commands.command(name="rate", description="Rate a drama 1-10 bowls, or post a prompt members react on.")
    @app_commands.describe(title="The drama's title", score="Your score, 1-10 bowls (leave empty to post a prompt)")
    @app_commands.guild_only()
    async def rate(
        self,
        interaction: discord.Interaction,
        title: Title,
        score: app_commands.Range[int, MIN_SCORE, MAX_SCORE] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        if score is not None and not MIN_SCORE <= score <= MAX_SCORE:
            # Discord enforces the Range, but discord.py does not re-check what arrives.
            raise UserFacingError(messages.bad_score(score))
        if score is not None:
            # Committed before the member is told it counted (deferred first if storage is slow).
            server = await in_time(
                interaction, self._vote(guild_id, title.id, interaction.user.id, score), ephemeral=True
            )
            ramen(interaction).dispatch("rating_vote_by_command", guild_id, title.id)  # cogs.live_tally
            await respond(interaction, content=messages.vote_ack(title, score, server), ephemeral=True)
            return
        if interaction.channel_id is None:
            raise UserFacingError(messages.NO_CHANNEL)
        server = await in_time(interaction, self.storage.guild_score(guild_id, title.id))  # the live tally's start
        message = await post_prompt(interaction, rating_embeds.rating_prompt_embed(title, RATING_EMOJI, server))
        if message is None:
            return
        # Remembered before the reactions go on, so a member who reacts at once is counted.
        try:
            await self.storage.add_prompt(message.id, guild_id, interaction.channel_id, title.id)
        except STORAGE_FAILURES:
            await take_back(message)  # a prompt the store does not know would never count a reaction
            raise
        await add_keycaps(interaction, message)

    @app_commands.command(name="ratings", description="This server's ramen score for a drama, or its top 10.")
    @app_commands.describe(title="The drama's title (leave empty for the server's top 10)")
    @app_commands.guild_only()
    async def ratings(self, interaction: discord.Interaction, title: Title | None = None) -> None:
        guild_id = guild_id_of(interaction)
        if title is not None:
            score = await in_time(interaction, self.storage.guild_score(guild_id, title.id))
            await respond(interaction, embed=rating_embeds.ratings_embed(title, score))
            return
        chart = await in_time(
            interaction,
            self.storage.top_dramas(
                guild_id, CHART_SIZE, prior_mean=PRIOR_MEAN, prior_weight=PRIOR_WEIGHT, min_votes=CHART_MIN_VOTES
            ),
        )
        rows = [(self._title(row.drama_id), row) for row in chart]
        embed = rating_embeds.chart_embed(
            rows, prior_mean=PRIOR_MEAN, prior_weight=PRIOR_WEIGHT, min_votes=CHART_MIN_VOTES
        )
        await respond(interaction, embed=embed)

    @app_commands.command(name="myratings", description="Your own ramen votes in this server (only you see them).")
    @app_commands.guild_only()
    async def myratings(self, interaction: discord.Interaction) -> None:
        votes = await in_time(
            interaction, self.storage.member_votes(guild_id_of(interaction), interaction.user.id), ephemeral=True
        )
        rows = [(self._title(v.drama_id), v) for v in votes]
        embed = rating_embeds.my_ratings_embed(interaction.user.display_name, rows)
        await respond(interaction, embed=embed, ephemeral=True)

    async def _vote(self, guild_id: int, drama_id: str, user_id: int, score: int) -> GuildScore:
        await self.storage.record_vote(guild_id, drama_id, user_id, score)
        return await self.storage.guild_score(guild_id, drama_id)

    def _title(self, drama_id: str) -> str:
        drama = self.catalog.get(drama_id)
        return drama_title(drama) if drama else f"{drama_id} (no longer in the catalog)"


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(RatingsCog(bot.storage, bot.catalog))
