"""A guild's votes, member by member, for the taste signals (`bot.recommend.taste`): one indexed read.

The read is `SELECT user_id, drama_id, score FROM ratings WHERE guild_id = ?`, served by the
ratings table's primary key (guild_id, drama_id, user_id). It is repeated only when the guild's
votes changed: each call first asks for a cheap version of them (count, sum of scores, newest
`updated_at`: any recorded, replaced or withdrawn vote changes at least one) and returns the copy
it kept when the version is the same. Plain SELECTs, portable to other SQL backends.

The version costs two index probes, not a pass over the votes: the count and sum come from the
guild's `rating_totals` rows (0005, one per drama), the newest `updated_at` from the index
`ratings_by_guild_recent` (0009). Aggregating them from `ratings` instead read every vote of the
guild on each call (530 ms at 1,000,000 votes in SQLite).

A guild holding more than `FRESH_READ_MAX_VOTES` votes is not re-read while a member waits: the
call returns the copy it kept (one change behind at most a re-read's time) and re-reads once in the
background, one re-read per guild at a time; the next call after it finishes gets the new copy. The
taste signals are soft hints (item-to-item blend, "members with your taste"), and a member's own
votes are read separately (`member_taste`), so a re-read of a million votes never holds up an
answer. Only the first read of such a guild since start-up waits.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from bot.store.core import Database

GUILD_VOTES_VERSION = (
    "SELECT COALESCE(SUM(votes), 0), COALESCE(SUM(total), 0),"
    " (SELECT MAX(updated_at) FROM ratings WHERE guild_id = ?) FROM rating_totals WHERE guild_id = ?"
)
"""The guild's (vote count, sum of scores, newest `updated_at`); parameters (guild id, guild id)."""
GUILD_VOTES = "SELECT user_id, drama_id, score FROM ratings WHERE guild_id = ?"
CACHED_GUILDS = 64
"""At most this many guilds' votes are kept in memory (least recently read dropped first)."""
FRESH_READ_MAX_VOTES = 50_000
"""Up to this many votes in a guild (about 25 ms to read), a changed guild is re-read in the call;
above it the kept copy is returned and the re-read runs in the background."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GuildVotes:
    """One guild's votes: `by_member[user id][drama id]` = score 1..10, and the `version` they were read at.

    Treat it as read-only: the store hands the same object out until the guild's votes change.
    """

    guild_id: int
    version: tuple[Any, ...]
    by_member: dict[int, dict[str, int]] = field(default_factory=dict)


class TasteStore(Database):
    """The read behind /taste, /shouldiwatch's "members with your taste" and /recommend's item-to-item blend."""

    fresh_read_max_votes: int = FRESH_READ_MAX_VOTES

    async def close(self) -> None:
        """Let background re-reads finish, then close as `Database.close` does."""
        await self.settle_guild_votes()
        await super().close()

    async def guild_votes(self, guild_id: int) -> GuildVotes:
        """Every current vote in the guild, by member (see the module docstring for when it re-reads).

        Returns the kept copy unchanged while the guild's votes are unchanged, and also while a
        guild above `FRESH_READ_MAX_VOTES` votes is being re-read in the background.
        """
        cache: dict[int, GuildVotes] = self.__dict__.setdefault("_guild_votes", {})
        (version,) = await self.read(GUILD_VOTES_VERSION, (guild_id, guild_id))
        version = tuple(version)
        kept = cache.pop(guild_id, None)
        if kept is None or (kept.version != version and int(version[0]) <= self.fresh_read_max_votes):
            kept = await self._read_guild_votes(guild_id, version)
        elif kept.version != version:
            self._reread_in_background(guild_id, version)
        self._keep(guild_id, kept)
        return kept

    def _keep(self, guild_id: int, votes: GuildVotes) -> None:
        cache: dict[int, GuildVotes] = self.__dict__.setdefault("_guild_votes", {})
        cache.pop(guild_id, None)
        cache[guild_id] = votes  # most recently read last
        while len(cache) > CACHED_GUILDS:
            cache.pop(next(iter(cache)))

    async def _read_guild_votes(self, guild_id: int, version: tuple[Any, ...]) -> GuildVotes:
        by_member: dict[int, dict[str, int]] = {}
        for user_id, drama_id, score in await self.read(GUILD_VOTES, (guild_id,)):
            by_member.setdefault(int(user_id), {})[str(drama_id)] = int(score)
        return GuildVotes(guild_id, version, by_member)

    def _reread_in_background(self, guild_id: int, version: tuple[Any, ...]) -> None:
        rereads: dict[int, asyncio.Task[None]] = self.__dict__.setdefault("_guild_rereads", {})
        if guild_id in rereads:
            return  # one re-read per guild at a time; a change during it is seen by the next call

        async def reread() -> None:
            try:
                self._keep(guild_id, await self._read_guild_votes(guild_id, version))
            except Exception:  # the kept copy stays; the next call tries again
                log.warning("re-reading guild %s's votes for the taste signals failed", guild_id, exc_info=True)
            finally:
                rereads.pop(guild_id, None)

        rereads[guild_id] = asyncio.create_task(reread(), name=f"ramen-guild-votes-{guild_id}")

    async def settle_guild_votes(self) -> None:
        """Wait for background re-reads of guilds' votes to finish (at close, and in tests)."""
        rereads: dict[int, asyncio.Task[None]] = self.__dict__.get("_guild_rereads", {})
        if rereads:
            await asyncio.gather(*list(rereads.values()), return_exceptions=True)
