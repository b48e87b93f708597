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

from bot.ratings.catch_up import CatchUp
from bot.ratings.scores import PROMPT_OPEN_DAYS, Keycap, keycap
from bot.ui.keycaps import KeycapTidy, reread_prompt

if TYPE_CHECKING:
    from bot.client import RamenBot
    from bot.store import RatingPrompt, Storage

log = logging.getLogger(__name__)

RECONCILE_DAYS = PROMPT_OPEN_DAYS  # prompts older than this are not re-read after downtime


class RatingPromptsCog(commands.Cog):
    """Votes from keycap reactions on rating prompts, live and after downtime."""

    def __init__(self, bot: commands.Bot, storage: Storage) -> None:
        self.bot = bot
        self.storage = storage
        self.tidy = KeycapTidy(bot, storage)  # type: ignore[arg-type]
        self._reconcile_task: asyncio.Task[int] | None = None
        # Live events stamped at or after this instant win over reconciliation: the cog is loaded
        # before the first connect; a disconnect moves it to the moment listening stopped.
        self.listening_since = discord.utils.utcnow()
        self._away = False
        self._ready_before = False  # from a (re)connect, live events on a prompt wait for its re-read:
        self.catch_up: CatchUp[RatingPrompt, tuple[int, list[asyncio.Task[None]]]] = CatchUp(self._reread)

    async def cog_unload(self) -> None:
        if self._reconcile_task is not None:
            self._reconcile_task.cancel()
        await self.catch_up.release()  # waiting live events go ahead and are queued before the store closes
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
        await self.catch_up.before_live(message_id, user_id)  # the prompt's re-read first; then this, in order
        self.tidy.added(message_id, user_id, key[0])  # a pending removal of this keycap is stale now
        superseded = await self.storage.record_reaction(guild_id, message_id, user_id, key[0], spelling=key[1])
        self.bot.dispatch("rating_vote", guild_id, message_id)  # the live tally (cogs.live_tally)
        if superseded is not None:
            await asyncio.wait([self.tidy.remove(guild_id, payload.channel_id, message_id, user_id, superseded)])

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        key = self._keycap(payload)
        if key is None or payload.guild_id is None:
            return
        # The bot's own tidy's echo only forgets the keycap; a member's removal withdraws the vote if
        # it is the current one and no other spelling of it is still on.
        await self.catch_up.before_live(payload.message_id, payload.user_id)
        echo = self.tidy.is_echo(payload.message_id, payload.user_id, payload.emoji.name or "")
        ids = (payload.guild_id, payload.message_id, payload.user_id, key[0])
        await self.storage.withdraw_reaction(*ids, spelling=key[1], echo=echo, listening_since=self.listening_since)
        self.bot.dispatch("rating_vote", payload.guild_id, payload.message_id)  # the live tally (cogs.live_tally)

    @commands.Cog.listener()
    async def on_connect(self) -> None:
        if not self.catch_up.is_open:  # the first connect (a later one follows a disconnect's gap)
            self.catch_up.open(self._recent_prompts)

    @commands.Cog.listener()
    async def on_disconnect(self) -> None:
        if not self._away:  # events from here on are replayed by a RESUME, or lost to a new session
            self._away, self.listening_since = True, discord.utils.utcnow()
            self.catch_up.open(self._recent_prompts)

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
        """Reconcile every prompt of the last `RECONCILE_DAYS` days (those live events already had
        re-read are not read again), then wait for the keycap tidying; returns how many votes changed."""
        results = await self.catch_up.run(lambda: self._recent_prompts(now))
        await asyncio.gather(*(task for _, tidying in results for task in tidying))  # each never raises
        changed = sum(count for count, _ in results)
        if changed:
            log.info("reconciliation: %d votes changed %s", changed, how)
        return changed

    async def _recent_prompts(self, now: dt.datetime | None = None) -> list[RatingPrompt]:
        """Prompts of the last `RECONCILE_DAYS` days in guilds on this process's shards, oldest first."""
        shard_count = getattr(self.bot, "shard_count", None)
        shard_ids = getattr(self.bot, "shard_ids", None) or range(shard_count or 0)
        cutoff = (now or discord.utils.utcnow()) - dt.timedelta(days=RECONCILE_DAYS)
        return await self.storage.prompts_since(cutoff, shard_count=shard_count, shard_ids=list(shard_ids))

    async def _reread(self, prompt: RatingPrompt) -> tuple[int, list[asyncio.Task[None]]]:
        """`reconcile_prompt` for the catch-up: never raises; (votes changed, the tidy tasks it started)."""
        try:
            return await self.reconcile_prompt(prompt)
        except discord.HTTPException as exc:
            log.warning("could not re-read the reactions on prompt %s: %s", prompt.message_id, exc)
        except Exception:
            log.exception("reconciling prompt %s failed", prompt.message_id)
        return 0, []

    async def reconcile_prompt(self, prompt: RatingPrompt) -> tuple[int, list[asyncio.Task[None]]]:
        """`bot.ui.keycaps.reread_prompt` with this cog's cut-off: (votes changed, tidy tasks started)."""
        since, waiting = self.listening_since, self.catch_up.waiting
        return await reread_prompt(self.bot, self.storage, self.tidy, prompt, since, live=waiting)


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(RatingPromptsCog(bot, bot.storage))
