"""Console stand-ins for watch night and the watch party: a native poll members vote in (`:vote`),
that ends by its timer (`:endpoll`) or `/watchnight end`, and the scheduled event Ramen would create.

Only what the cogs read: `poll.is_finalised()`, `poll.answers` (`id`, `text`, `vote_count`),
`guild.create_scheduled_event(...)`, `guild.fetch_scheduled_event(id, with_counts=True)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord

if TYPE_CHECKING:
    from bot.console.session import ConsoleSession


@dataclass
class ConsolePollAnswer:
    id: int
    text: str
    voters: list[int] = field(default_factory=list)

    @property
    def vote_count(self) -> int:
        return len(self.voters)


@dataclass
class ConsolePoll:
    """A single-choice poll as Discord keeps it: answers numbered 1..n, results final once it ended."""

    question: str
    answers: list[ConsolePollAnswer]
    expires_at: dt.datetime
    finalised: bool = False

    @classmethod
    def from_discord(cls, poll: discord.Poll) -> ConsolePoll:
        answers = [ConsolePollAnswer(number, answer.text) for number, answer in enumerate(poll.answers, start=1)]
        return cls(str(poll.question), answers, discord.utils.utcnow() + poll.duration)

    def is_finalised(self) -> bool:
        return self.finalised

    def vote(self, answer_id: int, user_id: int) -> ConsolePollAnswer:
        """Make `answer_id` the member's one vote (a new vote replaces the old). ValueError if it cannot be."""
        if self.finalised:
            raise ValueError("this poll has ended")
        chosen = next((a for a in self.answers if a.id == answer_id), None)
        if chosen is None:
            raise ValueError(f"the poll has answers 1 to {len(self.answers)}")
        for answer in self.answers:
            if user_id in answer.voters:
                answer.voters.remove(user_id)
        chosen.voters.append(user_id)
        return chosen

    def lines(self, number: int) -> list[str]:
        """How the console shows it under the message."""
        state = "ended" if self.finalised else f"open until {self.expires_at:%Y-%m-%d %H:%M} UTC"
        out = [f"  📊 {self.question}  ({state})"]
        for answer in self.answers:
            votes = "1 vote" if answer.vote_count == 1 else f"{answer.vote_count} votes"
            out.append(f"     {answer.id}. {answer.text} · {votes}   → :vote {number} {answer.id}")
        return out


@dataclass
class ConsoleEvent:
    """The scheduled event Ramen created (the console only shows it)."""

    id: int
    guild_id: int
    name: str
    start_time: dt.datetime
    end_time: dt.datetime | None
    where: str
    user_count: int = 0

    @property
    def url(self) -> str:
        return f"https://discord.com/events/{self.guild_id}/{self.id}"


class ConsoleEvents:
    """`guild.create_scheduled_event` / `fetch_scheduled_event` for the console server."""

    def __init__(self, session: ConsoleSession, guild_id: int) -> None:
        self.session, self.guild_id = session, guild_id
        self.events: dict[int, ConsoleEvent] = {}

    async def create_scheduled_event(self, **kwargs: Any) -> ConsoleEvent:
        channel = kwargs.get("channel")
        where = f"voice channel {channel.name}" if channel is not None else f"external, at {kwargs.get('location')}"
        event = ConsoleEvent(
            id=discord.utils.time_snowflake(discord.utils.utcnow()) + self.session.next_serial(),
            guild_id=self.guild_id,
            name=kwargs["name"],
            start_time=kwargs["start_time"],
            end_time=kwargs.get("end_time"),
            where=where,
        )
        self.events[event.id] = event
        end = f"{event.end_time:%Y-%m-%d %H:%M %Z}" if event.end_time else "open"
        self.session.write(f"  (Ramen would create a scheduled event: “{event.name}”, {where},")
        self.session.write(
            f"   {event.start_time:%Y-%m-%d %H:%M %Z} to {end}; description: {kwargs.get('description')})"
        )
        return event

    async def fetch_scheduled_event(self, event_id: int, *, with_counts: bool = True) -> ConsoleEvent:
        event = self.events.get(event_id)
        if event is None:
            raise discord.NotFound(_Gone(), "Unknown Guild Scheduled Event")
        return event


class _Gone:
    status, reason = 404, "console"
