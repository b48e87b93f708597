"""Shared paths and fixtures: where ../shared is (the one definition), the real catalog, a real
SQLite storage on tmp_path, the catalog with the shared CSV."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import pytest_asyncio

from bot.catalog.index import Catalog
from bot.config import PROJECT_ROOT

# PostgreSQL fixtures (postgres_url, postgres_module_url): a fresh database on the throwaway server.
pytest_plugins = ["tests.postgres"]

SHARED = Path(os.environ.get("RAMEN_SHARED_DIR", PROJECT_ROOT.parent / "shared"))
CATALOG_DIR = PROJECT_ROOT / "data" / "dramas"
SHARED_CSV = SHARED / "catalog-data" / "kdramas.csv"
FACTS_RUN_ON = SHARED / "catalog-facts" / "run-on.md"
REVIEW_RUN_ON = SHARED / "reviews" / "run-on-full-review.txt"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The bundled catalog, built the way start-up builds it (TOML entries, spoiler tags, no CSV)."""
    from bot.catalog.assemble import build_catalog

    return build_catalog(CATALOG_DIR, None)[0]


@pytest.fixture(scope="session")
def run_on(catalog: Catalog):
    return catalog.get("run-on")


@pytest_asyncio.fixture
async def storage(tmp_path: Path):
    from bot.store import Storage

    store = await Storage.open(tmp_path / "ramen.sqlite3")
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
def shared_csv() -> Path:
    if not SHARED_CSV.is_file():
        pytest.skip(f"the shared K-drama CSV is absent ({SHARED_CSV}); it lives beside the project in CI")
    return SHARED_CSV


@pytest.fixture(scope="session")
def big():
    """The catalog with the shared K-drama CSV, built as start-up builds it, and its Recommender."""
    from bot.catalog.assemble import build_catalog
    from bot.recommend.engine import Recommender

    if not SHARED_CSV.is_file():
        pytest.skip(f"the shared K-drama CSV is absent ({SHARED_CSV}); it lives beside the project in CI")
    built, _ = build_catalog(CATALOG_DIR, SHARED_CSV)
    return built, Recommender(built)
