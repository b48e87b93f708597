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


async def test_a_large_guild_answers_from_its_kept_votes_and_re_reads_in_the_background(storage):
    storage.fresh_read_max_votes = 2  # a "large" guild: more than 2 votes
    await storage.record_vote(1, "run-on", 10, 9)
    await storage.record_vote(1, "goblin", 11, 7)
    await storage.record_vote(1, "signal", 12, 5)
    first = await storage.guild_votes(1)  # the first read since start-up waits: nothing is kept yet
    assert first.by_member == {10: {"run-on": 9}, 11: {"goblin": 7}, 12: {"signal": 5}}
    await storage.record_vote(1, "run-on", 10, 2)  # 3 votes > 2: the next call does not wait for a re-read
    assert await storage.guild_votes(1) is first
    await storage.settle_guild_votes()
    fresh = await storage.guild_votes(1)
    assert fresh.by_member == {10: {"run-on": 2}, 11: {"goblin": 7}, 12: {"signal": 5}}
    assert await storage.guild_votes(1) is fresh


async def test_a_small_guild_is_re_read_in_the_call(storage):
    storage.fresh_read_max_votes = 2
    await storage.record_vote(1, "run-on", 10, 9)
    first = await storage.guild_votes(1)
    await storage.record_vote(1, "goblin", 10, 7)  # 2 votes: not above the limit
    assert (await storage.guild_votes(1)).by_member == {10: {"run-on": 9, "goblin": 7}}
    assert first.by_member == {10: {"run-on": 9}}  # the kept copy itself is never changed
