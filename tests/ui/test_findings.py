"""Unit tests for what the end-to-end suite (tests/e2e/) found, each beside its e2e check.

- Bidi controls in member text (e2e: test_e2e_hostile, the "rtl" value): an unterminated
  U+202E in an echoed title reversed the bot's own words after it on the line. The one
  escaping function drops explicit embeddings, overrides and isolates.
- A score outside 1-10 that reaches the bot (e2e: test_e2e_commands, a forged interaction; Discord's
  client and server never send one) logged a traceback and apologised; it is now the
  member's mistake, answered like any other.
"""

from __future__ import annotations

import pytest

from bot.ui.errors import UserFacingError, message_for
from bot.ui.markup import plain, spoiler
from bot.ui.messages import did_you_mean
from cogs.ratings import RatingsCog
from tests.fakes import make_interaction

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("control", list(BIDI_CONTROLS))
def test_plain_drops_bidi_controls(control):
    assert plain(f"{control}no nuR") == "no nuR"
    assert spoiler(f"x{control}y") == "||xy||"


def test_plain_keeps_right_to_left_scripts_and_marks():
    text = "مسلسل كوري \u200f שלום"  # RTL letters order themselves; the RLM mark cannot leak past the line
    assert plain(text) == text


def test_did_you_mean_cannot_reverse_the_bots_own_words():
    out = did_you_mean("\u202eno nuR", ["Run On"])
    assert not set(out) & set(BIDI_CONTROLS)
    assert out == "No drama called “no nuR”; did you mean **Run On**?"


@pytest.mark.parametrize("score", [0, 11, -3])
async def test_rate_score_outside_range_is_the_members_mistake(catalog, storage, score):
    cog = RatingsCog(storage, catalog)
    interaction = make_interaction()
    with pytest.raises(UserFacingError) as caught:
        await cog.rate.callback(cog, interaction, title="Run On", score=score)
    assert "1 to 10" in message_for(caught.value)
    assert await storage.member_vote(111, "run-on", 42) is None
    assert interaction.sent == []  # the tree's error handler answers, once
