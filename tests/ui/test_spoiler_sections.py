"""/spoilers and /drama say which spoiler sections a show has (their names only, never what is in
them); the spoilers card's heading says "spoilers" once. On the bundled catalog."""

from __future__ import annotations

import pytest

from bot.ui.embeds import Section, drama_embed, missing_section, sections_of, spoilers_embed
from bot.ui.errors import UserFacingError, message_for
from cogs.dramas import DramasCog
from tests.fakes import invoke, make_interaction


def test_sections_of_follow_the_entries(catalog):
    assert sections_of(catalog.get("run-on")) == [Section.ENDING, Section.DISLIKES, Section.LIKES, Section.CHARACTERS]
    assert sections_of(catalog.get("goblin")) == [Section.ENDING, Section.CHARACTERS]
    assert sections_of(catalog.get("kingdom")) == []


async def test_a_missing_section_names_the_ones_the_show_has(catalog, storage):
    cog = DramasCog(catalog, storage)
    inter = make_interaction()
    with pytest.raises(UserFacingError) as refused:
        await invoke(cog.spoilers, inter, title="Goblin", section="likes")
    assert message_for(refused.value) == (
        "The catalog has nothing under “What the reviewer liked” for Goblin yet. Try: ending, characters."
    )
    assert inter.sent == []
    assert missing_section(catalog.get("kingdom"), Section.ENDING) == (
        "The catalog has nothing under “The ending” for Kingdom yet. It has no spoiler sections at all yet."
    )


def test_the_heading_says_spoilers_once(catalog):
    run_on = catalog.get("run-on")
    assert spoilers_embed(run_on, Section.CHARACTERS).title == "Run On: Character spoilers"
    assert spoilers_embed(run_on, Section.ENDING).title == "Run On: The ending (spoilers)"


def test_drama_footer_lists_the_spoiler_sections(catalog):
    assert drama_embed(catalog.get("goblin")).footer.text.endswith(
        " · /characters · /shouldiwatch · /spoilers: ending, characters"
    )
    assert drama_embed(catalog.get("kingdom")).footer.text.endswith(" · /characters · /shouldiwatch")
