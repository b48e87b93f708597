"""Settings read from the environment (and `.env`, loaded by python-dotenv at start-up).

Nothing here runs at import time: `Settings.from_env()` is called once, by the composition
root in `bot/__main__.py`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOG_DIR = PROJECT_ROOT / "data" / "dramas"
DEFAULT_DATABASE_PATH = PROJECT_ROOT / "var" / "ramen.sqlite3"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the setting and how to fix it."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting the bot reads; `.env.example` lists the same names.

    Attributes:
        discord_token: the bot token (`DISCORD_TOKEN`), or None when unset.
        database_path: the SQLite file (`DATABASE_PATH`); default `var/ramen.sqlite3`.
        catalog_dir: folder of `*.toml` drama entries (`CATALOG_DIR`); default `data/dramas`.
        catalog_csv: optional K-drama facts CSV loaded beside the TOML entries (`CATALOG_CSV`).
        dev_guild_id: guild to sync app commands to at once (`DEV_GUILD_ID`), or None: global sync.
        log_level: a `logging` level name (`LOG_LEVEL`), default INFO.
    """

    discord_token: str | None
    database_path: Path
    catalog_dir: Path
    catalog_csv: Path | None
    dev_guild_id: int | None
    log_level: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `env` (default: `os.environ`). Relative paths resolve from the project root.

        Raises:
            ConfigError: `DEV_GUILD_ID` is not a positive integer, or `LOG_LEVEL` is not a level name.
        """
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        guild_raw = get("DEV_GUILD_ID")
        dev_guild_id = None
        if guild_raw is not None:
            if not (guild_raw.isascii() and guild_raw.isdigit()) or not 0 < int(guild_raw) < 2**64:
                raise ConfigError(
                    f"DEV_GUILD_ID must be a guild's numeric id (a snowflake), got {guild_raw!r}. "
                    "Right-click the server in Discord (developer mode on) and choose 'Copy Server ID', "
                    "or leave DEV_GUILD_ID empty to sync commands globally."
                )
            dev_guild_id = int(guild_raw)
        level = (get("LOG_LEVEL") or "INFO").upper()
        if level not in LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}.")
        csv_raw = get("CATALOG_CSV")
        return cls(
            discord_token=get("DISCORD_TOKEN"),
            database_path=_resolve(get("DATABASE_PATH"), DEFAULT_DATABASE_PATH),
            catalog_dir=_resolve(get("CATALOG_DIR"), DEFAULT_CATALOG_DIR),
            catalog_csv=_resolve(csv_raw, None) if csv_raw else None,
            dev_guild_id=dev_guild_id,
            log_level=level,
        )

    @property
    def log_level_number(self) -> int:
        """The `logging` module's number for `log_level` (e.g. 20 for INFO)."""
        return logging.getLevelName(self.log_level)


def _resolve(raw: str | None, default: Path | None) -> Path:
    if raw is None:
        assert default is not None
        return default
    path = Path(raw).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path
