"""Sending replies to an interaction the same way everywhere: no pings, follow-up when needed."""

from __future__ import annotations

import discord

from bot import limits

NO_PINGS = discord.AllowedMentions.none()


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
