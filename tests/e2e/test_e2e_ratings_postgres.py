"""End-to-end: the ratings flows of test_e2e_ratings, with the bot process on PostgreSQL.

The same tests (imported), the same fake world; only the database differs: the bot gets
DATABASE_URL pointing at a fresh database of the throwaway server (`postgres_module_url`), and the
checks read the votes from it.
"""

from __future__ import annotations

import pytest

from tests.e2e.test_e2e_ratings import *  # noqa: F403 - the same tests, collected again here

pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]  # noqa: F405


@pytest.fixture(scope="module")
def bot_db(postgres_module_url: str) -> str:
    """The bot's database: a fresh PostgreSQL database for this module."""
    return postgres_module_url
