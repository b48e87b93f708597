"""The watch party as a Discord scheduled event: check the permission, work out the times (pure rules
in `bot.watch.party`), create the event, answer the member; and members' interest in it.

Discord: creating an event needs CREATE_EVENTS (1 << 44) or MANAGE_EVENTS (1 << 33), plus VIEW_CHANNEL
and CONNECT for a voice event; refused with 403 50013. `entity_type` is always passed explicitly
(discord.py 2.7.1 leaves it out of the payload when it infers it from `location=`).
"""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from bot.catalog.index import Catalog
from bot.catalog.model import Drama
from bot.ui import limits
from bot.ui import watch_night as texts
from bot.ui.errors import UserFacingError
from bot.ui.options import Suggested
from bot.ui.replies import in_time, respond
from bot.ui.watch_night import member_rules
from bot.watch.errors import PartyTimeError
from bot.watch.party import (
    event_description,
    event_location,
    event_name,
    parse_iso_start,
    parse_local_start,
    party_length,
)

BOTH_TIMES = "Give either one `iso` time or a `date` and `time`, not both: they could disagree."
NEED_TIME = "Give the party's `date` and `time` (and your `timezone`, default UTC), or one `iso` time with its offset."


@dataclass(frozen=True, slots=True)
class PartyRequest:
    """What the member asked for: the drama, the start as date + time + IANA zone or as ISO 8601,
    and where (a voice channel, else an external `location`)."""

    drama: Drama
    date: str | None
    time: str | None
    timezone: str
    iso: str | None
    voice_channel: Any | None
    location: str


def party_title(title: Drama | None, winner_id: str | None, catalog: Catalog) -> Drama:
    """The party's drama: the `title` option, else the last watch night's winner (`winner_id`, read
    only when no title is given). Raises UserFacingError when neither names a drama in the catalog."""
    drama = title or (catalog.get(winner_id) if winner_id else None)
    if drama is None:
        raise UserFacingError(texts.NO_PARTY_TITLE)
    return drama


def party_start(request: PartyRequest, now: Any) -> Any:
    """The aware start time from the request. Raises PartyTimeError (a member-facing sentence)."""
    if request.iso:
        if request.date or request.time:
            raise PartyTimeError(BOTH_TIMES)
        return parse_iso_start(request.iso, now)
    if not (request.date and request.time):
        raise PartyTimeError(NEED_TIME)
    return parse_local_start(request.date, request.time, request.timezone, now)


def may_create_events(permissions: discord.Permissions) -> bool:
    """Whether Ramen's permissions here let it create a scheduled event (Create or Manage Events)."""
    return permissions.create_events or permissions.manage_events


async def create_party(interaction: discord.Interaction, request: PartyRequest) -> tuple[Any, str] | None:
    """Create the scheduled event; returns it with the reply to send (the caller stores it first, then
    answers with `respond`), or None when Discord refused (the member has been told).

    Checks `interaction.app_permissions` first (a clear ephemeral message naming the permission);
    a 403 anyway (channel overwrites) gets the same message. Raises UserFacingError for times or a
    location the member must fix (the rules' PartyTimeError / WatchRuleError, worded for them).
    """
    if not may_create_events(interaction.app_permissions):
        raise UserFacingError(texts.NEEDS_EVENTS)
    with member_rules():
        return await _create_party(interaction, request)


async def _create_party(interaction: discord.Interaction, request: PartyRequest) -> tuple[Any, str] | None:
    start = party_start(request, discord.utils.utcnow())
    length = party_length(start, request.drama.episodes, None)
    common: dict[str, Any] = {
        "name": event_name(request.drama.title),
        "start_time": start,
        "end_time": length.end,
        "description": event_description(texts.party_description(request.drama, length)),
        "privacy_level": discord.PrivacyLevel.guild_only,
    }
    if request.voice_channel is not None:
        where = texts.where_voice(request.voice_channel.name)
        common |= {"entity_type": discord.EntityType.voice, "channel": request.voice_channel}
    else:
        location = event_location(request.location)
        where = texts.where_external(location)
        common |= {"entity_type": discord.EntityType.external, "location": location}
    guild = interaction.guild
    if guild is None:
        raise app_commands.NoPrivateMessage()
    if not interaction.response.is_done():  # `in_time` may have deferred already
        await interaction.response.defer(thinking=True)
    try:
        event = await guild.create_scheduled_event(**common)
    except discord.Forbidden:
        voice = request.voice_channel
        text = texts.NEEDS_VOICE.format(channel=voice.mention) if voice is not None else texts.NEEDS_EVENTS
        await respond(interaction, content=text)
        return None
    return event, texts.party_created(request.drama, start, length, where, event.url)


async def interest(interaction: discord.Interaction, event_id: int) -> None:
    """Answer (ephemeral) with how many members are interested in the event: its `user_count`."""
    guild = interaction.guild
    if guild is None:
        raise app_commands.NoPrivateMessage()
    try:
        event = await in_time(interaction, guild.fetch_scheduled_event(event_id, with_counts=True), ephemeral=True)
    except discord.NotFound:
        raise UserFacingError(texts.EVENT_GONE) from None
    text = texts.interest_text(event.name, event.start_time, event.user_count or 0, event.url)
    await respond(interaction, content=text, ephemeral=True)


@functools.cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def zone_choices(current: str) -> list[app_commands.Choice[str]]:
    """IANA zone names containing what was typed (case-insensitive), ≤ 25; "UTC" first when empty."""
    key = current.strip().casefold().replace(" ", "_")
    if not key:
        names = ["UTC", "America/New_York", "America/Los_Angeles", "Europe/London", "Asia/Seoul", "Asia/Manila"]
    else:
        names = [z for z in _zones() if key in z.casefold()]
    return [app_commands.Choice(name=z, value=z) for z in names[: limits.AUTOCOMPLETE_CHOICES]]


Zone = app_commands.Transform[str, Suggested(lambda _interaction, typed: zone_choices(typed))]
"""/watchnight party's `timezone`: an IANA zone name, autocompleted (`zone_choices`); checked by
`bot.watch.party.parse_local_start`."""
