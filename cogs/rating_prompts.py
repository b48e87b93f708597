"""The rating prompts' raw reaction listeners, and reconciliation after a restart or a reconnect.

Raw events, so prompts keep working after a restart and for messages not in the cache. Each
listener is guard clauses and one store call; the store decides (in one transaction) whether the
message is a prompt and what the vote becomes. Superseded keycaps are taken off by `KeycapTidy`,
which re-checks before every attempt and lets the listener tell its echo from a member's removal.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.ratings.scores import Keycap, keycap
from bot.store import STORAGE_FAILURES
from bot.ui.keycaps import KeycapTidy
from bot.ui.prompt_reads import PromptReads

if TYPE_CHECKING:
    from bot.client import RamenBot
    from bot.store import Storage

log = logging.getLogger(__name__)


class RatingPromptsCog(commands.Cog):
    """Votes from keycap reactions on rating prompts, live and after downtime."""

    def __init__(self, bot: commands.Bot, storage: Storage) -> None:
        self.bot = bot
        self.storage = storage
        self.tidy = KeycapTidy(bot, storage)  # type: ignore[arg-type]
        # The cut-off, the catch-up (live events on a prompt wait for its re-read after a gap) and
        # the recovery after a database failure.
        self.reads = PromptReads(bot, storage, self.tidy)
        self._reconcile_task: asyncio.Task[int] | None = None
        self._away = False
        self._ready_before = False

    @property
    def listening_since(self) -> dt.datetime:
        """When the bot last started listening again (see `PromptReads`)."""
        return self.reads.listening_since

    async def cog_unload(self) -> None:
        if self._reconcile_task is not None:
            self._reconcile_task.cancel()
        await self.reads.close()  # waiting live events go ahead and are queued before the store closes
        await self.tidy.close()

    def _keycap(self, payload: discord.RawReactionActionEvent) -> Keycap | None:
        """(score, spelling) of a keycap reaction a member made in a guild, or None when it is none of ours."""
        if payload.guild_id is None or payload.emoji.id is not None:
            return None
        me = self.bot.user
        if (me is not None and payload.user_id == me.id) or (payload.member is not None and payload.member.bot):
            return None
        return keycap(payload.emoji.name)

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        key = self._keycap(payload)
        if key is None or payload.guild_id is None:
            return
        guild_id, message_id, user_id = payload.guild_id, payload.message_id, payload.user_id
        await self.reads.catch_up.before_live(message_id, user_id)  # the prompt's re-read first, then in order
        self.tidy.added(message_id, user_id, key[0])  # a pending removal of this keycap is stale now
        try:
            superseded = await self.storage.record_reaction(guild_id, message_id, user_id, key[0], spelling=key[1])
        except STORAGE_FAILURES as exc:
            return self.reads.storage_failed(f"a reaction on {message_id}", exc, message_id, user_id)
        self.bot.dispatch("rating_vote", guild_id, message_id)  # the live tally (cogs.live_tally)
        if superseded is not None:
            await asyncio.wait([self.tidy.remove(guild_id, payload.channel_id, message_id, user_id, superseded)])

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        key = self._keycap(payload)
        if key is None or payload.guild_id is None:
            return
        await self.reads.catch_up.before_live(payload.message_id, payload.user_id)
        # The bot's own tidy's echo only forgets the keycap; a member's removal withdraws the vote if
        # it is the current one and no other spelling of it is still on.
        echo = self.tidy.is_echo(payload.message_id, payload.user_id, payload.emoji.name or "")
        ids, since = (payload.guild_id, payload.message_id, payload.user_id, key[0]), self.listening_since
        try:
            await self.storage.withdraw_reaction(*ids, spelling=key[1], echo=echo, listening_since=since)
        except STORAGE_FAILURES as exc:
            return self.reads.storage_failed(f"a removed reaction on {ids[1]}", exc, ids[1], ids[2])
        self.bot.dispatch("rating_vote", payload.guild_id, payload.message_id)  # the live tally (cogs.live_tally)

    @commands.Cog.listener()
    async def on_connect(self) -> None:
        if not self.reads.catch_up.is_open:  # the first connect (a later one follows a disconnect's gap)
            self.reads.open_gap(now=False)

    @commands.Cog.listener()
    async def on_disconnect(self) -> None:
        if not self._away:  # events from here on are replayed by a RESUME, or lost to a new session
            self._away = True
            self.reads.open_gap()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        how = "after a reconnect" if self._ready_before else "while the bot was away"
        self._ready_before = True
        self.schedule_reconcile(how)

    @commands.Cog.listener()
    async def on_resumed(self) -> None:
        self.schedule_reconcile("after a reconnect")

    def schedule_reconcile(self, how: str = "while the bot was away") -> None:
        """Re-read recent prompts' reactions in the background (start-up must not wait on it)."""
        self._away = False
        if self._reconcile_task is not None and not self._reconcile_task.done():
            self._reconcile_task.cancel()  # a new gap: read again with the new cut-off
        self._reconcile_task = asyncio.create_task(self.reconcile_recent(how=how), name="ramen-reconcile")

    async def reconcile_recent(self, now: dt.datetime | None = None, *, how: str = "while the bot was away") -> int:
        """Reconcile every recent prompt (`PromptReads.reconcile_recent`); returns how many votes changed."""
        try:
            return await self.reads.reconcile_recent(now, how=how)
        except STORAGE_FAILURES as exc:
            self.reads.storage_failed("reconciliation", exc)
            return 0


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(RatingPromptsCog(bot, bot.storage))
