"""Rating prompts: the "Rate <title>" messages members react on, and the keycaps last seen on them.

Tables `rating_prompts` (0001) and `prompt_reactions` (0002, 0004): per prompt and member, the
keycaps the store last saw them hold, as two bit sets (bit s = keycap s, 1..10; one per spelling),
kept current by the live events; reconciliation after downtime diffs what Discord shows against it
(`bot.ratings.reconcile`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.ratings.reconcile import keycaps_to_tidy, reconcile_changes
from bot.ratings.scores import MAX_SCORE, Keycap, check_score
from bot.store.core import Database, parse_timestamp, timestamp
from bot.store.dialect import Tx
from bot.store.votes import DELETE_VOTE, UPSERT_VOTE

_PROMPT_COLUMNS = "message_id, guild_id, channel_id, drama_id, created_at"
_SNAPSHOT = """
    INSERT INTO prompt_reactions (message_id, user_id, scores, bare_scores, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (message_id, user_id) DO UPDATE SET
        scores = excluded.scores, bare_scores = excluded.bare_scores, updated_at = excluded.updated_at
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
    """What reconciling one prompt did to the votes: how many were added, changed, removed; and
    `tidy`, user id → the scores whose keycaps no longer count (not compared)."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    tidy: Mapping[int, frozenset[int]] = field(default_factory=dict, compare=False)

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed


def _prompt(row: Iterable[Any]) -> RatingPrompt:
    message_id, guild_id, channel_id, drama_id, created_at = row
    return RatingPrompt(message_id, guild_id, channel_id, drama_id, parse_timestamp(created_at))


def _keycaps_of(value: int | Collection[int] | Collection[Keycap]) -> frozenset[Keycap]:
    items = (value,) if isinstance(value, int) else value
    keys = frozenset(item if isinstance(item, tuple) else (item, 0) for item in items)
    for score, _ in keys:
        check_score(score)
    return keys


def _keys(scores: int, bare: int) -> frozenset[Keycap]:
    return frozenset({(s, 0) for s in _unmask(scores)} | {(s, 1) for s in _unmask(bare)})


def _masks_of(keys: Iterable[Keycap]) -> tuple[int, int]:
    return _mask(s for s, spelling in keys if not spelling), _mask(s for s, spelling in keys if spelling)


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

    async def open_prompt_ids(self, guild_id: int, drama_id: str, since: dt.datetime) -> list[int]:
        """Message ids of the guild's prompts for the drama created at or after `since` (aware), in
        posting order: the prompts whose live tally a `/rate` vote changes. Reads the range of
        `rating_prompts_by_created` (0003) from `since` on. Raises ValueError for a naive `since`."""
        rows = await self.read(
            "SELECT message_id FROM rating_prompts WHERE created_at >= ? AND guild_id = ? AND drama_id = ?"
            " ORDER BY created_at, message_id",
            (timestamp(since), guild_id, drama_id),
        )
        return [int(message_id) for (message_id,) in rows]

    async def delete_prompt(self, message_id: int) -> bool:
        """Forget a prompt (its message was deleted). Votes cast through it stay, without source.

        Returns True if it was a prompt.
        """

        async def apply(db: Tx) -> bool:
            cursor = await db.execute("DELETE FROM rating_prompts WHERE message_id = ?", (message_id,))
            return cursor.rowcount > 0

        return await self.transaction(apply)

    async def seen_keycaps(self, message_id: int) -> dict[int, frozenset[int]]:
        """The keycaps the store last saw on a prompt: user id → scores (1..10, either spelling);
        members without any absent."""
        rows = await self.read(
            "SELECT user_id, scores | bare_scores FROM prompt_reactions WHERE message_id = ?", (message_id,)
        )
        return {int(user_id): _unmask(mask) for user_id, mask in rows if mask}

    async def reconcile_prompt(
        self,
        prompt: RatingPrompt,
        reactions: Mapping[int, int | Collection[int] | Collection[Keycap]],
        *,
        listening_since: dt.datetime | None = None,
        uncounted: Collection[int] = (),
        unsettled: Collection[int] = (),
    ) -> ReconcileResult:
        """Make the votes agree with a prompt's reactions as read back after a (re)connect, atomically.

        Args:
            prompt: the prompt whose reactions were read.
            reactions: every member's keycaps on it now, user id → (score, spelling) keycaps
                (`bot.ratings.scores.keycaps_by_member`; bots already left out); plain scores
                (or one int) mean the bot's spelling. A member absent here holds no keycap.
            listening_since: when the bot started listening again (aware): process start for a
                restart, the disconnect for a RESUME (Discord replays what it missed). A member
                whose keycaps on this prompt, or whose vote for its drama, changed at or after
                this instant acted live, and live wins: they are left as the live events made
                them. None: nobody acted live.
            unsettled: members never left to the live events, whatever their stamps: a live event
                of theirs on this prompt could not be stored (the database failed), so their last
                stored action is older than what the read shows.
            uncounted: members whose live event on this prompt waits for this reconciliation (it
                is applied right after, on top): their changes are applied but not counted in the
                result, since they did not happen while nobody listened.

        Only the difference from the keycaps the store last saw is applied, by the rule of
        `bot.ratings.reconcile.reconcile_changes`; `ReconcileResult.tidy` says which keycaps no
        longer count (`keycaps_to_tidy`). A forgotten prompt → all zeros.
        Raises ValueError for a score outside 1..10 or a naive `listening_since`.
        """
        now = {user_id: _keycaps_of(held) for user_id, held in reactions.items()}
        stamp = timestamp(self._clock())
        cutoff = None if listening_since is None else timestamp(listening_since)
        message_id, guild_id, drama_id = prompt.message_id, prompt.guild_id, prompt.drama_id

        async def apply(db: Tx) -> ReconcileResult:
            if not await db.execute_fetchall("SELECT 1 FROM rating_prompts WHERE message_id = ?", (message_id,)):
                return ReconcileResult()
            seen_rows = await db.execute_fetchall(
                "SELECT user_id, scores, bare_scores, updated_at FROM prompt_reactions WHERE message_id = ?",
                (message_id,),
            )
            vote_rows = await db.execute_fetchall(
                "SELECT user_id, score, updated_at, prompt_message_id FROM ratings WHERE guild_id = ? AND drama_id = ?",
                (guild_id, drama_id),
            )
            # Members who acted live since the bot listened again are left to the live events.
            stamps = [(u, at) for u, _, _, at in seen_rows] + [(u, at) for u, _, at, _ in vote_rows]
            settled = {user_id for user_id, at in stamps if cutoff is not None and at >= cutoff} - set(unsettled)
            seen = {user_id: _keys(scores, bare) for user_id, scores, bare, _ in seen_rows}
            votes = {user_id: score for user_id, score, _, _ in vote_rows}
            elsewhere = {user_id for user_id, _, _, via in vote_rows if via != message_id}
            changes = reconcile_changes(seen, now, votes, settled=settled, elsewhere=elsewhere)
            voted = [c for c in changes if c.after is not None and c.after != c.before]
            await db.executemany(DELETE_VOTE, [(guild_id, drama_id, c.user_id) for c in changes if c.removed])
            await db.executemany(
                UPSERT_VOTE, [(guild_id, drama_id, c.user_id, c.after, stamp, message_id) for c in voted]
            )
            await db.executemany(_SNAPSHOT, [(message_id, c.user_id, *_masks_of(c.keycaps), stamp) for c in changes])
            after = {**votes, **{c.user_id: c.after for c in changes}}
            elsewhere -= {c.user_id for c in voted}
            tidy = keycaps_to_tidy(seen, now, after, settled=settled, elsewhere=elsewhere)
            counted = [c for c in changes if c.user_id not in uncounted]
            return ReconcileResult(
                added=sum(c.added for c in counted),
                changed=sum(c.changed for c in counted),
                removed=sum(c.removed for c in counted),
                tidy=tidy,
            )

        return await self.transaction(apply)
