"""What Ramen says and sends for watch night and watch parties: the native poll, the result, the
party's confirmation, the missing-permission message and members' interest.

Rules come from `bot.watch` (pure); this module only turns their results into Discord objects and
texts (content ≤ 2000, member and catalog text through `plain`, so it shows as typed and pings
nobody). Discord timestamps (`<t:unix:F>`) show each member the time in their own zone.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord

from bot.catalog.model import Drama
from bot.ratings.scores import BOWL
from bot.ui.embeds import drama_title
from bot.ui.errors import UserFacingError
from bot.ui.markup import plain
from bot.ui.messages import votes_word
from bot.ui.replies import in_time
from bot.watch.errors import WatchRuleError
from bot.watch.party import PartyLength
from bot.watch.watchnight import (
    OutcomeKind,
    PollOutcome,
    blocks_new_poll,
    choose_candidates,
    poll_answers,
    poll_question,
    validate_duration_hours,
)

if TYPE_CHECKING:
    from bot.catalog.index import Catalog
    from bot.store import Storage

NOT_STARTED_HERE = "No watch-night poll is running in this server: `/watchnight start` posts one."
NOT_YOURS = (
    "Only the member who started this watch night, or someone with the Manage Server permission, can end it early."
)
NO_PARTY_TITLE = "Name a `title` for the watch party (no watch night here has picked a winner yet)."
NO_PARTY_YET = "No watch party has been scheduled here yet: `/watchnight party` creates one."
EVENT_GONE = "The last watch party's event no longer exists on Discord (it was deleted or has ended)."
NEEDS_EVENTS = (
    "I can't create the watch party: Ramen is missing the **Create Events** permission (Manage Events also works) "
    "in this server. Ask an admin to grant it to Ramen's role, then try again."
)
NEEDS_VOICE = (
    "I can't create the watch party in {channel}: Ramen needs the **View Channel** and **Connect** permissions there "
    "(and **Create Events** in the server). Pick another voice channel or leave `voice_channel` out."
)


class Settled(enum.Enum):
    """What settling a poll did: POSTED its result; TAKEN (another path announced it); RUNNING (Discord
    has not finalised it); GONE (its message was deleted: claimed, nothing posted); NOT_POSTED (it
    ended, but Discord refused the result post: left for the start-up pickup)."""

    POSTED = "posted"
    TAKEN = "taken"
    RUNNING = "running"
    GONE = "gone"
    NOT_POSTED = "not_posted"


@dataclass(frozen=True, slots=True)
class Ended:
    """What `/watchnight end` did (`PollAnnouncer.end_now`): `settled`, and `error`, what Discord
    answered when it refused to end the poll (RUNNING) or to take the result (NOT_POSTED), else None."""

    settled: Settled
    error: discord.HTTPException | None = None


@contextmanager
def member_rules() -> Iterator[None]:
    """A watch rule the member broke (`bot.watch.errors.WatchRuleError`) becomes their ephemeral answer."""
    try:
        yield
    except WatchRuleError as exc:
        raise UserFacingError(discord.utils.escape_mentions(str(exc))) from None


@dataclass(frozen=True, slots=True)
class PollRequest:
    """A checked `/watchnight start`: the question, the answer texts and their drama ids (same order),
    how many hours voting lasts, and whether the titles came from up next (none were named)."""

    question: str
    answers: list[str]
    drama_ids: list[str]
    hours: int
    from_queue: bool


def poll_request(
    named: Sequence[Drama | None], queue: Sequence[str], question: str | None, hours: int, catalog: Catalog
) -> PollRequest:
    """`/watchnight start`'s options checked by the rules in `bot.watch.watchnight`.

    named: the title options as given (None for an empty one); queue: up next's top drama ids (used
    only when no title is named). Answers are the catalog titles, shortened to ≤ 55 and made distinct (by year
    when two read the same).
    Raises UserFacingError (the member's answer) for fewer than two titles, a question over 300
    characters or hours outside 1-768.
    """
    ids = [drama.id for drama in named if drama is not None]
    with member_rules():
        drama_ids = choose_candidates(ids, queue)
        dramas = [catalog.get(i) for i in drama_ids]
        titles = [drama.title if drama else i for drama, i in zip(dramas, drama_ids, strict=True)]
        years = [str(drama.year) if drama and drama.year else None for drama in dramas]
        answers = poll_answers(titles, years)
        return PollRequest(poll_question(question), answers, drama_ids, validate_duration_hours(hours), not ids)


async def one_poll_at_a_time(interaction: discord.Interaction, storage: Storage, guild_id: int) -> None:
    """Refuse a second watch-night poll in a guild while its last one runs (`blocks_new_poll`); the read
    goes through `in_time`, so slow storage defers the interaction instead of missing Discord's 3 s.

    Raises UserFacingError (answered ephemerally) that links the running poll's message.
    """
    poll = await in_time(interaction, storage.latest_open_watch_poll(guild_id))
    if poll is not None and blocks_new_poll(poll.expires_at, discord.utils.utcnow()):
        link = f"https://discord.com/channels/{poll.guild_id}/{poll.channel_id}/{poll.message_id}"
        closes = f"<t:{int(poll.expires_at.timestamp())}:R>"
        raise UserFacingError(
            f"This server's watch-night poll is still running ({link}, voting ends {closes}): one at a time. "
            "Vote in it, or end it with `/watchnight end`."
        )


async def post_poll(interaction: discord.Interaction, request: PollRequest) -> tuple[int, dt.datetime]:
    """Send the poll (no pings) as the interaction's response, or as the follow-up that fills the
    "thinking" message when slow storage made the command defer (`in_time`); returns its message id
    and when voting closes (aware UTC, now + `request.hours`)."""
    poll = build_poll(request.question, request.answers, request.hours)
    none = discord.AllowedMentions.none()
    if interaction.response.is_done():
        message_id = (await interaction.followup.send(poll=poll, allowed_mentions=none, wait=True)).id
    else:
        callback = await interaction.response.send_message(poll=poll, allowed_mentions=none)
        message_id = getattr(callback, "message_id", None) or (await interaction.original_response()).id
    return message_id, discord.utils.utcnow() + dt.timedelta(hours=request.hours)


def build_poll(question: str, answers: Sequence[str], hours: int) -> discord.Poll:
    """A native single-choice poll: `question` (≤ 300), `answers` in order (Discord numbers them 1..n,
    each ≤ 55, ≤ 10 of them: see `bot.watch.watchnight.poll_answers`), lasting `hours` (1-768, whole)."""
    poll = discord.Poll(question=question, duration=dt.timedelta(hours=hours))
    for text in answers:
        poll.add_answer(text=text)
    return poll


def final_counts(message: Any) -> list[tuple[int, int]] | None:
    """`(answer id, votes)` pairs of a poll message once Discord has finalised it, else None.

    `message` is a `discord.Message` (or anything with a `.poll` of the same shape). On a fetched
    message `Poll.victor_answer_id` is None (discord.py only fills it from the result message),
    so the counts are the source for winner and ties (`bot.watch.watchnight.poll_outcome`).
    """
    poll = getattr(message, "poll", None)
    if poll is None or not poll.is_finalised():
        return None
    return [(answer.id, answer.vote_count) for answer in poll.answers]


def started(hours: int, candidates: int, from_queue: bool) -> str:
    """The starter's private note under their poll."""
    source = "the top of up next" if from_queue else "the titles you named"
    return (
        f"Watch night is on: {candidates} titles from {source}, voting for {hours} h. "
        "When it ends I'll post the winner here; `/watchnight end` ends it early."
    )


def result_text(outcome: PollOutcome[int], titles: dict[int, str], question: str) -> str:
    """The public result line. `titles`: answer id → title (plain text; escaped here)."""
    asked = plain(question, 300)
    if outcome.kind is OutcomeKind.NO_VOTES:
        return f"Watch night “{asked}” ended with no votes, so nothing was picked. `/watchnight start` to try again."
    names = [f"**{plain(titles.get(answer, '?'), 120)}**" for answer in outcome.leaders]
    if outcome.kind is OutcomeKind.TIE:
        listed = ", ".join(names[:-1]) + f" and {names[-1]}"
        return (
            f"Watch night “{asked}” ended in a tie: {listed}, {votes_word(outcome.top_votes)} each "
            f"({votes_word(outcome.total_votes)} in all). Start a new one with just those titles to break it."
        )
    return (
        f"{BOWL} Watch night “{asked}” is decided: {names[0]} won with {outcome.top_votes} of "
        f"{votes_word(outcome.total_votes)}. `/watchnight party` schedules it."
    )


def ended_note(ended: Ended, channel_id: int) -> str:
    """The private answer to `/watchnight end`: the poll ended and its result is posted, or what
    stopped it, with Discord's own answer (`ended.error`)."""
    said = f" (Discord answered: {ended.error.status} {plain(ended.error.text, 100)})" if ended.error else ""
    if ended.settled in (Settled.POSTED, Settled.TAKEN):
        return "Poll ended; the result is posted in the channel."
    if ended.settled is Settled.GONE:
        return "The poll's message was deleted, so there is no result to post."
    if ended.settled is Settled.RUNNING:
        return (
            f"Discord did not end the poll{said}, so it is still running. Try `/watchnight end` again in a moment."
            if ended.error
            else "Discord has not closed the poll yet; its result is posted here as soon as it does."
        )
    return (
        f"The poll has ended, but I could not post its result in <#{channel_id}>{said}. Ramen needs the "
        "**Send Messages** and **Embed Links** permissions there; the result is posted when Ramen next starts."
    )


def party_created(drama: Drama, start: dt.datetime, length: PartyLength, where: str, url: str) -> str:
    """The reply once the scheduled event exists: when (in each member's zone), how long, where, the link."""
    unix_start, unix_end = int(start.timestamp()), int(length.end.timestamp())
    hours = (
        f"{length.minutes // 60} h {length.minutes % 60:02d} min"
        if length.minutes % 60
        else f"{length.minutes // 60} h"
    )
    how_long = (
        f"{length.episodes} episodes × runtime, {hours}"
        if length.from_runtime
        else f"about {hours}: the default, as the catalog has no episode runtime for it"
    )
    return (
        f"Watch party scheduled: **{plain(drama_title(drama), 150)}**, <t:{unix_start}:F> to <t:{unix_end}:t> "
        f"({how_long}), {where}. Mark yourself interested: {url}"
    )


def where_voice(channel_name: str) -> str:
    """'in the voice channel 🔊 Lounge'."""
    return f"in the voice channel 🔊 {plain(channel_name, 100)}"


def where_external(location: str) -> str:
    """'at <location>'."""
    return f"at {plain(location, 100)}"


def party_description(drama: Drama, length: PartyLength) -> str:
    """The scheduled event's description (plain facts, one paragraph; `event_description` cuts it to 1000)."""
    parts = [f"Watching {drama_title(drama)} together, organised with Ramen."]
    if drama.episodes:
        parts.append(f"{drama.episodes} episodes in all.")
    if not length.from_runtime:
        parts.append("Length: about 3 hours (the default).")
    parts.append("Use /drama in the server for its card.")
    return " ".join(parts)


def interest_text(name: str, start: dt.datetime | None, interested: int, url: str) -> str:
    """How many members marked themselves interested in the last watch party (counts only, no names)."""
    when = f" (<t:{int(start.timestamp())}:F>)" if start else ""
    people = "1 member is" if interested == 1 else f"{interested} members are"
    return f"**{plain(name, 100)}**{when}: {people} interested. {url}"
