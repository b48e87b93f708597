"""The watch-night cog's real callbacks and the announcer, on a real SQLite file, with Discord mocked
(tests.fakes). Expected results are worked out by hand beside each assertion."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.ui.errors import UserFacingError
from bot.ui.watch_results import PollAnnouncer
from cogs.watchnight import WatchNightCog
from tests.fakes import invoke, make_interaction

GUILD, CHANNEL = 111, 222
BOB, CAROL = 42, 43


class Channel:
    """A channel reached over REST: fetch_message gives the poll message; send records the result posts."""

    def __init__(self, message: Any) -> None:
        self.message, self.sent = message, []

    async def fetch_message(self, message_id: int) -> Any:
        return self.message

    async def send(self, **kwargs: Any) -> None:
        self.sent.append(kwargs)


class Client:
    def __init__(self, channel: Channel) -> None:
        self.channel = channel

    def get_partial_messageable(self, channel_id: int, *, guild_id: int | None = None) -> Channel:
        return self.channel


def poll_message(counts: list[tuple[str, int]], finalised: bool = True) -> Any:
    answers = [SimpleNamespace(id=i, text=t, vote_count=n) for i, (t, n) in enumerate(counts, start=1)]
    return SimpleNamespace(poll=SimpleNamespace(answers=answers, is_finalised=lambda: finalised))


@pytest.fixture
def cog(storage, catalog) -> WatchNightCog:
    return WatchNightCog(None, storage, catalog)


def interaction(user_id: int = BOB, *, manage_guild: bool = False, events: bool = True) -> Any:
    inter = make_interaction(guild_id=GUILD, user_id=user_id)
    inter.original_response.return_value = SimpleNamespace(id=4242)
    inter.permissions = discord.Permissions(manage_guild=manage_guild)
    inter.app_permissions = discord.Permissions(create_events=events)
    return inter


async def test_start_with_named_titles_posts_the_poll_and_stores_it(cog, storage):
    inter = interaction()
    await invoke(cog.start, inter, title1="Run On", title2="Signal", hours=6)
    poll = inter.sent[0].kwargs["poll"]
    assert [a.text for a in poll.answers] == ["Run On", "Signal"]
    assert (poll.question, poll.duration) == ("What do we watch next?", dt.timedelta(hours=6))
    assert inter.sent[0].kwargs["allowed_mentions"].to_dict()["parse"] == []
    assert inter.sent[1].ephemeral and "2 titles from the titles you named, voting for 6 h" in inter.sent[1].content
    stored = await storage.watch_poll(4242)
    assert (stored.answers, stored.started_by, stored.channel_id) == (("run-on", "signal"), BOB, CHANNEL)


async def test_start_with_one_title_or_an_empty_queue_is_refused_clearly(cog):
    with pytest.raises(UserFacingError, match="at least 2 different titles"):
        await invoke(cog.start, interaction(), title1="Run On", title2="Run On")
    with pytest.raises(UserFacingError, match="Up next is empty"):
        await invoke(cog.start, interaction())


async def test_end_by_a_stranger_is_refused_and_nothing_is_running_is_said(cog, storage):
    with pytest.raises(UserFacingError, match="No watch-night poll is running"):
        await invoke(cog.end, interaction(CAROL))
    await storage.add_watch_poll(1, GUILD, CHANNEL, BOB, "q", ["run-on", "signal"], dt.datetime.now(dt.UTC))
    with pytest.raises(UserFacingError, match="Only the member who started"):
        await invoke(cog.end, interaction(CAROL))
    assert (await storage.watch_poll(1)).announced_at is None


async def test_party_without_create_events_names_the_permission(cog):
    inter = interaction(events=False)
    with pytest.raises(UserFacingError, match="Create Events"):
        await invoke(cog.party, inter, title="Run On", iso="2031-01-01T20:00+00:00")
    assert inter.sent == []


async def test_party_time_mistakes_are_the_members_to_fix(cog):
    with pytest.raises(UserFacingError, match="`date` and `time`"):
        await invoke(cog.party, interaction(), title="Run On", date="2031-01-01")
    with pytest.raises(UserFacingError, match="not a time zone I know"):
        await invoke(cog.party, interaction(), title="Run On", date="2031-01-01", time="20:00", timezone="Mars/Base")


async def test_announcer_posts_a_winner_once_with_its_card(storage, catalog):
    await storage.add_watch_poll(7, GUILD, CHANNEL, BOB, "Friday?", ["run-on", "signal"], dt.datetime.now(dt.UTC))
    channel = Channel(poll_message([("Run On", 1), ("Signal", 3)]))
    announcer = PollAnnouncer(Client(channel), storage, catalog)
    assert await announcer.poll_ended(7) is True
    assert await announcer.poll_ended(7) is False  # claimed already: never twice
    assert await announcer.pickup() == 0
    (post,) = channel.sent
    assert "**Signal** won with 3 of 4 votes" in post["content"]
    assert post["embed"].title.startswith("Signal")
    assert await storage.last_watch_winner(GUILD) == "signal"


async def test_announcer_waits_for_a_poll_discord_has_not_finalised(storage, catalog):
    await storage.add_watch_poll(8, GUILD, CHANNEL, BOB, "Later?", ["run-on", "signal"], dt.datetime.now(dt.UTC))
    channel = Channel(poll_message([("Run On", 2), ("Signal", 2)], finalised=False))
    announcer = PollAnnouncer(Client(channel), storage, catalog)
    assert await announcer.pickup() == 0 and channel.sent == []
    channel.message = poll_message([("Run On", 2), ("Signal", 2)])
    assert await announcer.pickup() == 1
    assert "ended in a tie: **Run On** and **Signal**, 2 votes each (4 votes in all)" in channel.sent[0]["content"]
    assert "embed" not in channel.sent[0]


async def test_start_without_titles_takes_the_top_of_up_next(cog, storage):
    await storage.upnext_add(GUILD, "run-on", BOB, "Run On")
    await storage.upnext_add(GUILD, "signal", BOB, "Signal")
    await storage.upnext_add(GUILD, "signal", CAROL, "Signal")  # 2 backers: first
    inter = interaction()
    await invoke(cog.start, inter)
    assert [a.text for a in inter.sent[0].kwargs["poll"].answers] == ["Signal", "Run On"]
    assert "2 titles from the top of up next" in inter.sent[1].content
    assert (await storage.watch_poll(4242)).answers == ("signal", "run-on")


async def test_a_second_poll_is_refused_with_a_link_while_the_first_runs(cog, storage):
    await invoke(cog.start, interaction(), title1="Run On", title2="Signal", hours=6)
    second = interaction(CAROL)
    with pytest.raises(UserFacingError) as refused:
        await invoke(cog.start, second, title1="Goblin", title2="Kingdom")
    assert "still running (https://discord.com/channels/111/222/4242, voting ends <t:" in str(refused.value)
    assert second.sent == [] and len(await storage.open_watch_polls()) == 1
    # Once its result is announced, a new poll may start.
    assert await storage.claim_watch_poll_result(4242, "winner", "run-on")
    third = interaction(CAROL)
    third.original_response.return_value = SimpleNamespace(id=4343)
    await invoke(cog.start, third, title1="Goblin", title2="Kingdom")
    assert (await storage.watch_poll(4343)).answers == ("goblin", "kingdom")
