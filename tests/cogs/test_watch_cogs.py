"""The watchlist, up-next and help cogs' real callbacks on the real catalog and a real SQLite file."""

from __future__ import annotations

from types import SimpleNamespace

import discord
import pytest
from discord import app_commands

from bot.client import RamenBot
from bot.config import Settings
from bot.recommend.engine import Recommender
from bot.recommend.pages import decode_picks
from bot.ui import limits
from bot.ui.errors import message_for
from bot.ui.help import walk
from bot.watch.errors import EpisodeError, QueueError, StatusError
from bot.watch.watchlist import Entry, Status
from cogs.dramas import DramasCog
from cogs.recommend import RecommendCog
from cogs.upnext import UpNextCog
from cogs.watchlist import WatchlistCog
from tests.fakes import invoke, make_interaction

GUILD = 111
ALICE, BOB, CAROL = 42, 43, 44


@pytest.fixture
def watchlist(storage, catalog) -> WatchlistCog:
    return WatchlistCog(storage, catalog)


@pytest.fixture
def upnext(storage, catalog) -> UpNextCog:
    return UpNextCog(storage, catalog)


def member(user_id: int, name: str, *, manages: bool = False, roles: tuple[int, ...] = ()):
    inter = make_interaction(user_id=user_id, user_name=name)
    inter.permissions = discord.Permissions(manage_guild=manages)
    inter.user.roles = [SimpleNamespace(id=r) for r in roles]
    return inter


# ---------------------------------------------------------------------------------------- /watchlist


async def test_add_with_status_and_episode_then_watched_to_the_end(watchlist, storage):
    inter = member(ALICE, "alice")
    await invoke(watchlist.add, inter, title="Run On", status="watching", episode=3)
    [sent] = inter.sent
    assert sent.ephemeral and sent.content == "▶️ Added **Run On** to your watchlist: watching, episode 3."
    assert await storage.watch_entry(GUILD, ALICE, "run-on") == Entry(Status.WATCHING, 3)
    done = member(ALICE, "alice")
    await invoke(watchlist.watched, done, title="Run On", episode=16)  # Run On has 16 episodes
    assert "Finished **Run On**" in done.sent[0].content
    assert await storage.watch_entry(GUILD, ALICE, "run-on") == Entry(Status.FINISHED, 16)


async def test_bad_episode_and_status_are_the_members_own_sentence(watchlist, storage):
    with pytest.raises(EpisodeError) as caught:
        await invoke(watchlist.watched, member(ALICE, "alice"), title="Run On", episode=17)
    assert message_for(caught.value) == "Run On has 16 episodes, so episode 17 is not one of them."
    with pytest.raises(StatusError):
        await invoke(watchlist.add, member(ALICE, "alice"), title="Run On", status="plan_to_watch", episode=2)
    assert await storage.watch_entry(GUILD, ALICE, "run-on") is None


async def test_show_own_list_ephemeral_and_anothers_only_when_not_private(watchlist, storage):
    await storage.save_watch_entry(GUILD, BOB, "run-on", Entry(Status.WATCHING, 4))
    bob = SimpleNamespace(id=BOB, display_name="bob")
    peek = member(ALICE, "alice")
    await invoke(watchlist.show, peek, member=bob)
    [sent] = peek.sent
    assert sent.ephemeral and sent.embed.title == "bob's watchlist"
    assert [(f.name, f.value) for f in sent.embed.fields] == [("▶️ Watching (1)", "• Run On (2020) · ep 4")]
    await storage.set_watch_privacy(GUILD, BOB, list_private=True)
    with pytest.raises(Exception) as refused:
        await invoke(watchlist.show, member(ALICE, "alice"), member=bob)
    assert message_for(refused.value) == "bob keeps their watchlist private."
    own = member(BOB, "bob")
    await invoke(watchlist.show, own)
    assert own.sent[0].ephemeral and own.sent[0].embed.title == "Your watchlist"


async def test_member_name_is_echoed_without_markup_or_pings(watchlist, storage):
    await storage.set_watch_privacy(GUILD, BOB, list_private=True)
    sly = SimpleNamespace(id=BOB, display_name="@everyone **bold**")
    with pytest.raises(Exception) as refused:
        await invoke(watchlist.show, member(ALICE, "alice"), member=sly)
    # Shown as typed (markdown escaped); it pings nobody because every reply sends AllowedMentions.none().
    assert message_for(refused.value) == "@everyone \\*\\*bold\\*\\* keeps their watchlist private."


async def test_remove_and_privacy(watchlist, storage):
    await storage.save_watch_entry(GUILD, ALICE, "run-on", Entry(Status.PLAN_TO_WATCH))
    gone = member(ALICE, "alice")
    await invoke(watchlist.remove, gone, title="Run On")
    assert gone.sent[0].content == "Took **Run On** off your watchlist."
    again = member(ALICE, "alice")
    await invoke(watchlist.remove, again, title="Run On")
    assert again.sent[0].content == "**Run On** was not on your watchlist here."
    setting = member(ALICE, "alice")
    await invoke(watchlist.privacy, setting, named=True)
    assert "may be named" in setting.sent[0].content and "members here may see" in setting.sent[0].content


async def test_drama_and_shouldiwatch_count_members_here(storage, catalog):
    cog = DramasCog(catalog, storage)
    await storage.save_watch_entry(GUILD, ALICE, "run-on", Entry(Status.WATCHING, 3))
    await storage.save_watch_entry(GUILD, BOB, "run-on", Entry(Status.WATCHING, 5))
    await storage.save_watch_entry(GUILD, CAROL, "run-on", Entry(Status.FINISHED, 16))
    await storage.set_watch_privacy(GUILD, CAROL, named_in_counts=True)
    for command, options in ((cog.drama, {}), (cog.shouldiwatch, {})):
        inter = member(ALICE, "alice")
        await invoke(command, inter, title="Run On", **options)
        fields = {f.name: f.value for f in inter.sent[0].embed.fields}
        assert fields["Members here"] == f"2 watching · 1 finished\nFinished: <@{CAROL}>"
    dm = make_interaction(guild_id=None)
    await invoke(cog.drama, dm, title="Run On")
    assert "Members here" not in {f.name for f in dm.sent[0].embed.fields}


async def kept_ids(storage, catalog, inter) -> list[str]:
    """The drama ids the /recommend reply to `inter` keeps in its pager, best first."""
    return [r.drama.id for r in decode_picks((await storage.pager(inter.id)).results, catalog).results]


async def test_recommend_leaves_out_finished_and_dropped(storage, catalog):
    cog = RecommendCog(catalog, Recommender(catalog), storage)
    first = member(ALICE, "alice")
    await invoke(cog.recommend, first, like="Run On")
    shown = await kept_ids(storage, catalog, first)
    await storage.save_watch_entry(GUILD, ALICE, shown[0], Entry(Status.FINISHED))
    await storage.save_watch_entry(GUILD, ALICE, shown[1], Entry(Status.DROPPED, 2))
    await storage.save_watch_entry(GUILD, ALICE, shown[2], Entry(Status.WATCHING, 2))
    again = member(ALICE, "alice")
    await invoke(cog.recommend, again, like="Run On")
    now = await kept_ids(storage, catalog, again)
    assert shown[0] not in now and shown[1] not in now and shown[2] in now


# ---------------------------------------------------------------------------------------- /upnext


async def test_upnext_add_back_show_and_remove(upnext, storage):
    first = member(ALICE, "alice")
    await invoke(upnext.add, first, title="Run On")
    assert not first.sent[0].ephemeral and "is in up next" in first.sent[0].content
    await invoke(upnext.add, member(BOB, "bob"), title="Goblin")
    backing = member(CAROL, "carol")
    await invoke(upnext.add, backing, title="Goblin")
    assert backing.sent[0].content == f"👍 <@{CAROL}> backs **Goblin** in up next: 2 backers now."
    with pytest.raises(QueueError):
        await invoke(upnext.add, member(CAROL, "carol"), title="Goblin")
    shown = member(CAROL, "carol")
    await invoke(upnext.show, shown)
    assert shown.sent[0].embed.description == (
        "**1.** Goblin (2016) — 2 backers · ✓ you back it\n**2.** Run On (2020) — 1 backer"
    )
    # carol did not add Goblin: her remove withdraws only her backing
    withdraw = member(CAROL, "carol")
    await invoke(upnext.remove, withdraw, title="Goblin")
    assert "no longer back" in withdraw.sent[0].content
    manager = member(CAROL, "carol", manages=True)
    await invoke(upnext.remove, manager, title="Run On")
    assert manager.sent[0].content == "Took **Run On** out of up next."


async def test_upnext_role_needs_manage_server_and_then_lets_the_role_remove(upnext, storage):
    await invoke(upnext.add, member(ALICE, "alice"), title="Run On")
    role = SimpleNamespace(id=77, name="Mods")
    with pytest.raises(Exception) as refused:
        await invoke(upnext.role, member(BOB, "bob"), role=role)
    assert message_for(refused.value) == "Setting the up-next remover role needs the Manage Server permission."
    assert await storage.remover_role(GUILD) is None
    admin = member(CAROL, "carol", manages=True)
    await invoke(upnext.role, admin, role=role)
    assert admin.sent[0].ephemeral and "Mods" in admin.sent[0].content
    mod = member(BOB, "bob", roles=(77,))
    await invoke(upnext.remove, mod, title="Run On")
    assert mod.sent[0].content == "Took **Run On** out of up next."


# ---------------------------------------------------------------------------------------- contexts and /help


async def test_contexts_user_installs_and_help_cover_every_command(catalog, storage):
    bot = RamenBot(Settings.from_env({}), catalog, storage, Recommender(catalog), sync=False)
    await bot.load_cogs()
    payloads = {c.name: c.to_dict(bot.tree) for c in bot.tree.get_commands()}
    for name in ("drama", "characters", "shouldiwatch", "spoilers", "recommend", "help"):
        assert payloads[name]["contexts"] == [0, 1, 2] and payloads[name]["integration_types"] == [0, 1], name
    for name in ("rate", "ratings", "myratings", "watchlist", "watched", "upnext"):
        assert payloads[name]["contexts"] == [0], name
        assert payloads[name].get("integration_types") in (None, [0]), name
    help_cog = bot.get_cog("HelpCog")
    inter = make_interaction()
    inter.is_guild_integration.return_value = True
    inter.client = SimpleNamespace(catalog=catalog, storage=storage)
    await help_cog.help.callback(help_cog, inter)
    [sent] = inter.sent
    embed = sent.embed
    assert sent.ephemeral and len(embed) <= limits.EMBED_TOTAL and len(embed.fields) <= limits.EMBED_FIELDS
    text = "\n".join(f.value for f in embed.fields)
    for command in walk(bot.tree.get_commands()):
        assert f"**/{command.qualified_name}" in text, command.qualified_name
    assert "**/watchlist add title:Run On** — " in text and "**/watched title:Run On episode:3**" in text
    assert all(len(f.value) <= limits.FIELD_VALUE for f in embed.fields)
    await bot.close()


def test_groups_are_app_command_groups():
    assert isinstance(WatchlistCog.watchlist, app_commands.Group)
    assert isinstance(UpNextCog.upnext, app_commands.Group)
