"""Announcing a watch-night poll's result exactly once: read the finalised counts from Discord, claim
the announcement in the store, post the result (with the winner's /drama card) in the poll's channel.

Three paths reach it: Discord's poll-result message (type 46) or the finalised MESSAGE_UPDATE while
the bot runs, `/watchnight end`, and the start-up pickup of polls that ended while it was down. The
store's claim (`claim_watch_poll_result`, one UPDATE … WHERE announced_at IS NULL) makes them
idempotent; if the post then fails the claim is released, so the next start-up tries again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.ui import embeds
from bot.ui.replies import NO_PINGS
from bot.ui.watch_night import Ended, Settled, final_counts, result_text
from bot.watch.watchnight import OutcomeKind, poll_outcome

if TYPE_CHECKING:
    from bot.catalog.index import Catalog
    from bot.store import Storage, WatchPoll

log = logging.getLogger(__name__)


class Messageables(Protocol):
    """What the announcer needs of the client (`discord.Client` fits)."""

    def get_partial_messageable(self, id: int, *, guild_id: int | None = None) -> Any: ...


class PollAnnouncer:
    """Posts a watch-night result once per poll. `client`: the bot (REST access); `storage`, `catalog`."""

    def __init__(self, client: Messageables, storage: Storage, catalog: Catalog) -> None:
        self.client = client
        self.storage = storage
        self.catalog = catalog
        # Held from posting a poll until it is stored (`/watchnight start`): a poll that ends at once
        # is then found by its end, and `/watchnight end` finds a poll being posted.
        self.posting = asyncio.Lock()
        # One settling at a time (a poll's end message, its finalised update, `/watchnight end`, the
        # start-up pickup): whoever claims a result has posted it, or released it, before the next looks.
        self.settling = asyncio.Lock()

    async def poll_ended(self, message_id: int) -> bool:
        """A poll message ended (Discord's result message, its finalised update, or the console's
        `:endpoll`): announce it if it is a watch night not announced yet. Returns True if posted;
        an HTTP failure is logged (the start-up pickup tries again)."""
        async with self.posting:
            poll = await self.storage.watch_poll(message_id)
        if poll is None or poll.announced_at is not None:
            return False
        try:
            async with self.settling:
                return await self.settle(poll)
        except discord.HTTPException as exc:
            log.warning("could not announce watch-night poll %s: %s", poll.message_id, exc)
            return False

    def channel(self, poll: WatchPoll) -> Any:
        """The poll's channel, reachable over REST without the cache."""
        return self.client.get_partial_messageable(poll.channel_id, guild_id=poll.guild_id)

    async def settle(self, poll: WatchPoll, message: Any | None = None) -> bool:
        """Announce `poll`'s result if Discord has finalised it and nobody announced it yet.

        message: the poll's message as already read (e.g. returned by `end_poll`), or None to fetch it.
        Returns True when this call posted the result. A deleted poll message is claimed as
        'no_votes' without a post (nothing to reply to). Raises discord.HTTPException when the
        message cannot be read (other than NotFound) or the result cannot be posted (the claim is
        then released, so the start-up pickup tries again).
        """
        return await self._settle(poll, message) is Settled.POSTED

    async def _settle(self, poll: WatchPoll, message: Any | None) -> Settled:
        if message is None:
            try:
                message = await self.channel(poll).fetch_message(poll.message_id)
            except discord.NotFound:
                await self.storage.claim_watch_poll_result(poll.message_id, "no_votes", None)
                log.info("watch-night poll %s was deleted; nothing to announce", poll.message_id)
                return Settled.GONE
        counts = final_counts(message)
        if counts is None:
            return Settled.RUNNING  # or Discord has not finalised it yet: its end message will come
        outcome = poll_outcome(counts)
        winner = poll.drama_for(outcome.winner) if outcome.winner is not None else None
        if not await self.storage.claim_watch_poll_result(poll.message_id, outcome.kind.value, winner):
            return Settled.TAKEN  # another path announced it
        titles = {answer.id: answer.text for answer in message.poll.answers}
        content = result_text(outcome, titles, poll.question)
        kwargs: dict[str, Any] = {"content": content, "allowed_mentions": NO_PINGS}
        drama = self.catalog.get(winner) if winner else None
        if outcome.kind is OutcomeKind.WINNER and drama is not None:
            kwargs["embed"] = embeds.drama_embed(drama, await self.storage.guild_score(poll.guild_id, drama.id))
        try:
            await self.channel(poll).send(**kwargs)
        except discord.HTTPException:
            await self.storage.release_watch_poll_claim(poll.message_id)
            raise
        return Settled.POSTED

    async def end_now(self, poll: WatchPoll) -> Ended:
        """`/watchnight end`: Ramen ends its poll on Discord (only the author may), then announces it.

        A poll Discord already ended (400 520001) is simply announced. Returns what happened, with
        what Discord said when it refused to end the poll or to take the result (never raises
        discord.HTTPException: the member is told instead).
        """
        async with self.settling:
            message, refused = None, None
            try:
                message = await self.channel(poll).get_partial_message(poll.message_id).end_poll()
            except discord.HTTPException as exc:
                log.info("ending watch-night poll %s: %s", poll.message_id, exc)
                refused = exc
            try:
                settled = await self._settle(poll, message)
            except discord.HTTPException as exc:
                log.warning("watch-night poll %s: its result could not be read or posted: %s", poll.message_id, exc)
                return Ended(Settled.NOT_POSTED, exc)
        return Ended(settled, refused if settled is Settled.RUNNING else None)

    async def pickup(self) -> int:
        """Start-up: settle every poll not announced yet (those that ended while the bot was down).

        Returns how many results were posted; a poll that cannot be read is logged and left for next time.
        """
        posted = 0
        for poll in await self.storage.open_watch_polls():
            try:
                async with self.settling:
                    posted += await self._settle(poll, None) is Settled.POSTED
            except discord.HTTPException as exc:
                log.warning("could not read or announce watch-night poll %s: %s", poll.message_id, exc)
            except Exception:
                log.exception("announcing watch-night poll %s failed", poll.message_id)
        if posted:
            log.info("announced %d watch-night results that ended while the bot was away", posted)
        return posted
