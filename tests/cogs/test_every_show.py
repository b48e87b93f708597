"""Issue #13's "done when": /drama, /characters (menu and card), /shouldiwatch (with and without
looking_for) and /spoilers answer for every bundled show, through the real cog callbacks."""

from __future__ import annotations

import re

import pytest

from bot.catalog.index import Catalog
from bot.catalog.model import Character, Drama, Fact, Role, SpoilerLevel
from bot.catalog.vocabulary import LOOKING_FOR
from bot.ui.embeds import Section, has_section
from bot.ui.errors import UserFacingError
from bot.ui.options import character_choices
from bot.ui.views import CastView
from cogs.dramas import DramasCog
from tests.conftest import CATALOG_DIR
from tests.fakes import invoke, make_interaction

SHOWS = sorted(p.stem for p in CATALOG_DIR.glob("*.toml"))


def _text(embed) -> str:
    return " ".join([embed.title or "", embed.description or "", *(f"{f.name} {f.value}" for f in embed.fields)])


@pytest.fixture
def cog(catalog, storage):
    return DramasCog(catalog, storage)


def test_the_bundled_catalog_has_43_shows():
    assert len(SHOWS) == 43


@pytest.mark.parametrize("drama_id", SHOWS)
async def test_every_command_answers_for_every_show(cog, catalog, drama_id):
    drama = catalog.get(drama_id)
    assert drama is not None

    inter = make_interaction()
    await invoke(cog.drama, inter, title=drama.title)
    [summary] = inter.sent
    assert summary.embed.title.startswith(drama.title) and summary.embed.description  # the premise

    inter = make_interaction()
    await invoke(cog.characters, inter, title=drama_id)
    [cast] = inter.sent
    assert isinstance(cast.view, CastView) and len(cast.embed.fields) >= 3
    [menu] = cast.view.children
    first = menu.item.options[0]
    picker = make_interaction(user_id=43)
    menu.item._values = [first.value]
    await menu.callback(picker)
    [card] = picker.sent
    assert card.ephemeral and card.embed.title == f"{first.label} · {drama.title}"
    assert {f.name for f in card.embed.fields} >= {"Played by", "Role"}

    [named] = character_choices(drama, first.label)[:1]
    inter = make_interaction()
    await invoke(cog.characters, inter, title=drama_id, name=named.value)
    assert inter.sent[0].embed.title == card.embed.title

    inter = make_interaction()
    await invoke(cog.shouldiwatch, inter, title=drama_id)
    fields = {f.name for f in inter.sent[0].embed.fields}
    assert {"Watch it if you like", "Skip it if you want"} <= fields
    for interest, label in LOOKING_FOR.items():
        inter = make_interaction()
        await invoke(cog.shouldiwatch, inter, title=drama_id, looking_for=interest)
        assert inter.sent[0].embed.description.startswith(f"**Looking for {label.lower()}? "), interest

    # A section the entry has: every fact in spoiler tags, only for the asker. One it lacks (several
    # starter entries leave out an ending nobody on the team was sure of): a clear ephemeral answer.
    for section in Section:
        inter = make_interaction()
        if has_section(drama, section):
            await invoke(cog.spoilers, inter, title=drama_id, section=section.value)
            assert inter.sent[0].ephemeral and "||" in _text(inter.sent[0].embed), (drama_id, section)
        else:
            with pytest.raises(
                UserFacingError, match=f"The catalog has nothing under “.+” for {re.escape(drama.title)} yet"
            ):
                await invoke(cog.spoilers, inter, title=drama_id, section=section.value)


async def test_a_character_name_over_100_characters_opens_from_autocomplete_and_the_menu(storage):
    long_name = "Lady " + " ".join(["Seo-yeon of the Eastern Palace"] * 4)  # 124 characters
    assert len(long_name) > 100
    drama = Drama(
        id="long-names",
        title="Long Names",
        characters=(
            Character(long_name, Role.LEAD, "Kim Test", facts=(Fact("A lady of the palace."),)),
            Character("Short", Role.SUPPORTING, facts=(Fact("Only at the end.", SpoilerLevel.SPOILER),)),
        ),
    )
    cog = DramasCog(Catalog([drama]), storage)
    [offered] = character_choices(drama, "eastern palace")
    assert len(offered.name) <= 100 and len(offered.value) <= 100 and offered.name.endswith("…")
    inter = make_interaction()
    await invoke(cog.characters, inter, title="long-names", name=offered.value)
    assert inter.sent[0].embed.title.startswith("Lady Seo-yeon")

    inter = make_interaction()
    await invoke(cog.characters, inter, title="long-names")
    [menu] = inter.sent[0].view.children
    assert [o.value for o in menu.item.options] == [offered.value]  # "Short" is spoiler-only: not offered
    menu.item._values = [offered.value]
    picker = make_interaction()
    await menu.callback(picker)
    assert picker.sent[0].embed.title.startswith("Lady Seo-yeon")
    assert "Short" not in _text(inter.sent[0].embed) and character_choices(drama, "sho") == []
