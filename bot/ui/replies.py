"""Sending replies to an interaction the same way everywhere: no pings, follow-up when needed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

import discord

from bot.ui import limits
from bot.ui.messages import PROMPT_LOST

if TYPE_CHECKING:
    from bot.catalog.index import Catalog
    from bot.recommend.engine import Recommender
    from bot.store import Storage

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()

DEFER_AFTER = 1.5
"""Seconds a command waits on storage before deferring: Discord wants an answer within 3 s."""

T = TypeVar("T")


class RamenClient(Protocol):
    """What the UI reads off the bot (`bot.client.RamenBot` has it): the catalog, the recommender (its
    vocabularies feed /recommend's autocomplete), the storage (the /recommend pagers' buttons read
    their pager from it), and `dispatch` for the bot's own events (`discord.Client.dispatch`)."""

    catalog: Catalog
    recommender: Recommender
    storage: Storage

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None: ...


def ramen(interaction: discord.Interaction) -> RamenClient:
    """`interaction.client`, typed as the Ramen bot: the one place that says what the client carries."""
    return cast("RamenClient", interaction.client)


def guild_id_of(interaction: discord.Interaction) -> int:
    """The guild a server-only command runs in. Raises `app_commands.NoPrivateMessage` outside one
    (the one error handler answers it), for commands marked `guild_only` that arrive anyway."""
    if interaction.guild_id is None:
        raise discord.app_commands.NoPrivateMessage()
    return interaction.guild_id


def server_of(interaction: discord.Interaction) -> int | None:
    """The guild whose server data (scores, watchlists) this interaction may show: its guild when
    Ramen is installed there, else None — a DM, a group DM, or a server reached only through a
    member's user install, where Ramen is not a member and answers through the interaction only."""
    if interaction.guild_id is None or not interaction.is_guild_integration():
        return None
    return interaction.guild_id


async def respond(
    interaction: discord.Interaction,
    *,
    content: str | None = None,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
    ephemeral: bool = False,
) -> discord.InteractionMessage | None:
    """Send the reply to `interaction`: the initial response, or a follow-up once it is done
    (after `defer()` or a first reply). Mentions in catalog or user text never ping anyone.

    Returns:
        The message the initial response created, when Discord sent it back; None for a follow-up.
    Raises:
        discord.HTTPException: Discord refused the message.
    """
    kwargs: dict = {"ephemeral": ephemeral, "allowed_mentions": NO_PINGS}
    if content is not None:
        # Renderers keep content short; this is the last guard of Discord's 2000-character limit.
        kwargs["content"] = content if len(content) <= limits.CONTENT else content[: limits.CONTENT - 1] + "…"
    if embed is not None:
        kwargs["embed"] = embed
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
        return None
    callback = await interaction.response.send_message(**kwargs)
    return getattr(callback, "resource", None)


async def in_time(
    interaction: discord.Interaction, work: Awaitable[T], *, ephemeral: bool = False, update: bool = False
) -> T:
    """Await `work` (a storage call), deferring the interaction first if it takes longer than
    `DEFER_AFTER` seconds, so Discord has its answer within 3 s whatever storage does; the reply
    (`respond`) then fills the deferred message. `ephemeral` must match that reply's. `update`
    (a button that edits its own message): defer as a message update instead, no "thinking…";
    the caller then edits with `interaction.edit_original_response`.

    Returns what `work` returns; raises what it raises (after deferring, the error path answers
    with a follow-up).
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    if not done and not interaction.response.is_done():
        if update:
            await interaction.response.defer()
        else:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task


async def tell(interaction: discord.Interaction, text: str) -> None:
    """A private answer (a follow-up once the interaction is answered) to whoever acted; a failure
    to send it is only logged."""
    try:
        await respond(interaction, content=text, ephemeral=True)
    except discord.HTTPException as exc:
        log.warning("could not send a follow-up: %s", exc)


async def post_prompt(interaction: discord.Interaction, embed: discord.Embed) -> Any | None:
    """Post `embed` publicly as the response and return the message it made.

    Discord returns the posted message with the response; ask again only if it did not. When it
    cannot be read back, the member is told privately and None is returned.
    """
    message = await respond(interaction, embed=embed)
    if message is not None:
        return message
    try:
        return await interaction.original_response()
    except discord.HTTPException as exc:
        log.warning("posted a rating prompt but could not read it back: %s", exc)
        await tell(interaction, PROMPT_LOST)
        return None


async def take_back(message: Any) -> None:
    """Delete a message the bot posted that must not stand (a rating prompt the store could not
    remember: reactions on it would never count); a failure to delete is only logged."""
    try:
        await message.delete()
    except discord.HTTPException as exc:
        log.warning("could not take back message %s: %s", getattr(message, "id", "?"), exc)
