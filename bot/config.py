"""Settings read from the environment (and `.env`, loaded by python-dotenv at start-up).

Nothing here runs at import time: `Settings.from_env()` is called once, by the composition
root in `bot/__main__.py`.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import load_dotenv
from dotenv.parser import parse_stream

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOG_DIR = PROJECT_ROOT / "data" / "dramas"
DEFAULT_DATABASE_PATH = PROJECT_ROOT / "var" / "ramen.sqlite3"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SETTINGS = (
    "DISCORD_TOKEN",
    "DATABASE_PATH",
    "DATABASE_URL",
    "SHARD_COUNT",
    "SHARD_IDS",
    "CATALOG_DIR",
    "CATALOG_ALLOW_DRAFTS",
    "CATALOG_CSV",
    "DEV_GUILD_ID",
    "LOG_LEVEL",
)
MAX_SHARDS = 100_000
"""The largest SHARD_COUNT taken: far above any bot's need (Discord asks for a shard per 1,000-2,500
guilds); a typo with more digits stops start-up with one line instead of exhausting memory."""


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the setting and how to fix it.

    `setting`: the variable it is about (e.g. "LOG_LEVEL"), or None for a problem with `.env` itself.
    """

    def __init__(self, message: str, setting: str | None = None) -> None:
        super().__init__(message)
        self.setting = setting


def where_set(setting: str, origins: Mapping[str, str] | None) -> str:
    """Where a setting's value came from, for a message: "/srv/ramen/.env, line 3: LOG_LEVEL" when
    `origins` (from `load_env_file`) holds it, else "environment variable LOG_LEVEL"."""
    origin = (origins or {}).get(setting)
    return f"{origin}: {setting}" if origin else f"environment variable {setting}"


def _name_origin(exc: ConfigError, origins: Mapping[str, str] | None) -> ConfigError:
    """`exc` with its message saying where its setting was set (a file and line, or the environment)."""
    if exc.setting is None:
        return exc
    text = str(exc).removeprefix(exc.setting).lstrip(":")
    text = text if text.startswith(" ") else f": {text}"
    return ConfigError(f"{where_set(exc.setting, origins)}{text}", exc.setting)


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
        database_url: a PostgreSQL URL (`DATABASE_URL`, `postgresql://user:password@host:port/db`);
            None: the SQLite file at `database_path` (one process only).
        shard_count: `SHARD_COUNT`, the gateway's total number of shards, or None: one process, no sharding.
        shard_ids: `SHARD_IDS` (`0-3`, `0,2`, `4-7,9`), the shards this process runs, sorted;
            None with a shard_count: all of them.
        catalog_drafts: `CATALOG_ALLOW_DRAFTS`: "refuse" (default, empty or "no": an entry with TODO
            placeholders stops start-up) or "hide" (serve it without the unfinished fields).
    """

    discord_token: str | None = field(repr=False)  # a secret: never in a repr or a log
    database_path: Path
    catalog_dir: Path
    catalog_csv: Path | None
    dev_guild_id: int | None
    log_level: str
    database_url: str | None = field(default=None, repr=False)  # may hold a password
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    catalog_drafts: str = "refuse"
    # setting name → where_set(): "/srv/ramen/.env, line 3: DATABASE_PATH" or "environment variable …"
    origins: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def where(self, setting: str) -> str:
        """Where `setting` was set, for a message: "/srv/ramen/.env, line 3: DATABASE_PATH",
        "environment variable DATABASE_PATH", or just "DATABASE_PATH" when it has its default."""
        return self.origins.get(setting, setting)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, origins: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `env` (default: `os.environ`). Relative paths resolve from the project root.

        origins: setting name → where a file set it ("/srv/ramen/.env, line 3", from `load_env_file`);
            a setting not in it came from the environment.

        Raises:
            ConfigError: `DEV_GUILD_ID` is not a positive integer, `LOG_LEVEL` is not a level name,
                `DATABASE_URL` is not a postgresql:// URL, or the shard settings are malformed. The
                message begins with where the value was set: "/srv/ramen/.env, line 3: LOG_LEVEL …"
                or "environment variable LOG_LEVEL …".
        """
        env = os.environ if env is None else env
        try:
            settings = cls._parse(env)
        except ConfigError as exc:
            raise _name_origin(exc, origins) from None
        named = {name: where_set(name, origins) for name in SETTINGS if env.get(name, "").strip()}
        return dataclasses.replace(settings, origins=named)

    @classmethod
    def _parse(cls, env: Mapping[str, str]) -> Settings:

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
                    "or leave DEV_GUILD_ID empty to sync commands globally.",
                    "DEV_GUILD_ID",
                )
            dev_guild_id = int(guild_raw)
        level = (get("LOG_LEVEL") or "INFO").upper()
        if level not in LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}.", "LOG_LEVEL")
        csv_raw = get("CATALOG_CSV")
        shard_count, shard_ids = parse_shards(get("SHARD_COUNT"), get("SHARD_IDS"))
        token = get("DISCORD_TOKEN")
        if token is not None and token[:4].casefold() == "bot ":
            raise ConfigError(
                "DISCORD_TOKEN starts with 'Bot ': put only the token itself (what Reset Token shows), "
                "without the 'Bot ' prefix; discord.py adds it.",
                "DISCORD_TOKEN",
            )
        drafts = (get("CATALOG_ALLOW_DRAFTS") or "no").casefold()
        if drafts not in ("no", "hide"):
            raise ConfigError(
                f"CATALOG_ALLOW_DRAFTS must be empty, 'no' or 'hide', got {drafts!r}.", "CATALOG_ALLOW_DRAFTS"
            )
        return cls(
            catalog_drafts="hide" if drafts == "hide" else "refuse",
            discord_token=token,
            database_path=_resolve(get("DATABASE_PATH"), DEFAULT_DATABASE_PATH),
            catalog_dir=_resolve(get("CATALOG_DIR"), DEFAULT_CATALOG_DIR),
            catalog_csv=_resolve(csv_raw, None) if csv_raw else None,
            dev_guild_id=dev_guild_id,
            log_level=level,
            database_url=parse_database_url(get("DATABASE_URL")),
            shard_count=shard_count,
            shard_ids=shard_ids,
        )

    @property
    def log_level_number(self) -> int:
        """The `logging` module's number for `log_level` (e.g. 20 for INFO)."""
        return logging.getLevelName(self.log_level)


def load_env_file(path: Path) -> dict[str, str]:
    """Load `path` (a `.env` file) into `os.environ` with python-dotenv; values already set win.

    Returns where each value it set came from (name → "/srv/ramen/.env, line 3"), for
    `Settings.from_env(origins=…)`; empty when there is no file.

    python-dotenv skips a line it cannot parse without a word, so every line is checked first with
    its own parser (`dotenv.parser.parse_stream`); a missing file is fine (no `.env`).

    Raises:
        ConfigError: a line is not `NAME=value` (or a comment); the message names the file and line
            number, never the line's text (it may hold the token).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({getattr(exc, 'strerror', None) or exc})") from None
    origins: dict[str, str] = {}
    for binding in parse_stream(io.StringIO(text)):
        original = binding.original.string
        line = binding.original.line + len(original) - len(original.lstrip("\r\n"))
        if binding.error:
            raise ConfigError(
                f"{path}, line {line}: not a NAME=value line (check for a missing '=' or an unclosed quote)"
            )
        if binding.key is not None and binding.value is None:
            raise ConfigError(f"{path}, line {line}: {binding.key} has no '=' (write {binding.key}= to leave it empty)")
        if binding.key is not None and binding.key not in os.environ:  # python-dotenv keeps what is set
            origins[binding.key] = f"{path}, line {line}"
    load_dotenv(path)
    return origins


def _resolve(raw: str | None, default: Path | None) -> Path:
    if raw is None:
        assert default is not None
        return default
    path = Path(raw).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def parse_database_url(raw: str | None) -> str | None:
    """`DATABASE_URL` checked: None stays None; else a `postgresql://` (or `postgres://`) URL with a host.

    Raises ConfigError naming the setting (never echoing the URL: it may hold a password).
    """
    if raw is None:
        return None
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - parsing the port raises ValueError when it is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("postgresql", "postgres") or not raw.startswith(f"{parts.scheme}://"):
        raise ConfigError(
            "DATABASE_URL must be a PostgreSQL URL such as postgresql://ramen:PASSWORD@127.0.0.1:5432/ramen "
            "(leave it empty to use the SQLite file at DATABASE_PATH).",
            "DATABASE_URL",
        )
    return raw


def parse_shards(count_raw: str | None, ids_raw: str | None) -> tuple[int | None, tuple[int, ...] | None]:
    """`SHARD_COUNT` and `SHARD_IDS` → (shard count, this process's shard ids, sorted).

    Neither set → (None, None): one process, no sharding. `SHARD_COUNT` alone → all shards here.
    `SHARD_IDS` is a list of ids and ranges (`0-3`, `0,2`, `4-7,9`), each in 0..SHARD_COUNT-1, no
    id twice. Raises ConfigError naming the setting.
    """
    if count_raw is None:
        if ids_raw is not None:
            raise ConfigError(
                "SHARD_IDS needs SHARD_COUNT (the total number of shards across every process).", "SHARD_IDS"
            )
        return None, None
    if not (count_raw.isascii() and count_raw.isdigit()) or int(count_raw) < 1:
        raise ConfigError(f"SHARD_COUNT must be a whole number ≥ 1, got {count_raw!r}.", "SHARD_COUNT")
    if int(count_raw) > MAX_SHARDS:
        raise ConfigError(f"SHARD_COUNT must be at most {MAX_SHARDS}, got {count_raw!r}.", "SHARD_COUNT")
    count = int(count_raw)
    if ids_raw is None:
        return count, tuple(range(count))
    ids: list[int] = []
    for part in ids_raw.split(","):
        low, _, high = part.strip().partition("-")
        bounds = (low.strip(), (high or low).strip())
        if not all(b.isascii() and b.isdigit() for b in bounds) or int(bounds[0]) > int(bounds[1]):
            raise ConfigError(
                f"SHARD_IDS must list shard ids and ranges such as 0-3 or 0,2, got {ids_raw!r}.", "SHARD_IDS"
            )
        if int(bounds[1]) >= count:  # checked before the range is spelled out: `0-99999999999` is one line, not a hang
            break
        ids.extend(range(int(bounds[0]), int(bounds[1]) + 1))
    else:
        if len(set(ids)) == len(ids):
            return count, tuple(sorted(ids))
    raise ConfigError(
        f"SHARD_IDS must name each shard once, each in 0..{count - 1} (SHARD_COUNT={count}).", "SHARD_IDS"
    )
