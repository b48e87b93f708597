"""The console session in-process: a line that fails for any reason is said plainly, the session goes
on, and `--exec` ends with exit status 2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot import cli
from bot.config import Settings
from bot.console import ConsoleBot, run_console
from bot.console import session as console_session


@pytest.fixture
async def console_bot(tmp_path: Path):
    settings = Settings.from_env({"DATABASE_PATH": str(tmp_path / "c.sqlite3")})
    catalog = cli.build_catalog(settings)
    storage = await cli.open_storage(settings)
    bot = ConsoleBot(settings, catalog, storage, cli.build_recommender(catalog), sync=False)
    await bot.load_cogs()
    yield bot
    await bot.close()
    await storage.close()


async def test_a_failing_line_is_said_plainly_and_the_session_goes_on(console_bot, monkeypatch):
    real = console_session.convert_options

    def broken_for_ratings(command, raw, resolve=None):
        if command.name == "ratings":
            raise RuntimeError("boom")
        return real(command, raw, resolve)

    monkeypatch.setattr(console_session, "convert_options", broken_for_ratings)
    out = io.StringIO()
    status = await run_console(console_bot, execute=["/ratings", "/drama title:Run On"], out=out)
    text = out.getvalue()
    assert status == 2
    assert "error: this line failed (RuntimeError: boom); the session goes on" in text
    assert "┃ Run On (2020)" in text  # the next line still ran


async def test_an_unclosed_quote_is_a_usage_line_and_control_characters_are_shown_not_sent(console_bot):
    out = io.StringIO()
    status = await run_console(
        console_bot, execute=['/rate title:"Run On score:5', "/drama title:Run On\x07\x1b[31m"], out=out
    )
    text = out.getvalue()
    assert status == 2
    assert "usage: the quote in '\"Run On' is never closed: close it or leave the quotes out" in text
    assert "\x1b" not in text and "\x07" not in text  # nothing reaches the terminal raw
    assert "\\x1b[31m" in text  # shown as an escape where the title is quoted back
    assert "Counted" not in text  # the unclosed line recorded no vote
