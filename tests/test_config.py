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
    names = ("DISCORD_TOKEN", "DATABASE_PATH", "CATALOG_DIR", "CATALOG_CSV", "DEV_GUILD_ID", "LOG_LEVEL")
    for name in (*names, "DATABASE_URL", "SHARD_COUNT", "SHARD_IDS"):
        assert f"\n{name}=" in example


def test_settings_database_url_and_shards_unset_mean_one_process_on_sqlite():
    settings = Settings.from_env({"DATABASE_URL": " ", "SHARD_COUNT": "", "SHARD_IDS": ""})
    assert settings.database_url is None
    assert (settings.shard_count, settings.shard_ids) == (None, None)


@pytest.mark.parametrize(
    ("count", "ids", "expected"),
    [
        ("4", "", (0, 1, 2, 3)),  # SHARD_COUNT alone: every shard in this process
        ("4", "0-3", (0, 1, 2, 3)),
        ("4", "2,0", (0, 2)),
        ("10", "4-7, 9", (4, 5, 6, 7, 9)),
        ("2", "1", (1,)),
    ],
)
def test_settings_shard_ranges(count, ids, expected):
    settings = Settings.from_env({"SHARD_COUNT": count, "SHARD_IDS": ids})
    assert settings.shard_count == int(count)
    assert settings.shard_ids == expected


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SHARD_IDS": "0"}, "SHARD_IDS"),  # ids without the total
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT"),
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "SHARD_IDS"),  # out of 0..1
        ({"SHARD_COUNT": "4", "SHARD_IDS": "0-2,1"}, "SHARD_IDS"),  # 1 twice
        ({"SHARD_COUNT": "4", "SHARD_IDS": "3-1"}, "SHARD_IDS"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "a-b"}, "SHARD_IDS"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0-4"}, "SHARD_IDS"),  # past the last shard
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0-99999999999"}, "SHARD_IDS"),  # one line, not a MemoryError
        ({"SHARD_COUNT": "99999999999"}, "SHARD_COUNT"),  # a typo with more digits: one line, not a MemoryError
        ({"DATABASE_URL": "mysql://ramen@db/ramen"}, "DATABASE_URL"),
        ({"DATABASE_URL": "var/ramen.sqlite3"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://ramen:secret@db:port/ramen"}, "DATABASE_URL"),
    ],
)
def test_settings_reject_bad_database_url_and_shards(env, named):
    with pytest.raises(ConfigError, match=named) as caught:
        Settings.from_env(env)
    assert "secret" not in str(caught.value)  # a URL's password is never echoed


def test_settings_keep_a_postgresql_url():
    url = "postgresql://ramen:pw@127.0.0.1:5432/ramen"
    assert Settings.from_env({"DATABASE_URL": url}).database_url == url
