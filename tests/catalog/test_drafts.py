"""Drafts never reach members: an import-review draft stops start-up (exit 2, file and fields named)
unless CATALOG_ALLOW_DRAFTS=hide, which serves it without the unfinished fields."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import cli
from bot.catalog.assemble import build_catalog
from bot.catalog.drafts import draft_fields
from bot.catalog.model import CatalogError
from bot.config import ConfigError, Settings
from tests.catalog.test_review_draft import HARBOR
from tests.conftest import CATALOG_DIR


@pytest.fixture
def catalog_with_a_draft(tmp_path: Path) -> Path:
    folder = tmp_path / "dramas"
    folder.mkdir()
    shutil.copy(CATALOG_DIR / "run-on.toml", folder)
    assert cli.main(["import-review", str(HARBOR), "--out", str(folder / "harbor-lights.toml")]) == 0
    return folder


def test_a_draft_stops_start_up_naming_the_file_and_the_fields(catalog_with_a_draft: Path):
    with pytest.raises(CatalogError) as caught:
        build_catalog(catalog_with_a_draft, None)
    error = caught.value
    assert error.source == str(catalog_with_a_draft / "harbor-lights.toml")
    assert "premise[0]" in error.field_path.split(", ")
    assert "CATALOG_ALLOW_DRAFTS=hide" in error.problem


def test_hide_serves_the_draft_without_its_unfinished_fields(catalog_with_a_draft: Path):
    catalog, _ = build_catalog(catalog_with_a_draft, None, drafts="hide")
    drafts = [d for d in catalog if d.id != "run-on"]
    assert len(drafts) == 1
    [draft] = drafts
    assert draft_fields(draft) == [] and not draft.is_unedited_draft
    assert draft.review is not None and draft.title  # the facts the importer filled in stay
    assert catalog.get("run-on").premise  # finished entries are untouched


def test_start_up_exits_2_with_one_line(catalog_with_a_draft: Path, monkeypatch, capsys):
    monkeypatch.setenv("CATALOG_DIR", str(catalog_with_a_draft))
    monkeypatch.setenv("DATABASE_PATH", str(catalog_with_a_draft.parent / "ramen.sqlite3"))
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("CATALOG_ALLOW_DRAFTS", raising=False)
    assert cli.main(["console", "--exec", "/drama title:Run On"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "harbor-lights.toml: premise[0]" in err[0] and "TODO" in err[0]


def test_the_setting_accepts_only_no_or_hide():
    assert Settings.from_env({}).catalog_drafts == "refuse"
    assert Settings.from_env({"CATALOG_ALLOW_DRAFTS": "Hide"}).catalog_drafts == "hide"
    with pytest.raises(ConfigError, match="CATALOG_ALLOW_DRAFTS"):
        Settings.from_env({"CATALOG_ALLOW_DRAFTS": "yes"})
