"""The drama commands' real callbacks, called with a fake interaction."""

from __future__ import annotations

import re
from types import SimpleNamespace

import discord
import pytest

from bot.catalog.index import UnknownTitle
from bot.ui.errors import UserFacingError, handle_app_command_error
from bot.ui.options import LOOKING_FOR_CHOICES, DramaTitle
from bot.ui.views import CastView, CharacterMenu
from cogs.dramas import DramasCog
from tests.fakes import invoke, make_interaction


@pytest.fixture
def cog(catalog, storage):
    return DramasCog(catalog, storage)


async def test_drama_sends_a_public_summary(cog):
    inter = make_interaction()
    await invoke(cog.drama, inter, title="run on")
    [sent] = inter.sent
    assert not sent.ephemeral
    assert sent.embed.title == "Run On (2020)"
    assert sent.kwargs["allowed_mentions"].everyone is False


async def test_drama_unknown_title_gets_an_ephemeral_did_you_mean(cog):
    inter = make_interaction()
    with pytest.raises(UnknownTitle) as info:
        await invoke(cog.drama, inter, title="Rum On")
    await handle_app_command_error(inter, info.value)
    [sent] = inter.sent
    assert sent.ephemeral
    assert sent.content == "No drama called “Rum On”; did you mean **Run On**?"


async def test_characters_without_name_offers_a_menu_that_opens_a_card(cog):
    inter = make_interaction()
    await invoke(cog.characters, inter, title="Run On")
    [sent] = inter.sent
    assert isinstance(sent.view, CastView) and sent.view.timeout is None
    [menu] = sent.view.children
    assert isinstance(menu, CharacterMenu) and menu.item.custom_id == "ramen:characters:run-on"
    assert [o.label for o in menu.item.options][:2] == ["Oh Mi Joo", "Ki Seon Gyeom"]
    assert [o.value for o in menu.item.options][:2] == ["oh-mi-joo", "ki-seon-gyeom"]  # keys, not names
    # Je Wook exists only in the ending: 7 cards, and he is named nowhere outside spoiler tags.
    assert len(sent.embed.fields) == 7 and len(menu.item.options) == 7
    assert "Je Wook" not in str(sent.embed.to_dict()) + str([o.label for o in menu.item.options])
    assert sent.embed.description.endswith("*One more character: a spoiler.*")

    picker = make_interaction(user_name="bob", user_id=43)
    menu.item._values = ["ki-seon-gyeom"]  # what discord.py stores when the member picks that option
    await menu.callback(picker)
    [card] = picker.sent
    assert card.ephemeral and card.embed.title == "Ki Seon Gyeom · Run On"
    assert {f.name: f.value for f in card.embed.fields}["Played by"] == "Yim Si Wan"


async def test_character_menu_is_rebuilt_from_its_custom_id_after_a_restart(catalog):
    # What discord.py does for a click on a message sent before the restart: match the template,
    # rebuild the item from the message's own component, then call it.
    old_select = discord.ui.Select(
        custom_id="ramen:characters:run-on", options=[discord.SelectOption(label="Park Mae Yi", value="Park Mae Yi")]
    )
    match = CharacterMenu.__discord_ui_compiled_template__.fullmatch(old_select.custom_id)
    picker = make_interaction(client=SimpleNamespace(catalog=catalog))
    menu = await CharacterMenu.from_custom_id(picker, old_select, match)
    menu.item._values = ["Park Mae Yi"]  # a menu sent before character keys carried the name: still opens
    await menu.callback(picker)
    assert picker.sent[0].ephemeral and picker.sent[0].embed.title == "Park Mae Yi · Run On"

    gone = discord.ui.Select(custom_id="ramen:characters:no-such-show", options=[discord.SelectOption(label="X")])
    stale = make_interaction(client=SimpleNamespace(catalog=catalog))
    menu = await CharacterMenu.from_custom_id(
        stale, gone, CharacterMenu.__discord_ui_compiled_template__.fullmatch(gone.custom_id)
    )
    menu.item._values = ["X"]
    await menu.callback(stale)
    assert stale.sent[0].ephemeral and "no longer in the catalog" in stale.sent[0].content


async def test_characters_with_name_shows_that_card(cog):
    inter = make_interaction()
    await invoke(cog.characters, inter, title="Run On", name="mae")
    [sent] = inter.sent
    assert sent.embed.title == "Park Mae Yi · Run On"
    assert sent.view is None


async def test_characters_unknown_name_is_a_user_facing_error(cog):
    inter = make_interaction()
    with pytest.raises(UserFacingError, match="no character called “Nobody”"):
        await invoke(cog.characters, inter, title="Run On", name="Nobody")
    with pytest.raises(UserFacingError, match=re.escape("no character called “mi jo”. Did you mean **Oh Mi Joo**?")):
        await invoke(cog.characters, inter, title="Run On", name="mi jo")
    # A character who exists only in spoilers is neither found nor suggested nor listed by name.
    with pytest.raises(UserFacingError) as caught:
        await invoke(cog.characters, inter, title="Run On", name="Je Wook")
    assert "Je Wook" not in str(caught.value).replace("“Je Wook”", "")
    assert str(caught.value).endswith("Ki Eun Bi. One more character: a spoiler.")


async def test_shouldiwatch_answers_for_the_viewer(cog):
    inter = make_interaction()
    await invoke(cog.shouldiwatch, inter, title="Run On", looking_for="action")
    [sent] = inter.sent
    assert sent.embed.description.startswith("**Looking for action? 🙅 Probably not.**")
    assert not sent.ephemeral


async def test_spoilers_are_ephemeral_unless_shared(cog):
    private = make_interaction()
    await invoke(cog.spoilers, private, title="Run On", section="ending")
    assert private.sent[0].ephemeral
    shared = make_interaction()
    await invoke(cog.spoilers, shared, title="Run On", section="ending", share=True)
    assert not shared.sent[0].ephemeral
    assert shared.sent[0].embed.description.count("||") == 12  # 6 ending facts, each wrapped


async def test_title_autocomplete_is_typo_tolerant_and_bounded(catalog):
    inter = make_interaction(client=SimpleNamespace(catalog=catalog))
    choices = await DramaTitle().autocomplete(inter, "rnu on")
    assert choices[0].value == "run-on" and choices[0].name == "Run On"
    assert len(await DramaTitle().autocomplete(inter, "")) <= 25


async def test_every_title_option_uses_the_title_transformer(cog):
    for command in (cog.drama, cog.characters, cog.shouldiwatch, cog.spoilers):
        title = next(p for p in command.parameters if p.name == "title")
        assert title.autocomplete and title.required and title.type is discord.AppCommandOptionType.string


async def test_title_transformer_resolves_ids_titles_and_aliases(catalog):
    inter = make_interaction(client=SimpleNamespace(catalog=catalog))
    for value in ("run-on", "Run On", "RÚN-ON", "런온"):
        assert (await DramaTitle().transform(inter, value)).id == "run-on"


async def test_character_autocomplete_reads_the_chosen_title(cog):
    inter = make_interaction(namespace={"title": "run-on"})
    choices = await cog.character_autocomplete(inter, "gy")
    assert [c.name for c in choices] == ["Ki Seon Gyeom"]


async def test_unexpected_error_gets_an_apology_not_a_traceback(cog, caplog):
    inter = make_interaction()
    await handle_app_command_error(inter, RuntimeError("boom"))
    [sent] = inter.sent
    assert sent.ephemeral and "something went wrong" in sent.content and "boom" not in sent.content
    assert "boom" in caplog.text


async def test_error_after_a_reply_goes_as_a_followup(cog):
    inter = make_interaction()
    await inter.response.defer()
    await handle_app_command_error(inter, UserFacingError("nope"))
    assert [(s.via, s.content, s.ephemeral) for s in inter.sent] == [("followup", "nope", True)]


async def test_spoilers_for_an_empty_section_say_so_instead_of_posting_an_empty_embed(catalog, storage):
    from bot.catalog.index import Catalog
    from bot.catalog.model import Drama

    cog = DramasCog(Catalog([*catalog, Drama(id="facts-only", title="Facts Only", year=2020)]), storage)
    inter = make_interaction()
    expected = re.escape("The catalog has nothing under “The ending” for Facts Only yet.")
    with pytest.raises(UserFacingError, match=expected):
        await invoke(cog.spoilers, inter, title="Facts Only", section="ending", share=True)
    assert inter.sent == []


async def test_drama_in_a_dm_has_no_server_score(cog):
    inter = make_interaction(guild_id=None)
    await invoke(cog.drama, inter, title="Run On")
    assert "Server's ramen" not in {f.name for f in inter.sent[0].embed.fields}


async def test_replies_never_exceed_discords_content_limit():
    from bot.ui.replies import respond

    inter = make_interaction()
    await respond(inter, content="x" * 5000, ephemeral=True)
    assert len(inter.sent[0].content) == 2000 and inter.sent[0].content.endswith("…")


def test_unknown_character_message_fits_with_a_huge_cast():
    from bot.catalog.model import Character, Drama, Role
    from bot.ui.messages import unknown_character

    drama = Drama(id="x", title="T" * 300, characters=tuple(Character("N" * 90 + str(i), Role.LEAD) for i in range(60)))
    assert len(unknown_character(drama, "z" * 500, ["N" * 200] * 3)) <= 2000


async def test_shouldiwatch_forged_looking_for_gets_a_clear_ephemeral_message(cog, caplog):
    inter = make_interaction()
    with pytest.raises(UserFacingError) as info:  # raised by the option's transformer, before the callback
        await invoke(cog.shouldiwatch, inter, title="Run On", looking_for="romcom")
    await handle_app_command_error(inter, info.value)
    [sent] = inter.sent
    assert sent.ephemeral
    offered = ", ".join(c.name for c in LOOKING_FOR_CHOICES)  # the labels the member can pick from
    assert sent.content == f"“romcom” is not a choice for `looking_for`; pick one of: {offered}."
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
