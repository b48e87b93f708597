"""Storage.guild_votes: every vote of a guild by member, re-read only when the guild's votes changed."""

from __future__ import annotations


async def test_guild_votes_by_member_and_only_this_guild(storage):
    await storage.record_vote(1, "run-on", 10, 9)
    await storage.record_vote(1, "goblin", 10, 7)
    await storage.record_vote(1, "run-on", 11, 4)
    await storage.record_vote(2, "run-on", 10, 1)  # another guild
    votes = await storage.guild_votes(1)
    assert votes.by_member == {10: {"run-on": 9, "goblin": 7}, 11: {"run-on": 4}}
    assert (await storage.guild_votes(3)).by_member == {}


async def test_guild_votes_are_kept_until_a_vote_changes(storage):
    await storage.record_vote(1, "run-on", 10, 9)
    first = await storage.guild_votes(1)
    assert await storage.guild_votes(1) is first  # nothing changed: the kept copy
    await storage.record_vote(1, "run-on", 10, 8)  # a replaced vote
    second = await storage.guild_votes(1)
    assert second is not first and second.by_member == {10: {"run-on": 8}}
    await storage.withdraw_vote(1, "run-on", 10)
    assert (await storage.guild_votes(1)).by_member == {}
