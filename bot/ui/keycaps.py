"""The rating keycaps on a prompt message, as Discord sees them: adding the ten, reading who holds
which, and taking off the ones that no longer count (which needs Manage Messages)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import discord

from bot.ratings.scores import RATING_EMOJI, emoji_for_score, score_for_emoji
from bot.ui.messages import NO_REACTIONS, keycaps_missing
from bot.ui.replies import tell

log = logging.getLogger(__name__)


async def add_keycaps(interaction: discord.Interaction, message: Any) -> None:
    """Add the ten rating keycaps 1️⃣ … 🔟 to `message`; trouble is logged and told to the member privately."""
    missing = []
    for emoji in RATING_EMOJI:
        try:
            await message.add_reaction(emoji)  # discord.py waits out 429s and retries 5xx itself
        except discord.Forbidden:
            log.warning("no permission to add rating reactions in channel %s", interaction.channel_id)
            await tell(interaction, NO_REACTIONS)
            return
        except discord.HTTPException as exc:
            log.warning("could not add %s to rating prompt %s: %s", emoji, message.id, exc)
            missing.append(emoji)
    if missing:
        await tell(interaction, keycaps_missing(missing))


async def read_keycaps(message: discord.Message) -> dict[str, list[int]]:
    """Who holds each rating keycap on `message`: emoji as Discord spells it → user ids, bots left out.

    Raises:
        discord.HTTPException: Discord refused to list the users.
    """
    reactions: dict[str, list[int]] = {}
    for reaction in message.reactions:
        if isinstance(reaction.emoji, str) and score_for_emoji(reaction.emoji) is not None:
            # reaction.users() pages through Discord 100 users at a time.
            reactions[reaction.emoji] = [u.id async for u in reaction.users(limit=None) if not u.bot]
    return reactions


async def remove_keycap(client: discord.Client, payload: discord.RawReactionActionEvent, score: int) -> None:
    """Take the reacting member's keycap for `score` off the message of `payload`; without Manage
    Messages it stays (logged), and the vote still counts."""
    channel = client.get_partial_messageable(payload.channel_id, guild_id=payload.guild_id)
    message, message_id, user_id = channel.get_partial_message(payload.message_id), payload.message_id, payload.user_id
    try:
        await message.remove_reaction(emoji_for_score(score), discord.Object(id=user_id))
    except discord.HTTPException as exc:
        log.debug("left the superseded reaction on %s (%s)", message_id, exc)


async def keep_only(message: Any, reactions: Mapping[str, list[int]], votes: Mapping[int, int]) -> None:
    """Take off every keycap of each member in `votes` but the one that is their vote (user id → score).

    Stops at the first refusal: without Manage Messages the votes are right and the reactions stay.
    """
    emoji_for = {score_for_emoji(e): e for e in reactions}
    for user_id, vote in votes.items():
        held = sorted(score_for_emoji(e) for e, users in reactions.items() if user_id in users)
        for score in held:
            if score == vote:
                continue
            try:
                await message.remove_reaction(emoji_for[score], discord.Object(id=user_id))
            except discord.Forbidden:
                return
            except discord.HTTPException as exc:
                log.debug("left a superseded reaction on %s (%s)", message.id, exc)
