"""The rating keycaps on a prompt message, as Discord sees them: adding the ten, reading who holds
which, and taking off the ones that no longer count (which needs Manage Messages)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
from collections.abc import Callable, Collection
from typing import Any

import discord

from bot.ratings.scores import RATING_EMOJI, keycap_name, keycaps_by_member, score_for_emoji
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

    Every list is complete: it pages (100 users at a time) until Discord returns an empty page.
    discord.py's `limit=None` would stop at `reaction.count` from the message fetched before, so
    members who react meanwhile (with lower ids) would push others off the end of the read.

    Raises:
        discord.HTTPException: Discord refused to list the users.
    """
    reactions: dict[str, list[int]] = {}
    for reaction in message.reactions:
        if isinstance(reaction.emoji, str) and score_for_emoji(reaction.emoji) is not None:
            reactions[reaction.emoji] = [u.id async for u in reaction.users(limit=sys.maxsize) if not u.bot]
    return reactions


async def reread_prompt(
    bot: discord.Client,
    storage: Any,
    tidy: KeycapTidy,
    prompt: Any,
    listening_since: dt.datetime,
    *,
    live: Callable[[int], Collection[int]] = lambda _: (),
    unstored: Collection[int] = (),
) -> tuple[int, list[asyncio.Task[None]]]:
    """Make the store agree with one prompt's reactions as Discord shows them now (`read_keycaps`,
    `Storage.reconcile_prompt`); members who acted live since `listening_since` are left to the live
    events, and the changes of members whose live event on it waits for this read (`live(message
    id)`, asked once the read is done) are not counted; members in `unstored` (a live event of theirs
    could not be stored) are never left to the live events. A deleted prompt is forgotten (the votes
    cast through it stay).

    Returns:
        (votes changed, the started removals of keycaps that no longer count, as the live listener
        would have taken them off, where the store says it is certain: `ReconcileResult.tidy`).
    Raises:
        discord.HTTPException: Discord refused to read the message (other than NotFound).
    """
    channel = bot.get_partial_messageable(prompt.channel_id, guild_id=prompt.guild_id)
    try:
        message = await channel.fetch_message(prompt.message_id)
    except discord.NotFound:
        await storage.delete_prompt(prompt.message_id)
        return 0, []
    held = keycaps_by_member(await read_keycaps(message), bot.user.id if bot.user else None)
    waiting = live(prompt.message_id)
    result = await storage.reconcile_prompt(
        prompt, held, listening_since=listening_since, uncounted=waiting, unsettled=unstored
    )
    if result.total:
        bot.dispatch("rating_vote", prompt.guild_id, prompt.message_id)  # the live tally (cogs.live_tally)
    removals = [
        tidy.remove(prompt.guild_id, prompt.channel_id, prompt.message_id, user_id, score)
        for user_id, scores in result.tidy.items()
        for score in sorted(scores)
    ]
    return result.total, removals


class KeycapTidy:
    """Takes superseded keycaps off rating prompts (needs Manage Messages), never a member's current one.

    Before every attempt it asks the store which spellings of the keycap are still superseded
    (`Storage.superseded_keycaps`); a member who adds the keycap again cancels a pending removal,
    including discord.py's own retry after a 5xx or a 429, which would otherwise land late. Each
    attempt is bounded (`ATTEMPT_SECONDS`, doubling) and retried here after a fresh check. The
    removals it sent are remembered until their echo (REACTION_REMOVE for the member) arrives, so
    the listener can tell the bot's tidy from a member withdrawing (`is_echo`).
    """

    ATTEMPTS = 5
    ATTEMPT_SECONDS = 1.0
    ECHO_SECONDS = 10.0
    LATE_ECHO_SECONDS = 2.0
    FORBIDDEN_SECONDS = 600.0

    def __init__(self, client: discord.Client, storage: Any) -> None:
        self.client = client
        self.storage = storage
        self._tasks: dict[tuple[int, int, int], asyncio.Task[None]] = {}
        self._asked: dict[tuple[int, int, str], float] = {}
        self._forbidden: dict[int, float] = {}

    def remove(self, guild_id: int, channel_id: int, message_id: int, user_id: int, score: int) -> asyncio.Task[None]:
        """Start (or join) the removal of the member's keycap `score` from the message; the task never raises."""
        key = (message_id, user_id, score)
        task = self._tasks.get(key)
        if task is None or task.done():
            task = asyncio.create_task(self._run(guild_id, channel_id, key), name="ramen-keycap-tidy")
            self._tasks[key] = task
            task.add_done_callback(lambda done: self._tasks.pop(key, None) if self._tasks.get(key) is done else None)
        return task

    def added(self, message_id: int, user_id: int, score: int) -> None:
        """The member added keycap `score` again: a pending removal of it is stale, cancel it.

        A finished removal's echo came before this event (the gateway keeps their order), so no
        echo of it is waited for any more; a cancelled one may still be in flight (see `_run`).
        """
        task = self._tasks.pop((message_id, user_id, score), None)
        if task is not None and not task.done():
            task.cancel()
            return
        for spelling in (0, 1):
            self._asked.pop((message_id, user_id, keycap_name((score, spelling))), None)

    def is_echo(self, message_id: int, user_id: int, name: str) -> bool:
        """Whether a removed reaction is the echo of a removal the bot asked for (consumes it)."""
        now = asyncio.get_running_loop().time()
        self._asked = {k: until for k, until in self._asked.items() if until > now}
        return self._asked.pop((message_id, user_id, name), None) is not None

    async def close(self) -> None:
        """Cancel the pending removals and wait for them."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)

    async def _attempt(self, message: Any, asked: tuple[int, int, str], within: float) -> None:
        """One bounded DELETE of a member's reaction, remembered until its echo arrives.

        Done: the echo follows within moments. Refused: none will come. Cancelled or timed out:
        maybe sent, maybe not, so an echo is expected for a little while, unless one already came.
        """
        loop = asyncio.get_running_loop()
        self._asked[asked] = loop.time() + self.ECHO_SECONDS
        try:
            await asyncio.wait_for(message.remove_reaction(asked[2], discord.Object(id=asked[1])), within)
        except discord.HTTPException:
            self._asked.pop(asked, None)
            raise
        except (asyncio.CancelledError, TimeoutError):
            if asked in self._asked:
                self._asked[asked] = loop.time() + self.LATE_ECHO_SECONDS
            raise
        if asked in self._asked:
            self._asked[asked] = loop.time() + self.LATE_ECHO_SECONDS

    async def _run(self, guild_id: int, channel_id: int, key: tuple[int, int, int]) -> None:
        message_id, user_id, score = key
        loop = asyncio.get_running_loop()
        channel = self.client.get_partial_messageable(channel_id, guild_id=guild_id)
        message = channel.get_partial_message(message_id)
        timeout = self.ATTEMPT_SECONDS
        for _ in range(self.ATTEMPTS):
            if self._forbidden.get(channel_id, 0.0) > loop.time():
                return
            try:
                spellings = await self.storage.superseded_keycaps(guild_id, message_id, user_id, score)
                for spelling in spellings:
                    name = keycap_name(spelling)
                    await self._attempt(message, (message_id, user_id, name), timeout)
                return
            except discord.Forbidden:
                log.info("no Manage Messages in channel %s: superseded keycaps stay (votes still count)", channel_id)
                self._forbidden[channel_id] = loop.time() + self.FORBIDDEN_SECONDS
                return
            except (discord.HTTPException, TimeoutError) as exc:
                log.debug("keycap removal on %s for %s not done yet (%r); checking again", message_id, user_id, exc)
            except Exception:
                log.exception("removing a superseded keycap on %s failed", message_id)
                return
            await asyncio.sleep(timeout)
            timeout *= 2
