"""Command-line verbs (argparse subcommands) and the composition root.

    python -m bot                 connect to Discord (needs DISCORD_TOKEN; exits 2 without one)
    python -m bot console         the offline console on the bundled catalog and a local SQLite file
    python -m bot auto            `run` when a token is set, else `console` (the README's main job)
    python -m bot import-review PATH [--out FILE] [--force]   draft a catalog entry from a full review
    python -m bot catalog import-csv PATH                      check a K-drama CSV and report what would load
                                                               (exit 1 when rows were skipped)

Settings are read once here (`.env` first, via python-dotenv); then Settings → Catalog, Storage,
Recommender are built once and passed down on the bot object (`bot.client.RamenBot`) or to the
console. Configuration mistakes end with a one-line message and a non-zero status, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sqlite3
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import logs
from bot.catalog.assemble import build_catalog as assemble_catalog
from bot.catalog.assemble import merge_with_pairs
from bot.catalog.csv_rows import load_csv
from bot.catalog.index import Catalog
from bot.catalog.model import CatalogError
from bot.catalog.review_draft import parse_review
from bot.catalog.review_text import ReviewError, read_review
from bot.catalog.review_toml import to_toml
from bot.catalog.toml_entries import load_entries, parse_drama
from bot.config import (
    DEFAULT_CATALOG_DIR,
    DEFAULT_DATABASE_PATH,
    PROJECT_ROOT,
    ConfigError,
    Settings,
    load_env_file,
)

if TYPE_CHECKING:
    from bot.recommend.engine import Recommender
    from bot.store import Storage

log = logging.getLogger("bot")
start_log = logging.getLogger("bot.start")

EXIT_CONFIG = 2

NO_TOKEN = """\
No Discord token: set DISCORD_TOKEN to run the bot.
  1. Create an application at https://discord.com/developers/applications, open Bot, press Reset Token.
  2. Put it in .env (copy .env.example): DISCORD_TOKEN=<your token>   (.env is git-ignored)
To try the bot without Discord, use the offline console instead:
  scripts/run            (or: python -m bot console --exec "/drama title:Run On")"""


def parser() -> argparse.ArgumentParser:
    """The `python -m bot` parser: one subcommand per verb."""
    top = argparse.ArgumentParser(prog="python -m bot", description="Ramen, the drama bot.")
    verbs = top.add_subparsers(dest="verb", metavar="VERB")
    verbs.add_parser("run", help="connect to Discord (needs DISCORD_TOKEN)")
    for name, text in (
        ("console", "the offline console on the bundled catalog and a local SQLite file"),
        ("auto", "run when a token is set, else console (what scripts/run does)"),
    ):
        verb = verbs.add_parser(name, help=text)
        verb.add_argument(
            "--exec",
            dest="execute",
            action="append",
            default=[],
            metavar="LINE",
            help='run one console line and exit (repeatable), e.g. --exec "/drama title:Run On"',
        )
    review = verbs.add_parser(
        "import-review",
        help="draft a catalog entry (TOML) from one of the reviewer's full reviews",
        description="Draft a catalog entry (TOML) from one of the reviewer's full reviews.",
    )
    review.add_argument("path", type=Path, metavar="PATH", help="the review, a UTF-8 text file in the template")
    review.add_argument("--out", help="write here (a folder, or a path ending in /, gets <id>.toml) instead of stdout")
    review.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    catalog = verbs.add_parser("catalog", help="catalog import-csv PATH: check a K-drama CSV and list its problems")
    catalog_verbs = catalog.add_subparsers(dest="catalog_verb", metavar="import-csv", required=True)
    csv_check = catalog_verbs.add_parser(
        "import-csv",
        help="check a K-drama CSV",
        description="Check a K-drama CSV (kdramas.csv format) and print what it would load, with row problems.",
    )
    csv_check.add_argument("path", type=Path, metavar="PATH", help="the CSV file")
    return top


def main(argv: Sequence[str]) -> int:
    """Run a verb (see the module docstring); returns the process exit status.

    No verb means `run`; `--exec LINE` without a verb means the console; `help` means `--help`.
    Usage errors exit 2 with argparse's usage line.
    """
    argv = list(argv)
    if not argv:
        argv = ["run"]
    elif argv[0] == "help":
        argv = ["--help"]
    elif argv[0] == "--exec":
        argv = ["console", *argv]  # `python -m bot --exec LINE` means the console
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help (0) and on usage errors (2); callers want a status
        return int(exc.code or 0)
    try:
        if args.verb == "import-review":
            return import_review(args.path, args.out, force=args.force)
        if args.verb == "catalog":
            return import_csv(args.path)
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly, as `cat` does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush cannot fail again
        return 141  # 128 + SIGPIPE, what a shell reports for a command ended by a closed pipe
    return serve(args.verb, args.execute if args.verb != "run" else [])


def serve(verb: str, execute: list[str]) -> int:
    """`run`, `console` or `auto`: read the settings, build everything once, run the bot or the console."""
    try:
        origins = load_env_file(PROJECT_ROOT / ".env")
        settings = Settings.from_env(origins=origins)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    logs.configure(settings.log_level_number, secrets=(settings.discord_token or "",))
    # Ramen has no voice features; discord.py's start-up warning about voice libraries is noise.
    logging.getLogger("discord.client").addFilter(lambda r: "voice will NOT be supported" not in r.getMessage())
    if verb == "auto":
        # --exec lines are console input: with them, auto means the console even when a token is set.
        verb = "run" if settings.discord_token and not execute else "console"
    if verb == "run" and not settings.discord_token:
        print(NO_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    if verb == "console":
        # The console's own chatter (sync, gateway) is noise in a terminal: warnings only.
        logging.getLogger().setLevel(max(settings.log_level_number, logging.WARNING))
        logging.getLogger("discord").setLevel(max(settings.log_level_number, logging.ERROR))
        start_log.setLevel(settings.log_level_number)  # but the start-up line (which database and catalog) stays
    try:
        catalog = build_catalog(settings)
    except CatalogError as exc:
        print(f"Catalog error: {exc}{_catalog_setting(settings, exc)}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        if verb == "console":
            return asyncio.run(_console(settings, catalog, execute))
        return asyncio.run(_run(settings, catalog))
    except StorageUnavailable as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`): nothing left to say
        sys.stderr.close()
        return 0


def _catalog_setting(settings: Settings, exc: CatalogError) -> str:
    """Where the setting naming the broken folder or CSV was set: " (/srv/ramen/.env, line 4: CATALOG_DIR)"
    or " (environment variable CATALOG_CSV)"; nothing for a default, or a file inside the folder."""
    for name, path in (("CATALOG_DIR", settings.catalog_dir), ("CATALOG_CSV", settings.catalog_csv)):
        origin = settings.where(name)
        if path is not None and exc.source == str(path) and origin != name:
            return f" ({origin})"
    return ""


class StorageUnavailable(Exception):
    """The ratings database cannot be opened; the message says why in plain words."""


async def open_storage(settings: Settings) -> Storage:
    """Open the ratings database: the PostgreSQL database at DATABASE_URL when set, else the SQLite
    file at DATABASE_PATH.

    Raises:
        StorageUnavailable (its message names the setting): the server is unreachable or refuses the
            login; the path is a folder, cannot be created, is not a SQLite file, or is in use by
            another process; the schema is from a newer version of Ramen.
    """
    import asyncpg

    from bot.store import Storage, StorageError
    from bot.store.dialect import describe_url

    if settings.database_url:
        where = f"DATABASE_URL ({describe_url(settings.database_url)})"
        try:
            storage = await Storage.open(settings.database_url)
        except (OSError, asyncpg.PostgresError, StorageError) as exc:
            raise StorageUnavailable(f"{where}: cannot use it as the ratings database ({exc})") from exc
    else:
        storage = await _open_sqlite(settings.database_path, settings.where("DATABASE_PATH"))
    try:  # a read-only or damaged database would fail every write later, with a traceback each time
        await storage.check_writable()
    except StorageError as exc:
        await storage.close()
        raise StorageUnavailable(str(exc)) from None
    await storage.prune_pagers()  # /recommend pagers past their retention (bot.store.pagers)
    return storage


async def _open_sqlite(path: Path, setting: str = "DATABASE_PATH") -> Storage:
    from bot.store import Storage, StorageError

    check_database_path(path, setting)
    try:
        storage = await Storage.open(path)
    except (OSError, sqlite3.Error, StorageError) as exc:
        raise StorageUnavailable(f"{setting}={path}: cannot open it as the ratings database ({exc})") from exc
    return storage


def check_database_path(path: Path, setting: str = "DATABASE_PATH") -> None:
    """DATABASE_PATH names a file in an existing folder; only the default `var/` folder is created.

    setting: how messages name it (`Settings.where`, e.g. "/srv/ramen/.env, line 2: DATABASE_PATH").

    Raises:
        StorageUnavailable: the path is a folder, or its folder does not exist (a typo?).
    """
    if path.is_dir():
        raise StorageUnavailable(f"{setting}={path}: that is a folder; give a file path such as var/ramen.sqlite3")
    if not path.parent.is_dir():
        if path != DEFAULT_DATABASE_PATH:  # only the default var/ folder is ours to create: elsewhere, a typo?
            raise StorageUnavailable(
                f"{setting}={path}: the folder {path.parent} does not exist (a typo?); create it or fix the path"
            )
        path.parent.mkdir(parents=True, exist_ok=True)


async def log_start_up(settings: Settings, catalog: Catalog, storage: Storage) -> None:
    """One INFO line: which database and catalog are in use and what they hold (no secrets)."""
    from bot.store.dialect import describe_url

    counts = await storage.counts()
    csv = f" + {settings.catalog_csv}" if settings.catalog_csv else ""
    database = describe_url(settings.database_url) if settings.database_url else settings.database_path
    start_log.info(
        "database %s (%d rating prompts, %d votes); catalog %s%s (%d dramas)",
        database,
        counts.prompts,
        counts.votes,
        settings.catalog_dir,
        csv,
        len(catalog),
    )


def build_catalog(settings: Settings) -> Catalog:
    """The catalog the bot serves: TOML entries in CATALOG_DIR, plus CATALOG_CSV rows when set.

    Raises:
        CatalogError: a TOML entry is broken or a draft (unless CATALOG_ALLOW_DRAFTS=hide), or the CSV
            is missing or has a bad header.
    """
    catalog, problems = assemble_catalog(settings.catalog_dir, settings.catalog_csv, drafts=settings.catalog_drafts)
    if problems:
        log.warning(
            "%s: %d row problems, rows skipped or values ignored (python -m bot catalog import-csv %s lists them)",
            settings.catalog_csv,
            len(problems),
            settings.catalog_csv,
        )
    return catalog


def build_recommender(catalog: Catalog) -> Recommender:
    """The one recommender (about 0.1 s for the 1,647-row CSV catalog), shared by every /recommend."""
    from bot.recommend.engine import Recommender

    return Recommender(catalog)


async def _run(settings: Settings, catalog: Catalog) -> int:
    import aiohttp
    import discord

    from bot.client import CommandSyncRefused, build_bot

    storage = await open_storage(settings)
    try:
        await log_start_up(settings, catalog, storage)
        bot = build_bot(settings, catalog, storage, build_recommender(catalog))
        _stop_on_signals(bot)
        async with bot:
            try:
                await bot.start(settings.discord_token or "")
            except CommandSyncRefused as exc:
                print(f"Command sync failed: {exc}", file=sys.stderr)
                return EXIT_CONFIG
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
            if bot.sync_refused:
                print(f"Command sync failed: {bot.sync_refused}", file=sys.stderr)
                return EXIT_CONFIG
    finally:
        await _close_storage(storage)
    return 0


STOP_SECONDS = 10.0
"""How long stopping waits for the queued votes to commit before giving up (logged)."""


def _stop_on_signals(bot: Any) -> None:
    """SIGTERM and Ctrl-C (SIGINT) stop the bot gracefully: the gateway closes (no new events),
    `_run` then drains the write queue, commits and closes the database, and exits 0."""
    loop = asyncio.get_running_loop()
    stopping: set[asyncio.Task[None]] = set()

    def stop(name: str) -> None:
        log.info("%s: stopping; queued votes are committed before exit", name)
        task = loop.create_task(bot.close(), name="ramen-stop")
        stopping.add(task)
        task.add_done_callback(stopping.discard)

    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # no signals here (not the main thread)
            loop.add_signal_handler(sig, stop, sig.name)


async def _close_storage(storage: Storage) -> None:
    """Commit what is queued and close, waiting at most `STOP_SECONDS` (then say what is left)."""
    try:
        await asyncio.wait_for(asyncio.shield(storage.close()), STOP_SECONDS)
    except TimeoutError:
        log.error("stopping: the database stayed locked for %.0f s; queued writes were not committed", STOP_SECONDS)


async def _console(settings: Settings, catalog: Catalog, execute: list[str]) -> int:
    from bot.console import ConsoleBot, run_console
    from bot.console.saved import state_path_for

    storage = await open_storage(settings)
    try:
        await log_start_up(settings, catalog, storage)
        bot = ConsoleBot(settings, catalog, storage, build_recommender(catalog), sync=False)
        await bot.load_cogs()
        status = await run_console(bot, execute=execute, state_path=state_path_for(settings.database_path))
        await bot.close()
        return status
    finally:
        await storage.close()


def import_review(path: Path, out: str | None, *, force: bool = False) -> int:
    """`import-review PATH [--out FILE|DIR] [--force]`: print or write a draft entry.

    Warnings go to stderr and into the draft as `# WARNING:` comments. Returns 0 when a draft was
    made (with or without warnings), 1 with a one-line message when none could be (missing, empty
    or non-UTF-8 file, not a review, an existing --out without --force).
    """
    try:
        draft = parse_review(read_review(path), source=path.name)
    except ReviewError as exc:
        print(f"import-review: {exc}", file=sys.stderr)
        return 1
    text = to_toml(draft)
    try:  # The draft must load as it is; if it does not, that is a bug here, not a review slip.
        parse_drama(tomllib.loads(text), f"draft from {path.name}")
    except (CatalogError, tomllib.TOMLDecodeError) as exc:
        print(f"import-review: internal error, the draft does not load: {exc}", file=sys.stderr)
        return 1
    for warning in draft.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if out is None:
        sys.stdout.write(text)
        return 0
    target = Path(out)
    as_folder = target.is_dir() or out.endswith(("/", os.sep))
    written = target / f"{draft.data['id']}.toml" if as_folder else target
    if not written.parent.is_dir():  # a typo'd folder is a mistake to report, not a folder to create
        print(f"import-review: the folder {written.parent} does not exist; create it first", file=sys.stderr)
        return 1
    if written.exists() and not force:
        print(f"import-review: {written} already exists (use --force to overwrite)", file=sys.stderr)
        return 1
    try:
        written.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"import-review: cannot write {written}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {written} ({len(draft.warnings)} warnings)", file=sys.stderr)
    return 0


def import_csv(path: Path) -> int:
    """`catalog import-csv PATH`: check a CSV and print what it would load.

    Prints (stdout) the number of rows read, the dramas that would load, how many merge with the
    TOML entries of the bundled `data/dramas` folder (and which), then every row problem with its
    line number. Returns 0 when every row loaded, 1 when rows were skipped or the file was not
    readable (missing file, not UTF-8, no header or a missing required column; message on stderr).
    """
    try:
        loaded = load_csv(path)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{path}: {loaded.rows} rows read, {len(loaded.dramas)} dramas would load, {loaded.skipped} skipped.")
    try:
        entries = load_entries(DEFAULT_CATALOG_DIR)
    except CatalogError as exc:
        print(f"note: could not compare with the TOML entries: {exc}")
    else:
        _, pairs = merge_with_pairs(entries, list(loaded.dramas))
        print(f"{len(pairs)} of {len(entries)} TOML entries in {DEFAULT_CATALOG_DIR} would merge with a row.")
        for entry, row in pairs:
            print(f"  {entry.id} <- line {row.source.rsplit(':', 1)[-1]} ({row.title}, {row.year})")
    if loaded.problems:
        print(f"{len(loaded.problems)} row problems:")
        for problem in loaded.problems:
            print(f"  {problem}")
    else:
        print("No row problems.")
    return 1 if loaded.skipped else 0
