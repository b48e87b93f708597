"""Rating prompts: the "Rate <title>" messages members react on, and the keycaps last seen on them.

Tables `rating_prompts` (0001) and `prompt_reactions` (0002): per prompt and member, the keycaps
the store last saw them hold, as a bit set (bit s = keycap s, 1..10), kept current by the live
events; reconciliation after downtime diffs what Discord shows against it
(`bot.ratings.reconcile`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.ratings.reconcile import reconcile_changes
from bot.ratings.scores import MAX_SCORE, check_score
from bot.store.core import Database, parse_timestamp, timestamp
from bot.store.dialect import Tx
from bot.store.votes import DELETE_VOTE, UPSERT_VOTE

_PROMPT_COLUMNS = "message_id, guild_id, channel_id, drama_id, created_at"
_SNAPSHOT = """
    INSERT INTO prompt_reactions (message_id, user_id, scores, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (message_id, user_id) DO UPDATE SET scores = excluded.scores, updated_at = excluded.updated_at
"""


@dataclass(frozen=True, slots=True)
class RatingPrompt:
    """A "Rate <title>" message members react on; `created_at` is aware UTC."""

    message_id: int
    guild_id: int
    channel_id: int
    drama_id: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ReconcileResult:
    """What reconciling one prompt did to the votes: how many were added, changed, removed."""

    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed


def _prompt(row: Iterable[Any]) -> RatingPrompt:
    message_id, guild_id, channel_id, drama_id, created_at = row
    return RatingPrompt(message_id, guild_id, channel_id, drama_id, parse_timestamp(created_at))


def _scores_of(value: int | Collection[int]) -> frozenset[int]:
    scores = frozenset((value,)) if isinstance(value, int) else frozenset(value)
    for score in scores:
        check_score(score)
    return scores


def _mask(scores: Iterable[int]) -> int:
    return sum(1 << score for score in set(scores))


def _unmask(mask: int) -> frozenset[int]:
    return frozenset(score for score in range(1, MAX_SCORE + 1) if mask >> score & 1)


class PromptStore(Database):
    """The rating-prompt area of the store (see `bot.store.Storage`)."""

    async def add_prompt(
        self,
        message_id: int,
        guild_id: int,
        channel_id: int,
        drama_id: str,
        created_at: dt.datetime | None = None,
    ) -> RatingPrompt:
        """Remember a posted "Rate <title>" message as a rating prompt; committed on return.

        `created_at` (aware; default now) is what `prompts_since` filters on. Adding the same
        message again keeps the first record. Returns the stored prompt. Raises ValueError for
        a naive `created_at`.
        """
        stamp = timestamp(created_at or self._clock())

        async def apply(db: Tx) -> RatingPrompt:
            await db.execute(
                f"INSERT INTO rating_prompts ({_PROMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (message_id) DO NOTHING",
                (message_id, guild_id, channel_id, drama_id, stamp),
            )
            rows = await db.execute_fetchall(
                f"SELECT {_PROMPT_COLUMNS} FROM rating_prompts WHERE message_id = ?", (message_id,)
            )
            return _prompt(next(iter(rows)))

        return await self.transaction(apply)

    async def prompt(self, message_id: int) -> RatingPrompt | None:
        """The rating prompt posted as this message, or None (not a prompt, or forgotten)."""
        rows = await self.read(f"SELECT {_PROMPT_COLUMNS} FROM rating_prompts WHERE message_id = ?", (message_id,))
        return _prompt(rows[0]) if rows else None

    async def prompts_since(
        self, cutoff: dt.datetime, *, shard_count: int | None = None, shard_ids: Collection[int] = ()
    ) -> list[RatingPrompt]:
        """Every guild's prompts created at or after `cutoff` (aware), oldest first.

        With `shard_count`, only prompts in guilds on `shard_ids`: Discord's rule
        `(guild_id >> 22) % shard_count` (each process reconciles its own shards' guilds).
        Raises ValueError for a naive `cutoff`.
        """
        where, parameters = "created_at >= ?", [timestamp(cutoff)]
        if shard_count is not None:
            marks = ", ".join("?" * len(shard_ids)) or "NULL"
            where += f" AND ((guild_id >> 22) % ?) IN ({marks})"
            parameters += [shard_count, *shard_ids]
        rows = await self.read(
            f"SELECT {_PROMPT_COLUMNS} FROM rating_prompts WHERE {where} ORDER BY created_at, message_id",
            tuple(parameters),
        )
        return [_prompt(row) for row in rows]

    async def delete_prompt(self, message_id: int) -> bool:
        """Forget a prompt (its message was deleted). Votes cast through it stay, without source.

        Returns True if it was a prompt.
        """

        async def apply(db: Tx) -> bool:
            cursor = await db.execute("DELETE FROM rating_prompts WHERE message_id = ?", (message_id,))
            return cursor.rowcount > 0

        return await self.transaction(apply)

    async def seen_keycaps(self, message_id: int) -> dict[int, frozenset[int]]:
        """The keycaps the store last saw on a prompt: user id → scores (1..10); members without any absent."""
        rows = await self.read("SELECT user_id, scores FROM prompt_reactions WHERE message_id = ?", (message_id,))
        return {int(user_id): _unmask(mask) for user_id, mask in rows if mask}

    async def reconcile_prompt(
        self,
        prompt: RatingPrompt,
        reactions: Mapping[int, int | Collection[int]],
        *,
        read_started_at: dt.datetime | None = None,
    ) -> ReconcileResult:
        """Make the votes agree with a prompt's reactions as read back after downtime, atomically.

        Args:
            prompt: the prompt whose reactions were read.
            reactions: every member's keycap scores on it now, user id → scores (see
                `bot.ratings.scores.reactions_by_member`; bots already left out; one int is read
                as one score). A member absent here has no keycap left on the message.
            read_started_at: when the first page of reactions was requested (aware). Live
                events keep flowing while the pages are read; a member whose reactions on this
                prompt, or whose vote, changed at or after this instant is left as the live
                events made it, since the read may predate them. None: nothing happened since.

        Only the difference from the keycaps the store last saw is applied, by the rule of
        `bot.ratings.reconcile.reconcile_changes`. A forgotten prompt → all zeros.
        Raises ValueError for a score outside 1..10 or a naive `read_started_at`.
        """
        now = {user_id: _scores_of(scores) for user_id, scores in reactions.items()}
        stamp = timestamp(self._clock())
        cutoff = None if read_started_at is None else timestamp(read_started_at)
        message_id, guild_id, drama_id = prompt.message_id, prompt.guild_id, prompt.drama_id

        async def apply(db: Tx) -> ReconcileResult:
            if not await db.execute_fetchall("SELECT 1 FROM rating_prompts WHERE message_id = ?", (message_id,)):
                return ReconcileResult()
            seen = await db.execute_fetchall(
                "SELECT user_id, scores, updated_at FROM prompt_reactions WHERE message_id = ?", (message_id,)
            )
            votes = await db.execute_fetchall(
                "SELECT user_id, score, updated_at FROM ratings WHERE guild_id = ? AND drama_id = ?",
                (guild_id, drama_id),
            )
            # Members whose keycaps or vote changed live after the read began are left alone.
            settled = {
                user_id for user_id, _, changed_at in (*seen, *votes) if cutoff is not None and changed_at >= cutoff
            }
            changes = reconcile_changes(
                {user_id: _unmask(mask) for user_id, mask, _ in seen},
                now,
                {user_id: score for user_id, score, _ in votes},
                settled=settled,
            )
            voted = [c for c in changes if c.after is not None and c.after != c.before]
            await db.executemany(DELETE_VOTE, [(guild_id, drama_id, c.user_id) for c in changes if c.removed])
            await db.executemany(
                UPSERT_VOTE, [(guild_id, drama_id, c.user_id, c.after, stamp, message_id) for c in voted]
            )
            await db.executemany(_SNAPSHOT, [(message_id, c.user_id, _mask(c.keycaps), stamp) for c in changes])
            return ReconcileResult(
                added=sum(c.added for c in changes),
                changed=sum(c.changed for c in changes),
                removed=sum(c.removed for c in changes),
            )

        return await self.transaction(apply)
