"""How the console reads a line and shows a reply: options from the app command's own parameters
(text length bounds, channels, free order, unknown options), failures said plainly, mentions shown
as Discord renders them, the console's own member by name. Expected texts worked out by hand."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from bot.console.commands import ConsoleUsageError, command_usage, convert_options, parse_command
from bot.console.server import CHANNEL_ID, VOICE_CHANNEL_ID, ConsoleServer
from tests.console.test_console import console


def test_text_options_with_length_bounds_are_lengths_not_ranges(tmp_path):
    result = console(
        tmp_path,
        "/watchnight start title1:Goblin title2:Signal question:Friday pick?",
        "/watchnight party title:Goblin location:Home",
        ":help",
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "Traceback" not in result.stderr and "TypeError" not in out
    assert "📊 Friday pick?" in out and "1. Goblin · 0 votes" in out
    # location:Home is fine (4 of up to 100 characters); the party then asks for its time.
    assert "Give the party's `date` and `time`" in out
    assert "[question:<text, up to 300 characters>]" in out
    assert "[location:<text, up to 100 characters>]" in out
    assert "[voice_channel:<voice channel>]" in out
    assert "<1-300>" not in out and "<1-100>" not in out


def test_text_longer_than_its_bound_is_a_usage_line(tmp_path):
    result = console(tmp_path, "/watchnight party title:Goblin location:" + "x" * 101)
    assert result.returncode == 2
    assert "usage: location takes text, up to 100 characters (this one has 101)" in result.stdout


def test_voice_channel_option_creates_the_event_in_the_console_voice_channel(tmp_path):
    result = console(
        tmp_path,
        "/watchnight party title:Reply 1988 iso:2031-05-09T20:30:00+09:00 voice_channel:#movie-night",
        "/watchnight party title:Goblin iso:2031-05-09T20:30:00+09:00 voice_channel:#cinema",
        "/watchnight party title:Goblin iso:2031-05-09T20:30:00+09:00 voice_channel:#general",
    )
    out = result.stdout
    assert result.returncode == 2  # the two wrong channels
    assert "Traceback" not in result.stderr and "something went wrong" not in out
    assert "(Ramen would create a scheduled event: “Watch party: Reply 1988”, voice channel movie-night," in out
    assert "2031-05-09 20:30 UTC+09:00 to 2031-05-09 23:30 UTC+09:00" in out  # 3 h default, no runtime
    assert "in the voice channel 🔊 movie-night" in out
    channels = "The console server's channels: #general (text), 🔊 movie-night (voice)"
    assert f"usage: voice_channel: no channel '#cinema' here. {channels}" in out
    assert f"usage: voice_channel takes a voice channel; #general is text. {channels}" in out


def test_empty_member_role_or_channel_is_a_usage_line(tmp_path):
    result = console(tmp_path, "/watchlist show member:", "/upnext role role:@", "/watchnight party voice_channel:#")
    assert result.returncode == 2
    assert "usage: member is empty: name one, e.g. member:@alice" in result.stdout
    assert "usage: role is empty: name one, e.g. role:@Mods" in result.stdout
    assert "usage: voice_channel is empty: name one, e.g. voice_channel:#movie-night" in result.stdout
    assert "Ramen replied" not in result.stdout


def test_options_in_any_order_and_unknown_options_named(tmp_path):
    result = console(
        tmp_path,
        "/rate as:bob title:Run On score:9",
        "/drama title:goblin extra:1",
        "/drama title:Misaeng: Incomplete Life",
    )
    out = result.stdout
    assert result.returncode == 2  # extra:1
    assert "#1 · Ramen replied to bob (only bob can see this)" in out
    assert "usage: /drama has no option 'extra' (its options: title; and as:, in:dm)" in out
    assert "No drama called" not in out
    assert "┃ Misaeng: Incomplete Life (2014)" in out


def _tree_with_drama() -> tuple[app_commands.CommandTree, app_commands.Command]:
    @app_commands.command(name="drama", description="A drama's card")
    async def drama(interaction: discord.Interaction, title: str, share: bool = False) -> None: ...

    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
    tree.add_command(drama)
    return tree, drama


@pytest.mark.parametrize(
    ("line", "raw", "member"),
    [
        ("/drama title:Real:Time:Love", {"title": "Real:Time:Love"}, "console-user"),
        (
            "/drama as:bob title:Kingdom: Ashin of the North share:true",
            {"title": "Kingdom: Ashin of the North", "share": "true"},
            "bob",
        ),
        ('/drama title:"odd x:y title" as:carol', {"title": "odd x:y title"}, "carol"),
        ("/drama share:no title:Loss:Time:Life", {"share": "no", "title": "Loss:Time:Life"}, "console-user"),
    ],
)
def test_parse_reads_options_by_the_commands_own_names(line, raw, member):
    tree, _ = _tree_with_drama()
    parsed = parse_command(tree, line)
    assert (parsed.raw, parsed.member) == (raw, member)


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("/drama title:goblin extra:1", "/drama has no option 'extra' (its options: title, share; and as:, in:dm)"),
        ("/drama title:a title:b", "title: is given twice"),
        ("/drama goblin", "/drama title:<title> [share:<true|false>]  (could not read 'goblin')"),
    ],
)
def test_parse_refuses_unknown_repeated_and_stray_text(line, said):
    tree, _ = _tree_with_drama()
    with pytest.raises(ConsoleUsageError) as info:
        parse_command(tree, line)
    assert str(info.value) == said


def test_text_bounds_come_from_the_parameter():
    @app_commands.command(name="ask", description="Ask")
    async def ask(interaction: discord.Interaction, question: app_commands.Range[str, 2, 5]) -> None: ...

    assert command_usage(ask) == "/ask question:<text, 2-5 characters>"
    assert convert_options(ask, {"question": "hey"}) == {"question": "hey"}
    with pytest.raises(ConsoleUsageError, match=r"question takes text, 2-5 characters \(this one has 6\)"):
        convert_options(ask, {"question": "123456"})


def test_mentions_render_as_discord_shows_them():
    server = ConsoleServer(None, None)  # type: ignore[arg-type]  # the session is only the channels' printer
    alice, mods = server.member("alice"), server.role("Mods")
    text = f"<@{alice.id}> <@!{alice.id}> <@&{mods.id}> <#{CHANNEL_ID}> <#{VOICE_CHANNEL_ID}> <@1> <#2>"
    assert server.show_mentions(text) == "@alice @alice @Mods #general #movie-night @unknown-user #unknown-channel"


def test_opted_in_member_is_shown_by_name_on_drama(tmp_path):
    result = console(
        tmp_path,
        "/watchlist privacy named:true as:carol",
        "/watchlist add title:Goblin status:watching as:carol",
        "/drama title:Goblin",
    )
    assert result.returncode == 0, result.stdout
    assert "┃     Watching: @carol" in result.stdout
    assert "<@" not in result.stdout


def test_console_member_has_a_name_and_owns_the_server(tmp_path):
    result = console(tmp_path, "/myratings", "/watchlist show member:@you as:bob", "/upnext role role:@Mods")
    out = result.stdout
    assert result.returncode == 0, out
    assert "┃ console-user's ramen ratings" in out and "┃ console-user's watchlist" in out
    assert "you's" not in out
    assert "Members with the role Mods may now remove anyone's up-next entries." in out  # Manage Server


def test_autocomplete_echo_names_the_qualified_command(tmp_path):
    result = console(tmp_path, ":complete /watchnight party timezone:seo")
    assert "> autocomplete /watchnight party timezone:'seo'" in result.stdout
    assert "  Asia/Seoul  (value: Asia/Seoul)" in result.stdout


def test_reacting_to_an_ephemeral_message_is_refused(tmp_path):
    result = console(tmp_path, "/myratings", ":react 1 8️⃣ as:alice")
    assert result.returncode == 2
    assert "usage: message #1 is ephemeral: Discord lets nobody react to it" in result.stdout
    assert "alice reacted" not in result.stdout
