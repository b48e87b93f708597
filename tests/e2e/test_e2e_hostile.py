"""End-to-end: hostile option values in every free-text option, with the full K-drama CSV loaded.

Mentions, spoiler bars and markdown, the longest value Discord accepts, right-to-left and emoji
text typed into titles, names and filters, and into autocomplete. Whatever the bot answers, it
answers in time, within Discord's limits, without pinging anyone and without a traceback.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import SHARED_CSV
from tests.e2e.support import assert_clean, base_env, pinging_messages, requires_fake, tracebacks

pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]

OPTION_MAX = 6000  # Discord's limit for a string option's value (the fake does not cap it)
UNESCAPED_BARS = re.compile(r"(?<!\\)\|\|")
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")  # could reverse the bot's own words on the line


@pytest.fixture(scope="module")
def fake_discord_options() -> dict:
    """The default guild plus "mallory", whose display name is hostile (set once the fake exists)."""
    members = {"alice": ["Moderator"], "bob": [], "carol": [], "mallory": []}
    return {
        "allowed_intents": 0,
        "guilds": [
            {"name": "Fake Guild", "channels": ["general", "bot-commands"], "roles": ["Moderator"], "members": members}
        ],
    }


HOSTILE_NAME = "@everyone ||x|| \u202e**m**"


@pytest.fixture(scope="module")
def bot_env(bot_db) -> dict[str, str]:
    """The bundled catalog plus the shared K-drama CSV (1,647 shows) when it is there."""
    return base_env(bot_db, catalog_csv=str(SHARED_CSV) if SHARED_CSV.is_file() else "")


@pytest.fixture(scope="module")
def hostile(fake_discord) -> dict[str, str]:
    """Named hostile values; the ids are the fake guild's real member, role and channel ids."""
    guild = fake_discord.guild()
    role = next(r for r in guild["roles"] if r["name"] == "Moderator")
    return {
        "everyone": "@everyone @here Run On",
        "user": f"<@{fake_discord.user('alice')['id']}> <@!{fake_discord.user('bob')['id']}>",
        "role": f"<@&{role['id']}> <@&{guild['id']}>",
        "channel": f"<#{fake_discord.channel('general')['id']}> </rate:1>",
        "markdown": "||the ending|| **bold** __u__ ~~s~~ `code` ```py\nx```\n> quote\n# big [link](https://x.test)",
        "longest": "Run On " + "ラ" * (OPTION_MAX - 7),
        "longest_bars": "||" * (OPTION_MAX // 2),
        "rtl": "\u202eno nuR \u200f مسلسل كوري \u2067\u05e9\u05dc\u05d5\u05dd",
        "emoji": "🍜🔥👩‍👩‍👧‍👦🏳️‍🌈 1️⃣🔟 Run On",
        "zalgo": "R̸̢͓ų̴n̵ ̶O̷n̸" * 20,
        "whitespace": "\t\n \u200b\u2028",
    }


FREE_TEXT = [
    ("drama", "title", {}),
    ("characters", "title", {}),
    ("characters", "name", {"title": "Run On"}),
    ("shouldiwatch", "title", {}),
    ("spoilers", "title", {"section": "ending"}),
    ("rate", "title", {}),
    ("rate", "title", {"score": 6}),
    ("ratings", "title", {}),
    ("recommend", "like", {}),
    ("recommend", "genre", {}),
    ("recommend", "tag", {"max_episodes": 20}),
    ("recommend", "platform", {}),
]


def _check_reply(fake, rec, label: str) -> None:
    """In time, accepted by Discord; echoed text keeps spoiler bars escaped and carries no bidi controls."""
    assert rec.answered_within(3.0), (label, rec)
    assert all(r.status < 300 for r in rec.replies), (label, rec)
    message = rec.message or {}
    content = message.get("content") or ""
    assert not UNESCAPED_BARS.search(content), (label, content[:300])
    sent = json.dumps([content, message.get("embeds"), message.get("components")], ensure_ascii=False)
    assert not BIDI_CONTROLS.search(sent), (label, sent[:300])


@pytest.mark.parametrize(("command", "option", "others"), FREE_TEXT, ids=lambda v: v if isinstance(v, str) else "")
async def test_hostile_values_in_free_text_options(fake_discord, bot, hostile, command, option, others):
    assert command in fake_discord.commands(), f"/{command} is not registered"
    before = len(fake_discord.violations)
    for name, value in hostile.items():
        rec = await fake_discord.slash(command, {**others, option: value}, user="carol")
        _check_reply(fake_discord, rec, f"/{command} {option}={name}")
    assert fake_discord.violations[before:] == []


@pytest.mark.parametrize(("command", "option", "others"), FREE_TEXT, ids=lambda v: v if isinstance(v, str) else "")
async def test_hostile_values_in_autocomplete(fake_discord, bot, hostile, command, option, others):
    assert command in fake_discord.commands(), f"/{command} is not registered"
    spec = next(o for o in fake_discord.commands()[command]["options"] if o["name"] == option)
    assert spec.get("autocomplete"), f"/{command} {option} does not autocomplete"
    before = len(fake_discord.violations)
    for name, value in hostile.items():
        rec = await fake_discord.autocomplete(command, {**others, option: value}, focused=option, user="bob")
        assert rec.answered_within(3.0) and rec.callback.type == 8, (f"{command} {option}={name}", rec)
        assert len(rec.choices) <= 25
    assert fake_discord.violations[before:] == []


async def test_hostile_display_name_is_shown_inert(fake_discord, bot):
    """Member names reach /myratings' title and the /recommend pager's refusal."""
    fake_discord.user("mallory")["global_name"] = HOSTILE_NAME
    await fake_discord.slash("rate", {"title": "Run On", "score": 8}, user="mallory")
    mine = await fake_discord.slash("myratings", {}, user="mallory")
    _check_reply(fake_discord, mine, "/myratings")
    assert "@everyone" in mine.message["embeds"][0]["title"]
    if "recommend" not in fake_discord.commands():
        return
    pager = await fake_discord.slash("recommend", {}, user="mallory")
    _check_reply(fake_discord, pager, "/recommend")
    (next_id,) = [
        c["custom_id"] for row in pager.message["components"] for c in row["components"] if c.get("label") == "Next"
    ]
    refused = await fake_discord.click(pager.original_id, next_id, user="bob")
    _check_reply(fake_discord, refused, "refusal")
    assert refused.message["flags"] & 64 and "@everyone" in refused.content


async def test_mentions_never_ping(fake_discord, bot):
    """Every message the bot sent in this module asked Discord to parse no mentions at all."""
    assert pinging_messages(fake_discord.sent) == []
    assert tracebacks(bot.log_text()) == []


async def test_csv_catalog_loaded_beside_the_reviews(fake_discord, bot):
    if not SHARED_CSV.is_file():
        pytest.skip(f"the shared K-drama CSV is absent ({SHARED_CSV})")
    rec = await fake_discord.autocomplete("drama", {"title": "Mr. Queen"}, focused="title")
    assert rec.answered_within(3.0) and rec.choices
    reply = await fake_discord.slash("drama", {"title": rec.choices[0]["value"]})
    assert reply.answered_within(3.0) and reply.message["embeds"]


async def test_no_violations_no_unknown_requests_no_traceback(fake_discord, bot):
    assert_clean(fake_discord, bot, fake_discord.sent)
