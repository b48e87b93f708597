"""One error path for app commands: what the member did wrong gets a clear ephemeral answer;
anything else is logged with its traceback and the member gets a short apology.

Used by the command tree's `on_error` (in `bot.client`), the components (`bot.ui.views`) and
the offline console, so all answer the same way.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.catalog.index import UnknownTitle
from bot.recommend.engine import NothingToRecommend
from bot.store import STORAGE_FAILURES
from bot.ui.messages import SERVERS_ONLY, did_you_mean, no_match_message
from bot.ui.replies import NO_PINGS, respond
from bot.watch.errors import WatchRuleError

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on our side. It has been logged; please try again in a moment."
DATABASE_DOWN = "The ratings database is not answering right now, so nothing was saved. Please try again in a minute."


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
    if isinstance(error, NothingToRecommend):
        return no_match_message(error.filters, error.emptied_by)
    if isinstance(error, WatchRuleError):  # worded for the member, quoting what they typed
        return discord.utils.escape_mentions(str(error))
    if isinstance(error, UserFacingError):  # worded for the member
        return str(error)
    if isinstance(error, app_commands.NoPrivateMessage):
        return SERVERS_ONLY
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, STORAGE_FAILURES):  # the database itself (stopped, unreachable, read-only, full)
        log.warning("a command could not use the database: %s: %s", type(error).__name__, error)
        return DATABASE_DOWN
    return None


async def handle_app_command_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer `interaction` for `error`: an ephemeral message, or a follow-up if already answered.

    Once the interaction has expired (15 minutes after it arrived) it takes no follow-up: the
    answer goes to the channel instead, as Red-DiscordBot's tree does.
    """
    text = message_for(error)
    if text is None:
        what = f"app command /{interaction.command.qualified_name}" if interaction.command else "component"
        log.error("%s failed (interaction %s)", what, interaction.id, exc_info=error)
        text = APOLOGY
    try:
        if interaction.response.is_done() and interaction.is_expired():
            await _to_channel(interaction, text)
        else:
            await respond(interaction, content=text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not deliver the error message for interaction %s", interaction.id, exc_info=True)


async def _to_channel(interaction: discord.Interaction, text: str) -> None:
    channel = interaction.channel
    if not isinstance(channel, discord.abc.Messageable):
        log.warning("interaction %s expired and has no channel to answer in", interaction.id)
        return
    await channel.send(text, allowed_mentions=NO_PINGS)
