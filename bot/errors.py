"""One error path for app commands: what the member did wrong gets a clear ephemeral answer;
anything else is logged with its traceback and the member gets a short apology.

Used by the command tree's `on_error` (in `bot.client`) and by the offline console, so both
answer the same way.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.catalog.index import UnknownTitle
from bot.interactions import respond
from bot.rendering import did_you_mean

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on our side. It has been logged; please try again in a moment."


class UserFacingError(Exception):
    """Raised by commands for a mistake the member can fix; the message is shown to them, ephemeral."""


def message_for(error: BaseException) -> str | None:
    """The text a member sees for `error`, or None when it is a bug (to be logged, not shown).

    Unwraps `app_commands.CommandInvokeError` and `TransformerError` to their cause.
    """
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        error = error.__cause__ or error
    if isinstance(error, UnknownTitle):
        return did_you_mean(error.query, error.suggestions)
    if isinstance(error, UserFacingError):
        return str(error)
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works in servers only: ratings belong to a server."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    return None


async def handle_app_command_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer `interaction` for `error`: ephemeral message, or a follow-up if already answered."""
    text = message_for(error)
    if text is None:
        what = f"app command /{interaction.command.qualified_name}" if interaction.command else "component"
        log.error("%s failed (interaction %s)", what, interaction.id, exc_info=error)
        text = APOLOGY
    try:
        await respond(interaction, content=text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not deliver the error message for interaction %s", interaction.id, exc_info=True)
