"""/upnext add|remove|show|role: the server's queue of what to watch next, ordered by backers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.index import Catalog
from bot.store import RemoveOutcome
from bot.ui import watch as ui
from bot.ui.errors import UserFacingError
from bot.ui.markup import plain
from bot.ui.options import Title
from bot.ui.replies import guild_id_of, in_time, respond

if TYPE_CHECKING:
    from bot.client import RamenBot
    from bot.store import Storage


class UpNextCog(commands.Cog):
    """Up next: members add and back titles; the queue is ordered by backers, then age."""

    upnext = app_commands.Group(
        name="upnext",
        description="The server's queue of what to watch next: add, remove, show, role.",
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        allowed_installs=app_commands.AppInstallationType(guild=True),
    )

    def __init__(self, storage: Storage, catalog: Catalog) -> None:
        self.storage = storage
        self.catalog = catalog
        self.title_of = ui.title_of(catalog.get)

    @upnext.command(name="add", description="Suggest a drama for up next, or back one already queued.")
    @app_commands.describe(title="The drama's title")
    async def add(self, interaction: discord.Interaction, title: Title) -> None:
        add = self.storage.upnext_add(guild_id_of(interaction), title.id, interaction.user.id, plain(title.title))
        entry, outcome = await in_time(interaction, add)
        await respond(interaction, content=ui.upnext_added(title, entry, outcome, interaction.user.id))

    @upnext.command(name="remove", description="Take a drama out of up next (or withdraw your backing).")
    @app_commands.describe(title="The drama's title")
    async def remove(self, interaction: discord.Interaction, title: Title) -> None:
        roles = getattr(interaction.user, "roles", [])
        remove = self.storage.upnext_remove(
            guild_id_of(interaction),
            title.id,
            interaction.user.id,
            manages_guild=interaction.permissions.manage_guild,
            role_ids=[role.id for role in roles],
            title=plain(title.title),
        )
        outcome = await in_time(interaction, remove)
        await respond(
            interaction, content=ui.upnext_removed(title, outcome is RemoveOutcome.REMOVED, interaction.user.id)
        )

    @upnext.command(name="show", description="The server's up-next queue, most backed first.")
    async def show(self, interaction: discord.Interaction) -> None:
        queue = await in_time(
            interaction, self.storage.upnext_queue(guild_id_of(interaction), interaction.user.id, ui.UPNEXT_SHOWN)
        )
        await respond(interaction, embed=ui.upnext_embed(queue, self.title_of))

    @upnext.command(name="role", description="Manage Server: the role that may remove anyone's up-next entries.")
    @app_commands.describe(role="The role (leave empty to clear it)")
    async def role(self, interaction: discord.Interaction, role: discord.Role | None = None) -> None:
        guild_id = guild_id_of(interaction)
        if not interaction.permissions.manage_guild:
            raise UserFacingError(ui.MANAGE_SERVER_NEEDED)
        await in_time(interaction, self.storage.set_remover_role(guild_id, role.id if role else None), ephemeral=True)
        await respond(interaction, content=ui.remover_role_set(role), ephemeral=True)


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(UpNextCog(bot.storage, bot.catalog))
