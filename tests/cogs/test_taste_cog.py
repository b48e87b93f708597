"""/taste and /shouldiwatch's "members with your taste", through the real cogs and a real SQLite file."""

from __future__ import annotations

from unittest.mock import MagicMock

import discord
import pytest

from bot.ui.errors import UserFacingError
from cogs.dramas import DramasCog
from cogs.taste import TasteCog
from tests.fakes import invoke, make_interaction


def _member(user_id: int, name: str, *, bot: bool = False):
    member = MagicMock(spec=discord.Member)
    member.id, member.name, member.display_name, member.bot = user_id, name, name, bot
    return member


async def _votes(storage):
    # alice (42) and bob (43) order Run On > Goblin > Signal > Kingdom alike; bob also rated Hotel del Luna.
    for drama_id, alice, bob in (("run-on", 9, 8), ("goblin", 8, 9), ("signal", 6, 7), ("kingdom", 3, 4)):
        await storage.record_vote(111, drama_id, 42, alice)
        await storage.record_vote(111, drama_id, 43, bob)
    await storage.record_vote(111, "hotel-del-luna", 43, 9)


async def test_taste_compares_two_members_ephemeral_unless_shared(catalog, storage):
    await _votes(storage)
    cog = TasteCog(catalog, storage)
    inter = make_interaction()
    await invoke(cog.taste, inter, member=_member(43, "bob"))
    [sent] = inter.sent
    assert sent.ephemeral
    # alice 9 8 6 3 (mean 6.5), bob 8 9 7 4 (mean 7): Σ dev products = 2.5·1 + 1.5·2 + (−0.5)·0 + (−3.5)(−3) = 16;
    # Σ a² = 6.25 + 2.25 + 0.25 + 12.25 = 21, Σ b² = 1 + 4 + 0 + 9 = 14: r = 16 / √294 = 0.933139;
    # shrunk 4 / 9 → 0.414729: 41%.
    assert "**Affinity 41%** (alike), over 4 shows you both rated here." in sent.embed.description
    fields = {f.name: f.value for f in sent.embed.fields}
    assert fields["Favourites in common"] == "• Goblin\n• Run On"  # 17 bowls together each: by id
    assert fields["Biggest disagreement"] == "Signal: you 6/10, bob 7/10"  # four gaps of 1: the last id
    shared = make_interaction()
    await invoke(cog.taste, shared, member=_member(43, "bob"), share=True)
    assert not shared.sent[0].ephemeral


async def test_taste_with_too_little_in_common_says_so(catalog, storage):
    await storage.record_vote(111, "run-on", 42, 9)
    cog = TasteCog(catalog, storage)
    inter = make_interaction()
    await invoke(cog.taste, inter, member=_member(44, "carol"))
    assert "Not enough in common yet: you have rated 0 of the same shows" in inter.sent[0].embed.description


@pytest.mark.parametrize(("target", "words"), [((42, "alice"), "someone else"), ((99, "Ramen"), "is a bot")])
async def test_taste_refuses_yourself_and_bots(catalog, storage, target, words):
    cog = TasteCog(catalog, storage)
    with pytest.raises(UserFacingError, match=words):
        await invoke(cog.taste, make_interaction(), member=_member(*target, bot=target[1] == "Ramen"))


async def test_shouldiwatch_adds_what_members_with_your_taste_rate_it(catalog, storage):
    await _votes(storage)
    cog = DramasCog(catalog, storage)
    inter = make_interaction()
    await invoke(cog.shouldiwatch, inter, title="Hotel del Luna")
    fields = {f.name: f.value for f in inter.sent[0].embed.fields}
    assert fields["This server"] == "Members with your taste rate it 9.0 (1 member)."
    stranger = make_interaction(user_id=77, user_name="eve")
    await invoke(cog.shouldiwatch, stranger, title="Hotel del Luna")
    assert "This server" not in {f.name for f in stranger.sent[0].embed.fields}
