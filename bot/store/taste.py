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
"""

from __future__ import annotations

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

    async def guild_votes(self, guild_id: int) -> GuildVotes:
        """Every current vote in the guild, by member (see the module docstring for when it re-reads)."""
        cache: dict[int, GuildVotes] = self.__dict__.setdefault("_guild_votes", {})
        (version,) = await self.read(GUILD_VOTES_VERSION, (guild_id, guild_id))
        version = tuple(version)
        kept = cache.pop(guild_id, None)
        if kept is None or kept.version != version:
            by_member: dict[int, dict[str, int]] = {}
            for user_id, drama_id, score in await self.read(GUILD_VOTES, (guild_id,)):
                by_member.setdefault(int(user_id), {})[str(drama_id)] = int(score)
            kept = GuildVotes(guild_id, version, by_member)
        cache[guild_id] = kept  # most recently read last
        while len(cache) > CACHED_GUILDS:
            cache.pop(next(iter(cache)))
        return kept
