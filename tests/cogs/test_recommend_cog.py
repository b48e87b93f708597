"""/recommend's cog and its pager, on the real catalog and a real SQLite file.

The tests over the real catalog read the shared K-drama CSV (operator data beside the project,
never copied into it) and skip when it is absent.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.recommend.engine import (
    PAGE_SIZE,
    NothingToRecommend,
)
from bot.ui import limits
from bot.ui.errors import handle_app_command_error
from bot.ui.messages import reason_line
from bot.ui.options import GENRES, NETWORKS, PLATFORMS, TAGS
from bot.ui.views import RecommendPager
from cogs.recommend import RecommendCog
from tests.fakes import invoke, make_interaction

# --------------------------------------------------------------------------- the cog


@pytest.fixture
def cog(big, storage):
    catalog, engine = big
    return RecommendCog(catalog, engine, storage)


def _all_results(sent) -> list[str]:
    view = sent.view
    assert isinstance(view, RecommendPager)
    return [r.drama.id for r in view.results]


async def test_cog_like_sends_page_one_with_a_pager(cog):
    inter = make_interaction()
    await invoke(cog.recommend, inter, like="Run On")
    [sent] = inter.sent
    assert not sent.ephemeral
    assert sent.embed.title == "Because you like Run On"
    assert [f.name.split(". ")[0] for f in sent.embed.fields] == ["1", "2", "3", "4", "5"]
    assert "run-on" not in _all_results(sent)
    assert all(len(b.item.custom_id) <= limits.CUSTOM_ID for b in sent.view.children)
    assert sent.view.origin is inter


async def test_cog_leaves_out_what_the_member_rated(cog, storage):
    first = make_interaction()
    await invoke(cog.recommend, first, like="Run On")
    rated = _all_results(first.sent[0])[:3]
    for drama_id in rated:
        await storage.record_vote(111, drama_id, 42, 5)
    again = make_interaction()
    await invoke(cog.recommend, again, like="Run On")
    assert not set(rated) & set(_all_results(again.sent[0]))
    # Another member's ratings do not hide them for alice.
    other = make_interaction(user_id=43, user_name="bob")
    await invoke(cog.recommend, other, like="Run On")
    assert set(rated) <= set(_all_results(other.sent[0]))


async def test_cog_without_options_uses_the_members_top_rated_shows(cog, storage):
    await storage.record_vote(111, "run-on", 42, 9)
    await storage.record_vote(111, "squid-game", 42, 4)  # below the member's mean (6.5): not in the profile
    inter = make_interaction()
    await invoke(cog.recommend, inter)
    [sent] = inter.sent
    assert sent.embed.title == "For you, from your ratings here (most of all Run On)"
    assert {r.kind for r in sent.view.results} == {"taste"}
    ids = _all_results(sent)
    assert "run-on" not in ids and "squid-game" not in ids


async def test_cog_without_options_or_ratings_shows_the_best_rated(cog, storage):
    await storage.record_vote(111, "move-to-heaven", 7, 10)  # someone else's vote: a server score
    inter = make_interaction()
    await invoke(cog.recommend, inter)
    [sent] = inter.sent
    assert sent.embed.title == "Best-rated dramas"
    top = sent.view.results[0]
    # Community 9.2 and one 10 here: (5 · 0.92 + 1 · 1.0) / 6 = 0.9333, above every 9.2 or less.
    assert top.drama.id == "move-to-heaven" and top.score == pytest.approx(0.933333, abs=1e-6)
    assert top.server == (10.0, 1)  # one vote of 10: plain mean 10.0
    assert reason_line(top) == "members here rate it 10.0 (1 vote)"
    assert "here 10.0/10 (1 vote)" in sent.embed.fields[0].value


async def test_cog_works_in_a_dm_without_server_scores(cog):
    inter = make_interaction(guild_id=None)
    await invoke(cog.recommend, inter, like="run-on", max_episodes=12)
    [sent] = inter.sent
    assert all(r.drama.episodes <= 12 and r.server is None for r in sent.view.results)


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
    """/recommend like:Run On as alice; returns (her interaction, the pager, a click maker sharing the bot)."""
    inter = make_interaction()
    await invoke(cog.recommend, inter, like="Run On")
    view = inter.sent[0].view

    def click(**kwargs):
        return make_interaction(client=inter.client, **kwargs)

    return inter, view, click


async def test_pager_next_edits_the_message_to_page_two(cog):
    inter, view, click = await _paged(cog)
    assert inter.client.pagers[inter.id] is view
    assert view.previous.item.disabled and not view.next.item.disabled
    assert view.next.item.custom_id == f"ramen:recommend:{inter.id}:next"
    press = click()
    await view.next.callback(press)
    [edit] = press.sent
    assert edit.via == "edit" and edit.view is view
    assert edit.embed.fields[0].name.startswith("6. ")
    assert edit.embed.footer.text.startswith(f"Page 2/{view.pages}")
    assert not view.previous.item.disabled
    back = click()
    await view.previous.callback(back)
    assert back.sent[0].embed.fields[0].name.startswith("1. ")


async def test_pager_last_page_disables_next(cog):
    _inter, view, click = await _paged(cog)
    for _ in range(view.pages - 1):
        await view.next.callback(click())
    assert view.page == view.pages and view.next.item.disabled


async def test_pager_refuses_another_member(cog):
    _inter, view, click = await _paged(cog)
    intruder = click(user_id=43, user_name="bob")
    await view.next.callback(intruder)
    [sent] = intruder.sent
    assert sent.ephemeral
    assert sent.content == "Only alice can page these results; run /recommend yourself."
    assert view.page == 1


async def test_pager_timeout_disables_the_buttons_and_later_clicks_hear_it_expired(cog):
    inter, view, click = await _paged(cog)
    await view.on_timeout()
    assert view.previous.item.disabled and view.next.item.disabled
    inter.edit_original_response.assert_awaited_once_with(view=view)
    assert inter.id not in inter.client.pagers
    late = click()
    await view.next.callback(late)  # e.g. a client that still shows the old buttons, or after a restart
    assert late.sent[0].ephemeral and late.sent[0].content.startswith("These results have expired")


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
