"""/drama, /characters, /shouldiwatch and /spoilers, with title autocomplete.

All four also work as a user-installed app, in DMs and group DMs: there they answer only through
the interaction (no channel REST), and /drama and /shouldiwatch leave out the server's counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog import verdict
from bot.catalog.index import Catalog
from bot.recommend.taste import TasteBook
from bot.ui import embeds, messages
from bot.ui.embeds import Section
from bot.ui.errors import UserFacingError
from bot.ui.options import SECTION_CHOICES, LookingFor, Title, character_choices, typed_title
from bot.ui.replies import in_time, respond, server_of
from bot.ui.views import CastView
from bot.ui.watch import with_watchers

if TYPE_CHECKING:
    from bot.client import RamenBot
    from bot.store import Storage


class DramasCog(commands.Cog):
    """What the catalog knows about a drama."""

    def __init__(self, catalog: Catalog, storage: Storage | None = None) -> None:
        self.catalog = catalog
        self.storage = storage
        self.book = TasteBook()

    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.command(name="drama", description="A drama's summary: facts, premise and ramen scores.")
    @app_commands.describe(title="The drama's title (start typing to search)")
    async def drama(self, interaction: discord.Interaction, title: Title) -> None:
        score = watchers = None
        guild_id = server_of(interaction)
        if guild_id is not None and self.storage is not None:
            score = await in_time(interaction, self.storage.guild_score(guild_id, title.id))
            watchers = await in_time(interaction, self.storage.watchers(guild_id, title.id))
        await respond(interaction, embed=with_watchers(embeds.drama_embed(title, score), watchers))

    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.command(name="characters", description="The cast at a glance, or one character's card.")
    @app_commands.describe(title="The drama's title", name="A character's name (leave empty for the whole cast)")
    async def characters(self, interaction: discord.Interaction, title: Title, name: str | None = None) -> None:
        if name:
            character = title.character(name)
            if character is None:
                raise UserFacingError(messages.unknown_character(title, name, title.similar_characters(name)))
            await respond(interaction, embed=embeds.character_embed(title, character))
            return
        view = CastView(title) if title.visible_characters else None
        await respond(interaction, embed=embeds.cast_embed(title), view=view)

    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.command(name="shouldiwatch", description="Should you watch it? Who it's for, and a verdict for you.")
    @app_commands.describe(title="The drama's title", looking_for="What you're in the mood for")
    async def shouldiwatch(
        self, interaction: discord.Interaction, title: Title, looking_for: LookingFor | None = None
    ) -> None:
        answer = verdict.answer(title, looking_for) if looking_for else None
        watchers = kindred = None
        guild_id = server_of(interaction)
        if guild_id is not None and self.storage is not None:
            watchers = await in_time(interaction, self.storage.watchers(guild_id, title.id))
            taste = self.book.of(await in_time(interaction, self.storage.guild_votes(guild_id)))
            kindred = messages.kindred_line(taste.kindred_rating(interaction.user.id, title.id))
        await respond(interaction, embed=with_watchers(embeds.verdict_embed(title, answer, kindred=kindred), watchers))

    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.command(name="spoilers", description="Spoilers in spoiler tags: ending, likes, dislikes, characters.")
    @app_commands.describe(
        title="The drama's title",
        section="Which spoilers to show",
        share="Post them for the whole channel (default: only you see them)",
    )
    @app_commands.choices(section=SECTION_CHOICES)
    async def spoilers(self, interaction: discord.Interaction, title: Title, section: str, share: bool = False) -> None:
        try:
            part = Section(section)
        except ValueError:
            choices = ", ".join(s.value for s in Section)
            raise UserFacingError(f"Unknown section; choose one of: {choices}.") from None
        if not embeds.has_section(title, part):
            raise UserFacingError(embeds.missing_section(title, part))
        await respond(interaction, embed=embeds.spoilers_embed(title, part), ephemeral=not share)

    @characters.autocomplete("name")
    async def character_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        # The title as picked (an id) or typed; a typo gets the closest title's characters.
        typed = getattr(interaction.namespace, "title", None) or ""
        return character_choices(typed_title(self.catalog, typed), current)


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(DramasCog(bot.catalog, bot.storage))
