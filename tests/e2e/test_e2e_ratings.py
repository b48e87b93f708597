"""End-to-end: the rating prompt, members' reactions, restarts, downtime and Discord faults.

This module's bot syncs to a development guild (DEV_GUILD_ID = the fake guild's id). Every
expected vote count below is worked out by hand from the README's rules: a new number replaces
the vote, removing the current one withdraws it, removing an older one changes nothing, bots'
reactions and other emoji are ignored, and votes cast while the bot was down count at start-up.
"""

from __future__ import annotations

import asyncio
import re

import pytest
import pytest_asyncio

from tests.e2e.support import (
    KEYCAPS,
    assert_clean,
    base_env,
    kept_fields,
    page_fields,
    pager_buttons,
    prompts,
    requires_fake,
    votes,
)

pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]

REACTIONS = r"/channels/\d+/messages/\d+/reactions/"
SETTLE = 0.3  # seconds for the bot to have handled events that must change nothing


CROWD = [f"fan{i:03d}" for i in range(130)]  # more than one page (100) of reaction users


@pytest.fixture(scope="module")
def fake_discord_options() -> dict:
    """The default members plus a crowd, so reconciliation has to page through reactions."""
    members = {"alice": ["Moderator"], "bob": [], "carol": [], **{name: [] for name in CROWD}}
    return {
        "allowed_intents": 0,
        "guilds": [
            {"name": "Fake Guild", "channels": ["general", "bot-commands"], "roles": ["Moderator"], "members": members}
        ],
    }


@pytest.fixture(scope="module")
def bot_env(bot_db, fake_discord) -> dict[str, str]:
    """Sync to the fake guild at once (the DEV_GUILD_ID path)."""
    return base_env(bot_db, dev_guild_id=fake_discord.guild()["id"])


def ids(fake, *names: str) -> list[int]:
    """The fake users' ids, as the bot stores them."""
    return [int(fake.user(n)["id"]) for n in names]


def holders(fake, message_id: str, emoji: str) -> set[str]:
    """Names of the users whose `emoji` reaction is on the message now."""
    by_id = {u["id"]: name for name, u in fake.users.items()}
    return {by_id[u] for u in fake._reactions.get(str(message_id), {}).get(emoji, [])}


def keycaps_on(fake, message_id: str) -> list[tuple[str, int, bool]]:
    """(emoji, count, the bot's own) for the rating keycaps on a message, in order."""
    message = fake.message(message_id)
    return [(r["emoji"]["name"], r["count"], r["me"]) for r in message["reactions"] if r["emoji"]["name"] in KEYCAPS]


async def post_prompt(fake, user: str = "alice") -> str:
    """/rate title:Run On without a score; returns the prompt's id once the bot's ten keycaps are on it."""
    rec = await fake.slash("rate", {"title": "Run On"}, user=user)
    assert rec.answered_within(3.0) and rec.callback.type == 4, rec
    assert not rec.message["flags"] & 64
    await fake.wait_until(lambda: len(keycaps_on(fake, rec.original_id)) == 10, 15, "the ten keycaps")
    return rec.original_id


async def expect_votes(fake, db, expected: dict[str, int], within: float = 5.0) -> None:
    """Wait until the stored Run On votes are exactly `expected` (member name → score).

    Polls the database: a vote lands there without any request to the fake to wake on.
    """
    want = {int(fake.user(name)["id"]): score for name, score in expected.items()}
    deadline = asyncio.get_running_loop().time() + within
    while (got := votes(db)) != want:
        if asyncio.get_running_loop().time() > deadline:
            names = {int(u["id"]): n for n, u in fake.users.items()}
            raise AssertionError(f"votes { ({names[u]: s for u, s in got.items()}) } != {expected}")
        await asyncio.sleep(0.02)


async def reconciled_again(fake, bot, prompt: str) -> None:
    """Restart the bot and wait until its start-up reconciliation has read the prompt's reactions."""
    before = len(fake.requests)
    await bot.restart()
    await fake.wait_until(
        lambda: any(r["method"] == "GET" and f"/{prompt}/reactions/" in r["path"] for r in fake.requests[before:]),
        10,
        "the prompt's reactions re-read",
    )
    await asyncio.sleep(SETTLE)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def prompt(fake_discord, bot) -> str:
    """The module's rating prompt for Run On."""
    return await post_prompt(fake_discord)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def other_bot(fake_discord) -> str:
    """A second bot in the guild, whose reactions must be ignored."""
    user = fake_discord._new_user("otherbot", bot=True)
    guild = fake_discord.guild()
    guild["members"][user["id"]] = {**next(iter(guild["members"].values())), "user": user, "roles": []}
    return "otherbot"


# ------------------------------------------------------------------------------ sync


async def test_dev_guild_sync_accepted(fake_discord, bot):
    gid = fake_discord.guild()["id"]
    syncs = [r for r in fake_discord.requests if r["method"] == "PUT" and r["path"].endswith("/commands")]
    assert [r["path"] for r in syncs] == [f"/applications/{fake_discord.app_id}/guilds/{gid}/commands"]
    assert syncs[0]["status"] == 200
    assert {"rate", "ratings", "myratings", "drama"} <= set(fake_discord.commands(guild=gid))
    assert fake_discord.commands() == {}  # nothing global


# ------------------------------------------------------------------------------ the prompt


async def test_prompt_carries_the_ten_keycaps_and_is_remembered(fake_discord, bot, bot_db, prompt):
    assert keycaps_on(fake_discord, prompt) == [(k, 1, True) for k in KEYCAPS]
    assert [r["emoji"]["name"] for r in fake_discord.message(prompt)["reactions"]] == list(KEYCAPS)  # in order
    assert prompts(bot_db)[int(prompt)] == "run-on"
    assert "Run On" in fake_discord.message(prompt)["embeds"][0]["title"]


async def test_reactions_change_the_score_exactly(fake_discord, bot, bot_db, prompt, other_bot):
    fake = fake_discord
    await fake.react(prompt, KEYCAPS[7], user="bob")  # bob 8
    await expect_votes(fake, bot_db, {"bob": 8})

    await fake.react(prompt, KEYCAPS[2], user="bob")  # bob 3 replaces 8; the bot takes his 8 off
    await expect_votes(fake, bot_db, {"bob": 3})
    await fake.wait_until(lambda: holders(fake, prompt, KEYCAPS[7]) == {"FakeBot"}, 5, "bob's 8 removed by the bot")
    await asyncio.sleep(SETTLE)  # the removal's own REACTION_REMOVE is an old vote: nothing changes
    await expect_votes(fake, bot_db, {"bob": 3})

    await fake.react(prompt, "5\u20e3", user="carol")  # keycap without the variation selector
    await expect_votes(fake, bot_db, {"bob": 3, "carol": 5})
    await fake.unreact(prompt, "5\u20e3", user="carol")  # removing the current vote withdraws it
    await expect_votes(fake, bot_db, {"bob": 3})

    # ignored: other emoji, custom emoji, other keycaps, another bot, a message that is not a prompt
    await fake.react(prompt, "\N{THUMBS UP SIGN}", user="carol")
    await fake.react(prompt, "ramen:123456789012345678", user="carol")
    await fake.react(prompt, "0\ufe0f\u20e3", user="carol")
    await fake.react(prompt, "#\ufe0f\u20e3", user="carol")
    await fake.react(prompt, KEYCAPS[9], user=other_bot)
    summary = await fake.slash("drama", {"title": "Run On"}, user="carol")
    await fake.react(summary.original_id, KEYCAPS[0], user="carol")
    await asyncio.sleep(SETTLE)
    await fake.react(prompt, KEYCAPS[5], user="carol")  # a vote that counts, after the ignored ones
    await expect_votes(fake, bot_db, {"bob": 3, "carol": 6})


async def test_without_manage_messages_old_reactions_stay_and_count_right(fake_discord, bot, bot_db, prompt):
    fake = fake_discord
    await fake.react(prompt, KEYCAPS[8], user="alice")  # alice 9
    await expect_votes(fake, bot_db, {"bob": 3, "carol": 6, "alice": 9})
    fake.fail("DELETE", REACTIONS, status=403, body={"message": "Missing Permissions", "code": 50013})
    await fake.react(prompt, KEYCAPS[1], user="alice")  # alice 2; the bot may not remove her 9
    await expect_votes(fake, bot_db, {"bob": 3, "carol": 6, "alice": 2})
    await fake.wait_until(
        lambda: any(r["method"] == "DELETE" and r["status"] == 403 for r in fake.requests), 5, "the refused removal"
    )
    assert "alice" in holders(fake, prompt, KEYCAPS[8])
    await fake.unreact(prompt, KEYCAPS[8], user="alice")  # removing an older reaction changes nothing
    await asyncio.sleep(SETTLE)
    await expect_votes(fake, bot_db, {"bob": 3, "carol": 6, "alice": 2})
    await fake.unreact(prompt, KEYCAPS[1], user="alice")  # removing the current one withdraws it
    await expect_votes(fake, bot_db, {"bob": 3, "carol": 6})


async def test_prompt_keeps_working_after_a_restart(fake_discord, bot, bot_db, prompt):
    fake = fake_discord
    await bot.restart()  # new process, empty cache: only raw events can see the old prompt
    await fake.react(prompt, KEYCAPS[9], user="bob")  # bob 10 replaces 3
    await expect_votes(fake, bot_db, {"bob": 10, "carol": 6})
    await fake.wait_until(lambda: "bob" not in holders(fake, prompt, KEYCAPS[2]), 5, "bob's 3 removed by the bot")


async def test_votes_cast_and_withdrawn_while_down_are_reconciled(fake_discord, bot, bot_db, prompt):
    fake = fake_discord
    await bot.stop()
    await fake.react(prompt, KEYCAPS[3], user="alice")  # a new vote: alice 4
    await fake.unreact(prompt, KEYCAPS[9], user="bob")  # bob withdraws his current 10
    await fake.unreact(prompt, KEYCAPS[5], user="carol")  # carol changes 6 → 9
    await fake.react(prompt, KEYCAPS[8], user="carol")
    assert votes(bot_db) == dict(zip(ids(fake, "bob", "carol"), (10, 6), strict=True))  # nobody was listening
    fake.fail("GET", r"/channels/\d+/messages/\d+$", status=500)  # the first read fails once: retried
    await bot.start()
    await expect_votes(fake, bot_db, {"alice": 4, "carol": 9}, within=15)
    await reconciled_again(fake, bot, prompt)  # reconciling twice changes nothing (no double counting)
    await expect_votes(fake, bot_db, {"alice": 4, "carol": 9})
    chart = await fake.slash("ratings", {"title": "Run On"}, user="bob")
    assert chart.answered_within(3.0)
    text = str(chart.message["embeds"])
    assert "6.5" in text and re.search(r"\b2 votes\b", text), text


# ------------------------------------------------------------------------------ faults


@pytest.mark.parametrize("status", [429, 500])
async def test_keycaps_survive_a_transient_failure(fake_discord, bot, bot_db, status):
    fake = fake_discord
    fake.fail("PUT", REACTIONS, status=status, times=1)
    before = len(fake.requests)
    message_id = await post_prompt(fake, user="carol")
    failed = [r for r in fake.requests[before:] if r["method"] == "PUT" and r["status"] == status]
    assert len(failed) == 1  # the failure happened, and the bot retried past it
    assert keycaps_on(fake, message_id) == [(k, 1, True) for k in KEYCAPS]
    await fake.react(message_id, KEYCAPS[6], user="bob")  # bob 7 through the new prompt
    await expect_votes(fake, bot_db, {"alice": 4, "carol": 9, "bob": 7})


async def test_keycaps_refused_are_reported_and_votes_still_count(fake_discord, bot, bot_db):
    fake = fake_discord
    fake.fail("PUT", REACTIONS, status=403, body={"message": "Missing Permissions", "code": 50013})
    fake.fail("POST", r"/webhooks/\d+/[^/]+$", status=500)  # and the report's first attempt fails too
    rec = await fake.slash("rate", {"title": "Run On"}, user="alice")
    assert rec.answered_within(3.0), rec
    (notice,) = [r for r in await rec.wait("followup", timeout=10) if r.status == 200]
    assert notice.data["flags"] & 64 and "may not add reactions" in notice.data["content"]
    await fake.react(rec.original_id, KEYCAPS[0], user="alice")  # members can still vote by hand
    await expect_votes(fake, bot_db, {"alice": 1, "carol": 9, "bob": 7})


async def test_vote_answer_survives_a_rate_limited_callback(fake_discord, bot, bot_db):
    fake = fake_discord
    fake.fail("POST", r"/interactions/\d+/[^/]+/callback$", status=429, retry_after=0.3)
    rec = await fake.slash("rate", {"title": "Run On", "score": 5}, user="carol")
    assert rec.answered_within(3.0), rec
    assert rec.message["flags"] & 64 and "5" in rec.content
    await expect_votes(fake, bot_db, {"alice": 1, "carol": 5, "bob": 7})


async def test_superseded_reaction_removal_retried_after_a_500(fake_discord, bot, bot_db, prompt):
    fake = fake_discord
    await fake.react(prompt, KEYCAPS[1], user="bob")  # bob 2
    await expect_votes(fake, bot_db, {"alice": 1, "carol": 5, "bob": 2})
    fake.fail("DELETE", REACTIONS, status=500)
    await fake.react(prompt, KEYCAPS[3], user="bob")  # bob 4; removing his 2 fails once, then succeeds
    await expect_votes(fake, bot_db, {"alice": 1, "carol": 5, "bob": 4})
    await fake.wait_until(lambda: "bob" not in holders(fake, prompt, KEYCAPS[1]), 8, "bob's 2 removed after a retry")


async def test_reaction_during_a_gateway_resume_counts(fake_discord, bot, bot_db, prompt):
    fake = fake_discord
    (session,) = fake.sessions.values()
    resumed = sum(p["t"] == "RESUMED" for p in session.backlog)
    await fake.disconnect(4000)  # discord.py reconnects and RESUMEs; events it missed are replayed
    await fake.react(prompt, KEYCAPS[5], user="carol")  # carol 5 → 6 while the connection is down
    await fake.wait_until(lambda: sum(p["t"] == "RESUMED" for p in session.backlog) > resumed, 15, "RESUMED")
    await expect_votes(fake, bot_db, {"alice": 1, "carol": 6, "bob": 4}, within=10)
    assert list(fake.sessions) == [session.id]  # resumed, not a new IDENTIFY
    await fake.wait_until(lambda: "carol" not in holders(fake, prompt, KEYCAPS[4]), 5, "carol's 5 removed")


async def test_deleted_prompt_is_forgotten_and_its_votes_stay(fake_discord, bot, bot_db):
    fake = fake_discord
    by_drama = prompts(bot_db)
    alice_prompt = max(by_drama)  # the newest prompt: alice voted 1 through it by hand
    await bot.stop()
    del fake._messages[str(alice_prompt)]  # deleted while the bot was away (no delete event reached it)
    await bot.start()
    deadline = asyncio.get_running_loop().time() + 10
    while alice_prompt in prompts(bot_db):
        assert asyncio.get_running_loop().time() < deadline, "the deleted prompt was not forgotten"
        await asyncio.sleep(0.05)
    await expect_votes(fake, bot_db, {"alice": 1, "carol": 6, "bob": 4})


async def test_reconciliation_pages_through_a_crowd(fake_discord, bot, bot_db):
    """130 members vote on another drama's prompt while the bot is down: all counted, once, over two pages."""
    fake = fake_discord
    rec = await fake.slash("rate", {"title": "Squid Game"}, user="bob")
    assert rec.answered_within(3.0)
    await fake.wait_until(lambda: len(keycaps_on(fake, rec.original_id)) == 10, 15, "the ten keycaps")
    await bot.stop()
    for i, name in enumerate(CROWD):
        await fake.react(rec.original_id, KEYCAPS[9 if i % 10 else 2], user=name)  # 10, except every tenth: 3
    expected = {int(fake.user(n)["id"]): (10 if i % 10 else 3) for i, n in enumerate(CROWD)}
    before = len(fake.requests)
    await bot.start()
    deadline = asyncio.get_running_loop().time() + 15
    while votes(bot_db, "squid-game") != expected:
        assert asyncio.get_running_loop().time() < deadline, len(votes(bot_db, "squid-game"))
        await asyncio.sleep(0.05)
    pages = [
        r for r in fake.requests[before:] if r["method"] == "GET" and r["path"].endswith(f"/reactions/{KEYCAPS[9]}")
    ]
    assert len(pages) >= 2, "118 users reacted 🔟 (the bot included): two pages of 100"


async def test_menus_and_buttons_answer_after_a_restart(fake_discord, bot, bot_db):
    cast = await fake_discord.slash("characters", {"title": "Run On"}, user="alice")
    [menu] = [c for row in cast.message["components"] for c in row["components"]]
    pager = await fake_discord.slash("recommend", {"like": "run-on"}, user="alice")
    next_button = pager_buttons(pager.message)["Next"]
    assert page_fields(pager.message) == kept_fields(bot_db, next_button["custom_id"], 1, 5)
    await bot.restart()  # new process: nothing of the first one's memory is left
    card = await fake_discord.click(
        cast.original_id, menu["custom_id"], user="bob", values=["park-mae-yi"]
    )  # the option value is the character key
    assert card.answered_within(3.0) and card.message["flags"] & 64, card
    assert card.message["embeds"][0]["title"] == "Park Mae Yi · Run On"
    # The old pager keeps paging: Next opens page 2, the ranked list's 6th to 10th, read from the database.
    turned = await fake_discord.click(pager.original_id, next_button["custom_id"], user="alice")
    assert turned.answered_within(3.0) and turned.callback.type == 7, turned
    page_two = fake_discord.message(pager.original_id)
    assert page_fields(page_two) == kept_fields(bot_db, next_button["custom_id"], 6, 10)
    assert page_two["embeds"][0]["footer"]["text"].startswith("Page 2/")
    # Still only for whoever asked, after the restart too.
    refused = await fake_discord.click(pager.original_id, pager_buttons(page_two)["Next"]["custom_id"], user="bob")
    assert refused.message["flags"] & 64 and refused.content.startswith("Only Alice can page"), refused


async def test_no_violations_no_unknown_requests_no_traceback(fake_discord, bot):
    assert_clean(fake_discord, bot, fake_discord.sent)
