"""/rate, /ratings, /myratings and the rating prompts' raw reaction listeners."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import weakref
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import rendering
from bot.autocomplete import Title
from bot.catalog.index import Catalog
from bot.errors import UserFacingError
from bot.interactions import respond
from bot.ratings.scores import (
    PRIOR_MEAN,
    PRIOR_WEIGHT,
    RATING_EMOJI,
    emoji_for_score,
    reactions_by_member,
    score_for_emoji,
)

if TYPE_CHECKING:
    from bot.client import RamenBot
    from bot.storage import RatingPrompt, Storage

log = logging.getLogger(__name__)

RECONCILE_DAYS = 30  # prompts older than this are not re-read after downtime
CHART_SIZE = 10
CHART_MIN_VOTES = 1


class RatingsCog(commands.Cog):
    """Server-wide ramen ratings, 1-10 bowls, from reactions on rating prompts or /rate."""

    def __init__(self, bot: commands.Bot, storage: Storage, catalog: Catalog) -> None:
        self.bot = bot
        self.storage = storage
        self.catalog = catalog
        self._reconcile_task: asyncio.Task[None] | None = None
        self._locks: weakref.WeakValueDictionary[tuple[int, str, int], asyncio.Lock] = weakref.WeakValueDictionary()

    async def cog_unload(self) -> None:
        if self._reconcile_task is not None:
            self._reconcile_task.cancel()

    # ------------------------------------------------------------------ commands

    @app_commands.command(name="rate", description="Rate a drama 1-10 bowls, or post a prompt members react on.")
    @app_commands.describe(title="The drama's title", score="Your score, 1-10 bowls (leave empty to post a prompt)")
    @app_commands.guild_only()
    async def rate(
        self, interaction: discord.Interaction, title: Title, score: app_commands.Range[int, 1, 10] | None = None
    ) -> None:
        drama, guild_id = title, _guild_id(interaction)
        if score is not None and not 1 <= score <= len(RATING_EMOJI):
            # Discord enforces the Range, but discord.py does not re-check what arrives.
            raise UserFacingError(f"A score is 1 to {len(RATING_EMOJI)} ramen bowls, not {score}.")
        if score is not None:
            # Committed before the member is told it counted.
            await self.storage.record_vote(guild_id, drama.id, interaction.user.id, score)
            server = await self.storage.guild_score(guild_id, drama.id)
            await respond(interaction, content=rendering.vote_ack(drama, score, server), ephemeral=True)
            return
        if interaction.channel_id is None:
            raise UserFacingError("A rating prompt needs a channel to live in; try /rate in a text channel.")
        # Discord returns the posted message with the response; ask again only if it did not.
        message = await respond(interaction, embed=rendering.rating_prompt_embed(drama, RATING_EMOJI))
        if message is None:
            try:
                message = await interaction.original_response()
            except discord.HTTPException as exc:
                log.warning("posted a rating prompt but could not read it back: %s", exc)
                await self._tell(
                    interaction,
                    "The prompt went out, but Discord did not give me its id, so "
                    "reactions on it would not count. Please run /rate again.",
                )
                return
        # Remembered before the reactions go on, so a member who reacts at once is counted.
        await self.storage.add_prompt(message.id, guild_id, interaction.channel_id, drama.id)
        await self._add_keycaps(interaction, message)

    async def _add_keycaps(self, interaction: discord.Interaction, message: Any) -> None:
        missing = []
        for emoji in RATING_EMOJI:
            try:
                await message.add_reaction(emoji)  # discord.py waits out 429s and retries 5xx itself
            except discord.Forbidden:
                log.warning("no permission to add rating reactions in channel %s", interaction.channel_id)
                await self._tell(
                    interaction,
                    "I may not add reactions here (Add Reactions and Read Message "
                    "History permissions). Members can still vote by reacting with "
                    "1️⃣ … 🔟 themselves.",
                )
                return
            except discord.HTTPException as exc:
                log.warning("could not add %s to rating prompt %s: %s", emoji, message.id, exc)
                missing.append(emoji)
        if missing:
            await self._tell(
                interaction,
                f"Discord had trouble adding {' '.join(missing)}; members can still "
                "vote by reacting with any of 1️⃣ … 🔟 themselves.",
            )

    async def _tell(self, interaction: discord.Interaction, text: str) -> None:
        """A private follow-up to whoever ran the command; a failure to send it is only logged."""
        try:
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as exc:
            log.warning("could not send a follow-up: %s", exc)

    @app_commands.command(name="ratings", description="This server's ramen score for a drama, or its top 10.")
    @app_commands.describe(title="The drama's title (leave empty for the server's top 10)")
    @app_commands.guild_only()
    async def ratings(self, interaction: discord.Interaction, title: Title | None = None) -> None:
        guild_id = _guild_id(interaction)
        if title is not None:
            score = await self.storage.guild_score(guild_id, title.id)
            await respond(interaction, embed=rendering.ratings_embed(title, score))
            return
        chart = await self.storage.top_dramas(
            guild_id, CHART_SIZE, prior_mean=PRIOR_MEAN, prior_weight=PRIOR_WEIGHT, min_votes=CHART_MIN_VOTES
        )
        rows = [(self._title(row.drama_id), row) for row in chart]
        embed = rendering.chart_embed(rows, prior_mean=PRIOR_MEAN, prior_weight=PRIOR_WEIGHT, min_votes=CHART_MIN_VOTES)
        await respond(interaction, embed=embed)

    @app_commands.command(name="myratings", description="Your own ramen votes in this server (only you see them).")
    @app_commands.guild_only()
    async def myratings(self, interaction: discord.Interaction) -> None:
        votes = await self.storage.member_votes(_guild_id(interaction), interaction.user.id)
        rows = [(self._title(v.drama_id), v) for v in votes]
        embed = rendering.my_ratings_embed(interaction.user.display_name, rows)
        await respond(interaction, embed=embed, ephemeral=True)

    def _title(self, drama_id: str) -> str:
        drama = self.catalog.get(drama_id)
        return rendering.drama_title(drama) if drama else f"{drama_id} (no longer in the catalog)"

    # ------------------------------------------------------------------ reactions

    def _from_bot(self, payload: discord.RawReactionActionEvent) -> bool:
        me = self.bot.user
        if me is not None and payload.user_id == me.id:
            return True
        return payload.member is not None and payload.member.bot

    async def _prompt_for(self, payload: discord.RawReactionActionEvent) -> tuple[RatingPrompt, int] | None:
        """The prompt and score a reaction event is about, or None when it is none of our business."""
        if payload.guild_id is None or payload.emoji.id is not None or self._from_bot(payload):
            return None
        score = score_for_emoji(payload.emoji.name)
        if score is None:
            return None
        prompt = await self.storage.prompt(payload.message_id)
        if prompt is None or prompt.guild_id != payload.guild_id:
            return None
        return prompt, score

    # Raw events: prompts keep working after a restart and for messages not in the cache.
    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        found = await self._prompt_for(payload)
        if found is None:
            return
        prompt, score = found
        # One member's reactions are handled one at a time, so the vote read here is still current
        # when the new one is written (two quick clicks must not both see "no vote yet").
        async with self._member_lock(prompt.guild_id, prompt.drama_id, payload.user_id):
            previous = await self.storage.member_vote(prompt.guild_id, prompt.drama_id, payload.user_id)
            await self.storage.record_vote(
                prompt.guild_id, prompt.drama_id, payload.user_id, score, prompt_message_id=prompt.message_id
            )
        if previous is not None and previous.score != score and previous.prompt_message_id == prompt.message_id:
            await self._remove_superseded(prompt, payload.user_id, previous.score)

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        found = await self._prompt_for(payload)
        if found is None:
            return
        prompt, score = found
        # Only the reaction that is the current vote withdraws it; an older one changes nothing.
        async with self._member_lock(prompt.guild_id, prompt.drama_id, payload.user_id):
            await self.storage.withdraw_vote(
                prompt.guild_id, prompt.drama_id, payload.user_id, score, prompt_message_id=prompt.message_id
            )

    def _member_lock(self, guild_id: int, drama_id: str, user_id: int) -> asyncio.Lock:
        key = (guild_id, drama_id, user_id)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()  # dropped by the weak dict once nobody waits on it
        return lock

    async def _remove_superseded(self, prompt: RatingPrompt, user_id: int, old_score: int) -> None:
        """Tidy the member's old keycap off the prompt; without Manage Messages the vote still counts."""
        channel = self.bot.get_partial_messageable(prompt.channel_id, guild_id=prompt.guild_id)
        message = channel.get_partial_message(prompt.message_id)
        try:
            await message.remove_reaction(emoji_for_score(old_score), discord.Object(id=user_id))
        except discord.HTTPException as exc:
            log.debug("left the superseded reaction on %s (%s)", prompt.message_id, exc)

    # ------------------------------------------------------------------ reconciliation

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
        for prompt in await self.storage.prompts_since(now - dt.timedelta(days=RECONCILE_DAYS)):
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
        me = self.bot.user.id if self.bot.user else None
        reactions: dict[str, list[int]] = {}
        for reaction in message.reactions:
            if isinstance(reaction.emoji, str) and score_for_emoji(reaction.emoji) is not None:
                # reaction.users() pages through Discord 100 users at a time.
                reactions[reaction.emoji] = [u.id async for u in reaction.users(limit=None) if not u.bot]
        by_member = reactions_by_member(reactions, me)
        seen = await self.storage.seen_keycaps(prompt.message_id)
        result = await self.storage.reconcile_prompt(prompt, by_member, read_started_at=read_started_at)
        await self._tidy(prompt, message, reactions, by_member, seen)
        return result.total

    async def _tidy(
        self,
        prompt: RatingPrompt,
        message: Any,
        reactions: dict[str, list[int]],
        by_member: dict[int, frozenset[int]],
        seen: dict[int, frozenset[int]],
    ) -> None:
        """After downtime, take off the keycaps that no longer count, as the live listener would have:
        a member left holding several keycaps keeps only the one that is their vote.

        Only where the vote is certain: if two or more keycaps appeared while the bot was away,
        Discord does not say which came last, so the member's reactions are left as they are.
        """
        emoji_for = {score_for_emoji(e): e for e in reactions}
        for user_id, scores in by_member.items():
            if len(scores) < 2 or len(scores - seen.get(user_id, frozenset())) > 1:
                continue
            vote = await self.storage.member_vote(prompt.guild_id, prompt.drama_id, user_id)
            if vote is None or vote.score not in scores:
                continue  # the vote came from elsewhere (/rate) or was withdrawn: leave the reactions be
            for score in sorted(scores - {vote.score}):
                try:
                    await message.remove_reaction(emoji_for[score], discord.Object(id=user_id))
                except discord.Forbidden:
                    return  # no Manage Messages here: the votes are right, the reactions stay
                except discord.HTTPException as exc:
                    log.debug("left a superseded reaction on %s (%s)", prompt.message_id, exc)


def _guild_id(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    return interaction.guild_id


async def setup(bot: RamenBot) -> None:
    await bot.add_cog(RatingsCog(bot, bot.storage, bot.catalog))
