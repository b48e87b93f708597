"""The live tally cog on a real SQLite file: the reaction listener announces committed votes, and the
prompt is edited to the server's current mean, count and histogram (worked out by hand below)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import discord

from cogs.live_tally import LiveTallyCog
from cogs.rating_prompts import RatingPromptsCog
from tests.cogs.test_ratings_cog import CHANNEL, GUILD, payload
from tests.fakes import FakeBot

PROMPT = 5_000


class EditableMessage:
    def __init__(self) -> None:
        self.edits: list[discord.Embed] = []

    async def edit(self, *, embed: discord.Embed, allowed_mentions: discord.AllowedMentions) -> None:
        assert allowed_mentions.to_dict()["parse"] == []  # no pings
        self.edits.append(embed)


class TallyBot(FakeBot):
    def __init__(self) -> None:
        super().__init__()
        self.prompt = EditableMessage()

    def get_partial_messageable(self, channel_id: int, **_: Any) -> Any:
        bot = self

        class Channel:
            def get_partial_message(self, message_id: int) -> EditableMessage:
                assert (channel_id, message_id) == (CHANNEL, PROMPT)
                return bot.prompt

        return Channel()


def tally(embed: discord.Embed) -> str:
    return next(f.value for f in embed.fields if f.name == "This server so far")


async def test_votes_through_a_prompt_edit_its_tally(storage, catalog):
    bot = TallyBot()
    prompts = RatingPromptsCog(bot, storage)  # type: ignore[arg-type]
    live = LiveTallyCog(bot, storage, catalog, interval=0.05)
    await storage.add_prompt(PROMPT, GUILD, CHANNEL, "run-on")
    for user, emoji in ((1, "8️⃣"), (2, "6️⃣"), (3, "🔟")):
        await prompts.on_raw_reaction_add(payload(PROMPT, emoji, user))
    await prompts.on_raw_reaction_add(payload(PROMPT + 1, "5️⃣", 4))  # not a prompt: nothing to edit
    assert [e for e in bot.dispatched if e[0] == "rating_vote"] == [
        ("rating_vote", GUILD, PROMPT),
        ("rating_vote", GUILD, PROMPT),
        ("rating_vote", GUILD, PROMPT),
        ("rating_vote", GUILD, PROMPT + 1),
    ]
    for _, guild_id, message_id in bot.dispatched:
        await live.on_rating_vote(guild_id, message_id)
    await live.updater.drain()
    # 8 + 6 + 10 = 24 over 3 votes = 8.0; one vote each at 6, 8 and 10 → ·····█·█·█
    assert tally(bot.prompt.edits[-1]) == "**8.0/10** from 3 votes · `·····█·█·█` 1→10 bowls"
    assert len(bot.prompt.edits) <= 2
    await prompts.on_raw_reaction_remove(payload(PROMPT, "🔟", 3, add=False))
    await live.on_rating_vote(GUILD, PROMPT)
    await live.updater.drain()
    # 8 + 6 = 14 over 2 votes = 7.0
    assert tally(bot.prompt.edits[-1]) == "**7.0/10** from 2 votes · `·····█·█··` 1→10 bowls"


async def test_a_message_that_is_not_a_prompt_is_never_edited(storage, catalog):
    bot = TallyBot()
    live = LiveTallyCog(bot, storage, catalog, interval=0.05)
    await live.on_rating_vote(GUILD, PROMPT)  # no prompt stored under this id
    await live.updater.drain()
    assert bot.prompt.edits == []


async def test_a_rate_command_vote_edits_the_guilds_open_prompts_of_that_drama(storage, catalog):
    bot = TallyBot()
    live = LiveTallyCog(bot, storage, catalog, interval=0.05)
    await storage.add_prompt(PROMPT, GUILD, CHANNEL, "run-on")
    await storage.add_prompt(PROMPT + 1, GUILD + 1, CHANNEL, "run-on")  # another guild: not asked for
    old = discord.utils.utcnow() - dt.timedelta(days=31)
    await storage.add_prompt(PROMPT + 2, GUILD, CHANNEL, "run-on", created_at=old)  # closed: not edited
    await storage.record_vote(GUILD, "run-on", 1, 9)  # as /rate title score:9 does, then dispatches
    await storage.record_vote(GUILD, "run-on", 2, 6)
    await live.on_rating_vote_by_command(GUILD, "run-on")
    await live.updater.drain()
    # (9 + 6) / 2 = 7.5 from 2 votes; one vote each at 6 and 9 → ·····█··█·
    assert [tally(e) for e in bot.prompt.edits] == ["**7.5/10** from 2 votes · `·····█··█·` 1→10 bowls"]
    assert live.updater.edits == 1  # PROMPT only (TallyBot's channel also asserts the message id)


async def test_a_superseded_reactions_removal_edits_nothing(storage, catalog):
    bot = TallyBot()
    prompts = RatingPromptsCog(bot, storage)  # type: ignore[arg-type]
    live = LiveTallyCog(bot, storage, catalog, interval=0.01)
    await storage.add_prompt(PROMPT, GUILD, CHANNEL, "run-on")
    await prompts.on_raw_reaction_add(payload(PROMPT, "8️⃣", 1))
    await prompts.on_raw_reaction_add(payload(PROMPT, "9️⃣", 1))  # replaces the 8
    await live.on_rating_vote(GUILD, PROMPT)
    await live.updater.drain()
    assert len(bot.prompt.edits) == 1 and tally(bot.prompt.edits[0]).startswith("**9.0/10** from 1 vote")
    await prompts.on_raw_reaction_remove(payload(PROMPT, "8️⃣", 1, add=False))  # the old one: changes nothing
    for _, guild_id, message_id in [e for e in bot.dispatched if e[0] == "rating_vote"][2:] or [("", GUILD, PROMPT)]:
        await live.on_rating_vote(guild_id, message_id)
    await live.updater.drain()
    assert len(bot.prompt.edits) == 1  # the same tally again is not sent twice
    await prompts.on_raw_reaction_add(payload(PROMPT, "5️⃣", 2))
    await live.on_rating_vote(GUILD, PROMPT)
    await live.updater.drain()
    assert len(bot.prompt.edits) == 2 and tally(bot.prompt.edits[1]).startswith("**7.0/10** from 2 votes")
