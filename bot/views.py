"""discord.ui views: components that come with replies. Rendering stays in `bot.rendering`."""

from __future__ import annotations

import contextlib

import discord

from bot import limits
from bot.catalog import Drama, Role
from bot.interactions import respond
from bot.rendering import character_embed

VIEW_TIMEOUT = 600.0  # seconds a menu stays usable; then it is disabled


class CharacterSelect(discord.ui.Select["CastView"]):
    """The cast menu: picking a character sends that member their card, ephemeral."""

    def __init__(self, drama: Drama) -> None:
        options = [
            discord.SelectOption(
                label=c.name[: limits.SELECT_LABEL],
                value=str(i),
                description=(f"{'Lead' if c.role is Role.LEAD else 'Supporting'}"
                             f"{' · ' + c.actor if c.actor else ''}")[: limits.SELECT_DESCRIPTION],
            )
            for i, c in enumerate(drama.characters[: limits.SELECT_OPTIONS])
        ]
        super().__init__(placeholder="Open a character card…", options=options,
                         custom_id=f"ramen:characters:{drama.id}"[: limits.CUSTOM_ID])
        self.drama = drama

    async def callback(self, interaction: discord.Interaction) -> None:
        character = self.drama.characters[int(self.values[0])]
        await respond(interaction, embed=character_embed(self.drama, character), ephemeral=True)


class CastView(discord.ui.View):
    """Holds the character menu; disables it on timeout by editing the original reply."""

    def __init__(self, drama: Drama, *, timeout: float = VIEW_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.add_item(CharacterSelect(drama))
        self.origin: discord.Interaction | None = None

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Select | discord.ui.Button):
                item.disabled = True
        if self.origin is not None:
            # The message may be gone or the token expired: then there is nothing left to disable.
            with contextlib.suppress(discord.HTTPException):
                await self.origin.edit_original_response(view=self)
