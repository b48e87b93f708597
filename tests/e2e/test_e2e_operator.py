"""End-to-end: the operator's side of the real bot process (`python -m bot`) against the fake Discord.

Command-sync failures injected with `fake.fail` on `PUT …/commands`: a 403 (50001 Missing Access,
a DEV_GUILD_ID the bot cannot register in) or a 400 (an invalid command) is one line saying what to
fix and exit 2; a 5xx is retried with backoff, one log line per retry, while the bot answers with
the commands Discord already has. At LOG_LEVEL=DEBUG no interaction, webhook or bot token reaches the log.
Each test starts its own fake and bot, since the failure must be in place before the bot starts.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from tests.e2e.support import base_env, record_bodies, requires_fake, tracebacks

pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]

COMMANDS_PUT = r"/applications/\d+/(guilds/\d+/)?commands$"
SYNC_TIMEOUT = 30.0


async def start_fake():
    from fakediscord import FakeDiscord

    fake = await FakeDiscord(allowed_intents=0).start()
    fake.sent = record_bodies(fake)
    return fake


def bot_process(fake, tmp_path: Path, **settings: str):
    from fakediscord import BotProcess

    env = {**base_env(tmp_path / "ramen.sqlite3"), **settings}
    return BotProcess(
        fake, [sys.executable, "-m", "bot"], cwd=str(PROJECT_ROOT), env=env, log_path=tmp_path / "bot.log"
    )


async def run_to_exit(fake, tmp_path: Path, **settings: str) -> tuple[int, str]:
    """Run the bot until it exits by itself (the fake keeps serving meanwhile); (status, its output)."""
    proc = bot_process(fake, tmp_path, **settings)
    child = await asyncio.create_subprocess_exec(
        *proc.argv,
        cwd=proc.cwd,
        env=proc.environment(),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(child.communicate(), SYNC_TIMEOUT)
    except TimeoutError:
        child.kill()
        await child.wait()
        raise
    return child.returncode or 0, err.decode() + out.decode()


def error_lines(output: str) -> list[str]:
    """The output without log lines (those start with a date): what the operator is told."""
    return [
        line
        for line in output.splitlines()
        if line and not re.match(r"\d{4}-\d\d-\d\d ", line) and not line.startswith("[fakediscord hook]")
    ]


async def test_sync_403_missing_access_is_one_line_exit_2(tmp_path: Path) -> None:
    fake = await start_fake()
    try:
        guild_id = fake.guild()["id"]
        fake.fail("PUT", COMMANDS_PUT, status=403, body={"message": "Missing Access", "code": 50001})
        status, output = await run_to_exit(fake, tmp_path, DEV_GUILD_ID=str(guild_id))
    finally:
        await fake.stop()
    assert status == 2, output
    assert "Traceback" not in output
    [line] = error_lines(output)
    assert line.startswith(f"Command sync failed: Discord refused to register the slash commands in guild {guild_id}")
    assert "403 Missing Access (code 50001)" in line
    assert "applications.commands" in line and "DEV_GUILD_ID" in line


async def test_sync_400_invalid_command_names_command_and_field(tmp_path: Path) -> None:
    fake = await start_fake()
    invalid = {
        "message": "Invalid Form Body",
        "code": 50035,
        "errors": {
            "1": {
                "name": {
                    "_errors": [{"code": "APPLICATION_COMMAND_INVALID_NAME", "message": "Command name is invalid"}]
                }
            }
        },
    }
    try:
        fake.fail("PUT", COMMANDS_PUT, status=400, body=invalid)
        status, output = await run_to_exit(fake, tmp_path)
    finally:
        await fake.stop()
    assert status == 2, output
    assert "Traceback" not in output
    [line] = error_lines(output)
    assert line.startswith("Command sync failed: Discord rejected the slash commands as invalid (400, code 50035)")
    # index 1 of the sync payload: the tree's second command, /characters (cogs.dramas loads first)
    assert "In command 'characters' defined in function 'DramasCog.characters'; name: Command name is invalid" in line


def this_run(bot) -> str:
    """The bot's log since its last start."""
    return bot.log_text().split("===== starting")[-1]


async def test_sync_5xx_is_retried_while_the_bot_serves_known_commands(tmp_path: Path) -> None:
    fake = await start_fake()
    bot = bot_process(fake, tmp_path)
    try:
        await bot.start()  # a first, good start: Discord now has the commands
        await bot.stop()
        syncs = fake.sync_count
        fake.fail("PUT", COMMANDS_PUT, status=503, times=2)
        bot.expect_sync = False
        await bot.start()
        rec = await fake.slash("drama", {"title": "Run On"})  # served while the sync is still failing
        assert rec.answered_within(3.0) and fake.sync_count == syncs
        await fake.wait_until(lambda: fake.sync_count > syncs, SYNC_TIMEOUT, "the retried sync")
        from fakediscord.botproc import eventually

        await eventually(lambda: re.search(r"synced \d+ global app commands", this_run(bot)), 10)  # logged after
        log = this_run(bot)
        assert bot.running
    finally:
        await bot.stop()
        await fake.stop()
    assert rec.message["embeds"][0]["title"] == "Run On (2020)"
    retries = [line for line in log.splitlines() if "command sync:" in line]
    assert len(retries) == 2, retries  # one line per retry: 503, wait 2 s; 503, wait 4 s; then success
    assert "Discord answered 503 (server error); retry 1 in 2 s" in retries[0]
    assert "Discord answered 503 (server error); retry 2 in 4 s" in retries[1]
    assert re.search(r"synced \d+ global app commands", log.split(retries[1])[1])  # after the second retry
    assert tracebacks(log) == []


async def test_sync_500_retried_by_discord_py_is_logged(tmp_path: Path) -> None:
    fake = await start_fake()
    bot = bot_process(fake, tmp_path)
    try:
        fake.fail("PUT", COMMANDS_PUT, status=500, times=1)
        await bot.start()  # discord.py retries a 500 itself after 1 s; the sync then succeeds
        log = bot.log_text()
    finally:
        await bot.stop()
        await fake.stop()
    lines = [line for line in log.splitlines() if "command sync:" in line]
    assert len(lines) == 1 and "Discord answered 500 (server error); discord.py retries it" in lines[0]
    assert tracebacks(log) == []


async def test_debug_log_holds_no_tokens_and_names_database_and_catalog(tmp_path: Path) -> None:
    fake = await start_fake()
    bot = bot_process(fake, tmp_path, LOG_LEVEL="DEBUG")
    try:
        guild_id = fake.guild()["id"]
        bot.env["DEV_GUILD_ID"] = str(guild_id)
        await bot.start()
        drama = await fake.slash("drama", {"title": "Run On"})
        prompt = await fake.slash("rate", {"title": "Run On"})  # a reply, then keycap reactions
        await fake.wait_until(lambda: len(fake.messages("general")) >= 1, 10, "the rating prompt")
        await asyncio.sleep(1.0)
        log = bot.log_text()
    finally:
        await bot.stop()
        await fake.stop()
    assert drama.answered_within(3.0) and prompt.answered_within(3.0)
    assert "DEBUG discord." in log  # the level really was DEBUG: discord.py's own chatter is there
    assert "/interactions/" in log and "[redacted]" in log  # the URLs were logged, with the token cut out
    for secret in (drama.token, prompt.token, fake.token):
        assert secret not in log
    dramas = len(list((PROJECT_ROOT / "data" / "dramas").glob("*.toml")))
    assert re.search(
        rf"INFO bot\.start: database {re.escape(str(tmp_path / 'ramen.sqlite3'))} \(0 rating prompts, 0 votes\); "
        rf"catalog {re.escape(str(PROJECT_ROOT / 'data' / 'dramas'))} \({dramas} dramas\)",
        log,
    )


async def test_forged_looking_for_value_gets_a_clear_ephemeral_answer(tmp_path: Path) -> None:
    fake = await start_fake()
    bot = bot_process(fake, tmp_path)
    try:
        await bot.start()
        option = next(o for o in fake.commands()["shouldiwatch"]["options"] if o["name"] == "looking_for")
        # A forged request: a value Discord's client never offers (the fake's client checks the registered
        # choices, so the forged one is added to what it checks against, not to what the bot registered).
        option["choices"].append({"name": "forged", "value": "romcom @everyone"})
        rec = await fake.slash("shouldiwatch", {"title": "Run On", "looking_for": "romcom @everyone"})
        await asyncio.sleep(0.5)
        log = bot.log_text()
    finally:
        await bot.stop()
        await fake.stop()
    assert rec.answered_within(3.0)
    assert rec.message["flags"] & 64  # ephemeral
    assert rec.message["content"].startswith("“romcom @everyone” is not a choice for `looking_for`; pick one of: ")
    assert "something went wrong" not in rec.message["content"]
    sent = [s["body"] for s in fake.sent if s["path"].endswith("/callback")]
    assert sent[-1]["data"]["allowed_mentions"]["parse"] == []  # @everyone in the echo pings no one
    assert tracebacks(log) == [] and " ERROR " not in log
