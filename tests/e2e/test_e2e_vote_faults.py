"""End-to-end: votes under faults and hostile reactions, through the real bot process and the fake.

Each test uses its own drama, so its expected votes are worked out by hand from the rules alone:
the last keycap a member added on a prompt is their vote; removing the keycap that is their current
vote withdraws it, removing an older one changes nothing; what a member does live after the bot is
back always beats what the bot infers about the time it was away; nothing acknowledged is lost.
"""

from __future__ import annotations

import asyncio

import pytest
import pytest_asyncio

from tests.e2e.support import (
    KEYCAPS,
    base_env,
    held_scores,
    hold_message_read,
    one_guild_options,
    post_prompt,
    query,
    recording_fake,
    requires_fake,
    since,
    uid,
    votes,
    wait_votes,
)

pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]

NAMED = ["bob", "carol", "dave", "erin", "frank"]


@pytest.fixture(scope="module")
def fake_discord_options() -> dict:
    return one_guild_options(NAMED)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake_discord(fake_discord_options):
    """The fake with request gates installed (tests act while the bot waits on a REST answer)."""
    async with recording_fake(fake_discord_options, gated=True) as fake:
        yield fake


@pytest.fixture(scope="module")
def bot_env(bot_db, fake_discord) -> dict[str, str]:
    return base_env(bot_db, dev_guild_id=fake_discord.guild()["id"])


def seen_scores(db, prompt: str, user_id: int) -> set[int]:
    """The keycaps (either spelling) the bot's store last saw the member hold on the prompt."""
    rows = query(
        db,
        "SELECT scores | bare_scores FROM prompt_reactions WHERE message_id = ? AND user_id = ?",
        int(prompt),
        user_id,
    )
    mask = int(rows[0][0]) if rows else 0
    return {score for score in range(1, 11) if mask >> score & 1}


# ------------------------------------------------------------------------------ a live removal before the re-read


async def test_a_live_removal_right_after_a_restart_keeps_the_keycap_added_while_down(fake_discord, live_bot, bot_db):
    """bob votes 3; the bot is killed; bob adds 7 (his vote now: the later keycap); the bot comes back
    and, before it has re-read bob's prompt, bob takes off his old 3: an older keycap, so his vote
    stays 7 and his 7️⃣ stays on."""
    fake, bot = fake_discord, live_bot
    # Older, so reconciliation reads it first; in another channel (Discord rate-limits reads per channel).
    first = await post_prompt(fake, "goblin", channel="bot-commands")
    prompt = await post_prompt(fake, "healer")
    bob = uid(fake, "bob")
    await fake.react(prompt, KEYCAPS[2], user="bob")  # bob 3, live
    await wait_votes(fake, bot_db, "healer", {"bob": 3})
    bot.proc.kill()  # kill -9
    await bot.proc.wait()
    await fake.react(prompt, KEYCAPS[6], user="bob")  # while down: bob adds 7 (his 3 stays on)
    held, release = hold_message_read(fake, first)
    start = len(fake.requests)
    try:
        await bot.start()
        await asyncio.wait_for(held.wait(), 20)  # reconciliation is busy with the other prompt
        await fake.unreact(prompt, KEYCAPS[2], user="bob")  # live: bob takes off his old 3
        # The bot acts on it: by withdrawing a vote at once, or by reading bob's prompt first.
        await fake.wait_until(
            lambda: bob not in votes(bot_db, "healer") or since(fake, start, "GET", rf"/messages/{prompt}$"),
            20,
            "the bot acting on bob's removal",
        )
    finally:
        release.set()
    await fake.wait_until(
        lambda: since(fake, start, "GET", rf"/messages/{prompt}/reactions/{KEYCAPS[9]}$"), 20, "bob's prompt re-read"
    )
    await fake.wait_until(lambda: seen_scores(bot_db, prompt, bob) == {7}, 20, "the store caught up with bob's keycaps")

    assert votes(bot_db, "healer") == {bob: 7}, "bob's vote (the 7 he added while the bot was down) was lost"
    assert held_scores(fake, prompt, bob) == {7}


# ------------------------------------------------------------------------------ a RESUME during reconciliation


async def test_a_resume_during_the_re_read_keeps_a_live_vote_made_before_it(fake_discord, live_bot, bot_db):
    """carol votes 2; the bot stops; carol adds 8 (her vote: the later keycap); the bot is back and,
    before it has re-read her prompt, carol uses /rate score:9 (live: it wins); then the gateway drops
    and RESUMEs while the re-read is under way. A later cut-off must not turn her live 9 into the 8
    she added while the bot was away."""
    fake, bot, drama = fake_discord, live_bot, "signal"
    prompt = await post_prompt(fake, drama)
    carol = uid(fake, "carol")
    await fake.react(prompt, KEYCAPS[1], user="carol")  # carol 2
    await wait_votes(fake, bot_db, drama, {"carol": 2})
    await bot.stop()
    await fake.react(prompt, KEYCAPS[7], user="carol")  # while down: carol adds 8 (her 2 stays on)
    held, release = hold_message_read(fake, prompt)
    try:
        await bot.start()
        rate = await fake.slash("rate", {"title": drama, "score": 9}, user="carol")  # live: carol 9
        await wait_votes(fake, bot_db, drama, {"carol": 9})
        assert rate.answered_within(3.0) and "9/10" in (rate.content or ""), rate
        await asyncio.wait_for(held.wait(), 20)  # the re-read of her prompt is under way
        start = len(fake.requests)
        await fake.disconnect(4000)  # the gateway drops: discord.py RESUMEs
    finally:
        release.set()
    await fake.wait_until(
        lambda: since(fake, start, "GET", rf"/messages/{prompt}/reactions/{KEYCAPS[9]}$"), 30, "the prompt re-read"
    )
    await fake.wait_until(lambda: seen_scores(bot_db, prompt, carol) == {2, 8}, 20, "the store caught up")

    assert votes(bot_db, drama) == {carol: 9}, "carol's live /rate 9 was overridden by the keycap she added while away"
