"""discord.ui components that come with replies. Rendering stays in `bot.ui.embeds`.

The components are `discord.ui.DynamicItem`s: discord.py routes a click by matching its
custom_id against the item's template, so a menu or button keeps answering after the bot
restarts (the bot registers them in `setup_hook`). The character menu carries all it needs in
its custom_id; the /recommend pager's results live in memory, so after a restart or its timeout
its buttons answer that the results have expired.
"""

from __future__ import annotations

import contextlib
from collections.abc import MutableMapping, Sequence
from typing import Any

import discord

from bot.catalog.model import Drama
from bot.recommend.engine import PAGE_SIZE, Recommendation
from bot.ui import limits
from bot.ui.embeds import character_embed
from bot.ui.errors import UserFacingError, handle_app_command_error
from bot.ui.messages import CHARACTER_GONE, EXPIRED, close_note, not_your_pager
from bot.ui.rating_embeds import recommend_embed
from bot.ui.replies import NO_PINGS, ramen, respond

VIEW_TIMEOUT = 600.0  # seconds /recommend results stay pageable; then the buttons are disabled


def _character_select(drama: Drama) -> discord.ui.Select:
    # Spoiler-only characters are left out; the value is the character's key, so a long name still opens.
    options = [
        discord.SelectOption(
            label=c.name if len(c.name) <= limits.SELECT_LABEL else c.name[: limits.SELECT_LABEL - 1] + "…",
            value=drama.character_key(c),
            description=(f"{c.role.label}{' · ' + c.actor if c.actor else ''}")[: limits.SELECT_DESCRIPTION],
        )
        for c in drama.visible_characters[: limits.SELECT_OPTIONS]
    ]
    return discord.ui.Select(
        placeholder="Open a character card…", options=options, custom_id=f"ramen:characters:{drama.id}"
    )


class CharacterMenu(discord.ui.DynamicItem[discord.ui.Select], template=r"ramen:characters:(?P<drama>[a-z0-9-]+)"):
    """The cast menu: picking a character sends that member their card, ephemeral. Works for
    anyone, for as long as the message exists (custom_id `ramen:characters:<drama id>`)."""

    def __init__(
        self, drama: Drama | None, *, drama_id: str | None = None, select: discord.ui.Select | None = None
    ) -> None:
        if select is None:
            if drama is None:
                raise ValueError("a new character menu needs its drama")
            select = _character_select(drama)
        super().__init__(select)
        self.drama = drama
        self.drama_id = drama_id or (drama.id if drama else "")

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> CharacterMenu:
        """Rebuild the menu from a click on any message, even one sent before a restart."""
        drama_id = match["drama"]
        catalog = ramen(interaction).catalog
        return cls(catalog.get(drama_id), drama_id=drama_id, select=item)  # type: ignore[arg-type]

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            character = self.drama.character(self.item.values[0]) if self.drama and self.item.values else None
            if character is None or self.drama is None:
                raise UserFacingError(CHARACTER_GONE)
            await respond(interaction, embed=character_embed(self.drama, character), ephemeral=True)
        except Exception as exc:  # the one error path, as for app commands
            await handle_app_command_error(interaction, exc)


class CastView(discord.ui.View):
    """Carries the character menu. No timeout: the menu keeps working for as long as the message exists."""

    def __init__(self, drama: Drama) -> None:
        super().__init__(timeout=None)
        self.add_item(CharacterMenu(drama))


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"ramen:recommend:(?P<key>[0-9]+):(?P<step>previous|next)"
):
    """Previous or Next on a `/recommend` reply (custom_id `ramen:recommend:<key>:<step>`).

    The click goes to the live pager registered under `key` on the bot (`bot.pagers`); when
    there is none (timed out, or the bot restarted) the member is told the results expired.
    """

    def __init__(self, key: int, step: str, *, button: discord.ui.Button | None = None) -> None:
        if button is None:
            button = discord.ui.Button(
                label=step.title(), style=discord.ButtonStyle.secondary, custom_id=f"ramen:recommend:{key}:{step}"
            )
        super().__init__(button)
        self.key, self.step = key, step

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> PageButton:
        return cls(int(match["key"]), match["step"], button=item)  # type: ignore[arg-type]

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            pager = ramen(interaction).pagers.get(self.key)
            if pager is None:
                raise UserFacingError(EXPIRED)
            await pager.turn(interaction, +1 if self.step == "next" else -1)
        except Exception as exc:  # the one error path, as for app commands
            await handle_app_command_error(interaction, exc)


class RecommendPager(discord.ui.View):
    """Pages through `/recommend` results, `PAGE_SIZE` a page, for the member who asked only.

    Lives in `registry` (the bot's `pagers`, by key) until it times out; then its buttons are
    disabled by editing the original reply of `origin`, the interaction that asked.
    """

    def __init__(
        self,
        results: list[Recommendation],
        heading: str,
        *,
        likes: Sequence[Drama] = (),
        owner_id: int,
        owner_name: str,
        key: int,
        registry: MutableMapping[int, RecommendPager],
        origin: discord.Interaction | None = None,
        timeout: float = VIEW_TIMEOUT,
    ) -> None:
        super().__init__(timeout=timeout)
        self.results, self.heading, self.likes = results, heading, list(likes)
        self.owner_id, self.owner_name = owner_id, owner_name
        self.key, self.registry = key, registry
        self.page = 1
        self.pages = max(1, -(-len(results) // PAGE_SIZE))
        self.previous = PageButton(key, "previous")
        self.next = PageButton(key, "next")
        self.add_item(self.previous)
        self.add_item(self.next)
        self.origin = origin
        self._sync_buttons()
        if self.pages > 1:
            registry[key] = self

    def embed(self) -> discord.Embed:
        """The current page's embed."""
        start = (self.page - 1) * PAGE_SIZE
        end = start + PAGE_SIZE
        note = close_note(self.results, start, end, self.likes)
        return recommend_embed(
            self.results[start:end], self.page, self.pages, self.heading, per_page=PAGE_SIZE, note=note
        )

    def _sync_buttons(self) -> None:
        self.previous.item.disabled = self.page <= 1
        self.next.item.disabled = self.page >= self.pages

    async def turn(self, interaction: discord.Interaction, step: int) -> None:
        """Move `step` pages (clamped) and edit the message in place; anyone but the owner is refused."""
        if interaction.user.id != self.owner_id:
            await respond(
                interaction,
                content=not_your_pager(self.owner_name),
                ephemeral=True,
            )
            return
        self.page = min(self.pages, max(1, self.page + step))
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.embed(), view=self, allowed_mentions=NO_PINGS)

    async def on_timeout(self) -> None:
        self.registry.pop(self.key, None)
        self.previous.item.disabled = self.next.item.disabled = True
        if self.origin is not None:
            # The message may be gone or the token expired: then there is nothing left to disable.
            with contextlib.suppress(discord.HTTPException):
                await self.origin.edit_original_response(view=self)
