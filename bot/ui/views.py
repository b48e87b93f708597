"""discord.ui components that come with replies. Rendering stays in `bot.ui.embeds`.

The components are `discord.ui.DynamicItem`s: discord.py routes a click by matching its
custom_id against the item's template, so a menu or button keeps answering after the bot
restarts (the bot registers them in `setup_hook`). The character menu carries all it needs in
its custom_id; the /recommend pager's buttons carry the pager's id and the page they open, and the
results are read from the database (`bot.store.pagers`), so they page on any process, after any
restart, for as long as the pager is kept.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.catalog.model import Drama
from bot.recommend.engine import PAGE_SIZE, Picks
from bot.recommend.pages import UnreadablePicks, decode_picks, page_count
from bot.ui import limits
from bot.ui.embeds import character_embed
from bot.ui.errors import UserFacingError, handle_app_command_error
from bot.ui.messages import CHARACTER_GONE, PAGER_GONE, close_note, heading, not_your_pager
from bot.ui.rating_embeds import recommend_embed
from bot.ui.replies import NO_PINGS, in_time, ramen, respond


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
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"ramen:recommend:(?P<key>[0-9]+):(?P<page>[0-9]+|previous|next)",
):
    """Previous or Next on a `/recommend` reply: custom_id `ramen:recommend:<pager id>:<page it opens>`
    (at most 39 characters). The pager id is the id of the interaction that asked, the key of its
    row in the database (`Storage.pager`), so any process sharing the database, before or after a
    restart, turns the page. Buttons from before pagers were kept (`…:previous`, `…:next`) and
    pagers past their retention answer, ephemeral, that the results are no longer kept.
    """

    def __init__(
        self, key: int, page: int | str, *, label: str = "", disabled: bool = False, button: Any = None
    ) -> None:
        if button is None:
            button = discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"ramen:recommend:{key}:{page}",
                disabled=disabled,
            )
        super().__init__(button)
        self.key, self.page = key, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> PageButton:
        page = match["page"]
        return cls(int(match["key"]), int(page) if page.isdigit() else page, button=item)

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await turn_page(interaction, self.key, self.page)
        except Exception as exc:  # the one error path, as for app commands
            await handle_app_command_error(interaction, exc)


def pager_view(key: int, page: int, pages: int) -> discord.ui.View:
    """Previous and Next for page `page` of `pages` of the pager `key`; disabled at either end. No
    timeout: the buttons live in the database's pager, not in this object."""
    view = discord.ui.View(timeout=None)
    view.add_item(PageButton(key, max(0, page - 1), label="Previous", disabled=page <= 1))
    view.add_item(PageButton(key, page + 1, label="Next", disabled=page >= pages))
    return view


def pager_embed(picks: Picks, page: int) -> discord.Embed:
    """Page `page` (1-based, clamped) of a /recommend answer, `PAGE_SIZE` a page."""
    pages = page_count(len(picks.results))
    page = min(pages, max(1, page))
    start = (page - 1) * PAGE_SIZE
    end = start + PAGE_SIZE
    note = close_note(picks.results, start, end, picks.likes)
    return recommend_embed(picks.results[start:end], page, pages, heading(picks), per_page=PAGE_SIZE, note=note)


async def turn_page(interaction: discord.Interaction, key: int, page: int | str) -> None:
    """Show page `page` of the pager `key` by editing its message, for whoever asked only (anyone
    else is told so, ephemeral). Raises UserFacingError(PAGER_GONE) when the pager is not kept
    (pruned, from before pagers were kept, or unreadable)."""
    bot = ramen(interaction)
    stored = await in_time(interaction, bot.storage.pager(key), update=True) if isinstance(page, int) else None
    if stored is None:
        raise UserFacingError(PAGER_GONE)
    if interaction.user.id != stored.owner_id:
        await respond(interaction, content=not_your_pager(stored.owner_name), ephemeral=True)
        return
    try:
        picks = decode_picks(stored.results, bot.catalog)
    except UnreadablePicks as exc:
        raise UserFacingError(PAGER_GONE) from exc
    pages = page_count(len(picks.results))
    page = min(pages, max(1, int(page)))
    changes: dict[str, Any] = {
        "embed": pager_embed(picks, page),
        "view": pager_view(key, page, pages),
        "allowed_mentions": NO_PINGS,
    }
    if interaction.response.is_done():  # deferred while the database answered
        await interaction.edit_original_response(**changes)
    else:
        await interaction.response.edit_message(**changes)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (CharacterMenu, PageButton)
"""The components discord.py rebuilds from a custom_id alone (`RamenBot.setup_hook` registers them;
the console routes a press on a restored message to them the same way)."""
