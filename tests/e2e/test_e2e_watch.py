"""End-to-end: watchlists, up next, /help and user installs, through the fake Discord with
`strict_contexts=True` — it refuses (ValueError) any interaction Discord would never deliver, such
as a server-only command in a DM, instead of delivering it.

The world: "Fake Guild" with the bot (alice owns it; carol holds Moderator, which has no Manage
Server), and "Elsewhere", a server without the bot where only a user install reaches it.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.support import assert_clean, pinging_messages, requires_fake

pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]

WORLD = [
    {
        "name": "Fake Guild",
        "channels": ["general"],
        "roles": ["Moderator"],
        "members": {"alice": [], "bob": [], "carol": ["Moderator"], "dave": []},
    },
    {"name": "Elsewhere", "channels": ["lobby"], "bot_member": False, "members": {"erin": [], "bob": []}},
]


@pytest.fixture(scope="module")
def fake_discord_options() -> dict:
    return {"allowed_intents": 0, "strict_contexts": True, "guilds": WORLD}


def answered(rec, *, ephemeral: bool) -> dict:
    assert rec.answered_within(3.0), rec
    message = rec.message
    assert message is not None, rec
    assert bool(message["flags"] & 64) == ephemeral, message
    return message


def text_of(message: dict) -> str:
    parts = [message.get("content") or ""]
    for embed in message.get("embeds", []):
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql, params).fetchall()


# ---------------------------------------------------------------------------------------- watchlists


async def test_watchlist_add_then_watched_to_the_last_episode(fake_discord, bot, bot_db):
    bob = int(fake_discord.user("bob")["id"])
    added = await fake_discord.slash(
        "watchlist add", {"title": "Run On", "status": "watching", "episode": 3}, user="bob"
    )
    assert "watching, episode 3" in answered(added, ephemeral=True)["content"]
    assert rows(bot_db, "SELECT status, episode FROM watchlist_entries WHERE user_id = ?", bob) == [("watching", 3)]
    done = await fake_discord.slash("watched", {"title": "Run On", "episode": 16}, user="bob")
    assert "Finished" in answered(done, ephemeral=True)["content"]
    assert rows(bot_db, "SELECT status, episode FROM watchlist_entries WHERE user_id = ?", bob) == [("finished", 16)]
    past = await fake_discord.slash("watched", {"title": "Run On", "episode": 17}, user="bob")
    assert answered(past, ephemeral=True)["content"] == "Run On has 16 episodes, so episode 17 is not one of them."


async def test_drama_counts_members_and_names_only_who_opted_in(fake_discord, bot):
    await fake_discord.slash("watchlist add", {"title": "Run On", "episode": 2}, user="carol")
    await fake_discord.slash("watchlist add", {"title": "Run On", "episode": 5}, user="dave")
    answered(await fake_discord.slash("watchlist privacy", {"named": True}, user="carol"), ephemeral=True)
    card = answered(await fake_discord.slash("drama", {"title": "Run On"}, user="alice"), ephemeral=False)
    field = next(f for f in card["embeds"][0]["fields"] if f["name"] == "Members here")
    carol = fake_discord.user("carol")["id"]
    assert field["value"] == f"2 watching · 1 finished\nWatching: <@{carol}>"  # bob finished; dave is only counted
    verdict = answered(await fake_discord.slash("shouldiwatch", {"title": "Run On"}, user="alice"), ephemeral=False)
    assert "2 watching · 1 finished" in text_of(verdict)


async def test_another_members_list_only_unless_private(fake_discord, bot):
    seen = answered(await fake_discord.slash("watchlist show", {"member": "bob"}, user="alice"), ephemeral=True)
    assert seen["embeds"][0]["title"] == "Bob's watchlist" and "Run On" in text_of(seen)
    await fake_discord.slash("watchlist privacy", {"private": True}, user="bob")
    refused = answered(await fake_discord.slash("watchlist show", {"member": "bob"}, user="alice"), ephemeral=True)
    assert refused["content"] == "Bob keeps their watchlist private."
    own = answered(await fake_discord.slash("watchlist show", {}, user="bob"), ephemeral=True)
    assert own["embeds"][0]["title"] == "Your watchlist"
    shared = answered(await fake_discord.slash("watchlist show", {"share": True}, user="bob"), ephemeral=False)
    assert "Run On" in text_of(shared)


async def test_recommend_leaves_out_a_finished_show(fake_discord, bot):
    before = answered(await fake_discord.slash("recommend", {"like": "Run On"}, user="dave"), ephemeral=False)
    first = before["embeds"][0]["fields"][0]["name"].split(". ", 1)[1].rsplit(" (", 1)[0]
    await fake_discord.slash("watchlist add", {"title": first, "status": "finished"}, user="dave")
    after = answered(await fake_discord.slash("recommend", {"like": "Run On"}, user="dave"), ephemeral=False)
    assert first not in text_of(after)


# ---------------------------------------------------------------------------------------- up next


async def test_upnext_add_back_show_remove_and_the_remover_role(fake_discord, bot, bot_db):
    added = answered(await fake_discord.slash("upnext add", {"title": "Goblin"}, user="dave"), ephemeral=False)
    assert "is in up next" in added["content"]
    await fake_discord.slash("upnext add", {"title": "Run On"}, user="alice")
    backed = answered(await fake_discord.slash("upnext add", {"title": "Goblin"}, user="bob"), ephemeral=False)
    assert re.fullmatch(r"👍 <@\d+> backs \*\*Goblin\*\* in up next: 2 backers now\.", backed["content"])
    twice = answered(await fake_discord.slash("upnext add", {"title": "Goblin"}, user="bob"), ephemeral=True)
    assert "already back" in twice["content"]
    queue = answered(await fake_discord.slash("upnext show", {}, user="bob"), ephemeral=False)
    assert queue["embeds"][0]["description"] == (
        "**1.** Goblin (2016) — 2 backers · ✓ you back it\n**2.** Run On (2020) — 1 backer"
    )
    # carol (Moderator, no Manage Server) may not remove alice's entry, nor set the role
    refused = answered(await fake_discord.slash("upnext remove", {"title": "Run On"}, user="carol"), ephemeral=True)
    assert "don't back it" in refused["content"]
    no_role = answered(await fake_discord.slash("upnext role", {"role": "Moderator"}, user="carol"), ephemeral=True)
    assert "Manage Server" in no_role["content"]
    set_role = answered(await fake_discord.slash("upnext role", {"role": "Moderator"}, user="alice"), ephemeral=True)
    assert "Moderator" in set_role["content"]
    removed = answered(await fake_discord.slash("upnext remove", {"title": "Run On"}, user="carol"), ephemeral=False)
    assert removed["content"] == "Took **Run On** out of up next."
    assert rows(bot_db, "SELECT drama_id, backers FROM upnext_entries") == [("goblin", 2)]


# ---------------------------------------------------------------------------------------- contexts


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("watchlist add", {"title": "Run On"}),
        ("watched", {"title": "Run On", "episode": 1}),
        ("upnext show", {}),
        ("rate", {"title": "Run On", "score": 5}),
        ("myratings", {}),
    ],
)
@pytest.mark.parametrize("context", ["bot_dm", "private_channel"])
async def test_server_only_commands_are_refused_outside_servers(fake_discord, bot, name, options, context):
    with pytest.raises(ValueError, match="Discord would not deliver"):
        await fake_discord.slash(name, options, user="bob", context=context, channel="erin")
    with pytest.raises(ValueError, match="Discord would not deliver"):  # nor in a server without the bot
        await fake_discord.slash(name, options, user="bob", guild="Elsewhere", channel="lobby", installed="user")


@pytest.mark.parametrize(
    ("name", "options", "ephemeral"),
    [
        ("drama", {"title": "Run On"}, False),
        ("characters", {"title": "Run On"}, False),
        ("shouldiwatch", {"title": "Run On", "looking_for": "action"}, False),
        ("spoilers", {"title": "Run On", "section": "ending"}, True),
        ("recommend", {"like": "Run On"}, False),
        ("help", {}, True),
    ],
)
@pytest.mark.parametrize("context", ["bot_dm", "private_channel", "elsewhere"])
async def test_user_install_commands_work_in_dms_group_dms_and_servers_without_the_bot(
    fake_discord, bot, name, options, ephemeral, context
):
    forbidden = len(fake_discord.forbidden)
    if context == "elsewhere":
        rec = await fake_discord.slash(name, options, user="erin", guild="Elsewhere", channel="lobby", installed="user")
    else:
        rec = await fake_discord.slash(name, options, user="bob", context=context, channel="erin", installed="user")
    message = answered(rec, ephemeral=ephemeral)
    assert message["embeds"], message
    assert "Members here" not in text_of(message) and "Server's ramen" not in text_of(message)
    assert fake_discord.forbidden[forbidden:] == []  # answered through the interaction only, no channel REST


async def test_help_lists_every_command_and_marks_server_ones_outside(fake_discord, bot):
    inside = answered(await fake_discord.slash("help", {}, user="alice"), ephemeral=True)
    text = text_of(inside)
    for command in ("/drama", "/watchlist add", "/watchlist privacy", "/watched", "/upnext role", "/help"):
        assert f"**{command}" in text, command
    assert "servers with Ramen only" not in text
    outside = answered(await fake_discord.slash("help", {}, user="bob", context="bot_dm"), ephemeral=True)
    assert "Take a drama off your watchlist. · in servers with Ramen only" in text_of(outside)


async def test_typed_text_is_echoed_without_pings(fake_discord, bot):
    alice = fake_discord.user("alice")["id"]
    typed = f"@everyone <@{alice}> Run Onn"
    rec = await fake_discord.slash("watchlist add", {"title": typed}, user="dave")
    reply = answered(rec, ephemeral=True)
    assert "Run On" in reply["content"]  # did you mean
    assert f"\\<@{alice}>" in reply["content"]  # escaped: Discord shows it as typed, not as a mention
    assert pinging_messages(fake_discord.sent) == []  # every body so far sent allowed_mentions: none


async def test_no_violations_no_unknown_requests_no_traceback(fake_discord, bot):
    assert fake_discord.undeliverable == []  # strict: nothing undeliverable was delivered
    assert_clean(fake_discord, bot, fake_discord.sent)
