"""discord.ui views: components that come with replies. Rendering stays in `bot.rendering`."""

from __future__ import annotations

import contextlib

import discord

from bot import limits
from bot.catalog import Drama, Role
from bot.errors import handle_app_command_error
from bot.interactions import NO_PINGS, respond
from bot.recommend import PAGE_SIZE, Recommendation
from bot.rendering import character_embed, recommend_embed
from bot.spoilers import plain

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


class ExpiringView(discord.ui.View):
    """A view that disables its components when it times out, by editing the reply it came with.

    Set `origin` to the interaction whose response carried the view, once it is sent.
    """

    def __init__(self, *, timeout: float = VIEW_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.origin: discord.Interaction | None = None

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item) -> None:
        # The same one error path as app commands: a clear ephemeral answer, bugs logged.
        await handle_app_command_error(interaction, error)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Select | discord.ui.Button):
                item.disabled = True
        if self.origin is not None:
            # The message may be gone or the token expired: then there is nothing left to disable.
            with contextlib.suppress(discord.HTTPException):
                await self.origin.edit_original_response(view=self)


class CastView(ExpiringView):
    """Holds the character menu."""

    def __init__(self, drama: Drama, *, timeout: float = VIEW_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.add_item(CharacterSelect(drama))


class PageButton(discord.ui.Button["RecommendPager"]):
    """Previous or Next on a `/recommend` reply: turns the pager by `step` pages."""

    def __init__(self, label: str, step: int, custom_id: str) -> None:
        super().__init__(label=label, style=discord.ButtonStyle.secondary, custom_id=custom_id[: limits.CUSTOM_ID])
        self.step = step

    async def callback(self, interaction: discord.Interaction) -> None:
        if self.view is not None:
            await self.view.turn(interaction, self.step)


class RecommendPager(ExpiringView):
    """Pages through `/recommend` results, `PAGE_SIZE` a page, for the member who asked only.

    Edits its message in place; disables its buttons when it times out (by editing the original
    reply, which `origin` must be set to once it is sent).
    """

    def __init__(self, results: list[Recommendation], heading: str, *, owner_id: int, owner_name: str,
                 key: int | str | None = None, timeout: float = VIEW_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.results, self.heading = results, heading
        self.owner_id, self.owner_name = owner_id, owner_name
        self.page = 1
        self.pages = max(1, -(-len(results) // PAGE_SIZE))
        key = key if key is not None else f"{id(self):x}"
        self.previous = PageButton("Previous", -1, f"ramen:recommend:{key}:previous")
        self.next = PageButton("Next", +1, f"ramen:recommend:{key}:next")
        self.add_item(self.previous)
        self.add_item(self.next)
        self._sync_buttons()

    def embed(self) -> discord.Embed:
        """The current page's embed."""
        start = (self.page - 1) * PAGE_SIZE
        return recommend_embed(self.results[start : start + PAGE_SIZE], self.page, self.pages, self.heading,
                               per_page=PAGE_SIZE)

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page <= 1
        self.next.disabled = self.page >= self.pages

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the member who ran /recommend may page; anyone else is told so, ephemerally."""
        if interaction.user.id == self.owner_id:
            return True
        await respond(interaction, content=f"Only {plain(self.owner_name, 100)} can page these results; "
                                           "run /recommend yourself.", ephemeral=True)
        return False

    async def turn(self, interaction: discord.Interaction, step: int) -> None:
        """Move `step` pages (clamped to the first and last) and edit the message in place."""
        self.page = min(self.pages, max(1, self.page + step))
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.embed(), view=self, allowed_mentions=NO_PINGS)
