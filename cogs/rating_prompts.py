"""The rating prompts' raw reaction listeners, and reconciliation after downtime.

Raw events, so prompts keep working after a restart and for messages not in the cache. Each
listener is guard clauses and one store call; the store decides (in one transaction) whether the
message is a prompt and what the vote becomes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.ratings.scores import reactions_by_member, score_for_emoji
from bot.ui.keycaps import keep_only, read_keycaps, remove_keycap

if TYPE_CHECKING:
    from bot.client import RamenBot
    from bot.store import RatingPrompt, Storage

log = logging.getLogger(__name__)

RECONCILE_DAYS = 30  # prompts older than this are not re-read after downtime


class RatingPromptsCog(commands.Cog):
    """Votes from keycap reactions on rating prompts, live and after downtime."""

    def __init__(self, bot: commands.Bot, storage: Storage) -> None:
        self.bot = bot
        self.storage = storage
        self._reconcile_task: asyncio.Task[None] | None = None

    async def cog_unload(self) -> None:
        if self._reconcile_task is not None:
            self._reconcile_task.cancel()

    def _keycap(self, payload: discord.RawReactionActionEvent) -> int | None:
        """The score of a keycap reaction a member made in a guild, or None when it is none of ours."""
        if payload.guild_id is None or payload.emoji.id is not None:
            return None
        me = self.bot.user
        if (me is not None and payload.user_id == me.id) or (payload.member is not None and payload.member.bot):
            return None
        return score_for_emoji(payload.emoji.name)

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        score = self._keycap(payload)
        if score is None or payload.guild_id is None:
            return
        superseded = await self.storage.record_reaction(payload.guild_id, payload.message_id, payload.user_id, score)
        self.bot.dispatch("rating_vote", payload.guild_id, payload.message_id)  # the live tally (cogs.live_tally)
        if superseded is not None:
            await remove_keycap(self.bot, payload, superseded)

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        score = self._keycap(payload)
        if score is None or payload.guild_id is None:
            return
        # Only the reaction that is the current vote withdraws it; an older one changes nothing.
        await self.storage.withdraw_reaction(payload.guild_id, payload.message_id, payload.user_id, score)
        self.bot.dispatch("rating_vote", payload.guild_id, payload.message_id)  # the live tally (cogs.live_tally)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self.schedule_reconcile()

    @commands.Cog.listener()
    async def on_resumed(self) -> None:
        self.schedule_reconcile()

    def schedule_reconcile(self) -> None:
        """Re-read recent prompts' reactions in the background (start-up must not wait on it)."""
        if self._reconcile_task is not None and not self._reconcile_task.done():
            return
        self._reconcile_task = asyncio.create_task(self.reconcile_recent(), name="ramen-reconcile")

    async def reconcile_recent(self, now: dt.datetime | None = None) -> int:
        """Reconcile every prompt of the last `RECONCILE_DAYS` days; returns how many votes changed."""
        now = now or discord.utils.utcnow()
        changed = 0
        # Sharded: only the guilds on this process's shards (the other processes reconcile theirs).
        shard_count = getattr(self.bot, "shard_count", None)
        shard_ids = getattr(self.bot, "shard_ids", None) or range(shard_count or 0)
        cutoff = now - dt.timedelta(days=RECONCILE_DAYS)
        for prompt in await self.storage.prompts_since(cutoff, shard_count=shard_count, shard_ids=list(shard_ids)):
            try:
                changed += await self.reconcile_prompt(prompt)
            except discord.HTTPException as exc:
                log.warning("could not re-read the reactions on prompt %s: %s", prompt.message_id, exc)
            except Exception:
                log.exception("reconciling prompt %s failed", prompt.message_id)
        if changed:
            log.info("reconciliation: %d votes changed while the bot was away", changed)
        return changed

    async def reconcile_prompt(self, prompt: RatingPrompt) -> int:
        """Make the store agree with one prompt's reactions; returns how many votes changed.

        Then takes off the keycaps that no longer count, as the live listener would have: a member
        left holding several keycaps keeps only their vote's. Only where the vote is certain: if two
        or more keycaps appeared while the bot was away, Discord does not say which came last.

        Raises:
            discord.HTTPException: Discord refused to read the message (other than NotFound).
        """
        channel = self.bot.get_partial_messageable(prompt.channel_id, guild_id=prompt.guild_id)
        read_started_at = discord.utils.utcnow()
        try:
            message = await channel.fetch_message(prompt.message_id)
        except discord.NotFound:
            await self.storage.delete_prompt(prompt.message_id)  # votes cast through it stay
            return 0
        reactions = await read_keycaps(message)
        by_member = reactions_by_member(reactions, self.bot.user.id if self.bot.user else None)
        seen = await self.storage.seen_keycaps(prompt.message_id)
        result = await self.storage.reconcile_prompt(prompt, by_member, read_started_at=read_started_at)
        if result.total:
            self.bot.dispatch("rating_vote", prompt.guild_id, prompt.message_id)  # the live tally
        keep: dict[int, int] = {}
        for user_id, scores in by_member.items():
            if len(scores) < 2 or len(scores - seen.get(user_id, frozenset())) > 1:
                continue
            vote = await self.storage.member_vote(prompt.guild_id, prompt.drama_id, user_id)
            if vote is not None and vote.score in scores:  # else it came from /rate or was withdrawn
                keep[user_id] = vote.score
        await keep_only(message, reactions, keep)
        return result.total


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(RatingPromptsCog(bot, bot.storage))
