"""The one error path (`bot.ui.errors`): what members read, and where it goes."""

from __future__ import annotations

from unittest.mock import AsyncMock, MagicMock

import discord

from bot.recommend.engine import NothingToRecommend
from bot.recommend.filters import Filters
from bot.ui.errors import APOLOGY, UserFacingError, handle_app_command_error, message_for
from tests.fakes import make_interaction


def test_message_for_nothing_to_recommend_names_the_filter():
    error = NothingToRecommend(Filters(genre="Thriller", max_episodes=4), "max_episodes")
    assert (
        message_for(error)
        == "No drama in genre “Thriller”, with ≤ 4 episodes: the max_episodes filter emptied the list."
    )
    assert message_for(NothingToRecommend(Filters(), None)) == (
        "Nothing left to recommend: you have already rated every drama that matches."
    )


async def test_error_on_an_expired_interaction_goes_to_the_channel():
    inter = make_interaction()
    inter.response.done = True  # answered long ago
    inter.is_expired.return_value = True  # 15 minutes on: the follow-up webhook is gone
    channel = MagicMock(spec=discord.TextChannel)
    channel.send = AsyncMock()
    inter.channel = channel
    await handle_app_command_error(inter, UserFacingError("too late"))
    assert inter.sent == []  # no follow-up attempted
    channel.send.assert_awaited_once()
    args, kwargs = channel.send.await_args
    assert args == ("too late",)
    assert kwargs["allowed_mentions"].to_dict() == {"parse": []}  # pings nobody


async def test_error_on_an_expired_interaction_without_a_channel_is_only_logged(caplog):
    inter = make_interaction()
    inter.response.done = True
    inter.is_expired.return_value = True
    inter.channel = None
    await handle_app_command_error(inter, RuntimeError("boom"))
    assert inter.sent == []
    assert "has no channel" in caplog.text and APOLOGY not in caplog.text


def test_a_watch_rule_quoting_what_the_member_typed_shows_no_mention():
    from bot.ui.watch_night import member_rules
    from bot.watch.errors import StatusError, WatchRuleError
    from bot.watch.party import parse_time

    typed = "bogus<@800000000000000123> @everyone"
    shown = message_for(StatusError(f'"{typed}" is not a watchlist status.'))
    assert shown == '"bogus<@\u200b800000000000000123> @\u200beveryone" is not a watchlist status.'
    try:
        with member_rules():
            parse_time("8<@&800000000000000042>")
    except UserFacingError as exc:
        assert "<@&800000000000000042>" not in str(exc) and "<@\u200b&800000000000000042>" in str(exc)
    else:
        raise AssertionError("a bad time must be refused")
    assert issubclass(StatusError, WatchRuleError)
