"""The numbered-migration runner: `bot/store/migrations/NNNN_name.sql`, applied in order.

Numbers are reserved per issue (#11 → 0004, #15 → 0005, #14 → 0006/0007, #15's pager → 0008) and
land in any order, so the files may have gaps and a lower number may arrive after a higher one.
Each database therefore records which migrations it has in `schema_migrations (version)`; a file
made before that table existed has 1..`PRAGMA user_version`. `user_version` is the highest
version applied. Each missing migration runs in its own transaction together with its
`schema_migrations` row and the new `user_version`, so a failed step leaves the database as it
was. The transaction is written inside each script because `executescript()` commits whatever
is open before it runs (an outer BEGIN would do nothing).

Both backends share the numbers and, where the SQL is the same, the file; a file in
`migrations/postgres/` with the same number replaces the shared one on PostgreSQL (types and
triggers differ there). This module runs the SQLite side; `bot.store.postgres` the other, with the
same rule (a `schema_migrations` row per applied version).
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


def load_migrations(directory: Path = MIGRATIONS_DIR, *, dialect: str = "sqlite") -> list[Migration]:
    """The migrations in `directory` for `dialect` ("sqlite" or "postgres"), by version: files named
    `NNNN_name.sql`, numbers from 1 up; for "postgres", `directory/postgres/NNNN_*.sql` replaces the
    shared file of the same number.

    Numbers may have gaps (reserved numbers land in any order). Raises StorageError when a `.sql`
    file is misnamed, a number is 0 or used twice, or a PostgreSQL file replaces no shared one.
    """
    migrations = sorted((_migration(path) for path in directory.glob("*.sql")), key=lambda m: m.version)
    for previous, migration in zip([None, *migrations], migrations, strict=False):
        if migration.version < 1:
            raise StorageError(f"{directory}: migration numbers start at 0001, found {migration.name}")
        if previous is not None and previous.version == migration.version:
            raise StorageError(
                f"{directory}: two migrations numbered {migration.version:04d}: {previous.name} and {migration.name}"
            )
    if dialect == "postgres":
        by_version = {m.version: m for m in migrations}
        for path in sorted((directory / "postgres").glob("*.sql")):
            override = _migration(path)
            if override.version not in by_version:
                raise StorageError(f"{path}: no shared migration {override.version:04d} for it to replace")
            by_version[override.version] = override
        migrations = [by_version[m.version] for m in migrations]
    return migrations


def _migration(path: Path) -> Migration:
    match = _MIGRATION_NAME.match(path.name)
    if match is None:
        raise StorageError(f"{path}: migration files are named NNNN_lowercase_name.sql")
    return Migration(int(match.group(1)), path.name, path.read_text(encoding="utf-8"))


APPLIED_TABLE = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)"
"""Which migrations a database has (one row per applied version)."""


def migration_script(migration: Migration, user_version: int | None = None) -> str:
    """The script that applies `migration` atomically: BEGIN, its SQL, its `schema_migrations` row,
    the new user_version (default: the migration's version; the runner passes the highest applied),
    COMMIT.

    The transaction is inside the script because `executescript()` commits whatever is open
    before it runs; if a statement fails, the script stops inside the transaction and the
    caller rolls it back.
    """
    version = int(migration.version)
    highest = version if user_version is None else max(version, int(user_version))
    return (
        "BEGIN IMMEDIATE;\n"
        f"{migration.sql}\n;\n"
        f"{APPLIED_TABLE};\n"
        f"INSERT INTO schema_migrations (version) VALUES ({version});\n"
        f"PRAGMA user_version = {highest};\n"  # pragmas take no parameters
        "COMMIT;\n"
    )


async def applied_versions(db: aiosqlite.Connection) -> tuple[set[int], bool]:
    """The migrations the database has, and whether it records them in `schema_migrations`; a file
    made before that table existed has 1..user_version."""
    (version,) = (await db.execute_fetchall("PRAGMA user_version"))[0]
    table = await db.execute_fetchall("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    if table:
        return {int(v) for (v,) in await db.execute_fetchall("SELECT version FROM schema_migrations")}, True
    return set(range(1, int(version) + 1)), False


async def migrate(db: aiosqlite.Connection, migrations: list[Migration], path: Path) -> None:
    """Apply the migrations the database at `path` lacks, each in its own transaction, in number order.

    Raises StorageError when the file has a migration `migrations` does not know (a newer
    schema); sqlite3.Error when a migration fails (that step is rolled back, earlier ones stay).
    """
    applied, recorded = await applied_versions(db)
    unknown = sorted(applied - {m.version for m in migrations})
    if unknown:
        known = migrations[-1].version if migrations else 0
        raise StorageError(
            f"{path}: schema version {unknown[-1]} is newer than this code knows (it has migration "
            f"{unknown[-1]:04d}; this code knows up to {known:04d}); upgrade the bot or use another DATABASE_PATH"
        )
    if applied and not recorded:  # a file from before schema_migrations: record what it has
        rows = ", ".join(f"({v})" for v in sorted(applied))
        await db.executescript(
            f"BEGIN IMMEDIATE;\n{APPLIED_TABLE};\nINSERT INTO schema_migrations VALUES {rows};\nCOMMIT;"
        )
    highest = max(applied, default=0)
    for migration in (m for m in migrations if m.version not in applied):
        highest = max(highest, migration.version)
        try:
            await db.executescript(migration_script(migration, highest))
        except BaseException:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            raise
