"""/help: an ephemeral overview of every command, with one example each (from the live command tree)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui.help import help_embed
from bot.ui.replies import respond

if TYPE_CHECKING:
    from bot.client import RamenBot


class HelpCog(commands.Cog):
    """Help."""

    def __init__(self, tree: app_commands.CommandTree) -> None:
        self.tree = tree

    @app_commands.command(name="help", description="Every Ramen command with an example (only you see it).")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def help(self, interaction: discord.Interaction) -> None:
        in_server = interaction.guild_id is not None and interaction.is_guild_integration()
        embed = help_embed(self.tree, in_server=in_server)
        await respond(interaction, embed=embed, ephemeral=True)


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(HelpCog(bot.tree))
