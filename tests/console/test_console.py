"""The offline console run as a subprocess on the real catalog, as a newcomer would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT


def run_bot(tmp_path: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None):
    full_env = {
        **os.environ,
        "DISCORD_TOKEN": "",
        "DATABASE_PATH": str(tmp_path / "console.sqlite3"),
        "CATALOG_CSV": "",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=PROJECT_ROOT,
        env=full_env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def console(tmp_path: Path, *lines: str, **kwargs):
    args = ["console"]
    for line in lines:
        args += ["--exec", line]
    return run_bot(tmp_path, *args, **kwargs)


def test_console_drama_shows_run_on_facts(tmp_path):
    result = console(tmp_path, "/drama title:Run On")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Run On (2020)" in out
    assert "Aired: Dec 16, 2020 – Feb 4, 2021" in out
    assert "Episodes: 16" in out and "Where to watch: Netflix" in out
    assert "Starring: Yim Si Wan, Shin Se Kyung" in out
    assert "🍜" * 8 + " **8/10**" in out
    assert "Traceback" not in result.stderr


def test_console_characters_menu_and_card(tmp_path):
    result = console(tmp_path, "/characters title:run on", ":select 1 Oh Mi Joo")
    assert result.returncode == 0, result.stderr
    assert "[menu] Open a character card…: Oh Mi Joo | Ki Seon Gyeom" in result.stdout
    assert "Oh Mi Joo · Run On" in result.stdout and "Played by: Shin Se Kyung" in result.stdout
    assert "#2 · Ramen replied to you (only you can see this) [ephemeral]" in result.stdout


def test_console_shouldiwatch_and_spoilers(tmp_path):
    result = console(
        tmp_path, "/shouldiwatch title:Run On looking_for:slow-burn romance", "/spoilers title:Run On section:dislikes"
    )
    assert result.returncode == 0, result.stderr
    assert "Looking for slow-burn romance? ✅ Yes." in result.stdout
    assert "▸ Dislike 1: ⟦spoiler: No family resolution:" in result.stdout
    assert "#2 · Ramen replied to you (only you can see this) [ephemeral]" in result.stdout


def test_console_unknown_title_command_and_option_get_usage_lines(tmp_path):
    result = console(tmp_path, "/drama title:Rum On", "/dramas title:x", "/drama colour:red", "/drama")
    assert result.returncode == 2  # --exec lines that were not understood
    out = result.stdout
    assert "No drama called “Rum On”; did you mean **Run On**?" in out
    assert "usage: unknown command /dramas. Commands: /drama" in out
    assert "usage: /drama has no option 'colour' (its options: title; and as:, in:dm)" in out
    assert "usage: /drama title:<title>  (missing title)" in out
    assert "Traceback" not in result.stdout + result.stderr


def test_console_reads_lines_from_stdin(tmp_path):
    result = run_bot(tmp_path, "console", stdin="/drama title:Run On\n:quit\n")
    assert result.returncode == 0, result.stderr
    assert "Run On (2020)" in result.stdout


def test_run_without_token_exits_2_and_says_how_to_set_one(tmp_path):
    result = run_bot(tmp_path)
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr and "console" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_and_broken_catalog_fail_at_start_up_without_traceback(tmp_path):
    bad = run_bot(tmp_path, "console", "--exec", "/drama title:Run On", env={"DEV_GUILD_ID": "my-server"})
    assert bad.returncode == 2 and "DEV_GUILD_ID" in bad.stderr and "Traceback" not in bad.stderr
    broken = tmp_path / "dramas"
    broken.mkdir()
    (broken / "x.toml").write_text('id = "x"\ntitle = "X"\nepisodes = "ten"\n', encoding="utf-8")
    result = run_bot(tmp_path, "console", "--exec", "/drama title:X", env={"CATALOG_DIR": str(broken)})
    assert result.returncode == 2
    assert f"{broken / 'x.toml'}: episodes: expected an integer" in result.stderr
    assert "Traceback" not in result.stderr


def test_console_rating_prompt_reactions_and_restart(tmp_path):
    first = console(
        tmp_path,
        "/rate title:Run On",
        ":react 1 8️⃣ as:alice",
        ":react 1 6️⃣ as:bob",
        ":react 1 🔟 as:alice",
        ":unreact 1 6️⃣ as:bob",
        ":react 1 9️⃣ as:carol",
        "/ratings title:Run On",
    )
    assert first.returncode == 0, first.stdout + first.stderr
    out = first.stdout
    assert "(Ramen reacted to message #1 with 1️⃣ 2️⃣ 3️⃣ 4️⃣ 5️⃣ 6️⃣ 7️⃣ 8️⃣ 9️⃣ 🔟)" in out
    assert "(Ramen removes the superseded 8️⃣ reaction from message #1)" in out
    # alice 10 (replaced her 8), bob withdrew, carol 9: (10 + 9) / 2 = 9.5
    assert "**9.5/10** from 2 votes" in out
    again = console(tmp_path, "/ratings title:Run On", "/drama title:Run On")  # a new process, same file
    assert "**9.5/10** from 2 votes" in again.stdout
    assert "Server's ramen: **9.5/10** from 2 votes" in again.stdout


def test_pager_and_menu_from_an_earlier_console_session_answer_after_a_restart(tmp_path):
    first = console(tmp_path, "/recommend like:Run On", "/characters title:Run On")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "(Page 1/3 · /drama <title> for the details)" in first.stdout
    # A new process on the same files: the messages keep their buttons and menu, which page and open
    # from the database and the catalog. Page 2 of like:Run On on the bundled catalog with no votes.
    second = console(tmp_path, ":click 1 Next", ":click 1 Next as:bob", ":select 2 Oh Mi Joo")
    out = second.stdout
    assert second.returncode == 0, out + second.stderr
    assert "6. Our Beloved Summer (2021)" in out and "10. My Mister (2018)" in out
    assert "(Page 2/3 · /drama <title> for the details)" in out
    assert "Only console-user can page these results; run /recommend yourself." in out
    assert "Oh Mi Joo · Run On" in out
    assert "earlier console session" not in out and "Traceback" not in second.stderr


def test_readme_console_walkthrough_runs_as_written(tmp_path):
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    lines = [
        line.removeprefix("ramen> ")  # comments and all, as a newcomer pastes them
        for line in readme.splitlines()
        if line.startswith("ramen> ")
    ]
    assert len(lines) >= 10
    result = console(tmp_path, *[line for line in lines if not line.startswith(":help")])
    assert result.returncode == 0, result.stdout[-3000:]  # 2 would mean a line was not understood
    assert "usage:" not in result.stdout and "Traceback" not in result.stderr
    assert "Page 2/" in result.stdout  # the walkthrough's :click Next turned the /recommend page


def test_help_shows_what_each_option_takes(tmp_path):
    result = console(tmp_path, ":help")
    assert result.returncode == 0, result.stderr
    assert "/spoilers title:<title> section:<ending|dislikes|likes|characters> [share:<true|false>]" in result.stdout
    assert "/rate title:<title> [score:<1-10>]" in result.stdout
    assert "[max_episodes:<1-500>]" in result.stdout
    assert "<share>" not in result.stdout and "<score>" not in result.stdout
