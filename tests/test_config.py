"""Settings from the environment."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_CATALOG_DIR, DEFAULT_DATABASE_PATH, PROJECT_ROOT, ConfigError, Settings


def test_settings_defaults():
    settings = Settings.from_env({})
    assert settings.discord_token is None
    assert settings.database_path == DEFAULT_DATABASE_PATH
    assert settings.catalog_dir == DEFAULT_CATALOG_DIR
    assert settings.catalog_csv is None and settings.dev_guild_id is None
    assert settings.log_level == "INFO" and settings.log_level_number == 20


def test_settings_read_and_resolve_relative_paths():
    settings = Settings.from_env(
        {
            "DISCORD_TOKEN": " abc ",
            "DATABASE_PATH": "x/db.sqlite3",
            "DEV_GUILD_ID": "123",
            "LOG_LEVEL": "debug",
            "CATALOG_CSV": "/tmp/k.csv",
        }
    )
    assert settings.discord_token == "abc"
    assert settings.database_path == PROJECT_ROOT / "x" / "db.sqlite3"
    assert settings.dev_guild_id == 123 and settings.log_level == "DEBUG"
    assert str(settings.catalog_csv) == "/tmp/k.csv"


@pytest.mark.parametrize(("name", "value"), [("DEV_GUILD_ID", "abc"), ("DEV_GUILD_ID", "0"), ("LOG_LEVEL", "LOUD")])
def test_settings_reject_bad_values_naming_the_setting(name, value):
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: value})


def test_env_example_lists_every_setting():
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    for name in ("DISCORD_TOKEN", "DATABASE_PATH", "CATALOG_DIR", "CATALOG_CSV", "DEV_GUILD_ID", "LOG_LEVEL"):
        assert f"\n{name}=" in example
