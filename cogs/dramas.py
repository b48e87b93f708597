"""/drama, /characters, /shouldiwatch and /spoilers, with title autocomplete."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import autocomplete, rendering
from bot.autocomplete import Title
from bot.catalog import verdict
from bot.catalog.index import SUGGEST_CUTOFF, Catalog
from bot.catalog.vocabulary import LOOKING_FOR
from bot.errors import UserFacingError
from bot.interactions import respond
from bot.rendering import Section
from bot.spoilers import plain
from bot.views import CastView

if TYPE_CHECKING:
    from bot.client import RamenBot
    from bot.storage import Storage

LOOKING_FOR_CHOICES = [app_commands.Choice(name=label, value=key) for key, label in LOOKING_FOR.items()]
SECTION_CHOICES = [app_commands.Choice(name=rendering.SECTION_LABEL[s], value=s.value) for s in Section]


class DramasCog(commands.Cog):
    """What the catalog knows about a drama."""

    def __init__(self, catalog: Catalog, storage: Storage | None = None) -> None:
        self.catalog = catalog
        self.storage = storage

    @app_commands.command(name="drama", description="A drama's summary: facts, premise and ramen scores.")
    @app_commands.describe(title="The drama's title (start typing to search)")
    async def drama(self, interaction: discord.Interaction, title: Title) -> None:
        score = None
        if interaction.guild_id is not None and self.storage is not None:
            score = await self.storage.guild_score(interaction.guild_id, title.id)
        await respond(interaction, embed=rendering.drama_embed(title, score))

    @app_commands.command(name="characters", description="The cast at a glance, or one character's card.")
    @app_commands.describe(title="The drama's title", name="A character's name (leave empty for the whole cast)")
    async def characters(self, interaction: discord.Interaction, title: Title, name: str | None = None) -> None:
        if name:
            character = title.character(name)
            if character is None:
                raise UserFacingError(rendering.unknown_character(title, name, title.similar_characters(name)))
            await respond(interaction, embed=rendering.character_embed(title, character))
            return
        if not title.characters:
            await respond(interaction, embed=rendering.cast_embed(title))
            return
        view = CastView(title)
        await respond(interaction, embed=rendering.cast_embed(title), view=view)
        view.origin = interaction

    @app_commands.command(name="shouldiwatch", description="Should you watch it? Who it's for, and a verdict for you.")
    @app_commands.describe(title="The drama's title", looking_for="What you're in the mood for")
    @app_commands.choices(looking_for=LOOKING_FOR_CHOICES)
    async def shouldiwatch(
        self, interaction: discord.Interaction, title: Title, looking_for: str | None = None
    ) -> None:
        answer = verdict.answer(title, looking_for) if looking_for else None
        await respond(interaction, embed=rendering.verdict_embed(title, answer))

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
        if not rendering.has_section(title, part):
            raise UserFacingError(
                f"The catalog has nothing under “{rendering.SECTION_LABEL[part]}” for {plain(title.title, 200)} yet."
            )
        await respond(interaction, embed=rendering.spoilers_embed(title, part), ephemeral=not share)

    @characters.autocomplete("name")
    async def character_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        typed = getattr(interaction.namespace, "title", None) or ""
        # The title as picked (an id) or typed; a typo gets the closest title's characters.
        drama = self.catalog.find(typed) or next(
            (self.catalog.get(i) for _, i in self.catalog.search(typed, limit=1, cutoff=SUGGEST_CUTOFF)), None
        )
        return autocomplete.character_choices(drama, current)


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(DramasCog(bot.catalog, bot.storage))
