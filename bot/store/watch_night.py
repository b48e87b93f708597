"""Watch night: the native polls Ramen posted, their answers, the once-only announcement claim,
and the watch parties (scheduled events) it created.

Tables `watch_polls`, `watch_poll_answers`, `watch_parties` (migration 0007). Portable SQL: plain
`INSERT`/`UPDATE`/`SELECT`, no booleans (a nullable `announced_at` time instead), no SQLite-only
clauses. "Announced once" is claimed by one `UPDATE … WHERE announced_at IS NULL`: of any number
of concurrent claimants exactly one sees rowcount 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.store.core import Database, parse_timestamp, timestamp
from bot.store.dialect import Tx

OUTCOMES = ("winner", "tie", "no_votes")
_POLL_COLUMNS = (
    "message_id, guild_id, channel_id, started_by, question, created_at, expires_at,"
    " announced_at, outcome, winner_drama_id"
)
_PARTY_COLUMNS = "event_id, guild_id, drama_id, created_by, start_at, created_at"


@dataclass(frozen=True, slots=True)
class WatchPoll:
    """A watch-night poll message.

    answers: drama ids in answer order (Discord's answer id n is `answers[n - 1]`). Times are aware
    UTC. announced_at / outcome ('winner', 'tie', 'no_votes') / winner_drama_id are None until the
    result was claimed for announcement.
    """

    message_id: int
    guild_id: int
    channel_id: int
    started_by: int
    question: str
    created_at: dt.datetime
    expires_at: dt.datetime
    answers: tuple[str, ...]
    announced_at: dt.datetime | None = None
    outcome: str | None = None
    winner_drama_id: str | None = None

    def drama_for(self, answer_id: int) -> str | None:
        """The drama id behind Discord's answer id (1-based), or None for an unknown id."""
        return self.answers[answer_id - 1] if 1 <= answer_id <= len(self.answers) else None


@dataclass(frozen=True, slots=True)
class WatchParty:
    """A scheduled event Ramen created for a drama; `start_at`, `created_at` aware UTC."""

    event_id: int
    guild_id: int
    drama_id: str
    created_by: int
    start_at: dt.datetime
    created_at: dt.datetime


def _when(value: str | None) -> dt.datetime | None:
    return None if value is None else parse_timestamp(value)


def _polls(rows: Iterable[Sequence[Any]], answers: Iterable[Sequence[Any]]) -> list[WatchPoll]:
    by_poll: dict[int, list[tuple[int, str]]] = {}
    for message_id, answer_id, drama_id in answers:
        by_poll.setdefault(int(message_id), []).append((int(answer_id), str(drama_id)))
    out = []
    for row in rows:
        message_id, guild_id, channel_id, started_by, question, created, expires, announced, outcome, winner = row
        dramas = tuple(drama for _, drama in sorted(by_poll.get(int(message_id), [])))
        out.append(
            WatchPoll(
                int(message_id),
                int(guild_id),
                int(channel_id),
                int(started_by),
                str(question),
                parse_timestamp(created),
                parse_timestamp(expires),
                dramas,
                _when(announced),
                outcome,
                winner,
            )
        )
    return out


def _party(row: Sequence[Any]) -> WatchParty:
    event_id, guild_id, drama_id, created_by, start_at, created_at = row
    return WatchParty(
        int(event_id),
        int(guild_id),
        str(drama_id),
        int(created_by),
        parse_timestamp(start_at),
        parse_timestamp(created_at),
    )


class WatchNightStore(Database):
    """The watch-night area of the store (see `bot.store.Storage`). Ids are Discord snowflakes as ints."""

    async def add_watch_poll(
        self,
        message_id: int,
        guild_id: int,
        channel_id: int,
        started_by: int,
        question: str,
        drama_ids: Sequence[str],
        expires_at: dt.datetime,
    ) -> WatchPoll:
        """Remember a posted watch-night poll and its answers (answer id n = `drama_ids[n - 1]`).

        Committed on return; adding the same message again keeps the first record. Raises
        ValueError for no answers, more than 10, or a naive `expires_at`.
        """
        if not 1 <= len(drama_ids) <= 10:
            raise ValueError(f"a poll has 1 to 10 answers, got {len(drama_ids)}")
        created, expires = timestamp(self._clock()), timestamp(expires_at)

        async def apply(db: Tx) -> WatchPoll:
            cursor = await db.execute(
                f"INSERT INTO watch_polls ({_POLL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)"
                " ON CONFLICT (message_id) DO NOTHING",
                (message_id, guild_id, channel_id, started_by, question, created, expires),
            )
            if cursor.rowcount:
                await db.executemany(
                    "INSERT INTO watch_poll_answers (message_id, answer_id, drama_id) VALUES (?, ?, ?)",
                    [(message_id, number, drama_id) for number, drama_id in enumerate(drama_ids, start=1)],
                )
            return (await _read_polls(db, "message_id = ?", (message_id,)))[0]

        return await self.transaction(apply)

    async def watch_poll(self, message_id: int) -> WatchPoll | None:
        """The watch-night poll posted as this message, or None."""
        found = await self._polls("message_id = ?", (message_id,))
        return found[0] if found else None

    async def open_watch_polls(self) -> list[WatchPoll]:
        """Every guild's polls whose result is not announced yet, oldest first (the start-up pickup)."""
        return await self._polls("announced_at IS NULL", ())

    async def latest_open_watch_poll(self, guild_id: int) -> WatchPoll | None:
        """The guild's newest poll whose result is not announced yet (what `/watchnight end` ends), or None."""
        found = await self._polls("guild_id = ? AND announced_at IS NULL", (guild_id,))
        return found[-1] if found else None

    async def claim_watch_poll_result(self, message_id: int, outcome: str, winner_drama_id: str | None) -> bool:
        """Claim the right to announce a poll's result, recording it; True for exactly one caller.

        One `UPDATE … WHERE announced_at IS NULL`: a poll already claimed (or unknown) gives False,
        so the live poll-end message, `/watchnight end` and the start-up pickup never announce
        twice. Raises ValueError for an outcome other than 'winner' / 'tie' / 'no_votes', or a
        winner without 'winner' (or 'winner' without one).
        """
        if outcome not in OUTCOMES or (outcome == "winner") != (winner_drama_id is not None):
            raise ValueError(f"bad poll outcome {outcome!r} with winner {winner_drama_id!r}")
        stamp = timestamp(self._clock())

        async def apply(db: Tx) -> bool:
            cursor = await db.execute(
                "UPDATE watch_polls SET announced_at = ?, outcome = ?, winner_drama_id = ?"
                " WHERE message_id = ? AND announced_at IS NULL",
                (stamp, outcome, winner_drama_id, message_id),
            )
            return cursor.rowcount == 1

        return await self.transaction(apply)

    async def release_watch_poll_claim(self, message_id: int) -> None:
        """Undo a claim whose announcement could not be sent, so the next start-up tries again."""
        await self.write(
            (
                "UPDATE watch_polls SET announced_at = NULL, outcome = NULL, winner_drama_id = NULL"
                " WHERE message_id = ?",
                (message_id,),
            )
        )

    async def last_watch_winner(self, guild_id: int) -> str | None:
        """The drama id that won the guild's most recent decided poll, or None."""
        rows = await self.read(
            "SELECT winner_drama_id FROM watch_polls WHERE guild_id = ? AND winner_drama_id IS NOT NULL"
            " ORDER BY announced_at DESC, message_id DESC LIMIT 1",
            (guild_id,),
        )
        return str(rows[0][0]) if rows else None

    async def add_watch_party(
        self, event_id: int, guild_id: int, drama_id: str, created_by: int, start_at: dt.datetime
    ) -> WatchParty:
        """Remember a scheduled event Ramen created; committed on return. Naive `start_at` → ValueError."""
        start, created = timestamp(start_at), timestamp(self._clock())
        await self.write(
            (
                f"INSERT INTO watch_parties ({_PARTY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (event_id) DO NOTHING",
                (event_id, guild_id, drama_id, created_by, start, created),
            )
        )
        return _party((event_id, guild_id, drama_id, created_by, start, created))

    async def latest_watch_party(self, guild_id: int) -> WatchParty | None:
        """The guild's most recently created watch party, or None."""
        rows = await self.read(
            f"SELECT {_PARTY_COLUMNS} FROM watch_parties WHERE guild_id = ?"
            " ORDER BY created_at DESC, event_id DESC LIMIT 1",
            (guild_id,),
        )
        return _party(rows[0]) if rows else None

    async def upnext_top(self, guild_id: int, n: int) -> list[str]:
        """The first `n` drama ids of the guild's up-next queue (table `upnext_entries`, migration 0006),
        in queue order: most backers, then older, then drama id (`bot.watch.upnext.queue_order_key`;
        index `upnext_order`). The default candidates of a watch night."""
        rows = await self.read(
            "SELECT drama_id FROM upnext_entries WHERE guild_id = ? ORDER BY backers DESC, added_at, drama_id LIMIT ?",
            (guild_id, n),
        )
        return [str(drama_id) for (drama_id,) in rows]

    async def _polls(self, where: str, parameters: tuple[Any, ...]) -> list[WatchPoll]:
        rows, answers = await self.read_all(*_poll_queries(where, parameters))
        return _polls(rows, answers)


def _poll_queries(where: str, parameters: tuple[Any, ...]) -> list[tuple[str, tuple[Any, ...]]]:
    """The polls matching `where` (oldest first) and their answers, as two statements."""
    return [
        (f"SELECT {_POLL_COLUMNS} FROM watch_polls WHERE {where} ORDER BY created_at, message_id", parameters),
        (
            "SELECT message_id, answer_id, drama_id FROM watch_poll_answers"
            f" WHERE message_id IN (SELECT message_id FROM watch_polls WHERE {where})",
            parameters,
        ),
    ]


async def _read_polls(db: Tx, where: str, parameters: tuple[Any, ...]) -> list[WatchPoll]:
    rows, answers = [list(await db.execute_fetchall(sql, params)) for sql, params in _poll_queries(where, parameters)]
    return _polls(rows, answers)
