"""End-to-end: hostile input and Discord faults against the group features (watch night, the watch
party), through the real bot process and ../shared/fakediscord with `strict_contexts=True` and the
shared K-drama CSV when it is there.

Each test states what a member sees; the module ends with the usual clean check (no violations,
no pings, no traceback in the bot's log).
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import SHARED_CSV
from tests.e2e.support import assert_clean, base_env, requires_fake

pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]

MANAGE_GUILD = 1 << 5


@pytest.fixture(scope="module")
def fake_discord_options() -> dict:
    members = {"alice": [], "bob": [], "carol": [], "dave": ["Managers"]}
    return {
        "allowed_intents": 0,
        "strict_contexts": True,
        "guilds": [
            {
                "name": "Fake Guild",
                "channels": ["general"],
                "roles": [{"name": "Managers", "permissions": MANAGE_GUILD}],
                "members": members,
            }
        ],
    }


@pytest.fixture(scope="module")
def bot_env(bot_db) -> dict[str, str]:
    return base_env(bot_db, catalog_csv=str(SHARED_CSV) if SHARED_CSV.is_file() else "")


def private_text(rec) -> str:
    """What the member alone was told: the ephemeral response or, after a defer, its follow-up."""
    message = rec.followups[-1] if rec.followups else rec.message
    assert message["flags"] & 64, message
    return message["content"]


def announced(db, message_id: str) -> bool:
    """Whether the poll is stored and its result recorded (False while it is not stored yet)."""
    try:
        return outcome(db, message_id) is not None
    except ValueError:
        return False


def outcome(db, message_id: str) -> str | None:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        (row,) = conn.execute("SELECT outcome FROM watch_polls WHERE message_id = ?", (int(message_id),)).fetchall()
    return row[0]


async def start_poll(fake, question: str, titles: list[str], user: str = "bob") -> str:
    options = {f"title{i}": t for i, t in enumerate(titles, start=1)} | {"question": question}
    rec = await fake.slash("watchnight start", options, user=user)
    assert rec.answered_within(3.0) and rec.callback.type == 4, rec
    return rec.original_id


# ------------------------------------------------------------------------------ the watch party's time


async def test_party_far_future_is_refused_plainly_not_an_apology(fake_discord, bot):
    for options in (
        {"title": "Run On", "date": "9999-12-31", "time": "23:59", "timezone": "Pacific/Kiritimati"},
        {"title": "Run On", "iso": "9999-12-31T23:59:59-12:00"},
    ):
        rec = await fake_discord.slash("watchnight party", options, user="bob")
        assert rec.answered_within(3.0), rec
        assert "is more than ten years away" in private_text(rec), rec.message


async def test_party_with_both_iso_and_date_is_refused(fake_discord, bot):
    options = {"title": "Run On", "iso": "2030-01-01T20:00Z", "date": "2030-01-02", "time": "10:00"}
    rec = await fake_discord.slash("watchnight party", options, user="bob")
    assert private_text(rec) == "Give either one `iso` time or a `date` and `time`, not both: they could disagree."
    assert fake_discord.scheduled_events == {}


async def test_party_zone_typed_in_lower_case(fake_discord, bot):
    options = {"title": "Run On", "date": "2030-07-04", "time": "8 pm", "timezone": "america/new york"}
    rec = await fake_discord.slash("watchnight party", options, user="bob")
    await rec.wait("followup")
    (event,) = fake_discord.scheduled_events.values()
    assert event["scheduled_start_time"].startswith("2030-07-05T00:00:00")  # 20:00 EDT (UTC-4)


# ------------------------------------------------------------------------------ poll answers


async def test_two_shows_with_one_name_are_told_apart_by_year(fake_discord, bot, bot_db):
    if not SHARED_CSV.is_file():
        pytest.skip(f"the shared K-drama CSV is absent ({SHARED_CSV})")
    offered = await fake_discord.autocomplete("watchnight start", {"title1": "Hyena"}, focused="title1")
    ids = {c["name"]: c["value"] for c in offered.choices}
    mid = await start_poll(fake_discord, "Which Hyena?", [ids["Hyena (2020)"], ids["Hyena (2006)"]])
    answers = [a["poll_media"]["text"] for a in fake_discord.message(mid)["poll"]["answers"]]
    assert answers == ["Hyena (2020)", "Hyena (2006)"]
    await fake_discord.end_poll(mid)
    # One poll per server at a time: the next test's poll may start once this one's result is in.
    await fake_discord.wait_until(lambda: announced(bot_db, mid), 10, "the Hyena poll's result")


# ------------------------------------------------------------------------------ /watchnight end faults


async def test_end_that_discord_refuses_says_the_poll_is_still_running(fake_discord, bot, bot_db):
    mid = await start_poll(fake_discord, "Refused end?", ["Run On", "Signal"])
    fake_discord.fail("POST", rf"/polls/{mid}/expire$", status=403, times=1)
    rec = await fake_discord.slash("watchnight end", {}, user="bob")
    await rec.wait("followup")
    text = private_text(rec)
    assert text.startswith("Discord did not end the poll (Discord answered: 403 "), text
    assert "still running" in text
    assert not fake_discord.message(mid)["poll"]["results"]["is_finalized"]
    assert outcome(bot_db, mid) is None
    again = await fake_discord.slash("watchnight end", {}, user="bob")
    await again.wait("followup")
    assert private_text(again) == "Poll ended; the result is posted in the channel."
    assert outcome(bot_db, mid) == "no_votes"


async def test_end_whose_result_cannot_be_posted_says_so_and_start_up_posts_it(fake_discord, bot, bot_db):
    mid = await start_poll(fake_discord, "Locked channel?", ["Run On", "Signal"])
    await fake_discord.poll_vote(mid, 2, user="carol")
    # Ramen may not post in the channel: its own post and the two the poll's end events trigger.
    fake_discord.fail("POST", r"/channels/\d+/messages$", status=403, times=3)
    rec = await fake_discord.slash("watchnight end", {}, user="dave")  # Manage Server
    await rec.wait("followup")
    channel = fake_discord.channel("general")["id"]
    text = private_text(rec)
    assert text.startswith(
        f"The poll has ended, but I could not post its result in <#{channel}> (Discord answered: 403"
    )
    assert "**Send Messages**" in text
    # After the third refusal the claim is released: nothing says it was announced.
    refused = lambda: not any(f[4] for f in fake_discord._failures) and outcome(bot_db, mid) is None  # noqa: E731
    await fake_discord.wait_until(refused, 10, "three refusals, the claim released")
    await bot.restart()
    posts = lambda: [m for m in fake_discord.messages("general") if "“Locked channel?”" in (m.get("content") or "")]  # noqa: E731
    await fake_discord.wait_until(posts, 15, "the start-up pickup's post")  # claimed first, then posted
    assert outcome(bot_db, mid) == "winner"
    (post,) = posts()
    assert "**Signal** won with 1 of 1 vote" in post["content"]


async def test_zz_clean(fake_discord, bot):
    assert_clean(fake_discord, bot, fake_discord.sent)
