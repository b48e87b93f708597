"""/recommend: what to watch next, from taste similarity, the server's ratings and the filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import autocomplete, limits
from bot.autocomplete import Title
from bot.catalog.index import Catalog
from bot.errors import UserFacingError
from bot.interactions import respond
from bot.recommend import (
    Filters,
    Recommender,
    RecommendRequest,
    heading,
    matching_terms,
    no_match_message,
    stand_in_likes,
)
from bot.views import RecommendPager

if TYPE_CHECKING:
    from bot.client import RamenBot
    from bot.storage import Storage

MAX_RESULTS = 50
"""At most this many recommendations (ten pages of five)."""
SERVER_CHART_SIZE = 100_000
"""How many of the guild's rated dramas to read as server scores: all of them, in practice."""


def _choices(values: list[str]) -> list[app_commands.Choice[str]]:
    return [autocomplete.choice(v, v) for v in values]


class RecommendCog(commands.Cog):
    """Recommendations over the whole catalog."""

    def __init__(self, catalog: Catalog, recommender: Recommender, storage: Storage | None = None) -> None:
        self.catalog = catalog
        self.storage = storage
        self.recommender = recommender

    @app_commands.command(
        name="recommend", description="What to watch next: shows like one you love, or the best-rated."
    )
    @app_commands.describe(
        like="A drama you liked (start typing to search)",
        genre="Only this genre, e.g. Romance",
        tag="Only shows with this tag, e.g. slow-burn romance",
        max_episodes="Only shows with at most this many episodes",
        platform="Only shows on this platform or network, e.g. Netflix",
    )
    async def recommend(
        self,
        interaction: discord.Interaction,
        like: Title | None = None,
        genre: str | None = None,
        tag: str | None = None,
        max_episodes: app_commands.Range[int, 1, 500] | None = None,
        platform: str | None = None,
    ) -> None:
        filters = Filters(genre, tag, max_episodes, platform)
        request = RecommendRequest(filters=filters)
        if like is not None:
            request.likes = [like]
        exclude: set[str] = set()
        server_scores: dict[str, tuple[float, int]] = {}
        if interaction.guild_id is not None and self.storage is not None:
            votes = await self.storage.member_votes(interaction.guild_id, interaction.user.id)
            exclude = {v.drama_id for v in votes}
            chart = await self.storage.top_dramas(interaction.guild_id, SERVER_CHART_SIZE)
            server_scores = {row.drama_id: (row.mean, row.count) for row in chart}
            if like is None and not filters:
                stand_ins = (self.catalog.get(i) for i in stand_in_likes((v.drama_id, v.score) for v in votes))
                request.likes = [d for d in stand_ins if d is not None]
                request.stand_in = bool(request.likes)
        results = self.recommender.recommend(
            request.likes,
            genre=filters.genre,
            tag=filters.tag,
            max_episodes=filters.max_episodes,
            platform=filters.platform,
            exclude=exclude,
            server_scores=server_scores,
            limit=MAX_RESULTS,
        )
        if not results:
            excluded = exclude | {d.id for d in request.likes}
            raise UserFacingError(
                no_match_message(filters, self.recommender.emptying_filter(filters, exclude=excluded))
            )
        view = RecommendPager(
            results,
            heading(request),
            owner_id=interaction.user.id,
            owner_name=interaction.user.display_name,
            key=interaction.id,
            registry=interaction.client.pagers,
        )  # type: ignore[attr-defined]
        if view.pages == 1:  # nothing to page through: no buttons
            view.stop()
            await respond(interaction, embed=view.embed())
            return
        await respond(interaction, embed=view.embed(), view=view)
        view.origin = interaction

    @recommend.autocomplete("genre")
    async def genre_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return _choices(matching_terms(self.recommender.genres, current, limits.AUTOCOMPLETE_CHOICES))

    @recommend.autocomplete("tag")
    async def tag_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return _choices(matching_terms(self.recommender.tags, current, limits.AUTOCOMPLETE_CHOICES))

    @recommend.autocomplete("platform")
    async def platform_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return _choices(matching_terms(self.recommender.platforms, current, limits.AUTOCOMPLETE_CHOICES))


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(RecommendCog(bot.catalog, bot.recommender, bot.storage))
