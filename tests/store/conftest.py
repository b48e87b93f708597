"""The storage tests run on both backends: `target` is a fresh SQLite file path, then a fresh
PostgreSQL database URL (on the throwaway server `scripts/test` starts; skipped without one outside
CI, failed in CI). Tests that look inside the SQLite file itself take `db_path` instead."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.store import Storage
from tests.fakes import StepClock
from tests.postgres import fresh_database, server_url_or_skip

BACKENDS = ("sqlite", "postgres")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A SQLite file path whose parent folder does not exist yet."""
    return tmp_path / "state" / "ramen.sqlite3"


@pytest_asyncio.fixture(params=BACKENDS)
async def target(request: pytest.FixtureRequest, db_path: Path) -> AsyncIterator[Path | str]:
    """What `Storage.open` takes: a fresh SQLite file path, or a fresh PostgreSQL database URL."""
    if request.param == "sqlite":
        yield db_path
        return
    async with fresh_database(server_url_or_skip()) as url:
        yield url


@pytest_asyncio.fixture
async def storage(target: Path | str) -> AsyncIterator[Storage]:
    """An open `Storage` on `target` (both backends) whose clock is a fresh `tests.fakes.StepClock`."""
    async with await Storage.open(target, clock=StepClock()) as opened:
        yield opened
