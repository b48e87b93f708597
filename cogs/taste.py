"""/taste: how your votes in this server agree with another member's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.index import Catalog
from bot.recommend.taste import TasteBook
from bot.ui import messages
from bot.ui.errors import UserFacingError
from bot.ui.replies import in_time, respond
from bot.ui.taste_embeds import taste_embed

if TYPE_CHECKING:
    from bot.client import RamenBot
    from bot.store import Storage


class TasteCog(commands.Cog):
    """Member affinity from the server's votes, by the rules of bot.recommend.taste."""

    def __init__(self, catalog: Catalog, storage: Storage | None, book: TasteBook | None = None) -> None:
        self.catalog = catalog
        self.storage = storage
        self.book = book or TasteBook()

    @app_commands.command(name="taste", description="How your taste in dramas compares with another member's.")
    @app_commands.describe(member="The member to compare with", share="Post it for the channel (default: only you)")
    @app_commands.guild_only()
    async def taste(self, interaction: discord.Interaction, member: discord.User, share: bool = False) -> None:
        if member.id == interaction.user.id:
            raise UserFacingError(messages.TASTE_SELF)
        if getattr(member, "bot", False):
            raise UserFacingError(messages.taste_bot(member.display_name))
        if interaction.guild_id is None or self.storage is None:
            raise app_commands.NoPrivateMessage()
        votes = await in_time(interaction, self.storage.guild_votes(interaction.guild_id), ephemeral=not share)
        taste = self.book.of(votes)
        mine, theirs = taste.by_member.get(interaction.user.id, {}), taste.by_member.get(member.id, {})
        embed = taste_embed(
            interaction.user.display_name,
            member.display_name,
            taste.affinity(interaction.user.id, member.id),
            len(set(mine) & set(theirs)),
            lambda drama_id: d.title if (d := self.catalog.get(drama_id)) is not None else drama_id,
        )
        await respond(interaction, embed=embed, ephemeral=not share)


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(TasteCog(bot.catalog, bot.storage))
