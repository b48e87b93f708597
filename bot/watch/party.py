"""Watch party: when it starts (a member's local date + time in an IANA zone, or ISO 8601 with an offset),
when it ends (episodes × runtime, or a stated default), and the event's name, description and location.

Times are aware `datetime`s; "now" is always passed in (never read from the clock here), so every rule
is testable. Limits (Discord "Guild Scheduled Event" object; checked the same way by
../shared/fakediscord): name 1-100, description ≤ 1000, external location 1-100, start in the future,
end after start. Lengths are UTF-16 units (see `text`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.watch.errors import PartyLengthError, PartyTimeError, WatchRuleError
from bot.watch.text import shorten

NAME_MAX = 100
DESCRIPTION_MAX = 1000
LOCATION_MAX = 100
DEFAULT_LENGTH = timedelta(hours=3)  # stated to members when episodes × runtime is not known
MAX_AHEAD = timedelta(days=3653)
"""How far ahead a watch party may start: ten years (3653 days, leap days included). Keeps every end
time (start + episodes × runtime) far from `datetime.max`, which a start in year 9999 would overflow."""
NAME_PREFIX = "Watch party: "

_TIME = re.compile(r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$", re.IGNORECASE)


@functools.cache
def _zone_keys() -> dict[str, str]:
    """Every IANA zone name (`zoneinfo.available_timezones()`), by its folded spelling (`_fold`)."""
    return {_fold(key): key for key in available_timezones()}


def _fold(name: str) -> str:
    return "_".join(name.strip().casefold().split())


def zone_for(name: str) -> ZoneInfo:
    """The IANA time zone called `name` (e.g. "America/New_York", "Asia/Seoul"; "UTC" works), in any
    case and with spaces for underscores ("america/new york"), as members type it.

    Raises PartyTimeError for an unknown or malformed name (ZoneInfo raises ZoneInfoNotFoundError
    for unknown keys and ValueError for malformed ones such as absolute paths).
    """
    key = name.strip()
    try:
        if not key:
            raise ValueError("empty")
        return ZoneInfo(_zone_keys().get(_fold(key), key))
    except (ZoneInfoNotFoundError, ValueError):
        raise PartyTimeError(
            f'"{name}" is not a time zone I know; use an IANA name such as "America/New_York" or "Asia/Seoul".'
        ) from None


def parse_date(text: str) -> date:
    """A calendar date written YYYY-MM-DD (e.g. "2025-03-09"); PartyTimeError otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PartyTimeError(f'"{text}" is not a date; write it as YYYY-MM-DD, e.g. 2025-03-09.') from None


def parse_time(text: str) -> time:
    """A wall-clock time: "20:30", "8:30 pm", "8pm", "09:05". 12 am is midnight, 12 pm noon.

    Raises PartyTimeError for anything else (hour > 23, minute > 59, "13 pm", "0 am").
    """
    found = _TIME.match(text.strip())
    if found is None:
        raise PartyTimeError(f'"{text}" is not a time; write it as 20:30 or 8:30 pm.')
    hour, minute, ampm = int(found["h"]), int(found["m"] or 0), (found["ampm"] or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise PartyTimeError(f'"{text}" is not a time: with am/pm the hour is 1 to 12.')
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise PartyTimeError(f'"{text}" is not a time: hours go 0-23 and minutes 0-59.')
    return time(hour, minute)


def _wall(moment: datetime) -> datetime:
    return moment.astimezone(moment.tzinfo).replace(tzinfo=None, fold=0)


def _iso_offset(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def localize(wall: datetime, zone: ZoneInfo) -> datetime:
    """The aware moment at naive local time `wall` in `zone`.

    Raises PartyTimeError when the wall time does not exist there (clocks jump forward over it,
    e.g. 2025-03-09 02:30 in America/New_York) or happens twice (clocks go back, e.g. 2025-11-02
    01:30 there); the message gives both ISO times with offsets to choose from in the second case.
    """
    if wall.tzinfo is not None:
        raise ValueError("localize expects a naive wall time")
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    shown = wall.strftime("%Y-%m-%d %H:%M")
    round_trip = (
        _wall(first.astimezone(UTC).astimezone(zone)),
        _wall(second.astimezone(UTC).astimezone(zone)),
    )
    if round_trip == (wall, wall):
        raise PartyTimeError(
            f"{shown} happens twice in {zone.key} (the clocks go back); give the time with its offset: "
            f"{_iso_offset(first)} (the first) or {_iso_offset(second)} (the second)."
        )
    raise PartyTimeError(f"{shown} does not exist in {zone.key} (the clocks jump forward over it); pick another time.")


def _require_future(start: datetime, now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    if start <= now:
        raise PartyTimeError(f"{_iso_offset(start)} has already passed; pick a time in the future.")
    if start - now > MAX_AHEAD:
        raise PartyTimeError(
            f"{_iso_offset(start)} is more than ten years away; pick a time within the next {MAX_AHEAD.days} days."
        )
    return start


def parse_local_start(date_text: str, time_text: str, zone_name: str, now: datetime) -> datetime:
    """The start of a watch party from a member's date ("2025-03-09"), time ("20:30"/"8:30 pm") and IANA zone.

    Returns an aware datetime in that zone. now: the current moment, aware. Raises PartyTimeError for
    an unknown zone, an unreadable date or time, a nonexistent or ambiguous local time (see
    `localize`), a start at or before `now`, or one more than `MAX_AHEAD` (3653 days) after it.
    """
    zone = zone_for(zone_name)
    wall = datetime.combine(parse_date(date_text), parse_time(time_text))
    return _require_future(localize(wall, zone), now)


def parse_iso_start(text: str, now: datetime) -> datetime:
    """The start from an ISO 8601 time with an offset, e.g. "2025-03-09T20:30-05:00" or "...T01:30Z".

    Returns it aware, with its own offset. Raises PartyTimeError when unreadable, without an offset
    (it would mean nothing to members in other zones), at or before `now` (aware), or more than
    `MAX_AHEAD` (3653 days) after it.
    """
    try:
        start = datetime.fromisoformat(text.strip())
    except ValueError:
        raise PartyTimeError(f'"{text}" is not an ISO 8601 time; write it like 2025-03-09T20:30-05:00.') from None
    if start.tzinfo is None:
        raise PartyTimeError(f'"{text}" has no offset; add one (e.g. -05:00 or Z) or give your time zone instead.')
    return _require_future(start, now)


@dataclass(frozen=True, slots=True)
class PartyLength:
    """How long a watch party runs.

    end: start + length. episodes: how many episodes it covers (None if not known).
    minutes: the length in minutes. from_runtime: True when episodes × runtime gave it, False when
    it is the stated default (the UI should say "about 3 hours, the default").
    """

    end: datetime
    episodes: int | None
    minutes: int
    from_runtime: bool


def _positive(value: int | None, what: str) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise PartyLengthError(f"{what} must be a whole number of at least 1, got {value!r}.")
    return value


def party_length(
    start: datetime,
    episodes: int | None,
    runtime_minutes: int | None,
    *,
    episode_cap: int | None = None,
    default: timedelta = DEFAULT_LENGTH,
) -> PartyLength:
    """When the party ends.

    episodes: episodes to watch (e.g. the drama's count, or what is left); runtime_minutes: one
    episode's length; episode_cap: at most this many episodes tonight. With a runtime and an episode
    number (episodes, the cap, or the smaller of both) the length is episodes × runtime; otherwise
    `default` (3 hours). Raises PartyLengthError for a zero/negative episodes, runtime or cap.
    """
    _positive(episodes, "The number of episodes")
    _positive(runtime_minutes, "The episode runtime in minutes")
    _positive(episode_cap, "The episode cap")
    if default <= timedelta(0):
        raise ValueError("default must be positive")
    shown = min(n for n in (episodes, episode_cap) if n is not None) if (episodes or episode_cap) else None
    if runtime_minutes is not None and shown is not None:
        minutes = shown * runtime_minutes
        return PartyLength(start + timedelta(minutes=minutes), shown, minutes, True)
    return PartyLength(start + default, shown, int(default.total_seconds() // 60), False)


def event_name(title: str, prefix: str = NAME_PREFIX) -> str:
    """The scheduled event's name, e.g. "Watch party: Run On": prefix + title, title shortened so it fits 100."""
    return prefix + shorten(title, NAME_MAX - len(prefix.encode("utf-16-le")) // 2)


def event_description(text: str) -> str:
    """The event description cleaned and shortened to ≤ 1000 units ("" allowed: Discord makes it optional).

    Note: `clean` collapses newlines; build the description from one paragraph of plain facts.
    """
    return shorten(text, DESCRIPTION_MAX) if text.strip() else ""


def event_location(text: str) -> str:
    """An external event's location (required by Discord there): cleaned, shortened to ≤ 100 units.

    Raises WatchRuleError when blank.
    """
    if not text.strip():
        raise WatchRuleError("An event outside a voice channel needs a location, e.g. a streaming link or a place.")
    return shorten(text, LOCATION_MAX)
