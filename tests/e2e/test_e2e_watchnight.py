"""End-to-end: watch night (native polls), the watch party (scheduled events) and the live tally on
rating prompts, through the real bot
process and ../shared/fakediscord with `strict_contexts=True` (it refuses what Discord would never
deliver). Expected winners, ties and counts are worked out by hand from the votes each test casts.

Members: alice owns "Fake Guild" (every permission), dave has a role with Manage Server only, bob
and carol have nothing special. "Locked" is a guild where Ramen's role has no permission at all.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import sqlite3

import pytest

from tests.e2e.support import assert_clean, base_env, requires_fake

pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]

MANAGE_GUILD = 1 << 5
CREATE_EVENTS = 1 << 44
FANS = [f"fan{i:02d}" for i in range(50)]
KEYCAPS = (*(f"{d}\ufe0f\u20e3" for d in "123456789"), "\U0001f51f")
TALLY_INTERVAL = 5.0  # bot.watch.tally.DEFAULT_MIN_INTERVAL, the bot's setting


@pytest.fixture(scope="module")
def fake_discord_options() -> dict:
    members = {"alice": [], "bob": [], "carol": [], "dave": ["Managers"], **{fan: [] for fan in FANS}}
    return {
        "allowed_intents": 0,
        "strict_contexts": True,
        "guilds": [
            {
                "name": "Fake Guild",
                "channels": ["general", {"name": "Lounge", "type": 2}],
                "roles": [{"name": "Managers", "permissions": MANAGE_GUILD}],
                "members": members,
            },
            {"name": "Locked", "channels": ["general"], "members": {"alice": [], "bob": []}, "bot_permissions": 0},
        ],
    }


@pytest.fixture(scope="module")
def bot_env(bot_db, fake_discord) -> dict[str, str]:
    return base_env(bot_db)


def stored_polls(db) -> dict[int, str | None]:
    """message id → announced outcome (None while open) of every watch-night poll in the bot's database."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {int(m): o for m, o in conn.execute("SELECT message_id, outcome FROM watch_polls")}


def bot_posts(fake, channel: str = "general", guild: str = "Fake Guild") -> list[dict]:
    """The bot's plain channel messages (not interaction replies, not the type-46 result message)."""
    bot_id = fake.bot_user["id"]
    return [
        m
        for m in fake.messages(channel, guild)
        if m["author"]["id"] == bot_id and m["type"] == 0 and not m.get("interaction_metadata") and "poll" not in m
    ]


def results_for(fake, question: str) -> list[dict]:
    """The bot's result announcements for the poll asking `question`."""
    return [m for m in bot_posts(fake) if f"“{question}”" in m["content"]]


async def start_poll(fake, question: str, titles: list[str], user: str = "bob", hours: int = 24) -> str:
    options = {f"title{i}": t for i, t in enumerate(titles, start=1)} | {"question": question, "hours": hours}
    rec = await fake.slash("watchnight start", options, user=user)
    assert rec.answered_within(3.0), rec
    assert rec.callback.type == 4, rec
    poll = rec.message["poll"]
    assert poll["question"]["text"] == question
    assert len(poll["answers"]) == len(titles) <= 10
    assert all(len(a["poll_media"]["text"]) <= 55 for a in poll["answers"])
    return rec.original_id


async def wait_result(fake, question: str, within: float = 10.0) -> dict:
    await fake.wait_until(lambda: results_for(fake, question), within, f"the result of “{question}”")
    return results_for(fake, question)[0]


async def test_poll_posted_votes_and_timer_end_announce_the_winner_with_its_card(fake_discord, bot):
    mid = await start_poll(fake_discord, "Friday?", ["Run On", "Reply 1988", "Signal"], hours=48)
    message = fake_discord.message(mid)
    assert [a["poll_media"]["text"] for a in message["poll"]["answers"]] == ["Run On", "Reply 1988", "Signal"]
    expiry = dt.datetime.fromisoformat(message["poll"]["expiry"])
    assert dt.timedelta(hours=47, minutes=59) < expiry - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=48)
    await fake_discord.poll_vote(mid, 2, user="alice")
    await fake_discord.poll_vote(mid, 2, user="bob")
    await fake_discord.poll_vote(mid, 1, user="carol")
    await fake_discord.end_poll(mid)  # as the timer would
    result = await wait_result(fake_discord, "Friday?")
    assert "**Reply 1988** won with 2 of 3 votes" in result["content"]
    (card,) = result["embeds"]
    assert card["title"].startswith("Reply 1988")  # the /drama card
    assert len(results_for(fake_discord, "Friday?")) == 1


async def test_without_titles_the_poll_is_the_top_of_up_next(fake_discord, bot):
    for user, title in (("alice", "Goblin"), ("bob", "Signal"), ("carol", "Signal"), ("bob", "Run On")):
        rec = await fake_discord.slash("upnext add", {"title": title}, user=user)
        assert rec.answered_within(3.0), rec
        await fake_discord.wait_until(lambda r=rec: r.message, 5, "the up-next answer")
    rec = await fake_discord.slash("watchnight start", {"question": "From the queue?"}, user="bob")
    assert rec.answered_within(3.0) and rec.callback.type == 4, rec
    # Signal has 2 backers; Goblin and Run On 1 each, Goblin queued first.
    texts = [a["poll_media"]["text"] for a in rec.message["poll"]["answers"]]
    assert texts == ["Signal", "Goblin", "Run On"]
    await fake_discord.end_poll(rec.original_id)
    result = await wait_result(fake_discord, "From the queue?")
    assert "ended with no votes" in result["content"]


async def test_a_tie_is_said_as_a_tie(fake_discord, bot):
    mid = await start_poll(fake_discord, "Tie night?", ["Run On", "Signal", "Kingdom"])
    await fake_discord.poll_vote(mid, 1, user="alice")
    await fake_discord.poll_vote(mid, 3, user="bob")
    await fake_discord.end_poll(mid)
    result = await wait_result(fake_discord, "Tie night?")
    assert "ended in a tie: **Run On** and **Kingdom**, 1 vote each (2 votes in all)" in result["content"]
    assert result["embeds"] == []


async def test_no_votes_is_said_plainly(fake_discord, bot):
    mid = await start_poll(fake_discord, "Anyone?", ["Run On", "Signal"])
    await fake_discord.end_poll(mid)
    result = await wait_result(fake_discord, "Anyone?")
    assert "ended with no votes, so nothing was picked" in result["content"]


async def test_end_by_a_stranger_is_refused_by_the_starter_works(fake_discord, bot):
    mid = await start_poll(fake_discord, "Starter ends?", ["Run On", "Signal"], user="bob")
    await fake_discord.poll_vote(mid, 2, user="carol")
    rec = await fake_discord.slash("watchnight end", {}, user="carol")
    assert rec.answered_within(3.0) and rec.message["flags"] & 64
    assert "Only the member who started this watch night" in rec.message["content"]
    assert not (fake_discord.message(mid)["poll"].get("results") or {}).get("is_finalized")  # still running
    rec = await fake_discord.slash("watchnight end", {}, user="bob")
    assert rec.answered_within(3.0)
    await rec.wait("followup")
    result = await wait_result(fake_discord, "Starter ends?")
    assert "**Signal** won with 1 of 1 vote" in result["content"]


async def test_end_by_a_member_with_manage_server(fake_discord, bot):
    mid = await start_poll(fake_discord, "Manager ends?", ["Run On", "Signal"], user="bob")
    await fake_discord.poll_vote(mid, 1, user="bob")
    rec = await fake_discord.slash("watchnight end", {}, user="dave")  # Manage Server, not the starter
    assert rec.answered_within(3.0) and rec.callback.type == 5, rec.message
    await rec.wait("followup")
    result = await wait_result(fake_discord, "Manager ends?")
    assert "**Run On** won with 1 of 1 vote" in result["content"]
    rec = await fake_discord.slash("watchnight end", {}, user="dave")  # nothing left running
    assert "No watch-night poll is running" in rec.message["content"]


async def test_a_poll_that_ends_while_the_bot_is_down_is_announced_once(fake_discord, bot, bot_db):
    mid = await start_poll(fake_discord, "While away?", ["Run On", "Signal", "Kingdom"])
    await fake_discord.wait_until(lambda: int(mid) in stored_polls(bot_db), 5, "the poll stored")
    await fake_discord.poll_vote(mid, 3, user="alice")
    await fake_discord.poll_vote(mid, 3, user="carol")
    await fake_discord.poll_vote(mid, 1, user="bob")
    await bot.stop()
    await fake_discord.end_poll(mid)
    await bot.start()
    result = await wait_result(fake_discord, "While away?", within=15)
    assert stored_polls(bot_db)[int(mid)] == "winner"
    assert "**Kingdom** won with 2 of 3 votes" in result["content"]
    await bot.restart()  # a second start-up finds it already announced
    await fake_discord.wait_until(lambda: bot.running, 5, "bot running")
    assert len(results_for(fake_discord, "While away?")) == 1


async def test_party_external_event_for_the_last_winner(fake_discord, bot):
    rec = await fake_discord.slash(
        "watchnight party", {"date": "2031-05-09", "time": "8:30 pm", "timezone": "Asia/Seoul"}, user="alice"
    )
    assert rec.answered_within(3.0)
    await rec.wait("followup")
    events = list(fake_discord.scheduled_events.values())
    event = events[-1]
    # The last winner was Kingdom (the poll announced at start-up). 20:30 in Seoul (UTC+9) is 11:30 UTC.
    assert event["name"] == "Watch party: Kingdom"
    assert event["entity_type"] == 3 and event["entity_metadata"]["location"] == "Discord"
    assert event["scheduled_start_time"].startswith("2031-05-09T11:30:00")
    assert event["scheduled_end_time"].startswith("2031-05-09T14:30:00")  # 3 h, the default
    text = rec.followups[-1]["content"] if rec.followups else rec.message["content"]
    assert "about 3 h: the default" in text and "at Discord" in text


async def test_party_voice_event_and_interest(fake_discord, bot):
    lounge = fake_discord.channel("Lounge")["id"]
    rec = await fake_discord.slash(
        "watchnight party",
        {"title": "Run On", "iso": "2031-06-01T19:00+00:00", "voice_channel": lounge},
        user="bob",
    )
    assert rec.answered_within(3.0)
    await rec.wait("followup")
    event = list(fake_discord.scheduled_events.values())[-1]
    assert (event["name"], event["entity_type"], event["channel_id"]) == ("Watch party: Run On", 2, lounge)
    assert event["scheduled_start_time"].startswith("2031-06-01T19:00:00")
    await fake_discord.event_interest(event["id"], user="alice")
    await fake_discord.event_interest(event["id"], user="carol")
    rec = await fake_discord.slash("watchnight interest", {}, user="dave")
    assert rec.answered_within(3.0) and rec.message["flags"] & 64
    assert "2 members are interested" in rec.message["content"]


async def test_party_without_create_events_names_the_missing_permission(fake_discord, bot):
    before = len(fake_discord.scheduled_events)
    rec = await fake_discord.slash(
        "watchnight party", {"title": "Run On", "iso": "2031-06-01T19:00+00:00"}, user="alice", guild="Locked"
    )
    assert rec.answered_within(3.0) and rec.message["flags"] & 64
    assert "Create Events" in rec.message["content"]
    assert len(fake_discord.scheduled_events) == before
    await fake_discord.set_bot_permissions(CREATE_EVENTS | (1 << 11) | (1 << 10), guild="Locked")
    rec = await fake_discord.slash(
        "watchnight party", {"title": "Run On", "iso": "2031-06-01T19:00+00:00"}, user="alice", guild="Locked"
    )
    await rec.wait("followup")
    assert len(fake_discord.scheduled_events) == before + 1


async def test_bad_input_gets_clear_answers(fake_discord, bot):
    rec = await fake_discord.slash("watchnight start", {"title1": "Run On"}, user="bob")
    assert rec.message["flags"] & 64 and "at least 2 different titles" in rec.message["content"]
    rec = await fake_discord.slash("watchnight party", {"title": "Run On", "date": "2031-01-01"}, user="bob")
    assert rec.message["flags"] & 64 and "`date` and `time`" in rec.message["content"]
    rec = await fake_discord.slash("watchnight party", {"title": "Run On", "iso": "2001-01-01T10:00Z"}, user="bob")
    assert rec.message["flags"] & 64 and "has already passed" in rec.message["content"]
    with pytest.raises(ValueError, match="cannot be used"):  # guild-only: Discord never delivers it in a DM
        await fake_discord.slash("watchnight start", {}, user="bob", context="bot_dm")


def prompt_edits(fake, message_id: str) -> list[dict]:
    """The bot's PATCHes of the prompt message (each with its status and monotonic time `at`)."""
    path = re.compile(rf"/channels/\d+/messages/{message_id}$")
    return [r for r in fake.requests if r["method"] == "PATCH" and path.search(r["path"])]


def tally_of(fake, message_id: str) -> str | None:
    fields = fake.message(message_id)["embeds"][0].get("fields", [])
    return next((f["value"] for f in fields if f["name"] == "This server so far"), None)


async def test_live_tally_under_a_burst_of_50_reactions(fake_discord, bot):
    rec = await fake_discord.slash("rate", {"title": "Signal"}, user="alice")
    assert rec.answered_within(3.0)
    mid = rec.original_id
    assert tally_of(fake_discord, mid) == "No votes yet: be the first"
    await fake_discord.wait_until(lambda: len(fake_discord.message(mid)["reactions"]) == 10, 15, "the ten keycaps")
    for i, fan in enumerate(FANS[:10]):  # fan i gives (i mod 10) + 1 bowls: five votes of every score
        await fake_discord.react(mid, KEYCAPS[i % 10], user=fan)
    ok = lambda: [r for r in prompt_edits(fake_discord, mid) if r["status"] == 200]  # noqa: E731
    await fake_discord.wait_until(ok, 5, "the first tally edit, at once")
    # The next edit meets one 429: discord.py waits retry_after and sends it again; nothing is dropped.
    fake_discord.fail("PATCH", rf"/channels/\d+/messages/{mid}$", status=429, times=1)
    for i, fan in enumerate(FANS[10:], start=10):
        await fake_discord.react(mid, KEYCAPS[i % 10], user=fan)
    # Mean (5 × (1 + … + 10)) / 50 = 275 / 50 = 5.5; every score has 5 votes, so every bar is full.
    final = "**5.5/10** from 50 votes · `██████████` 1→10 bowls"
    await fake_discord.wait_until(lambda: tally_of(fake_discord, mid) == final, 3 * TALLY_INTERVAL, "the final tally")
    edits = ok()
    assert [r["status"] for r in prompt_edits(fake_discord, mid)].count(429) == 1
    # 50 votes in about a second → one edit at once and one an interval later (after its 429), no more.
    assert len(edits) == 2, edits
    gaps = [b["at"] - a["at"] for a, b in itertools.pairwise(edits)]
    assert all(gap >= TALLY_INTERVAL - 0.5 for gap in gaps), gaps


async def test_live_tally_follows_a_rate_command_vote_through_the_same_throttle(fake_discord, bot):
    rec = await fake_discord.slash("rate", {"title": "Kingdom"}, user="alice")
    mid = rec.original_id
    await fake_discord.wait_until(lambda: len(fake_discord.message(mid)["reactions"]) == 10, 15, "the ten keycaps")
    await fake_discord.react(mid, KEYCAPS[6], user="carol")  # 7️⃣: carol gives 7 bowls by reaction
    # One vote of 7: mean 7.0; the only score with votes is 7, so its bar is full.
    first = "**7.0/10** from 1 vote · `······█···` 1→10 bowls"
    await fake_discord.wait_until(lambda: tally_of(fake_discord, mid) == first, 5, "the reaction's tally")
    vote = await fake_discord.slash("rate", {"title": "Kingdom", "score": 9}, user="bob")  # no reaction
    assert vote.message["flags"] & 64 and vote.answered_within(3.0)
    # (7 + 9) / 2 = 8.0 from 2 votes; one vote each at 7 and 9 → two full bars.
    final = "**8.0/10** from 2 votes · `······█·█·` 1→10 bowls"
    await fake_discord.wait_until(lambda: tally_of(fake_discord, mid) == final, 3 * TALLY_INTERVAL, "/rate's tally")
    edits = [r for r in prompt_edits(fake_discord, mid) if r["status"] == 200]
    assert len(edits) == 2, edits  # the reaction's edit, then /rate's an interval later: no edit storm
    assert edits[1]["at"] - edits[0]["at"] >= TALLY_INTERVAL - 0.5


async def test_zz_clean(fake_discord, bot):
    assert not re.search(r"Traceback", bot.log_text())
    assert_clean(fake_discord, bot, fake_discord.sent)
