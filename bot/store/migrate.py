"""The numbered-migration runner: `bot/store/migrations/NNNN_name.sql`, applied in order.

`PRAGMA user_version` says how many migrations a database has. Each missing one runs in its own
transaction together with the new `user_version`, so a failed step leaves the previous version
intact. The transaction is written inside each script because `executescript()` commits
whatever is open before it runs (an outer BEGIN would do nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StorageError(Exception):
    """The database cannot be used: unknown schema version, bad migration files, closed store."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: `version` (1, 2, …), the file's `name` and its SQL text."""

    version: int
    name: str
    sql: str


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migrations in `directory`, by version: files named `NNNN_name.sql`, numbered 1, 2, 3…

    Raises StorageError when a `.sql` file is misnamed or the numbers have a gap or a duplicate.
    """
    migrations: list[Migration] = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise StorageError(f"{path}: migration files are named NNNN_lowercase_name.sql")
        migrations.append(Migration(int(match.group(1)), path.name, path.read_text(encoding="utf-8")))
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise StorageError(f"{directory}: expected migration {expected:04d}, found {migration.name}")
    return migrations


def migration_script(migration: Migration) -> str:
    """The script that applies `migration` atomically: BEGIN, its SQL, the new user_version, COMMIT.

    The transaction is inside the script because `executescript()` commits whatever is open
    before it runs; if a statement fails, the script stops inside the transaction and the
    caller rolls it back.
    """
    return (
        "BEGIN IMMEDIATE;\n"
        f"{migration.sql}\n;\n"
        f"PRAGMA user_version = {int(migration.version)};\n"  # pragmas take no parameters
        "COMMIT;\n"
    )


async def migrate(db: aiosqlite.Connection, migrations: list[Migration], path: Path) -> None:
    """Apply the migrations the database at `path` lacks, each in its own transaction.

    Raises StorageError when the file's schema is newer than `migrations`; sqlite3.Error when a
    migration fails (that step is rolled back, earlier ones stay).
    """
    (version,) = (await db.execute_fetchall("PRAGMA user_version"))[0]
    if version > len(migrations):
        raise StorageError(
            f"{path}: schema version {version} is newer than this code knows ({len(migrations)});"
            " upgrade the bot or use another DATABASE_PATH"
        )
    for migration in migrations[version:]:
        try:
            await db.executescript(migration_script(migration))
        except BaseException:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            raise
