"""End-to-end fixtures: the real bot process (`python -m bot`) against ../shared/fakediscord.

The fake lives beside the clone (CI lays `shared/` next to it); when it is absent every e2e
module skips with the reason. One fake and one bot process per test module keeps the suite
fast, so the fixtures are module-scoped and every e2e module declares
`pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]`: its tests run in the
event loop the fake lives in. The fixtures mirror `fakediscord.pytest_plugin`'s but
pin `loop_scope="module"`: the project's pytest config defaults async fixtures to a
function-scoped loop, which a module-scoped fixture cannot use.
"""

from __future__ import annotations

import sys

import pytest
import pytest_asyncio

from tests.e2e.support import FAKE_DIR, base_env, record_bodies

if FAKE_DIR.is_dir() and str(FAKE_DIR) not in sys.path:
    sys.path.insert(0, str(FAKE_DIR))


@pytest.fixture(scope="module")
def fake_discord_options() -> dict:
    """The fake's world: the default guild (alice, bob, carol); privileged intents refused like a fresh app."""
    return {"allowed_intents": 0}


@pytest.fixture(scope="module")
def bot_command() -> list[str]:
    """The bot exactly as an operator starts it, from this interpreter (the project's venv)."""
    return [sys.executable, "-m", "bot"]


@pytest.fixture(scope="module")
def bot_cwd() -> str:
    """The project root, so `python -m bot` finds the packages and the catalog."""
    from bot.config import PROJECT_ROOT

    return str(PROJECT_ROOT)


@pytest.fixture(scope="module")
def bot_db(tmp_path_factory: pytest.TempPathFactory):
    """A throwaway SQLite file for this module's bot."""
    return tmp_path_factory.mktemp("e2e-db") / "ramen.sqlite3"


@pytest.fixture(scope="module")
def bot_env(bot_db) -> dict[str, str]:
    """Every setting explicit (the bot's `.env` never overrides them): global sync, no CSV."""
    return base_env(bot_db)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake_discord(fake_discord_options):
    """A fresh fake Discord for this module; `fake.sent` keeps every body the bot sends."""
    from fakediscord import FakeDiscord

    fake = await FakeDiscord(**fake_discord_options).start()
    fake.sent = record_bodies(fake)
    yield fake
    await fake.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(fake_discord, bot_command, bot_cwd, bot_env, tmp_path_factory, request):
    """The bot process, started once READY and synced; stopped by its pid; its log shown with -v."""
    from fakediscord import BotProcess

    log_path = tmp_path_factory.mktemp("e2e-bot") / "bot.log"
    proc = BotProcess(fake_discord, bot_command, cwd=bot_cwd, env=bot_env, log_path=log_path)
    await proc.start()
    yield proc
    await proc.stop()
    if request.config.getoption("verbose") > 0:
        print(f"\n--- bot log ({log_path}) ---\n{proc.log_tail(200)}")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a long end-to-end run (the reduced load run); still run by default")


@pytest_asyncio.fixture(loop_scope="module")
async def live_bot(bot):
    """The module's bot, started again if an earlier test left it stopped."""
    if not bot.running:
        await bot.start()
    return bot
