"""/watchlist add|show|remove|privacy and /watched: each member's watchlist in this server."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.index import Catalog
from bot.ui import watch as ui
from bot.ui.errors import UserFacingError
from bot.ui.markup import plain
from bot.ui.options import Title
from bot.ui.replies import guild_id_of, in_time, respond
from bot.watch.watchlist import MAX_EPISODE_UNKNOWN_COUNT, Status, entry_for_add, may_view_list

if TYPE_CHECKING:
    from bot.client import RamenBot
    from bot.store import Storage

SERVER = app_commands.AppCommandContext(guild=True)
GUILD_INSTALL = app_commands.AppInstallationType(guild=True)
Episode = app_commands.Range[int, 1, MAX_EPISODE_UNKNOWN_COUNT]


class WatchlistCog(commands.Cog):
    """Watchlists: plan to watch, watching (with the episode), finished, dropped."""

    watchlist = app_commands.Group(
        name="watchlist",
        description="Your watchlist in this server: add, show, remove, privacy.",
        allowed_contexts=SERVER,
        allowed_installs=GUILD_INSTALL,
    )

    def __init__(self, storage: Storage, catalog: Catalog) -> None:
        self.storage = storage
        self.catalog = catalog
        self.title_of = ui.title_of(catalog.get)

    @watchlist.command(name="add", description="Put a drama on your watchlist, or change where you are with it.")
    @app_commands.describe(
        title="The drama's title", status="Where you are with it (default: plan to watch)", episode="Episode reached"
    )
    @app_commands.choices(status=ui.STATUS_CHOICES)
    async def add(
        self, interaction: discord.Interaction, title: Title, status: str | None = None, episode: Episode | None = None
    ) -> None:
        guild_id = guild_id_of(interaction)
        entry = entry_for_add(Status.parse(status) if status else None, episode, title.episodes, plain(title.title))
        previous = await in_time(
            interaction, self.storage.save_watch_entry(guild_id, interaction.user.id, title.id, entry), ephemeral=True
        )
        await respond(interaction, content=ui.added(title, entry, previous), ephemeral=True)

    @watchlist.command(name="show", description="Your watchlist (only you see it), or another member's.")
    @app_commands.describe(member="Whose list (default: yours)", share="Post it for the channel (default: only you)")
    async def show(
        self, interaction: discord.Interaction, member: discord.User | None = None, share: bool = False
    ) -> None:
        guild_id = guild_id_of(interaction)
        owner = member or interaction.user
        own = owner.id == interaction.user.id
        if not own:
            private = (
                await in_time(interaction, self.storage.watch_privacy(guild_id, owner.id), ephemeral=True)
            ).list_private
            if not may_view_list(interaction.user.id, owner.id, private):
                raise UserFacingError(ui.list_is_private(owner.display_name))
        listed = await in_time(interaction, self.storage.member_watchlist(guild_id, owner.id), ephemeral=not share)
        embed = ui.watchlist_embed(owner.display_name, listed, self.title_of, own=own)
        await respond(interaction, embed=embed, ephemeral=not share)

    @watchlist.command(name="remove", description="Take a drama off your watchlist.")
    @app_commands.describe(title="The drama's title")
    async def remove(self, interaction: discord.Interaction, title: Title) -> None:
        gone = self.storage.remove_watch_entry(guild_id_of(interaction), interaction.user.id, title.id)
        was_there = await in_time(interaction, gone, ephemeral=True)
        await respond(interaction, content=ui.removed(title, was_there), ephemeral=True)

    @watchlist.command(name="privacy", description="Who may see your list; whether /drama may name you.")
    @app_commands.describe(
        private="Hide your list from other members", named="Let /drama name you beside the watching counts"
    )
    async def privacy(
        self, interaction: discord.Interaction, private: bool | None = None, named: bool | None = None
    ) -> None:
        change = self.storage.set_watch_privacy(
            guild_id_of(interaction), interaction.user.id, list_private=private, named_in_counts=named
        )
        now = await in_time(interaction, change, ephemeral=True)
        await respond(interaction, content=ui.privacy(now), ephemeral=True)

    @app_commands.command(name="watched", description="Say which episode of a drama you have watched up to.")
    @app_commands.describe(title="The drama's title", episode="The last episode you watched")
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.allowed_installs(guilds=True, users=False)
    async def watched(self, interaction: discord.Interaction, title: Title, episode: Episode) -> None:
        record = self.storage.record_watched(
            guild_id_of(interaction), interaction.user.id, title.id, episode, title.episodes, plain(title.title)
        )
        outcome = await in_time(interaction, record, ephemeral=True)
        await respond(interaction, content=ui.watched(title, outcome), ephemeral=True)


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(WatchlistCog(bot.storage, bot.catalog))
