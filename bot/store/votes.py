"""Votes: one per member per drama per guild, 1..10 bowls, and what is read back from them.

The table is `ratings` (migration 0001), keyed `(guild_id, drama_id, user_id)`: a new vote
replaces the old one by its key, never by a check in Python. `rating_totals` (0005) holds each
guild and drama's count, sum and histogram, kept by triggers in the same transaction as every
vote write, so the guild-wide reads (`guild_score`, `top_dramas`, `member_taste`) read one row per
drama, never the votes. A vote cast by a keycap on a rating
prompt remembers that prompt (`prompt_message_id`), and the store remembers the keycap
(`prompt_reactions`, see `bot.store.prompts`) for reconciliation after downtime.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from bot.ratings.scores import MAX_SCORE, PRIOR_MEAN, PRIOR_WEIGHT, Keycap, bayesian_mean, check_score
from bot.store.core import Database, parse_timestamp, timestamp
from bot.store.dialect import Tx

UPSERT_VOTE = """
    INSERT INTO ratings (guild_id, drama_id, user_id, score, updated_at, prompt_message_id)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (guild_id, drama_id, user_id) DO UPDATE SET
        score = excluded.score,
        updated_at = excluded.updated_at,
        prompt_message_id = excluded.prompt_message_id
"""
# prompt_reactions.scores is a bit set: bit s set = keycap s (1..10) on the message.
# prompt_reactions.scores / bare_scores are bit sets (bit s = keycap s, 1..10), one per spelling (0004);
# SEEN_REMOVED takes the masks to keep (`_kept`), so no statement needs a typed `~?`.
SEEN_ADDED = """
    INSERT INTO prompt_reactions (message_id, user_id, scores, bare_scores, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (message_id, user_id) DO UPDATE SET
        scores = prompt_reactions.scores | excluded.scores,
        bare_scores = prompt_reactions.bare_scores | excluded.bare_scores,
        updated_at = excluded.updated_at
"""
SEEN_REMOVED = """
    INSERT INTO prompt_reactions (message_id, user_id, scores, bare_scores, updated_at)
    SELECT ?, ?, 0, 0, ? WHERE EXISTS (SELECT 1 FROM rating_prompts WHERE message_id = ?)
    ON CONFLICT (message_id, user_id) DO UPDATE SET
        scores = prompt_reactions.scores & ?,
        bare_scores = prompt_reactions.bare_scores & ?,
        updated_at = excluded.updated_at
"""
_ALL_KEYCAPS = sum(1 << score for score in range(1, MAX_SCORE + 1))
_STILL_HELD = "SELECT (scores | bare_scores) >> ? & 1 FROM prompt_reactions WHERE message_id = ? AND user_id = ?"
DELETE_VOTE = "DELETE FROM ratings WHERE guild_id = ? AND drama_id = ? AND user_id = ?"
_VOTE_COLUMNS = "guild_id, drama_id, user_id, score, updated_at, prompt_message_id"
_HISTOGRAM = ", ".join(f"s{score}" for score in range(1, MAX_SCORE + 1))
"""rating_totals' histogram columns, s1..s10 (migration 0005)."""
_PROMPT_OF_GUILD = "SELECT drama_id FROM rating_prompts WHERE message_id = ? AND guild_id = ?"


@dataclass(frozen=True, slots=True)
class Vote:
    """A member's current vote for a drama in a guild.

    `score` is 1..10 bowls; `updated_at` is aware UTC; `prompt_message_id` is the rating prompt
    whose reaction set it, or None when it came from `/rate title score` (or its prompt is gone).
    """

    guild_id: int
    drama_id: str
    user_id: int
    score: int
    updated_at: dt.datetime
    prompt_message_id: int | None = None


@dataclass(frozen=True, slots=True)
class GuildScore:
    """A guild's votes for one drama: `count`, `total` (sum of scores) and the histogram.

    `histogram[i]` is the number of votes of score i + 1 (ten entries, 1..10).
    """

    drama_id: str
    count: int
    total: int
    histogram: tuple[int, ...] = (0,) * MAX_SCORE

    @property
    def mean(self) -> float | None:
        """The plain mean in bowls, None when nobody has voted."""
        return self.total / self.count if self.count else None


@dataclass(frozen=True, slots=True)
class RankedScore:
    """One line of a guild's chart: position `rank` (1 = top), the damped and plain means."""

    rank: int
    drama_id: str
    count: int
    total: int
    mean: float
    weighted_mean: float


@dataclass(frozen=True, slots=True)
class MemberTaste:
    """What /recommend reads for a member in a guild, in one read.

    Attributes:
        rated: the member's votes as (drama id, score), newest first.
        server: drama id → (plain mean in bowls, vote count) of every drama the guild has rated.
    """

    rated: list[tuple[str, int]]
    server: dict[str, tuple[float, int]]


def _vote(row: Iterable[Any]) -> Vote:
    guild_id, drama_id, user_id, score, updated_at, prompt_message_id = row
    return Vote(guild_id, drama_id, user_id, score, parse_timestamp(updated_at), prompt_message_id)


class VoteStore(Database):
    """The votes area of the store (see `bot.store.Storage`). Ids are Discord snowflakes as ints."""

    async def record_vote(
        self, guild_id: int, drama_id: str, user_id: int, score: int, *, prompt_message_id: int | None = None
    ) -> None:
        """Make `score` (1..10) the member's vote for the drama in the guild; committed on return.

        A new score replaces the old one. `prompt_message_id`: the rating prompt whose keycap
        reaction cast it (None for `/rate`); the store also remembers that reaction, for
        reconciliation. Raises ValueError for a score outside 1..10, sqlite3.IntegrityError if
        `prompt_message_id` is not a known prompt, StorageError once closed.
        """
        check_score(score)
        stamp = timestamp(self._clock())
        statements = [(UPSERT_VOTE, (guild_id, drama_id, user_id, score, stamp, prompt_message_id))]
        if prompt_message_id is not None:
            statements.append((SEEN_ADDED, (prompt_message_id, user_id, *_masks((score, 0)), stamp)))
        await self.write(*statements)

    async def record_reaction(
        self, guild_id: int, message_id: int, user_id: int, score: int, *, spelling: int = 0
    ) -> int | None:
        """A keycap added on a message: if it is a rating prompt of this guild, make `score` the
        member's vote through it and remember the keycap (in its `spelling`, see
        `bot.ratings.scores.Keycap`), in one transaction (committed on return).

        Returns:
            The superseded score: the member's previous vote when it was cast through this same
            prompt with another score (its keycap is now redundant on the message); else None,
            also when the message is not a prompt of this guild (nothing is written).
        Raises:
            ValueError: a score outside 1..10.
        """
        check_score(score)
        return await self.grouped(
            _record_reactions, (guild_id, message_id, user_id, score, spelling, timestamp(self._clock()))
        )

    async def withdraw_reaction(
        self,
        guild_id: int,
        message_id: int,
        user_id: int,
        score: int,
        *,
        spelling: int = 0,
        echo: bool = False,
        listening_since: dt.datetime | None = None,
    ) -> bool:
        """A keycap removed from a message: if it is a rating prompt of this guild, forget the keycap
        (that `spelling`) and withdraw the member's vote if it is that score cast through that
        prompt and no other spelling of it is still held (an older keycap, a `/rate` vote or
        another prompt's vote changes nothing); one transaction.

        `echo`: the bot itself asked Discord to take this keycap off (a superseded one); only the
        keycap is forgotten, never the vote. `listening_since` (aware): when the bot started
        listening again; a keycap the store never saw added was added while nobody listened, so
        it was later than a vote older than that instant and was the vote since: removing it
        withdraws that vote (whatever its source). Returns True if a vote was withdrawn. Raises
        ValueError for a score outside 1..10 or a naive `listening_since`.
        """
        check_score(score)
        stamp = timestamp(self._clock())
        cutoff = None if listening_since is None else timestamp(listening_since)

        async def apply(db: Tx) -> bool:
            prompt = await db.execute_fetchall(_PROMPT_OF_GUILD, (message_id, guild_id))
            if not prompt:
                return False
            ((drama_id,),) = prompt
            was_seen = await _held(db, message_id, user_id, score)
            await db.execute(SEEN_REMOVED, (message_id, user_id, stamp, message_id, *_kept(_masks((score, spelling)))))
            if echo or await _held(db, message_id, user_id, score):
                return False
            if not was_seen and cutoff is not None:  # added while nobody listened, removed live
                cursor = await db.execute(DELETE_VOTE + " AND updated_at < ?", (guild_id, drama_id, user_id, cutoff))
                return cursor.rowcount > 0
            return await _withdraw(db, (guild_id, drama_id, user_id, score, message_id), stamp, seen=False)

        return await self.transaction(apply)

    async def withdraw_vote(
        self,
        guild_id: int,
        drama_id: str,
        user_id: int,
        score: int | None = None,
        *,
        prompt_message_id: int | None = None,
    ) -> bool:
        """Withdraw the member's vote; with `score`, only if that is the current vote.

        This is a removed reaction: removing the keycap that is the current vote withdraws it,
        removing an older one changes nothing — decided in one statement, so a concurrent new
        vote is never lost. With `prompt_message_id` (the prompt the reaction was removed from;
        `score` then required) the vote is withdrawn only if it was cast through that prompt — a
        vote from `/rate` or from another prompt for the same drama stays — and the store forgets
        that reaction. Returns True if a vote was withdrawn. Raises ValueError for a bad score or
        a prompt without a score.
        """
        if score is not None:
            check_score(score)
        elif prompt_message_id is not None:
            raise ValueError("a reaction removed from a prompt needs its score")
        stamp = timestamp(self._clock())

        async def apply(db: Tx) -> bool:
            return await _withdraw(db, (guild_id, drama_id, user_id, score, prompt_message_id), stamp)

        return await self.transaction(apply)

    async def superseded_keycaps(self, guild_id: int, message_id: int, user_id: int, score: int) -> list[Keycap]:
        """The member's keycaps of `score` on a prompt that the bot may take off now: every spelling
        they hold (as last seen), if their vote for the prompt's drama was cast through this prompt
        with another score; else [] (the keycap is their vote again, the vote came from elsewhere,
        or the message is no prompt). Read before each removal attempt, so a late one never takes
        off the keycap a member went back to."""
        rows = await self.read(
            "SELECT s.scores, s.bare_scores FROM rating_prompts p"
            " JOIN ratings r ON r.guild_id = p.guild_id AND r.drama_id = p.drama_id AND r.user_id = ?"
            " JOIN prompt_reactions s ON s.message_id = p.message_id AND s.user_id = ?"
            " WHERE p.message_id = ? AND p.guild_id = ? AND r.prompt_message_id = p.message_id AND r.score != ?",
            (user_id, user_id, message_id, guild_id, score),
        )
        if not rows:
            return []
        ((scores, bare),) = rows
        return [(score, spelling) for spelling, mask in enumerate((scores, bare)) if mask >> score & 1]

    async def member_vote(self, guild_id: int, drama_id: str, user_id: int) -> Vote | None:
        """The member's current vote for the drama in the guild, or None."""
        rows = await self.read(
            f"SELECT {_VOTE_COLUMNS} FROM ratings WHERE guild_id = ? AND drama_id = ? AND user_id = ?",
            (guild_id, drama_id, user_id),
        )
        return _vote(rows[0]) if rows else None

    async def member_votes(self, guild_id: int, user_id: int) -> list[Vote]:
        """All the member's votes in the guild (for `/myratings`), newest first, then by drama id."""
        rows = await self.read(
            f"SELECT {_VOTE_COLUMNS} FROM ratings WHERE guild_id = ? AND user_id = ?"
            " ORDER BY updated_at DESC, drama_id",
            (guild_id, user_id),
        )
        return [_vote(row) for row in rows]

    async def member_taste(self, guild_id: int, user_id: int) -> MemberTaste:
        """The member's votes and the guild's per-drama means and counts, for /recommend (one read)."""
        rated, means = await self.read_all(
            (
                "SELECT drama_id, score FROM ratings WHERE guild_id = ? AND user_id = ?"
                " ORDER BY updated_at DESC, drama_id",
                (guild_id, user_id),
            ),
            ("SELECT drama_id, votes, total FROM rating_totals WHERE guild_id = ? AND votes > 0", (guild_id,)),
        )
        return MemberTaste(
            rated=[(str(drama_id), int(score)) for drama_id, score in rated],
            server={str(drama_id): (total / count, int(count)) for drama_id, count, total in means},
        )

    async def guild_score(self, guild_id: int, drama_id: str) -> GuildScore:
        """The guild's votes for the drama: count, total and 1..10 histogram (zeros if none)."""
        rows = await self.read(
            f"SELECT {_HISTOGRAM} FROM rating_totals WHERE guild_id = ? AND drama_id = ?", (guild_id, drama_id)
        )
        histogram = tuple(int(n) for n in rows[0]) if rows else (0,) * MAX_SCORE
        return GuildScore(
            drama_id=drama_id,
            count=sum(histogram),
            total=sum(score * n for score, n in enumerate(histogram, start=1)),
            histogram=histogram,
        )

    async def top_dramas(
        self,
        guild_id: int,
        limit: int = 10,
        *,
        prior_mean: float = PRIOR_MEAN,
        prior_weight: float = PRIOR_WEIGHT,
        min_votes: int = 1,
    ) -> list[RankedScore]:
        """The guild's chart: up to `limit` dramas with ≥ `min_votes` votes, best first.

        Ranked by the damped mean (prior_weight·prior_mean + Σ scores) / (prior_weight + n): a
        drama with few votes is pulled towards `prior_mean` (default 6.0 bowls, a fixed prior,
        not the guild's mean), `prior_weight` (C, default 5) counting as that many votes. Ties,
        compared exactly: more votes first, then the higher plain mean, then drama id A→Z.
        Raises ValueError for a negative limit/weight or min_votes < 1.
        """
        if limit < 0 or prior_weight < 0 or min_votes < 1:
            raise ValueError("limit and prior_weight must be ≥ 0 and min_votes ≥ 1")
        rows = await self.read(
            "SELECT drama_id, votes, total FROM rating_totals WHERE guild_id = ? AND votes >= ?", (guild_id, min_votes)
        )
        prior = Fraction(prior_mean) * Fraction(prior_weight)

        def key(row: tuple[str, int, int]) -> tuple[Fraction, int, Fraction, str]:
            drama_id, count, total = row
            return (-(prior + total) / (Fraction(prior_weight) + count), -count, -Fraction(total, count), drama_id)

        ranked = sorted(((str(d), int(n), int(s)) for d, n, s in rows), key=key)[:limit]
        return [
            RankedScore(
                rank=rank,
                drama_id=drama_id,
                count=count,
                total=total,
                mean=total / count,
                weighted_mean=bayesian_mean(total, count, prior_mean, prior_weight),
            )
            for rank, (drama_id, count, total) in enumerate(ranked, start=1)
        ]


async def _record_reactions(db: Tx, reactions: list[tuple[Any, ...]]) -> list[int | None]:
    """`record_reaction` for a burst, in one go: (guild, message, user, score, spelling, stamp)
    each, in arrival order; one result per reaction, as if applied one by one. A handful of
    statements per burst instead of four per reaction."""
    messages = sorted({message_id for _, message_id, *_ in reactions})
    marks = ", ".join("?" * len(messages))
    prompts = {
        (message_id, guild_id): drama_id
        for message_id, guild_id, drama_id in await db.execute_fetchall(
            f"SELECT message_id, guild_id, drama_id FROM rating_prompts WHERE message_id IN ({marks})", messages
        )
    }
    members: dict[tuple[int, str], set[int]] = {}
    for guild_id, message_id, user_id, *_ in reactions:
        if (message_id, guild_id) in prompts:
            members.setdefault((guild_id, prompts[(message_id, guild_id)]), set()).add(user_id)
    votes: dict[tuple[int, str, int], tuple[int, int | None]] = {}
    for (guild_id, drama_id), users in members.items():
        for chunk in _chunks(sorted(users), 500):
            rows = await db.execute_fetchall(
                "SELECT user_id, score, prompt_message_id FROM ratings WHERE guild_id = ? AND drama_id = ?"
                f" AND user_id IN ({', '.join('?' * len(chunk))})",
                (guild_id, drama_id, *chunk),
            )
            votes.update({(guild_id, drama_id, u): (score, via) for u, score, via in rows})
    results: list[int | None] = []
    upserts, seen = [], []
    for guild_id, message_id, user_id, score, spelling, stamp in reactions:
        drama_id = prompts.get((message_id, guild_id))
        if drama_id is None:
            results.append(None)
            continue
        old_score, via = votes.get((guild_id, drama_id, user_id), (None, None))
        results.append(old_score if old_score != score and via == message_id else None)
        votes[(guild_id, drama_id, user_id)] = (score, message_id)
        upserts.append((guild_id, drama_id, user_id, score, stamp, message_id))
        seen.append((message_id, user_id, *_masks((score, spelling)), stamp))
    await db.executemany(UPSERT_VOTE, upserts)
    await db.executemany(SEEN_ADDED, seen)
    return results


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


async def _held(db: Tx, message_id: int, user_id: int, score: int) -> bool:
    """Whether the store last saw the member hold keycap `score` (either spelling) on the prompt."""
    rows = await db.execute_fetchall(_STILL_HELD, (score, message_id, user_id))
    return bool(rows and rows[0][0])


def _kept(masks: tuple[int, int]) -> tuple[int, int]:
    """The bits to keep when the keycaps in `masks` (scores, bare_scores) go."""
    return tuple(_ALL_KEYCAPS & ~mask for mask in masks)  # type: ignore[return-value]


def _masks(key: Keycap) -> tuple[int, int]:
    """(scores, bare_scores) bits of one keycap, for SEEN_ADDED / SEEN_REMOVED."""
    score, spelling = key
    return (0, 1 << score) if spelling else (1 << score, 0)


async def _withdraw(db: Tx, vote: tuple[Any, ...], stamp: str, *, seen: bool = True) -> bool:
    """Delete the vote (guild, drama, user) if its score and prompt match (None: any); with `seen`,
    forget the keycap (both spellings) too."""
    guild_id, drama_id, user_id, score, prompt_message_id = vote
    if prompt_message_id is not None and seen:
        both = _kept((1 << score, 1 << score))
        await db.execute(SEEN_REMOVED, (prompt_message_id, user_id, stamp, prompt_message_id, *both))
    sql, parameters = DELETE_VOTE, [guild_id, drama_id, user_id]
    # Conditions only for what is given: PostgreSQL cannot type a bare `? IS NULL`.
    if score is not None:
        sql, parameters = sql + " AND score = ?", [*parameters, score]
    if prompt_message_id is not None:
        sql, parameters = sql + " AND prompt_message_id = ?", [*parameters, prompt_message_id]
    cursor = await db.execute(sql, tuple(parameters))
    return cursor.rowcount > 0
