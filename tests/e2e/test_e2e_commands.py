"""End-to-end: every slash command of the real bot process, through the fake Discord.

This module's bot syncs globally (DEV_GUILD_ID empty), so commands are offered in DMs too and
the "servers only" answers can be checked; `test_e2e_ratings` covers the dev-guild sync path.
"""

from __future__ import annotations

import pytest

from tests.e2e.support import assert_clean, readme_commands, requires_fake, votes

pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]

GUILDS, GUILD_REACTIONS = 1 << 0, 1 << 10
GUILD_MESSAGES, GUILD_SCHEDULED_EVENTS = 1 << 9, 1 << 16  # watch night's poll result, watch parties
PRIVILEGED = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
SERVER_ONLY = ("rate", "ratings", "myratings")
OPTION_TYPES = {"string": 3, "integer": 4, "boolean": 5}


def answered(rec, *, ephemeral: bool | None = None) -> dict:
    """Assert the bot answered `rec` in time with a message (ephemeral or not, when given); return it."""
    assert rec.answered_within(3.0), rec
    assert rec.callback.type in (4, 5, 7), rec
    message = rec.message
    assert message is not None, rec
    if ephemeral is not None:
        assert bool(message["flags"] & 64) == ephemeral, message
    return message


def embed_text(message: dict) -> str:
    """Everything readable in a message: content, embed titles, descriptions, fields, footers."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds", []):
        parts += [embed.get("title", ""), embed.get("description", ""), (embed.get("footer") or {}).get("text", "")]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


# ------------------------------------------------------------------------------ sync and the tree


async def test_sync_accepted_and_no_privileged_intent(fake_discord, bot):
    syncs = [r for r in fake_discord.requests if r["method"] == "PUT" and r["path"].endswith("/commands")]
    assert syncs and all(r["status"] == 200 for r in syncs)
    assert "/guilds/" not in syncs[-1]["path"]  # DEV_GUILD_ID empty: global sync
    intents = fake_discord.identifies[-1]["intents"]
    assert intents & GUILDS and intents & GUILD_REACTIONS
    assert intents & PRIVILEGED == 0
    # nothing the bot does not use either
    assert intents == GUILDS | GUILD_REACTIONS | GUILD_MESSAGES | GUILD_SCHEDULED_EVENTS


def registered_options(registered: dict, name: str) -> list[dict]:
    """The options of `/name`, or of a group's subcommand `/group sub` (a README row per subcommand)."""
    top, _, sub = name.partition(" ")
    options = registered[top].get("options") or []
    if not sub:
        return options
    subcommands = {o["name"]: o for o in options if o["type"] == 1}
    assert sub in subcommands, f"/{name} is documented but not registered"
    return subcommands[sub].get("options") or []


async def test_command_tree_matches_readme(fake_discord, bot):
    documented = readme_commands()
    registered = fake_discord.commands()
    assert set(registered) == {name.split()[0] for name in documented}
    for top, command in registered.items():
        subs = [o["name"] for o in command.get("options") or [] if o["type"] == 1]
        assert all(f"{top} {sub}" in documented for sub in subs), f"/{top}: a subcommand is not in the README"
    for name, doc in documented.items():
        options = registered_options(registered, name)
        assert [o["name"] for o in options] == [o.name for o in doc.options], f"/{name}"
        for opt, want in zip(options, doc.options, strict=True):
            where = f"/{name} {opt['name']}"
            assert bool(opt.get("required")) != want.optional, where
            if want.autocomplete:
                assert opt.get("autocomplete"), f"{where}: README says it autocompletes"
            if want.range:
                assert opt["type"] == OPTION_TYPES["integer"], where
                assert (opt.get("min_value"), opt.get("max_value")) == want.range, where
            if want.boolean:
                assert opt["type"] == OPTION_TYPES["boolean"], where
            if want.choices:
                offered = {c["name"].lower() for c in opt.get("choices", [])} | {
                    str(c["value"]).lower() for c in opt.get("choices", [])
                }
                assert {c.lower() for c in want.choices} <= offered, where
                assert len(opt["choices"]) == len(want.choices), where


async def test_server_commands_are_not_offered_in_dms(fake_discord, bot):
    registered = fake_discord.commands()
    for name in SERVER_ONLY:
        command = registered[name]
        assert command.get("contexts") == [0] or command.get("dm_permission") is False, command


async def test_recommend_paging_only_for_whoever_asked(fake_discord, bot):
    registered = fake_discord.commands()
    assert "recommend" in registered, "/recommend was not registered"
    assert "recommend" in readme_commands(), "/recommend is registered but the README does not document it"
    rec = await fake_discord.slash("recommend", {}, user="alice")
    message = answered(rec, ephemeral=False)
    buttons = {c["label"]: c for row in message["components"] for c in row["components"]}
    assert set(buttons) == {"Previous", "Next"} and buttons["Previous"].get("disabled")
    first_page = embed_text(message)

    turned = await fake_discord.click(rec.original_id, buttons["Next"]["custom_id"], user="alice")
    assert turned.answered_within(3.0) and turned.callback.type == 7, turned
    second_page = embed_text(fake_discord.message(rec.original_id))
    assert second_page != first_page
    # The buttons on page 2 open pages 1 and 3 (each custom_id names the page it opens).
    shown = {c["label"]: c for row in fake_discord.message(rec.original_id)["components"] for c in row["components"]}
    assert shown["Previous"]["custom_id"].endswith(":1") and shown["Next"]["custom_id"].endswith(":3")

    refused = await fake_discord.click(rec.original_id, shown["Next"]["custom_id"], user="bob")
    refusal = answered(refused, ephemeral=True)
    assert "Alice" in refusal["content"] and "/recommend" in refusal["content"]
    assert embed_text(fake_discord.message(rec.original_id)) == second_page  # bob changed nothing

    back = await fake_discord.click(rec.original_id, shown["Previous"]["custom_id"], user="alice")
    assert back.callback.type == 7 and embed_text(fake_discord.message(rec.original_id)) == first_page


# ------------------------------------------------------------------------------ every command answers


INVOCATIONS = [
    ("drama", {"title": "Run On"}),
    ("drama", {"title": "RUN-ON"}),
    ("drama", {"title": "런온"}),
    ("characters", {"title": "Run On"}),
    ("characters", {"title": "Run On", "name": "Oh Mi Joo"}),
    ("shouldiwatch", {"title": "Run On"}),
    ("spoilers", {"title": "Run On", "section": "ending", "share": True}),
    ("ratings", {"title": "Run On"}),
    ("ratings", {}),
    ("recommend", {"like": "Run On"}),
    ("recommend", {"genre": "Romance", "max_episodes": 16}),
    ("drama", {"title": "Squid Game"}),
]


@pytest.mark.parametrize(("name", "options"), INVOCATIONS, ids=lambda v: v if isinstance(v, str) else None)
async def test_command_answers_in_time(fake_discord, bot, name, options):
    assert name in fake_discord.commands(), f"/{name} is not registered"
    before = len(fake_discord.violations)
    message = answered(await fake_discord.slash(name, options, user="bob"), ephemeral=False)
    assert message["embeds"] or message["content"]
    assert fake_discord.violations[before:] == []


async def test_every_choice_answers(fake_discord, bot):
    """Each declared choice of /shouldiwatch looking_for and /spoilers section, private by default."""
    registered = fake_discord.commands()
    for command, option, ephemeral in (("shouldiwatch", "looking_for", False), ("spoilers", "section", True)):
        opt = next(o for o in registered[command]["options"] if o["name"] == option)
        assert opt["choices"]
        for choice in opt["choices"]:
            message = answered(
                await fake_discord.slash(command, {"title": "Run On", option: choice["value"]}), ephemeral=ephemeral
            )
            assert message["embeds"], (command, choice)
    fake_discord.assert_no_violations()


async def test_drama_summary_shows_the_run_on_facts(fake_discord, bot):
    message = answered(await fake_discord.slash("drama", {"title": "run on"}), ephemeral=False)
    text = embed_text(message)
    assert "Run On" in message["embeds"][0]["title"]
    assert "16" in text and "8" in text  # episodes; the reviewer's 8/10


async def test_spoilers_are_ephemeral_unless_shared(fake_discord, bot):
    private = answered(await fake_discord.slash("spoilers", {"title": "Run On", "section": "ending"}), ephemeral=True)
    assert "||" in embed_text(private)
    answered(
        await fake_discord.slash("spoilers", {"title": "Run On", "section": "ending", "share": False}), ephemeral=True
    )


async def test_rate_with_score_records_and_answers_privately(fake_discord, bot, bot_db):
    carol = int(fake_discord.user("carol")["id"])
    message = answered(await fake_discord.slash("rate", {"title": "Run On", "score": 7}, user="carol"), ephemeral=True)
    assert "7" in message["content"]
    assert votes(bot_db).get(carol) == 7  # committed before the answer
    mine = answered(await fake_discord.slash("myratings", {}, user="carol"), ephemeral=True)
    assert "Run On" in embed_text(mine)
    chart = answered(await fake_discord.slash("ratings", {"title": "Run On"}, user="bob"), ephemeral=False)
    assert "7.0" in embed_text(chart)


# ------------------------------------------------------------------------------ autocomplete and menus


async def test_title_autocomplete_is_typo_tolerant(fake_discord, bot):
    registered = fake_discord.commands()
    titled = [
        (n, o["name"]) for n, c in registered.items() for o in c.get("options") or [] if o["name"] in ("title", "like")
    ]
    assert len(titled) >= 7
    for command, option in titled:
        rec = await fake_discord.autocomplete(command, {option: "rn on"}, focused=option, user="alice")
        assert rec.answered_within(3.0) and rec.callback.type == 8, (command, rec)
        assert 1 <= len(rec.choices) <= 25
        assert rec.choices[0]["value"] in ("Run On", "run-on") or any("Run On" in c["name"] for c in rec.choices[:3])
    empty = await fake_discord.autocomplete("drama", {"title": ""}, focused="title")
    assert len(empty.choices) == 25
    fake_discord.assert_no_violations()


async def test_character_name_autocomplete_uses_the_title(fake_discord, bot):
    rec = await fake_discord.autocomplete("characters", {"title": "Run On", "name": "mi"}, focused="name")
    assert rec.answered_within(3.0) and any("Oh Mi Joo" in c["name"] for c in rec.choices)
    blind = await fake_discord.autocomplete("characters", {"name": "mi"}, focused="name")
    assert blind.answered_within(3.0) and blind.callback.status == 200


async def test_recommend_filters_autocomplete(fake_discord, bot):
    assert "recommend" in fake_discord.commands(), "/recommend is not registered"
    for option, typed in (("genre", "rom"), ("tag", "slow"), ("platform", "net")):
        rec = await fake_discord.autocomplete("recommend", {option: typed}, focused=option)
        assert rec.answered_within(3.0) and rec.callback.status == 200 and len(rec.choices) <= 25, (option, rec)
    fake_discord.assert_no_violations()


async def test_characters_menu_opens_a_private_card(fake_discord, bot):
    rec = await fake_discord.slash("characters", {"title": "Run On"}, user="alice")
    message = answered(rec, ephemeral=False)
    (select,) = [c for row in message["components"] for c in row["components"] if c["type"] == 3]
    option = next(o for o in select["options"] if o["label"] == "Ki Seon Gyeom")
    for user in ("alice", "bob"):  # anyone may open a card; only they see it
        picked = await fake_discord.click(rec.original_id, select["custom_id"], user=user, values=[option["value"]])
        card = answered(picked, ephemeral=True)
        assert "Ki Seon Gyeom" in embed_text(card)
    fake_discord.assert_no_violations()


# ------------------------------------------------------------------------------ error paths


async def test_unknown_title_gets_a_private_did_you_mean(fake_discord, bot):
    for name in ("drama", "characters", "shouldiwatch", "rate", "ratings"):
        message = answered(await fake_discord.slash(name, {"title": "Rn Onn"}, user="bob"), ephemeral=True)
        assert message["content"].startswith("No drama called “Rn Onn”; did you mean **Run On**"), (name, message)
    nothing = answered(await fake_discord.slash("drama", {"title": "zzzzqqqq"}), ephemeral=True)
    assert nothing["content"].startswith("No drama called")


async def test_unknown_character_is_a_private_answer(fake_discord, bot):
    message = answered(await fake_discord.slash("characters", {"title": "Run On", "name": "Nobody"}), ephemeral=True)
    assert "Oh Mi Joo" in message["content"]


async def test_score_outside_1_to_10_is_refused_by_discord(fake_discord, bot, bot_db):
    """Discord validates the Range itself: its client never sends 0 or 11 (the fake refuses too)."""
    score = next(o for o in fake_discord.commands()["rate"]["options"] if o["name"] == "score")
    assert (score["type"], score["min_value"], score["max_value"]) == (4, 1, 10)
    for bad in (0, 11):
        with pytest.raises(ValueError, match="outside"):
            await fake_discord.slash("rate", {"title": "Run On", "score": bad})
    assert all(1 <= s <= 10 for s in votes(bot_db).values())


async def test_forged_score_outside_the_range_is_answered_not_stored(fake_discord, bot, bot_db):
    """A client that skips Discord's validation (the fake's internal `_interact`) sends score 11:
    the member gets a private answer, nothing is stored, nothing is logged as a crash."""
    data = fake_discord._command_data("rate", {"title": "Run On", "score": 5}, None, None)
    (score,) = [o for o in data["options"] if o["name"] == "score"]
    score["value"] = 11
    rec = await fake_discord._interact(2, data, user="alice", guild=None, channel=None)
    message = answered(rec, ephemeral=True)
    assert "1 to 10" in message["content"]
    assert int(fake_discord.user("alice")["id"]) not in votes(bot_db)


@pytest.mark.parametrize("name", SERVER_ONLY)
async def test_server_commands_in_a_dm_answer_servers_only(fake_discord, bot, name):
    options = {"title": "Run On"} if name == "rate" else {}
    message = answered(await fake_discord.slash(name, options, user="bob", dm=True), ephemeral=True)
    assert "servers only" in message["content"]


async def test_catalog_commands_work_in_a_dm(fake_discord, bot, bot_db):
    summary = answered(await fake_discord.slash("drama", {"title": "Run On"}, user="bob", dm=True), ephemeral=False)
    assert "Run On" in summary["embeds"][0]["title"]
    refused = answered(
        await fake_discord.slash("rate", {"title": "Run On", "score": 9}, user="bob", dm=True), ephemeral=True
    )
    assert "servers only" in refused["content"]
    assert int(fake_discord.user("bob")["id"]) not in votes(bot_db)


# Page 2 of /recommend like:Run On in a DM (no server votes, nothing left out): the bundled catalog's
# 6th to 10th closest shows to Run On, as the recommender ranks them (shared tags and genres; page 1
# is Fight for My Way, Twenty-Five Twenty-One, Weightlifting Fairy Kim Bok Joo, Because This Is My
# First Life and Crash Landing on You, which share its sports, athlete or multiple-couples tags).
RUN_ON_PAGE_TWO = [
    "6. Our Beloved Summer (2021)",
    "7. Prison Playbook (2017)",
    "8. Reply 1994 (2013)",
    "9. Navillera (2021)",
    "10. My Mister (2018)",
]


async def test_recommend_pager_pages_after_the_bot_restarts(fake_discord, bot):
    rec = await fake_discord.slash("recommend", {"like": "Run On"}, user="alice", dm=True)
    message = answered(rec, ephemeral=False)
    assert [f["name"].split(". ")[0] for f in message["embeds"][0]["fields"]] == ["1", "2", "3", "4", "5"]
    next_button = {c["label"]: c for row in message["components"] for c in row["components"]}["Next"]
    await bot.restart()  # a new process: the pager is read back from the database
    turned = await fake_discord.click(rec.original_id, next_button["custom_id"], user="alice")
    assert turned.answered_within(3.0) and turned.callback.type == 7, turned
    page = fake_discord.message(rec.original_id)
    assert [f["name"] for f in page["embeds"][0]["fields"]] == RUN_ON_PAGE_TWO
    assert page["embeds"][0]["footer"]["text"].startswith("Page 2/3")


async def test_no_violations_no_unknown_requests_no_traceback(fake_discord, bot):
    assert_clean(fake_discord, bot, fake_discord.sent)
