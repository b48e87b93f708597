"""/recommend's cog and its pager, on the real catalog and a real SQLite file.

The tests over the real catalog read the shared K-drama CSV (operator data beside the project,
never copied into it) and skip when it is absent.
"""

from __future__ import annotations

from types import SimpleNamespace

import discord
import pytest

from bot.recommend.engine import (
    PAGE_SIZE,
    NothingToRecommend,
)
from bot.recommend.pages import decode_picks
from bot.ui import limits
from bot.ui.errors import handle_app_command_error
from bot.ui.messages import reason_line
from bot.ui.options import GENRES, NETWORKS, PLATFORMS, TAGS
from bot.ui.views import PageButton
from cogs.recommend import RecommendCog
from tests.fakes import invoke, make_interaction

# --------------------------------------------------------------------------- the cog


@pytest.fixture
def cog(big, storage):
    catalog, engine = big
    return RecommendCog(catalog, engine, storage)


async def _kept(cog, inter):
    """The recommendations the pager of `inter`'s reply keeps in the database, best first."""
    stored = await cog.storage.pager(inter.id)
    assert stored is not None and stored.owner_id == inter.user.id
    return decode_picks(stored.results, cog.catalog).results


async def _all_results(cog, inter) -> list[str]:
    return [r.drama.id for r in await _kept(cog, inter)]


async def test_cog_like_sends_page_one_with_a_pager(cog):
    inter = make_interaction()
    await invoke(cog.recommend, inter, like="Run On")
    [sent] = inter.sent
    assert not sent.ephemeral
    assert sent.embed.title == "Because you like Run On"
    assert [f.name.split(". ")[0] for f in sent.embed.fields] == ["1", "2", "3", "4", "5"]
    assert "run-on" not in await _all_results(cog, inter)
    assert [b.item.custom_id for b in sent.view.children] == [f"ramen:recommend:{inter.id}:{p}" for p in (0, 2)]
    assert all(len(b.item.custom_id) <= limits.CUSTOM_ID for b in sent.view.children)
    assert sent.view.timeout is None


async def test_cog_leaves_out_what_the_member_rated(cog, storage):
    first = make_interaction()
    await invoke(cog.recommend, first, like="Run On")
    rated = (await _all_results(cog, first))[:3]
    for drama_id in rated:
        await storage.record_vote(111, drama_id, 42, 5)
    again = make_interaction()
    await invoke(cog.recommend, again, like="Run On")
    assert not set(rated) & set(await _all_results(cog, again))
    # Another member's ratings do not hide them for alice.
    other = make_interaction(user_id=43, user_name="bob")
    await invoke(cog.recommend, other, like="Run On")
    assert set(rated) <= set(await _all_results(cog, other))


async def test_cog_without_options_uses_the_members_top_rated_shows(cog, storage):
    await storage.record_vote(111, "run-on", 42, 9)
    await storage.record_vote(111, "squid-game", 42, 4)  # below the member's mean (6.5): not in the profile
    inter = make_interaction()
    await invoke(cog.recommend, inter)
    [sent] = inter.sent
    assert sent.embed.title == "For you, from your ratings here (most of all Run On)"
    assert {r.kind for r in await _kept(cog, inter)} == {"taste"}
    ids = await _all_results(cog, inter)
    assert "run-on" not in ids and "squid-game" not in ids


async def test_cog_without_options_or_ratings_shows_the_best_rated(cog, storage):
    await storage.record_vote(111, "move-to-heaven", 7, 10)  # someone else's vote: a server score
    inter = make_interaction()
    await invoke(cog.recommend, inter)
    [sent] = inter.sent
    assert sent.embed.title == "Best-rated dramas"
    top = (await _kept(cog, inter))[0]
    # Community 9.2 and one 10 here: (5 · 0.92 + 1 · 1.0) / 6 = 0.9333, above every 9.2 or less.
    assert top.drama.id == "move-to-heaven" and top.score == pytest.approx(0.933333, abs=1e-6)
    assert top.server == (10.0, 1)  # one vote of 10: plain mean 10.0
    assert reason_line(top) == "members here rate it 10.0 (1 vote)"
    assert "here 10.0/10 (1 vote)" in sent.embed.fields[0].value


async def test_cog_works_in_a_dm_without_server_scores(cog):
    inter = make_interaction(guild_id=None)
    await invoke(cog.recommend, inter, like="run-on", max_episodes=12)
    [sent] = inter.sent
    assert sent.view is not None
    kept = await _kept(cog, inter)
    assert kept and all(r.drama.episodes <= 12 and r.server is None for r in kept)
    assert (await cog.storage.pager(inter.id)).guild_id is None


async def test_cog_no_match_says_which_filter_emptied_the_list(cog):
    inter = make_interaction()
    with pytest.raises(NothingToRecommend) as info:
        await invoke(cog.recommend, inter, tag="Strong Female Lead", max_episodes=1, platform="Netflix")
    assert info.value.emptied_by == "max_episodes"
    await handle_app_command_error(inter, info.value)
    [sent] = inter.sent
    assert sent.ephemeral
    assert sent.content == (
        "No drama tagged “Strong Female Lead”, with ≤ 1 episode: the max_episodes filter emptied the list."
    )


async def test_cog_unknown_like_is_a_did_you_mean(cog):
    from bot.catalog.index import UnknownTitle

    with pytest.raises(UnknownTitle):
        await invoke(cog.recommend, make_interaction(), like="Rnu Onn Xyz")


async def _paged(cog):
    """/recommend like:Run On as alice; returns (her interaction, its reply, a click maker)."""
    inter = make_interaction()
    await invoke(cog.recommend, inter, like="Run On")

    def click(**kwargs):
        return make_interaction(client=inter.client, **kwargs)

    return inter, inter.sent[0], click


def _button(view, label):
    [button] = [b for b in view.children if b.item.label == label]
    assert isinstance(button, PageButton)
    return button


async def test_pager_next_edits_the_message_to_page_two(cog):
    inter, sent, click = await _paged(cog)
    pages = -(-len(await _kept(cog, inter)) // PAGE_SIZE)
    assert pages >= 3
    assert _button(sent.view, "Previous").item.disabled and not _button(sent.view, "Next").item.disabled
    press = click()
    await _button(sent.view, "Next").callback(press)
    [edit] = press.sent
    assert edit.via == "edit"
    assert [f.name.split(". ")[0] for f in edit.embed.fields] == ["6", "7", "8", "9", "10"]
    assert edit.embed.footer.text.startswith(f"Page 2/{pages}")
    assert [b.item.custom_id for b in edit.view.children] == [f"ramen:recommend:{inter.id}:{p}" for p in (1, 3)]
    assert not _button(edit.view, "Previous").item.disabled
    back = click()
    await _button(edit.view, "Previous").callback(back)
    assert back.sent[0].embed.fields[0].name.startswith("1. ")
    assert back.sent[0].embed.to_dict() == sent.embed.to_dict()  # page 1 again, as first sent


async def test_pager_pages_from_a_rebuilt_button_as_after_a_restart(cog):
    # discord.py rebuilds the button from its custom_id alone (DynamicItem.from_custom_id): no view object kept.
    inter, sent, click = await _paged(cog)
    custom_id = _button(sent.view, "Next").item.custom_id
    match = PageButton.__discord_ui_compiled_template__.fullmatch(custom_id)
    rebuilt = await PageButton.from_custom_id(click(), discord.ui.Button(custom_id=custom_id), match)
    assert (rebuilt.key, rebuilt.page) == (inter.id, 2)
    press = click()
    await rebuilt.callback(press)
    names = [f.name for f in press.sent[0].embed.fields]
    kept = await _kept(cog, inter)
    assert [n.split(". ", 1)[0] for n in names] == ["6", "7", "8", "9", "10"]
    assert all(r.drama.title in n for r, n in zip(kept[5:10], names, strict=True))


async def test_pager_last_page_disables_next(cog):
    inter, sent, click = await _paged(cog)
    pages = -(-len(await _kept(cog, inter)) // PAGE_SIZE)
    view = sent.view
    for _ in range(pages - 1):
        press = click()
        await _button(view, "Next").callback(press)
        view = press.sent[0].view
    assert _button(view, "Next").item.disabled and not _button(view, "Previous").item.disabled
    assert press.sent[0].embed.footer.text.startswith(f"Page {pages}/{pages}")


async def test_pager_refuses_another_member(cog):
    _inter, sent, click = await _paged(cog)
    intruder = click(user_id=43, user_name="bob")
    await _button(sent.view, "Next").callback(intruder)
    [refused] = intruder.sent
    assert refused.ephemeral and refused.via == "response"
    assert refused.content == "Only alice can page these results; run /recommend yourself."


async def test_pager_that_is_not_kept_says_so(cog, storage):
    inter, sent, click = await _paged(cog)
    await storage.write(("DELETE FROM recommend_pagers WHERE pager_id = ?", (inter.id,)))  # as pruning does
    late = click()
    await _button(sent.view, "Next").callback(late)
    assert late.sent[0].ephemeral
    assert late.sent[0].content == (
        "These results are no longer kept (a /recommend reply stays pageable for 30 days): run /recommend again."
    )
    legacy = click()  # a button from before pagers were kept: ramen:recommend:<id>:next
    await PageButton(inter.id, "next").callback(legacy)
    assert legacy.sent[0].ephemeral and legacy.sent[0].content.startswith("These results are no longer kept")


async def test_cog_single_page_has_no_buttons(cog):
    inter = make_interaction()
    await invoke(cog.recommend, inter, tag="Strong Female Lead", max_episodes=3)
    [sent] = inter.sent
    assert sent.view is None and 1 <= len(sent.embed.fields) <= PAGE_SIZE


async def test_cog_autocompletes_are_bounded(cog):
    # The filter options are `bot.ui.options.Suggested` transformers reading the bot's recommender.
    inter = make_interaction(client=SimpleNamespace(catalog=cog.catalog, recommender=cog.recommender))
    for name in ("genre", "tag", "platform", "network"):
        param = next(p for p in cog.recommend.parameters if p.name == name)
        assert param.autocomplete and not param.required, name
    genres = await GENRES.autocomplete(inter, "rom")
    assert [c.name for c in genres] == ["Romance"]
    tags = await TAGS.autocomplete(inter, "slow")
    assert tags and len(tags) <= 25 and all("slow" in c.value.casefold() for c in tags)
    platforms = await PLATFORMS.autocomplete(inter, "net")
    assert platforms[0].value == "Netflix" and len(platforms) <= 25
    networks = await NETWORKS.autocomplete(inter, "")
    assert 1 <= len(networks) <= 25 and all(len(c.name) <= 100 for c in networks)
    assert await GENRES.transform(inter, "thrill") == "thrill"  # as typed: the filters decide what it matches
    like = next(p for p in cog.recommend.parameters if p.name == "like")
    assert like.autocomplete and not like.required  # the shared title transformer (tests/cogs/test_dramas_cog.py)
