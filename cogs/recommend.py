"""/recommend: what to watch next, from taste similarity, the server's ratings and the filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.index import Catalog
from bot.recommend.engine import Recommender, taste_weights
from bot.recommend.filters import Filters
from bot.recommend.pages import encode_picks, page_count
from bot.recommend.taste import TasteBook
from bot.ui.options import Genre, Network, Platform, Tag, Title
from bot.ui.replies import in_time, respond, server_of
from bot.ui.views import pager_embed, pager_view

if TYPE_CHECKING:
    from bot.client import RamenBot
    from bot.store import Storage

MAX_RESULTS = 50
"""At most this many recommendations (ten pages of five)."""


class RecommendCog(commands.Cog):
    """Recommendations over the whole catalog."""

    def __init__(self, catalog: Catalog, recommender: Recommender, storage: Storage | None = None) -> None:
        self.catalog = catalog
        self.storage = storage
        self.recommender = recommender
        self.book = TasteBook()

    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.command(
        name="recommend", description="What to watch next: shows like one you love, or the best-rated."
    )
    @app_commands.describe(
        like="A drama you liked (start typing to search)",
        genre="Only this genre, e.g. Romance",
        tag="Only shows with this tag, e.g. slow-burn romance",
        max_episodes="Only shows with at most this many episodes",
        platform="Only shows you can stream on this service, e.g. Netflix, Viki, Disney+",
        network="Only shows first aired on this broadcaster, e.g. tvN, JTBC, KBS2",
    )
    async def recommend(
        self,
        interaction: discord.Interaction,
        like: Title | None = None,
        genre: Genre | None = None,
        tag: Tag | None = None,
        max_episodes: app_commands.Range[int, 1, 500] | None = None,
        platform: Platform | None = None,
        network: Network | None = None,
    ) -> None:
        filters = Filters(genre, tag, max_episodes, platform, network)
        rated: list[tuple[str, int]] = []
        server: dict[str, tuple[float, int]] = {}
        watched: frozenset[str] = frozenset()  # finished or dropped here: left out
        co_liked = None
        guild_id = server_of(interaction)
        if guild_id is not None and self.storage is not None:
            taste = await in_time(interaction, self.storage.member_taste(guild_id, interaction.user.id))
            rated, server = taste.rated, taste.server
            watched = await in_time(interaction, self.storage.recommend_exclusions(guild_id, interaction.user.id))
            guild = self.book.of(await in_time(interaction, self.storage.guild_votes(guild_id)))
            co_liked = guild.co_liked([like.id] if like is not None else taste_weights(rated))
        # Raises NothingToRecommend, which the one error path (bot.ui.errors) words.
        picks = self.recommender.recommend_for(
            like, filters, rated=rated, server_scores=server, co_liked=co_liked, limit=MAX_RESULTS, watched=watched
        )
        pages = page_count(len(picks.results))
        view = None
        if pages > 1 and self.storage is not None:  # kept in the database: pages after restarts, on any shard
            pager = self.storage.save_pager(
                interaction.id,
                guild_id=interaction.guild_id,
                owner_id=interaction.user.id,
                owner_name=interaction.user.display_name,
                results=encode_picks(picks),
            )
            await in_time(interaction, pager)
            view = pager_view(interaction.id, 1, pages)
        await respond(interaction, embed=pager_embed(picks, 1), view=view)


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(RecommendCog(bot.catalog, bot.recommender, bot.storage))
