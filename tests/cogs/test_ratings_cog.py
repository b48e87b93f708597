"""The ratings cog's real callbacks and raw reaction listeners, on a real SQLite file.

Every expected count and mean below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.ratings.scores import RATING_EMOJI
from cogs.rating_prompts import RatingPromptsCog
from cogs.ratings import RatingsCog
from tests.fakes import BOT_ID, FakeBot, FakeMessage, FakeReaction, invoke, make_interaction

GUILD, OTHER_GUILD, CHANNEL = 111, 999, 222
ALICE, BOB, CAROL, OTHER_BOT = 1, 2, 3, 4


@pytest.fixture
def fake_bot() -> FakeBot:
    return FakeBot()


@pytest.fixture
def cog(storage, catalog) -> RatingsCog:
    return RatingsCog(storage, catalog)


@pytest.fixture
def prompts(fake_bot, storage) -> RatingPromptsCog:
    return RatingPromptsCog(fake_bot, storage)  # type: ignore[arg-type]


def payload(
    message_id: int,
    emoji: str,
    user_id: int,
    *,
    guild_id: int | None = GUILD,
    add: bool = True,
    member_bot: bool = False,
    custom_id: int | None = None,
) -> discord.RawReactionActionEvent:
    data: dict[str, Any] = {"message_id": message_id, "channel_id": CHANNEL, "user_id": user_id, "type": 0}
    if guild_id is not None:
        data["guild_id"] = guild_id
    event = discord.RawReactionActionEvent(
        data,
        discord.PartialEmoji(name=emoji, id=custom_id),  # type: ignore[arg-type]
        "REACTION_ADD" if add else "REACTION_REMOVE",
    )
    if member_bot:
        event.member = SimpleNamespace(bot=True)  # type: ignore[assignment]
    return event


async def post_prompt(cog: RatingsCog, fake_bot: FakeBot, message_id: int = 500, guild_id: int = GUILD) -> Any:
    inter = make_interaction(guild_id=guild_id)
    message = fake_bot.messages.setdefault(message_id, FakeMessage(message_id))
    inter.original_response.return_value = message
    await invoke(cog.rate, inter, title="Run On")
    return inter


async def score(storage, guild_id: int = GUILD) -> tuple[float | None, int]:
    s = await storage.guild_score(guild_id, "run-on")
    return (round(s.mean, 4) if s.mean is not None else None), s.count


async def test_rate_without_score_posts_a_prompt_with_ten_reactions(cog, fake_bot, storage):
    inter = await post_prompt(cog, fake_bot)
    [sent] = inter.sent
    assert not sent.ephemeral and sent.embed.title == "Rate Run On (2020)"
    assert fake_bot.messages[500].added == list(RATING_EMOJI)
    prompt = await storage.prompt(500)
    assert (prompt.guild_id, prompt.channel_id, prompt.drama_id) == (GUILD, 222, "run-on")


async def test_rate_with_score_records_then_answers_with_the_average(cog, storage):
    await storage.record_vote(GUILD, "run-on", BOB, 6)
    inter = make_interaction(user_id=ALICE)
    await invoke(cog.rate, inter, title="Run On", score=9)
    [sent] = inter.sent
    assert sent.ephemeral
    # (6 + 9) / 2 = 7.5 from 2 votes
    assert sent.content == (
        "Counted: **9/10** 🍜🍜🍜🍜🍜🍜🍜🍜🍜 for **Run On**. Server average now 7.5/10 from 2 votes."
    )
    # The guild's open prompts for Run On are told (cogs.live_tally), once the vote is committed.
    assert inter.client.dispatched == [("rating_vote_by_command", GUILD, "run-on")]


async def test_rate_score_is_a_discord_range_1_to_10(cog):
    param = next(p for p in cog.rate.parameters if p.name == "score")
    assert (param.min_value, param.max_value, param.required) == (1, 10, False)


async def test_reaction_sequence_counts_exactly(cog, fake_bot, storage, prompts):
    await post_prompt(cog, fake_bot)
    await prompts.on_raw_reaction_add(payload(500, "8️⃣", ALICE))  # alice 8
    await prompts.on_raw_reaction_add(payload(500, "6⃣", BOB))  # bob 6, keycap without U+FE0F
    assert await score(storage) == (7.0, 2)  # (8 + 6) / 2
    await prompts.on_raw_reaction_add(payload(500, "🔟", ALICE))  # alice replaces 8 with 10
    assert await score(storage) == (8.0, 2)  # (10 + 6) / 2
    assert fake_bot.messages[500].removed == [("8️⃣", ALICE)]  # her superseded reaction tidied
    await prompts.on_raw_reaction_remove(payload(500, "8️⃣", ALICE, add=False))  # removing the old one: no change
    assert await score(storage) == (8.0, 2)
    await prompts.on_raw_reaction_remove(payload(500, "6⃣", BOB, add=False))  # removing bob's current vote
    assert await score(storage) == (10.0, 1)  # only alice's 10 is left
    await prompts.on_raw_reaction_add(payload(500, "3️⃣", BOT_ID))  # the bot itself: ignored
    await prompts.on_raw_reaction_add(payload(500, "3️⃣", OTHER_BOT, member_bot=True))  # another bot: ignored
    await prompts.on_raw_reaction_add(payload(500, "👍", CAROL))  # not a keycap: ignored
    await prompts.on_raw_reaction_add(payload(500, "party", CAROL, custom_id=77))  # custom emoji: ignored
    await prompts.on_raw_reaction_add(payload(501, "5️⃣", CAROL))  # not a prompt: ignored
    await prompts.on_raw_reaction_add(payload(500, "5️⃣", CAROL, guild_id=OTHER_GUILD))  # forged guild: ignored
    await prompts.on_raw_reaction_add(payload(500, "5️⃣", CAROL, guild_id=None))  # a DM: ignored
    assert await score(storage) == (10.0, 1)


async def test_prompts_are_per_guild(cog, fake_bot, storage, prompts):
    await post_prompt(cog, fake_bot, 500, GUILD)
    await post_prompt(cog, fake_bot, 600, OTHER_GUILD)
    await prompts.on_raw_reaction_add(payload(500, "9️⃣", ALICE))
    await prompts.on_raw_reaction_add(payload(600, "2️⃣", ALICE, guild_id=OTHER_GUILD))
    assert await score(storage, GUILD) == (9.0, 1)
    assert await score(storage, OTHER_GUILD) == (2.0, 1)


async def test_vote_counts_when_the_bot_may_not_remove_reactions(cog, fake_bot, storage, prompts):
    await post_prompt(cog, fake_bot)
    fake_bot.messages[500].forbid_remove = True
    await prompts.on_raw_reaction_add(payload(500, "4️⃣", ALICE))
    await prompts.on_raw_reaction_add(payload(500, "7️⃣", ALICE))
    assert await score(storage) == (7.0, 1)
    await prompts.on_raw_reaction_remove(payload(500, "4️⃣", ALICE, add=False))  # the old one, left in place
    assert await score(storage) == (7.0, 1)


async def test_reconciliation_after_downtime(cog, fake_bot, storage, prompts):
    await post_prompt(cog, fake_bot)
    await prompts.on_raw_reaction_add(payload(500, "8️⃣", ALICE))
    await prompts.on_raw_reaction_add(payload(500, "5️⃣", BOB))
    await prompts.on_disconnect()
    # While the bot was down: bob withdrew his 5, carol reacted 9, another bot reacted 1.
    fake_bot.messages[500].reactions = [
        FakeReaction("8️⃣", [BOT_ID, ALICE]),
        FakeReaction("5️⃣", [BOT_ID]),
        FakeReaction("9️⃣", [BOT_ID, CAROL]),
        FakeReaction("1️⃣", [BOT_ID, OTHER_BOT], bots={OTHER_BOT}),
        FakeReaction("👍", [BOB]),
    ]
    changed = await prompts.reconcile_recent()
    assert changed == 2  # bob removed, carol added
    assert await score(storage) == (8.5, 2)  # (8 + 9) / 2
    assert await prompts.reconcile_recent() == 0  # a second run changes nothing
    assert await score(storage) == (8.5, 2)


async def test_reconciliation_forgets_a_deleted_prompt_but_keeps_its_votes(cog, fake_bot, storage, prompts):
    await post_prompt(cog, fake_bot)
    await prompts.on_raw_reaction_add(payload(500, "8️⃣", ALICE))
    del fake_bot.messages[500]  # the prompt message was deleted
    assert await prompts.reconcile_recent() == 0
    assert await storage.prompt(500) is None
    assert await score(storage) == (8.0, 1)


async def test_reconciliation_skips_prompts_older_than_30_days(cog, fake_bot, storage, prompts):
    await post_prompt(cog, fake_bot)
    fake_bot.messages[500].reactions = [FakeReaction("9️⃣", [CAROL])]
    later = discord.utils.utcnow() + dt.timedelta(days=31)
    assert await prompts.reconcile_recent(now=later) == 0
    assert await score(storage) == (None, 0)


async def test_ratings_chart_ranks_by_damped_mean(cog, storage):
    # A lone 10 against twenty 9s: (5*6 + 10) / 6 = 6.67 < (5*6 + 180) / 25 = 8.4
    await storage.record_vote(GUILD, "goblin", 1000, 10)
    for member in range(20):
        await storage.record_vote(GUILD, "run-on", 2000 + member, 9)
    inter = make_interaction()
    await invoke(cog.ratings, inter)
    description = inter.sent[0].embed.description
    # One score in words: the mean is what members see; the damped value only orders the rows.
    assert description.splitlines()[0] == "**1.** Run On (2020) · **9.0/10** from 20 votes"
    assert description.splitlines()[1] == "**2.** Goblin (2016) · **10.0/10** from 1 vote"
    how = {f.name: f.value for f in inter.sent[0].embed.fields}["How the chart ranks"]
    assert how == (
        "Shows with few votes count as closer to 6 bowls until more members vote, "
        "so one lone 10 cannot top the chart (at least 1 vote to be listed)."
    )
    assert "÷" not in how and "×" not in how and "6.7" not in description and "8.4" not in description


async def test_ratings_for_a_title_shows_mean_count_and_histogram(cog, storage):
    for member, value in enumerate([10, 8, 8, 7]):
        await storage.record_vote(GUILD, "run-on", 3000 + member, value)
    inter = make_interaction()
    await invoke(cog.ratings, inter, title="Run On")
    embed = inter.sent[0].embed
    assert embed.description == "**8.3/10** from 4 votes"  # 33 / 4 = 8.25 → 8.3 (halves round up)
    histogram = {f.name: f.value for f in embed.fields}["Votes by bowls"].splitlines()
    assert histogram[0].endswith(" 1") and histogram[0].startswith("`10`")  # one 10
    assert histogram[2].endswith(" 2") and histogram[2].startswith("` 8`")  # two 8s


async def test_myratings_is_ephemeral_and_lists_only_the_member(cog, storage):
    await storage.record_vote(GUILD, "run-on", ALICE, 9)
    await storage.record_vote(GUILD, "goblin", BOB, 3)
    inter = make_interaction(user_id=ALICE)
    await invoke(cog.myratings, inter)
    [sent] = inter.sent
    assert sent.ephemeral and sent.embed.description == "Run On (2020) · 9/10 " + "🍜" * 9


async def test_server_commands_refuse_dms(cog):
    inter = make_interaction(guild_id=None)
    with pytest.raises(app_commands.NoPrivateMessage):
        await invoke(cog.myratings, inter)
    assert cog.rate.guild_only and cog.ratings.guild_only and cog.myratings.guild_only


async def test_vote_survives_closing_and_reopening_the_file(tmp_path, catalog, fake_bot):
    from bot.store import Storage

    path = tmp_path / "durable.sqlite3"
    async with await Storage.open(path) as store:
        cog = RatingsCog(store, catalog)
        prompts = RatingPromptsCog(fake_bot, store)  # type: ignore[arg-type]
        await post_prompt(cog, fake_bot)
        await prompts.on_raw_reaction_add(payload(500, "7️⃣", ALICE))
    async with await Storage.open(path) as store:
        s = await store.guild_score(GUILD, "run-on")
        assert (s.mean, s.count) == (7.0, 1)


async def test_reconciliation_tidies_keycaps_that_no_longer_count(cog, fake_bot, storage, prompts):
    await post_prompt(cog, fake_bot)
    await prompts.on_raw_reaction_add(payload(500, "9️⃣", ALICE))
    await prompts.on_disconnect()
    # While the bot was down: alice added 10 (her 9 stays), bob added 4 and 6.
    fake_bot.messages[500].reactions = [
        FakeReaction("9️⃣", [BOT_ID, ALICE]),
        FakeReaction("🔟", [BOT_ID, ALICE]),
        FakeReaction("4️⃣", [BOT_ID, BOB]),
        FakeReaction("6⃣", [BOT_ID, BOB]),
    ]
    await prompts.reconcile_recent()
    assert await score(storage) == (8.0, 2)  # alice 10 (the new keycap), bob 6 (the highest): 16 / 2
    # alice's 9 is known to be older than her new 10, so it goes; bob's two new keycaps have no
    # known order, so both stay.
    assert fake_bot.messages[500].removed == [("9️⃣", ALICE)]


async def test_reconciliation_without_manage_messages_still_counts(cog, fake_bot, storage, prompts):
    await post_prompt(cog, fake_bot)
    fake_bot.messages[500].forbid_remove = True
    fake_bot.messages[500].reactions = [FakeReaction("4️⃣", [BOB]), FakeReaction("6️⃣", [BOB])]
    await prompts.reconcile_recent()
    assert await score(storage) == (6.0, 1)


async def test_two_quick_reactions_from_one_member_leave_one_vote_and_tidy_the_first(cog, fake_bot, storage, prompts):
    import asyncio

    await post_prompt(cog, fake_bot)
    await asyncio.gather(
        prompts.on_raw_reaction_add(payload(500, "5️⃣", ALICE)), prompts.on_raw_reaction_add(payload(500, "8️⃣", ALICE))
    )
    assert await score(storage) == (8.0, 1)  # the later click counts
    assert fake_bot.messages[500].removed == [("5️⃣", ALICE)]  # and the first keycap is tidied


async def test_a_thousand_members_reacting_at_once_through_the_listener(cog, fake_bot, storage, prompts):
    import asyncio

    await post_prompt(cog, fake_bot)
    scores = [1 + (member * 7) % 10 for member in range(1000)]  # each score 1..10 exactly 100 times
    await asyncio.gather(
        *(prompts.on_raw_reaction_add(payload(500, RATING_EMOJI[s - 1], 10_000 + m)) for m, s in enumerate(scores))
    )
    assert await score(storage) == (5.5, 1000)  # (1 + 2 + … + 10) · 100 / 1000 = 5.5


async def test_removing_a_reaction_only_withdraws_a_vote_cast_through_that_prompt(cog, fake_bot, storage, prompts):
    await post_prompt(cog, fake_bot, 500)
    await post_prompt(cog, fake_bot, 600)  # a second prompt for the same drama
    await prompts.on_raw_reaction_add(payload(500, "8️⃣", BOB))
    await prompts.on_raw_reaction_add(payload(600, "8️⃣", BOB))  # same score, now through prompt 600
    await prompts.on_raw_reaction_remove(payload(500, "8️⃣", BOB, add=False))
    assert await score(storage) == (8.0, 1)  # his 8 on prompt 600 still counts
    await prompts.on_raw_reaction_add(payload(500, "5️⃣", CAROL))
    await invoke(cog.rate, make_interaction(user_id=CAROL), title="Run On", score=5)
    await prompts.on_raw_reaction_remove(payload(500, "5️⃣", CAROL, add=False))
    assert await score(storage) == (6.5, 2)  # carol's /rate 5 stays: (8 + 5) / 2


async def test_reconciliation_leaves_reactions_alone_when_the_last_click_is_unknowable(cog, fake_bot, storage, prompts):
    await post_prompt(cog, fake_bot)
    # While the bot was down carol, who had no vote, clicked 9 and then 3: REST gives no order.
    fake_bot.messages[500].reactions = [FakeReaction("9️⃣", [BOT_ID, CAROL]), FakeReaction("3️⃣", [BOT_ID, CAROL])]
    await prompts.reconcile_recent()
    assert await score(storage) == (9.0, 1)  # the store's documented rule: the highest new keycap
    assert fake_bot.messages[500].removed == []  # but neither of her reactions is taken away


async def test_keycap_trouble_is_reported_and_the_rest_still_go_on(cog, fake_bot, storage):
    message = fake_bot.messages.setdefault(500, FakeMessage(500))
    real_add = message.add_reaction

    async def flaky(emoji: str) -> None:
        if emoji == "3️⃣":
            raise discord.HTTPException(SimpleNamespace(status=500, reason="Server Error"), "boom")
        await real_add(emoji)

    message.add_reaction = flaky  # type: ignore[method-assign]
    inter = await post_prompt(cog, fake_bot)
    assert message.added == [e for e in RATING_EMOJI if e != "3️⃣"]  # the other nine still went on
    notice = inter.sent[-1]
    assert notice.via == "followup" and notice.ephemeral and "trouble adding 3️⃣" in notice.content
    assert await storage.prompt(500) is not None


async def test_prompt_uses_the_message_discord_returns_with_the_response(cog, fake_bot, storage):
    inter = make_interaction()
    returned = FakeMessage(777)
    sent: list[dict] = []

    async def send_message(content=None, **kwargs):  # discord.py 2.5+: the callback carries the message
        inter.response.done = True
        sent.append(kwargs)
        return SimpleNamespace(resource=returned)

    inter.response.send_message = send_message
    await invoke(cog.rate, inter, title="Run On")
    inter.original_response.assert_not_awaited()
    assert (await storage.prompt(777)) is not None and returned.added == list(RATING_EMOJI)


async def test_a_late_removal_is_cancelled_when_the_member_goes_back_and_its_echo_never_withdraws(
    cog, fake_bot, storage, prompts
):
    await post_prompt(cog, fake_bot)
    await prompts.on_raw_reaction_add(payload(500, "3️⃣", BOB))
    await prompts.on_raw_reaction_add(payload(500, "7️⃣", BOB))  # bob 7: the bot takes his 3 off
    assert fake_bot.messages[500].removed == [("3️⃣", BOB)]
    assert prompts.tidy.is_echo(500, BOB, "3️⃣")  # that removal's echo is recognised (once)
    assert not prompts.tidy.is_echo(500, BOB, "3️⃣")
    # A removal the bot asked for whose echo comes while bob holds 3 again changes only the keycap.
    await prompts.on_raw_reaction_add(payload(500, "3️⃣", BOB))  # bob back to 3: the 7 goes
    prompts.tidy._asked[(500, BOB, "3️⃣")] = 1e12  # as if a stale removal of his 3 had been sent
    await prompts.on_raw_reaction_remove(payload(500, "3️⃣", BOB, add=False))  # its echo
    assert await score(storage) == (3.0, 1)
