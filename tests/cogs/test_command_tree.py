"""The command tree as Discord will see it: names, descriptions, options, limits."""

from __future__ import annotations

import re

from bot.client import RamenBot, intents
from bot.config import Settings
from bot.recommend.engine import Recommender
from bot.ui import limits

NAME_RE = re.compile(rf"^[-_'\w]{{1,{limits.COMMAND_NAME}}}$")


async def test_command_tree_respects_discords_rules(catalog, storage):
    bot = RamenBot(Settings.from_env({}), catalog, storage, Recommender(catalog), sync=False)
    await bot.load_cogs()
    commands = bot.tree.get_commands()
    names = [c.name for c in commands]
    assert len(names) == len(set(names))
    assert {"drama", "characters", "shouldiwatch", "spoilers"} <= set(names)
    for command in commands:
        payload = command.to_dict(bot.tree)
        assert NAME_RE.match(payload["name"]) and payload["name"] == payload["name"].lower()
        assert 1 <= len(payload["description"]) <= limits.COMMAND_DESCRIPTION
        options = payload.get("options", [])
        assert len(options) <= 25
        seen_optional = False
        for option in options:
            assert NAME_RE.match(option["name"]) and option["name"] == option["name"].lower()
            assert 1 <= len(option["description"]) <= limits.COMMAND_DESCRIPTION, option
            assert not (option.get("choices") and option.get("autocomplete"))
            assert len(option.get("choices", [])) <= 25
            if not option.get("required"):
                seen_optional = True
            else:
                assert not seen_optional, f"/{command.name}: required option after an optional one"
    await bot.close()


def test_intents_are_minimal_and_unprivileged():
    wanted = intents()
    assert wanted.guilds and wanted.guild_reactions
    assert not (wanted.members or wanted.presences or wanted.message_content)
    # guilds, guild_messages (poll results), guild_reactions, guild_scheduled_events (watch parties)
    assert wanted.value == (1 << 0) | (1 << 9) | (1 << 10) | (1 << 16)


async def test_shard_settings_build_an_auto_sharded_bot_that_syncs_only_on_shard_zero(catalog, storage):
    from discord.ext import commands

    from bot.client import ShardedRamenBot, build_bot

    plain = build_bot(Settings.from_env({}), catalog, storage, Recommender(catalog))
    assert not isinstance(plain, commands.AutoShardedBot) and plain.shard_count is None
    first = build_bot(Settings.from_env({"SHARD_COUNT": "4", "SHARD_IDS": "0-1"}), catalog, storage, plain.recommender)
    other = build_bot(Settings.from_env({"SHARD_COUNT": "4", "SHARD_IDS": "3,2"}), catalog, storage, plain.recommender)
    assert isinstance(first, ShardedRamenBot) and isinstance(first, commands.AutoShardedBot)
    assert (first.shard_count, first.shard_ids, first._sync) == (4, [0, 1], True)
    assert (other.shard_count, other.shard_ids, other._sync) == (4, [2, 3], False)
