"""End-to-end: the database goes away under the real bot process, and comes back.

The bot runs on a PostgreSQL server of its own (started here with scripts/postgres, so stopping it
disturbs no other test), through the fake Discord. While the server is stopped (`pg_ctl stop`),
nothing is acknowledged that is not stored: `/rate title score:` never says "Counted". Once it is
back, the bot recovers by itself: the keycaps members added or took off meanwhile are counted (the
reactions are still on Discord), and new votes work.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import pytest_asyncio

from bot.config import PROJECT_ROOT
from tests.e2e.support import (
    KEYCAPS,
    base_env,
    one_guild_options,
    post_prompt,
    recording_fake,
    requires_fake,
    uid,
    votes,
    wait_votes,
)
from tests.postgres import in_ci

pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]

SCRIPT = PROJECT_ROOT / "scripts" / "postgres"


class Server:
    """A throwaway PostgreSQL server (scripts/postgres) this module may stop and start again."""

    def __init__(self) -> None:
        done = subprocess.run([str(SCRIPT), "start"], capture_output=True, text=True, timeout=120, check=False)
        exports = dict(re.findall(r"export (\w+)=(\S+)", done.stdout))
        if "RAMEN_TEST_POSTGRES_URL" not in exports:
            if in_ci():
                raise RuntimeError(f"scripts/postgres start failed: {done.stderr}")
            pytest.skip(f"no PostgreSQL server: {exports.get('RAMEN_TEST_POSTGRES_UNAVAILABLE') or done.stderr}")
        self.url = shlex.split(exports["RAMEN_TEST_POSTGRES_URL"])[0]
        self.dir = Path(shlex.split(exports["RAMEN_TEST_POSTGRES_DIR"])[0])
        self.port = int(re.search(r":(\d+)/", self.url)[1])  # type: ignore[index]
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        self.pg_ctl = str(Path(bindir) / "pg_ctl")

    def _pg_ctl(self, *args: str) -> None:
        owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*owner, self.pg_ctl, "-D", str(self.dir / "data"), "-w", "-t", "30", *args],
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
        self._pg_ctl("-l", str(self.dir / "server.log"), "-o", options, "start")

    def read_only(self, on: bool) -> None:
        """Every transaction read-only from now on (`on`), in running sessions too (a config reload)."""
        setting = "ALTER SYSTEM SET default_transaction_read_only = on" if on else "ALTER SYSTEM RESET ALL"
        owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        for sql in (setting, "SELECT pg_reload_conf()"):
            psql = [*owner, "psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-c", sql]
            subprocess.run(psql, check=True, capture_output=True)

    def remove(self) -> None:
        subprocess.run([str(SCRIPT), "stop", str(self.dir)], capture_output=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def server():
    made = Server()
    yield made
    made.remove()


@pytest.fixture(scope="module")
def bot_db(server) -> str:
    return server.url


@pytest.fixture(scope="module")
def fake_discord_options() -> dict:
    return one_guild_options(["bob", "carol", "dave", "erin"])


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake_discord(fake_discord_options):
    async with recording_fake(fake_discord_options) as fake:
        yield fake


@pytest.fixture(scope="module")
def bot_env(bot_db, fake_discord) -> dict[str, str]:
    return base_env(bot_db, dev_guild_id=fake_discord.guild()["id"])


async def test_a_database_outage_acknowledges_nothing_unstored_and_is_caught_up_after(
    fake_discord, bot, bot_db, server
):
    fake, drama = fake_discord, "goblin"
    prompt = await post_prompt(fake, drama)
    await fake.react(prompt, KEYCAPS[2], user="bob")  # bob 3
    await fake.react(prompt, KEYCAPS[5], user="erin")  # erin 6
    await wait_votes(fake, bot_db, drama, {"bob": 3, "erin": 6})

    server.stop()
    try:
        rate = await fake.slash("rate", {"title": drama, "score": 8}, user="carol", wait=6)
        await fake.wait_until(lambda: rate.followups or rate.message, 15, "carol's answer")
        await fake.react(prompt, KEYCAPS[6], user="bob")  # bob 7: his vote now (his 3 stays on)
        await fake.react(prompt, KEYCAPS[4], user="dave")  # dave 5
        await fake.unreact(prompt, KEYCAPS[5], user="erin")  # erin withdraws her 6
        shown = " ".join(str(m.get("content")) for m in (rate.message, *rate.followups) if m)
        assert rate.answered_within(3.0) and "Counted" not in shown, shown
        assert "nothing was saved" in shown, shown  # said plainly, not "something went wrong"
    finally:
        server.start()

    # Back: what members did meanwhile is still on Discord, and the bot catches up by itself.
    await fake.wait_until(
        lambda: votes(bot_db, drama) == {uid(fake, "bob"): 7, uid(fake, "dave"): 5}, 60, "the bot catching up"
    )
    again = await fake.slash("rate", {"title": drama, "score": 9}, user="carol", wait=6)
    await fake.wait_until(
        lambda: "Counted" in " ".join(str(m.get("content")) for m in (again.message, *again.followups) if m),
        15,
        "carol's vote counted",
    )
    assert votes(bot_db, drama)[uid(fake, "carol")] == 9
    assert bot.running
    logged = bot.log_text()  # one warning per failure, no traceback of ours (asyncpg's pool logs its own)
    assert "Ignoring exception in on_raw_reaction" not in logged and "failed (interaction" not in logged


def said(rec) -> str:
    return " ".join(str(m.get("content")) for m in (rec.message, *rec.followups) if m)


async def test_a_read_only_database_takes_back_a_new_prompt_and_counts_nothing_it_did_not_store(
    fake_discord, bot, bot_db, server
):
    fake, drama = fake_discord, "healer"
    prompt = await post_prompt(fake, drama)
    server.read_only(True)
    try:
        rate = await fake.slash("rate", {"title": "signal"}, user="alice", wait=6)  # a new prompt
        await fake.wait_until(lambda: "nothing was saved" in said(rate), 15, "alice told nothing was saved")
        # Reads still work, so the prompt was posted; it could not be remembered, so it is taken back.
        assert rate.original_id
        await fake.wait_until(
            lambda: rate.original_id not in {m["id"] for m in fake.messages("general")}, 15, "the prompt taken back"
        )
        vote = await fake.slash("rate", {"title": drama, "score": 4}, user="carol", wait=6)
        await fake.wait_until(lambda: "nothing was saved" in said(vote), 15, "carol told nothing was saved")
        await fake.react(prompt, KEYCAPS[1], user="dave")  # dave 2, while nothing can be written
        assert votes(bot_db, drama) == {}
    finally:
        server.read_only(False)
    await fake.wait_until(lambda: votes(bot_db, drama) == {uid(fake, "dave"): 2}, 60, "dave's 2 counted after")
    assert "Counted" not in said(vote) and bot.running
