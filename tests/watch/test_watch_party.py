"""Watch party times (zones, DST gap and overlap, ISO, past), end times and event texts."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.watch.errors import PartyLengthError, PartyTimeError, WatchRuleError
from bot.watch.party import (
    event_description,
    event_location,
    event_name,
    parse_date,
    parse_iso_start,
    parse_local_start,
    parse_time,
    party_length,
    zone_for,
)
from bot.watch.text import text_length

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
NY = "America/New_York"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_local_start_in_standard_and_daylight_time():
    # New York: EST (-5) until 2025-03-09 02:00, then EDT (-4)
    assert parse_local_start("2025-03-09", "01:30", NY, NOW) == utc(2025, 3, 9, 6, 30)
    assert parse_local_start("2025-03-09", "03:30", NY, NOW) == utc(2025, 3, 9, 7, 30)
    start = parse_local_start("2025-03-08", "9pm", "Asia/Seoul", NOW)  # KST +9, no DST
    assert start == utc(2025, 3, 8, 12, 0)
    assert start.tzinfo.key == "Asia/Seoul"


def test_local_start_in_the_spring_gap_does_not_exist():
    with pytest.raises(PartyTimeError) as caught:
        parse_local_start("2025-03-09", "02:30", NY, NOW)
    assert str(caught.value) == (
        "2025-03-09 02:30 does not exist in America/New_York (the clocks jump forward over it); pick another time."
    )


def test_local_start_in_the_autumn_overlap_is_ambiguous_and_offers_both_offsets():
    with pytest.raises(PartyTimeError) as caught:
        parse_local_start("2025-11-02", "01:30", NY, NOW)
    assert str(caught.value) == (
        "2025-11-02 01:30 happens twice in America/New_York (the clocks go back); give the time with its offset: "
        "2025-11-02T01:30-04:00 (the first) or 2025-11-02T01:30-05:00 (the second)."
    )
    # either offered ISO time then works
    assert parse_iso_start("2025-11-02T01:30-04:00", NOW) == utc(2025, 11, 2, 5, 30)
    assert parse_iso_start("2025-11-02T01:30-05:00", NOW) == utc(2025, 11, 2, 6, 30)


def test_local_start_around_the_overlap_is_clear():
    assert parse_local_start("2025-11-02", "00:30", NY, NOW) == utc(2025, 11, 2, 4, 30)  # EDT
    assert parse_local_start("2025-11-02", "02:30", NY, NOW) == utc(2025, 11, 2, 7, 30)  # EST


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "/etc/passwd", "EST5EDT/../../x"])
def test_unknown_zone(zone):
    with pytest.raises(PartyTimeError, match="is not a time zone I know"):
        parse_local_start("2025-03-09", "20:00", zone, NOW)


def test_zone_for_known_names():
    assert zone_for(" Asia/Seoul ").key == "Asia/Seoul"
    assert zone_for("UTC").key == "UTC"


def test_past_and_present_are_refused_future_accepted():
    # 07:00 EST on 2025-03-01 is 12:00 UTC, exactly NOW
    with pytest.raises(PartyTimeError, match=r"^2025-03-01T07:00-05:00 has already passed"):
        parse_local_start("2025-03-01", "07:00", NY, NOW)
    assert parse_local_start("2025-03-01", "07:01", NY, NOW) == utc(2025, 3, 1, 12, 1)


def test_naive_now_is_a_programming_error():
    with pytest.raises(ValueError, match="aware"):
        parse_local_start("2025-03-09", "20:00", NY, datetime(2025, 3, 1, 12, 0))


def test_iso_start():
    assert parse_iso_start("2025-03-09T20:30-05:00", NOW) == utc(2025, 3, 10, 1, 30)
    assert parse_iso_start(" 2025-03-09T20:30Z ", NOW) == utc(2025, 3, 9, 20, 30)
    with pytest.raises(PartyTimeError, match="has no offset"):
        parse_iso_start("2025-03-09T20:30", NOW)
    with pytest.raises(PartyTimeError, match="is not an ISO 8601 time"):
        parse_iso_start("next friday", NOW)
    with pytest.raises(PartyTimeError, match="has already passed"):
        parse_iso_start("2025-02-01T00:00+00:00", NOW)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20:30", time(20, 30)),
        ("8:30 PM", time(20, 30)),
        ("8pm", time(20)),
        ("12 am", time(0)),
        ("12pm", time(12)),
        ("09:05", time(9, 5)),
        ("0:00", time(0)),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "7:60", "13 pm", "0 am", "noon", "20.30"])
def test_parse_time_refuses(text):
    with pytest.raises(PartyTimeError):
        parse_time(text)


def test_parse_date():
    assert parse_date("2025-03-09").isoformat() == "2025-03-09"
    with pytest.raises(PartyTimeError, match="write it as YYYY-MM-DD"):
        parse_date("2025-02-30")


START = utc(2025, 3, 10, 0, 0)


def test_length_from_episodes_times_runtime():
    length = party_length(START, 16, 60)
    assert (length.end, length.episodes, length.minutes, length.from_runtime) == (utc(2025, 3, 10, 16), 16, 960, True)


def test_length_capped_for_one_night():
    assert party_length(START, 16, 60, episode_cap=3).end == utc(2025, 3, 10, 3)
    assert party_length(START, 16, 45, episode_cap=20).minutes == 720  # cap above the count: all 16
    capped_unknown_count = party_length(START, None, 70, episode_cap=2)
    assert (capped_unknown_count.end, capped_unknown_count.episodes) == (utc(2025, 3, 10, 2, 20), 2)


def test_length_default_when_runtime_unknown():
    length = party_length(START, 16, None)
    assert (length.end, length.episodes, length.minutes, length.from_runtime) == (utc(2025, 3, 10, 3), 16, 180, False)
    assert party_length(START, None, 60).end == utc(2025, 3, 10, 3)  # runtime without episodes: default
    assert party_length(START, None, None, default=timedelta(hours=2)).minutes == 120


@pytest.mark.parametrize(("episodes", "runtime", "cap"), [(0, 60, None), (16, 0, None), (16, 60, 0), (-1, 60, None)])
def test_length_refuses_non_positive_numbers(episodes, runtime, cap):
    with pytest.raises(PartyLengthError, match="at least 1"):
        party_length(START, episodes, runtime, episode_cap=cap)


def test_event_name_fits_100():
    assert event_name("Run On") == "Watch party: Run On"
    # 20 words of 4 letters = 99 chars; the title gets 100 - 13 = 87 units: room 86 cuts inside word 18
    name = event_name(" ".join(["aaaa"] * 20))
    assert name == "Watch party: " + " ".join(["aaaa"] * 17) + "…"
    assert text_length(name) == 98


def test_event_description_and_location():
    assert event_description("x" * 1200) == "x" * 999 + "…"
    assert event_description("A 16-episode drama.") == "A 16-episode drama."
    assert event_description("  ") == ""
    assert event_location("https://example.com/watch") == "https://example.com/watch"
    assert text_length(event_location("🍜" * 60)) == 99  # 49 emoji (98) + "…"
    with pytest.raises(WatchRuleError, match="needs a location"):
        event_location(" ")


def test_zone_names_as_members_type_them():
    assert zone_for("america/new_york").key == NY
    assert zone_for(" AMERICA/NEW YORK ").key == NY
    assert zone_for("asia/seoul").key == "Asia/Seoul"
    assert parse_local_start("2025-03-09", "20:00", "america/new_york", NOW) == utc(2025, 3, 10, 0, 0)  # EDT, -4


def test_a_start_more_than_ten_years_ahead_is_refused_and_never_overflows():
    # NOW is 2025-03-01 12:00 UTC; ten calendar years is 3652 days (leap days 2028 and 2032), so 3653
    # days later is 2035-03-02 12:00 UTC.
    assert parse_iso_start("2035-03-02T12:00Z", NOW) == utc(2035, 3, 2, 12, 0)
    with pytest.raises(PartyTimeError, match=r"^2035-03-02T12:01\+00:00 is more than ten years away"):
        parse_iso_start("2035-03-02T12:01Z", NOW)
    # The last moments Python can hold: refused, not an OverflowError from the end time.
    with pytest.raises(PartyTimeError, match="more than ten years away"):
        parse_local_start("9999-12-31", "23:59", "Pacific/Kiritimati", NOW)
    with pytest.raises(PartyTimeError, match="more than ten years away"):
        parse_iso_start("9999-12-31T23:59-12:00", NOW)
