"""PostgreSQL fixtures: a fresh, empty database on the throwaway server that `scripts/test` starts.

`scripts/test` runs `scripts/postgres start` and exports the server's URL as RAMEN_TEST_POSTGRES_URL
(`postgresql://postgres@127.0.0.1:PORT/postgres`); a caller may point it at another server instead. Each
fixture creates its own database there (CREATE DATABASE through asyncpg) and drops it afterwards, so tests
never see each other's tables and may run against one server from several processes at once.

Without the variable the PostgreSQL tests skip, with the reason `scripts/postgres` gave
(RAMEN_TEST_POSTGRES_UNAVAILABLE) when it gave one; in CI (CI=true) they fail instead: a CI run never
skips the PostgreSQL suites.

Registered for the whole suite by `pytest_plugins` in tests/conftest.py. Fixtures:
- `postgres_server_url`: the server's URL (session), or the skip/failure above;
- `postgres_url`: URL of a fresh empty database for one test;
- `postgres_module_url`: URL of a fresh empty database shared by one module's tests.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import pytest_asyncio

URL_ENV = "RAMEN_TEST_POSTGRES_URL"
UNAVAILABLE_ENV = "RAMEN_TEST_POSTGRES_UNAVAILABLE"
DATABASE_PREFIX = "ramen_t_"


def in_ci(environ: dict[str, str] | os._Environ = os.environ) -> bool:
    """True when CI=true (or 1), as CI runs `.ci/run`."""
    return environ.get("CI", "").strip().lower() in {"true", "1"}


def server_url_or_skip(environ: dict[str, str] | os._Environ = os.environ) -> str:
    """The PostgreSQL server URL from RAMEN_TEST_POSTGRES_URL.

    Unset: skips the calling test (reason: RAMEN_TEST_POSTGRES_UNAVAILABLE when set, else how to get a
    server), except in CI, where it fails the test instead (pytest.fail, no traceback).
    """
    url = environ.get(URL_ENV, "").strip()
    if url:
        return url
    why = environ.get(UNAVAILABLE_ENV, "").strip()
    reason = f"{URL_ENV} is unset" + (
        f": {why}" if why else " (scripts/test starts a throwaway PostgreSQL; or point it at a server)"
    )
    if in_ci(environ):
        pytest.fail(f"{reason}; CI=true, so the PostgreSQL tests must run, not skip", pytrace=False)
    pytest.skip(reason)


def database_url(server_url: str, database: str) -> str:
    """`server_url` with its database (the URL path) replaced by `database`; user, host, port and query kept."""
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path="/" + database))


@asynccontextmanager
async def fresh_database(server_url: str) -> AsyncIterator[str]:
    """Creates an empty database named `ramen_t_<32 hex>` on the server; yields its URL; drops it on exit.

    The drop uses WITH (FORCE) (PostgreSQL 13+), so connections a test left open do not keep it alive.
    Raises asyncpg errors (e.g. OSError/ConnectionRefusedError when the server is gone) unchanged.
    """
    name = DATABASE_PREFIX + uuid.uuid4().hex
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield database_url(server_url, name)
    finally:
        admin = await asyncpg.connect(server_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The throwaway server's URL (its `postgres` database); skips, or fails in CI, when there is none."""
    return server_url_or_skip()


@pytest_asyncio.fixture
async def postgres_url(postgres_server_url: str) -> AsyncIterator[str]:
    """URL of a fresh, empty database for this test, dropped after it."""
    async with fresh_database(postgres_server_url) as url:
        yield url


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def postgres_module_url(postgres_server_url: str) -> AsyncIterator[str]:
    """URL of a fresh, empty database shared by this module's tests, dropped after the module.

    Only the URL crosses event loops: open connections and pools inside the test (or in fixtures of the
    same loop scope), never in this fixture.
    """
    async with fresh_database(postgres_server_url) as url:
        yield url
