"""End-to-end: every command that reads storage before its first answer still answers (or shows
"thinking…") within Discord's 3 seconds when storage is slow, and the member gets the real answer
once storage is back.

The bot runs on PostgreSQL; another connection holds ACCESS EXCLUSIVE locks on every table of the
bot's schema for 4 s (a migration or `VACUUM FULL` elsewhere does the same), which blocks even
reads. Under SQLite's WAL a reader is never blocked by another process, so PostgreSQL is where a
slow read can happen. The fake runs with `strict_contexts=True`.
"""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from tests.e2e.support import assert_clean, base_env, requires_fake

pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]

LOCKED_FOR = 4.0  # seconds: past Discord's 3-second window


@pytest.fixture(scope="module")
def fake_discord_options() -> dict:
    members = {"alice": [], "bob": [], "carol": []}
    return {
        "allowed_intents": 0,
        "strict_contexts": True,
        "guilds": [{"name": "Fake Guild", "channels": ["general"], "members": members}],
    }


@pytest.fixture(scope="module")
def bot_db(postgres_module_url: str) -> str:
    return postgres_module_url


@pytest.fixture(scope="module")
def bot_env(bot_db) -> dict[str, str]:
    return base_env(bot_db)


async def while_locked(db: str, work):
    """Run `work()` (an interaction) while another connection holds every table of the bot's schema."""
    conn = await asyncpg.connect(db)
    try:
        tables = [
            r["tablename"] for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        tx = conn.transaction()
        await tx.start()
        await conn.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
        release = asyncio.create_task(asyncio.sleep(LOCKED_FOR))
        rec = await work()
        await release
        await tx.rollback()
    finally:
        await conn.close()
    assert rec.answered_within(3.0), (rec.payload["data"], rec)
    assert rec.callback.type == 5, rec  # "thinking…": storage was slower than the window
    await rec.wait("followup", timeout=10)
    return rec


def shown(rec) -> dict:
    """The message the member finally sees: the deferred response, filled by the first follow-up."""
    return rec.followups[0]


async def test_watch_night_and_party_defer_while_storage_is_locked(fake_discord, bot, bot_db):
    fake = fake_discord
    for user, title in (("alice", "Goblin"), ("bob", "Signal")):
        rec = await fake.slash("upnext add", {"title": title}, user=user)
        await rec.wait("callback")

    start = await while_locked(bot_db, lambda: fake.slash("watchnight start", {"question": "Slow night?"}, user="bob"))
    poll = shown(start)["poll"]
    assert [a["poll_media"]["text"] for a in poll["answers"]] == ["Goblin", "Signal"]  # 1 backer each, Goblin first
    poll_id = shown(start)["id"]
    await fake.poll_vote(poll_id, 2, user="alice")

    end = await while_locked(bot_db, lambda: fake.slash("watchnight end", {}, user="bob"))
    assert shown(end)["flags"] & 64
    assert "result is posted" in shown(end)["content"]
    assert fake.message(poll_id)["poll"]["results"]["is_finalized"]

    party = await while_locked(
        bot_db, lambda: fake.slash("watchnight party", {"iso": "2031-05-09T20:00+09:00"}, user="bob")
    )
    assert "Watch party scheduled: **Signal" in shown(party)["content"]  # the last winner
    (event,) = fake.scheduled_events.values()
    assert event["name"] == "Watch party: Signal"

    interest = await while_locked(bot_db, lambda: fake.slash("watchnight interest", {}, user="carol"))
    assert "0 members are interested" in shown(interest)["content"]


async def test_rating_prompt_and_taste_defer_while_storage_is_locked(fake_discord, bot, bot_db):
    fake = fake_discord
    prompt = await while_locked(bot_db, lambda: fake.slash("rate", {"title": "Kingdom"}, user="alice"))
    assert shown(prompt)["embeds"][0]["title"].startswith("Rate Kingdom")
    taste = await while_locked(bot_db, lambda: fake.slash("taste", {"member": "alice"}, user="bob"))
    assert shown(taste)["embeds"], shown(taste)


async def test_zz_clean(fake_discord, bot):
    assert_clean(fake_discord, bot, fake_discord.sent)
