"""What differs between the backends: placeholder translation, the SQLite lock file, start-up
refusals with one line naming the setting (exit 2), and the two migrated schemas agreeing."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from bot import cli
from bot.store import Storage, StorageError, load_migrations
from bot.store.dialect import describe_url, rowcount_of, to_dollar

RUN = ["console", "--exec", "/drama title:Run On"]


def test_placeholders_are_numbered_outside_quotes_and_comments():
    sql = "SELECT '?', \"a?\" FROM t -- why?\nWHERE a = ? AND b = ? AND c = $$?$$ OR d = ?"
    assert to_dollar(sql) == "SELECT '?', \"a?\" FROM t -- why?\nWHERE a = $1 AND b = $2 AND c = $$?$$ OR d = $3"


def test_rowcount_and_safe_url():
    assert (rowcount_of("DELETE 3"), rowcount_of("INSERT 0 1"), rowcount_of("CREATE TABLE")) == (3, 1, 0)
    assert describe_url("postgresql://ramen:secret@db.example:5433/ramen") == "postgresql://db.example:5433/ramen"


def test_postgres_migrations_replace_only_what_differs():
    shared, postgres = load_migrations(), load_migrations(dialect="postgres")
    assert [m.version for m in shared] == [m.version for m in postgres]
    replaced = {m.name for m, p in zip(shared, postgres, strict=True) if m.sql != p.sql}
    assert "0001_init.sql" in replaced and "0003_indexes.sql" not in replaced


async def test_sqlite_file_serves_one_process(db_path: Path):
    async with await Storage.open(db_path):
        with pytest.raises(StorageError, match=r"in use by another Ramen process \(pid \d+\).*DATABASE_URL"):
            await Storage.open(db_path)
    async with await Storage.open(db_path):  # released on close (and by the kernel when a process dies)
        pass


async def test_sqlite_file_serves_one_process_whatever_path_names_it(db_path: Path):
    link = db_path.with_name("another-name.sqlite3")
    async with await Storage.open(db_path):
        link.symlink_to(db_path)  # the same file under another name: still one process
        with pytest.raises(StorageError, match=r"in use by another Ramen process"):
            await asyncio.wait_for(Storage.open(link), 10)  # not refused, it would hang on the file's locks


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_postgres_stops_start_up_with_one_line(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"postgresql://ramen:secret@127.0.0.1:{free_port()}/ramen")
    assert cli.main(RUN) == cli.EXIT_CONFIG
    err = capsys.readouterr().err.strip()
    assert err.startswith("Configuration error: DATABASE_URL (postgresql://127.0.0.1:")
    assert "\n" not in err and "secret" not in err


def test_malformed_database_url_stops_start_up_with_one_line(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgres:/nowhere")
    assert cli.main(RUN) == cli.EXIT_CONFIG
    err = capsys.readouterr().err.strip()
    assert "DATABASE_URL must be a PostgreSQL URL" in err and "\n" not in err


async def test_second_process_on_one_sqlite_file_is_refused(db_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "")
    monkeypatch.setenv("DATABASE_PATH", str(db_path))
    async with await Storage.open(db_path):  # the running bot
        assert await __import__("asyncio").to_thread(cli.main, RUN) == cli.EXIT_CONFIG
    err = capsys.readouterr().err.strip()
    assert "in use by another Ramen process" in err and "\n" not in err


async def test_both_migrated_schemas_have_the_same_tables_columns_and_keys(db_path: Path, postgres_url: str):
    async with await Storage.open(db_path):
        pass
    with sqlite3.connect(db_path) as db:
        tables = [
            t
            for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if t != "schema_migrations"  # each backend's own bookkeeping
        ]
        lite = {t: [(r[1], bool(r[3]), r[5]) for r in db.execute(f"PRAGMA table_info({t})")] for t in tables}
    db.close()
    async with await Storage.open(postgres_url):
        pass
    conn = await asyncpg.connect(postgres_url)
    try:
        rows = await conn.fetch(
            """SELECT c.table_name, c.column_name, c.is_nullable = 'NO',
                      coalesce(k.ordinal_position, 0)
               FROM information_schema.columns c
               LEFT JOIN information_schema.key_column_usage k
                 ON k.table_name = c.table_name AND k.column_name = c.column_name
                AND k.constraint_name LIKE '%_pkey'
               WHERE c.table_schema = 'public' AND c.table_name <> 'schema_migrations'
               ORDER BY c.table_name, c.ordinal_position"""
        )
    finally:
        await conn.close()
    pg: dict[str, list[tuple[str, bool, int]]] = {}
    for table, column, not_null, key in rows:
        pg.setdefault(table, []).append((column, bool(not_null), int(key)))
    # SQLite reports a primary-key column as nullable unless declared NOT NULL; compare key positions.
    assert {t: [(c, k) for c, _, k in cols] for t, cols in lite.items()} == {
        t: [(c, k) for c, _, k in cols] for t, cols in pg.items()
    }
