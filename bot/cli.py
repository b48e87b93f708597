"""Command-line verbs and the composition root: settings -> catalog, storage -> bot.

Everything the bot depends on is built here, once, and passed down on the bot object.
Configuration mistakes end with a one-paragraph message and a non-zero status, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dotenv import load_dotenv

from bot.catalog import Catalog, CatalogError
from bot.config import PROJECT_ROOT, ConfigError, Settings

if TYPE_CHECKING:
    from bot.storage import Storage

log = logging.getLogger("bot")

VERBS = """\
usage: python -m bot [run | console [--exec LINE]... | auto [--exec LINE]... |
                      import-review PATH [--out FILE] | catalog import-csv PATH]
  run            connect to Discord (needs DISCORD_TOKEN)
  console        the offline console on the bundled catalog and a local SQLite file
  auto           run when a token is set, else console (what scripts/run does)
  import-review  draft a catalog entry from one of the reviewer's full reviews
  catalog        catalog import-csv PATH: check a K-drama CSV and list its problems"""

EXIT_CONFIG = 2

NO_TOKEN = """\
No Discord token: set DISCORD_TOKEN to run the bot.
  1. Create an application at https://discord.com/developers/applications, open Bot, press Reset Token.
  2. Put it in .env (copy .env.example): DISCORD_TOKEN=<your token>   (.env is git-ignored)
To try the bot without Discord, use the offline console instead:
  scripts/run            (or: python -m bot console --exec "/drama title:Run On")"""


def main(argv: Sequence[str]) -> int:
    """Run a verb (see `bot/__main__.py`); returns the process exit status."""
    argv = list(argv)
    if argv[:1] in (["-h"], ["--help"], ["help"]):
        print(VERBS)
        return 0
    verb = argv[0] if argv and not argv[0].startswith("-") else "run"
    if argv[:1] == ["--exec"]:
        verb, argv = "console", ["console", *argv]  # `python -m bot --exec LINE` means the console
    rest = argv[1:] if argv and argv[0] == verb else argv
    if verb == "import-review":
        from bot.importer import main as import_main

        return import_main(rest)
    if verb == "catalog":
        if rest[:1] != ["import-csv"]:
            print("usage: python -m bot catalog import-csv PATH", file=sys.stderr)
            return EXIT_CONFIG
        from bot.csv_catalog import import_csv_main

        return import_csv_main(rest[1:])
    if verb not in ("run", "console", "auto"):
        print(f"unknown command {verb!r}\n{VERBS}", file=sys.stderr)
        return EXIT_CONFIG
    parser = argparse.ArgumentParser(prog=f"python -m bot {verb}")
    if verb in ("console", "auto"):
        parser.add_argument(
            "--exec",
            dest="execute",
            action="append",
            default=[],
            metavar="LINE",
            help='run one console line and exit (repeatable), e.g. --exec "/drama title:Run On"',
        )
    args = parser.parse_args(rest)

    load_dotenv(PROJECT_ROOT / ".env")
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    logging.basicConfig(level=settings.log_level_number, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Ramen has no voice features; discord.py's start-up warning about voice libraries is noise.
    logging.getLogger("discord.client").addFilter(lambda r: "voice will NOT be supported" not in r.getMessage())
    if verb == "auto":
        # --exec lines are console input: with them, auto means the console even when a token is set.
        verb = "run" if settings.discord_token and not args.execute else "console"
    if verb == "run" and not settings.discord_token:
        print(NO_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    if verb == "console":
        # The console's own chatter (sync, gateway) is noise in a terminal: warnings only.
        logging.getLogger().setLevel(max(settings.log_level_number, logging.WARNING))
        logging.getLogger("discord").setLevel(max(settings.log_level_number, logging.ERROR))
    try:
        catalog = build_catalog(settings)
    except CatalogError as exc:
        print(f"Catalog error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        if verb == "console":
            return asyncio.run(_console(settings, catalog, args.execute))
        return asyncio.run(_run(settings, catalog))
    except StorageUnavailable as exc:
        print(f"Configuration error: DATABASE_PATH={settings.database_path}: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`): nothing left to say
        sys.stderr.close()
        return 0


class StorageUnavailable(Exception):
    """The ratings database cannot be opened; the message says why in plain words."""


async def open_storage(settings: Settings) -> Storage:
    """Open the ratings database at DATABASE_PATH.

    Raises:
        StorageUnavailable: the path is a folder, cannot be created, is not a SQLite file, or is
            from a newer version of Ramen.
    """
    from bot.storage import Storage, StorageError

    path = settings.database_path
    if path.is_dir():
        raise StorageUnavailable("that is a folder; give a file path such as var/ramen.sqlite3")
    try:
        return await Storage.open(path)
    except (OSError, sqlite3.Error, StorageError) as exc:
        raise StorageUnavailable(f"cannot open it as the ratings database ({exc})") from exc


def build_catalog(settings: Settings) -> Catalog:
    """The catalog the bot serves: TOML entries in CATALOG_DIR, plus CATALOG_CSV rows when set.

    Raises:
        CatalogError: a TOML entry is broken, or the CSV is missing or has a bad header.
    """
    from bot.csv_catalog import build_catalog as build

    catalog, problems = build(settings.catalog_dir, settings.catalog_csv)
    drafts = [d.source for d in catalog if d.is_unedited_draft]
    if drafts:
        log.warning(
            "%d catalog entries still hold TODO placeholders from import-review, which members would see: %s",
            len(drafts),
            ", ".join(drafts),
        )
    if problems:
        log.warning(
            "%s: %d rows skipped or partly loaded (python -m bot catalog import-csv %s lists them)",
            settings.catalog_csv,
            len(problems),
            settings.catalog_csv,
        )
    return catalog


async def _run(settings: Settings, catalog: Catalog) -> int:
    import aiohttp
    import discord

    from bot.client import RamenBot

    storage = await open_storage(settings)
    try:
        bot = RamenBot(settings, catalog, storage)
        async with bot:
            try:
                await bot.start(settings.discord_token or "")
            except discord.LoginFailure:
                print(
                    "Discord refused the token (DISCORD_TOKEN). Reset it in the developer portal and update .env.",
                    file=sys.stderr,
                )
                return EXIT_CONFIG
            except discord.PrivilegedIntentsRequired:
                print(
                    "Discord refused a privileged intent; Ramen should need none. Please report this.", file=sys.stderr
                )
                return EXIT_CONFIG
            except (aiohttp.ClientError, OSError) as exc:
                print(
                    f"Could not reach Discord ({exc.__class__.__name__}: {exc}). Check the network and try again; "
                    'scripts/run --exec "/drama title:Run On" works offline.',
                    file=sys.stderr,
                )
                return 1
    finally:
        await storage.close()
    return 0


async def _console(settings: Settings, catalog: Catalog, execute: list[str]) -> int:
    from bot.console import ConsoleBot, run_console

    storage = await open_storage(settings)
    try:
        bot = ConsoleBot(settings, catalog, storage, sync=False)
        await bot.load_cogs()
        status = await run_console(bot, execute=execute)
        await bot.close()
        return status
    finally:
        await storage.close()
