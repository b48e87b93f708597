"""The operator's side of start-up, run as an operator runs it (`python -m bot` in a subprocess):
database checks, DATABASE_PATH typos, catalog files the loader cannot read, `.env` mistakes, the
start-up line, and the CSV tools. Each mistake is one line naming the file, exit status 2, no traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli
from bot.catalog.model import CatalogError
from bot.catalog.toml_entries import load_drama_file
from bot.config import DEFAULT_CATALOG_DIR, PROJECT_ROOT, ConfigError, Settings, load_env_file

RUN_ON = DEFAULT_CATALOG_DIR / "run-on.toml"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run_bot(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` from the project root with the settings in `env` (no token, no CSV by default)."""
    full_env = {**os.environ, "DISCORD_TOKEN": "", "CATALOG_CSV": "", "LOG_LEVEL": "INFO", **env}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=PROJECT_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def console(**env: str) -> subprocess.CompletedProcess[str]:
    return run_bot("console", "--exec", "/drama title:Run On", **env)


def assert_one_line_exit_2(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 2, no traceback, one line on stderr holding every needle; returns that line."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def make_database(path: Path, prompts: int = 0, votes: int = 0) -> None:
    """A migrated ratings database at `path` holding `prompts` rating prompts and `votes` votes (drama run-on)."""
    import asyncio

    from bot.store import Storage

    async def build() -> None:
        storage = await Storage.open(path)
        try:
            for n in range(prompts):
                await storage.add_prompt(message_id=1000 + n, channel_id=7, guild_id=9, drama_id="run-on")
            for n in range(votes):
                await storage.record_vote(9, "run-on", 100 + n, 5 + n)
        finally:
            await storage.close()

    asyncio.run(build())


# --------------------------------------------------------------------------- the database


def test_database_in_a_missing_folder_is_an_error_and_nothing_is_created(tmp_path: Path) -> None:
    typo = tmp_path / "vra" / "ramen.sqlite3"
    result = console(DATABASE_PATH=str(typo))
    assert_one_line_exit_2(result, f"DATABASE_PATH={typo}", f"the folder {typo.parent} does not exist")
    assert not typo.parent.exists()


def test_read_only_database_stops_start_up(tmp_path: Path) -> None:
    db = tmp_path / "ramen.sqlite3"
    make_database(db)
    data = bytearray(db.read_bytes())
    data[18] = 3  # the header's write version: SQLite opens a file with a version above 2 read-only (root too)
    db.write_bytes(bytes(data))
    assert_one_line_exit_2(console(DATABASE_PATH=str(db)), str(db), "cannot be written")


@pytest.mark.skipif(AS_ROOT, reason="root writes through file permissions; the header test covers root")
def test_database_in_a_read_only_folder_stops_start_up(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    make_database(folder / "ramen.sqlite3")
    for name in os.listdir(folder):
        os.chmod(folder / name, 0o444)
    folder.chmod(0o555)
    try:
        assert_one_line_exit_2(console(DATABASE_PATH=str(folder / "ramen.sqlite3")), str(folder / "ramen.sqlite3"))
    finally:
        folder.chmod(0o755)


def test_damaged_database_stops_start_up(tmp_path: Path) -> None:
    db = tmp_path / "ramen.sqlite3"
    make_database(db, prompts=3, votes=3)
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) >= 3 * page, len(data)
    data[page + 100 : 3 * page] = b"\x55" * (2 * page - 100)  # pages 2 and 3 overwritten with junk
    db.write_bytes(bytes(data))
    assert_one_line_exit_2(console(DATABASE_PATH=str(db)), str(db), "damaged")


def test_start_up_line_names_database_and_catalog_with_counts(tmp_path: Path) -> None:
    db = tmp_path / "ramen.sqlite3"
    make_database(db, prompts=2, votes=3)
    result = console(DATABASE_PATH=str(db))
    assert result.returncode == 0, result.stderr
    dramas = len(list(DEFAULT_CATALOG_DIR.glob("*.toml")))  # the bundled catalog, one drama per file
    expected = (
        f"INFO bot.start: database {db} (2 rating prompts, 3 votes); catalog {DEFAULT_CATALOG_DIR} ({dramas} dramas)"
    )
    assert [line for line in result.stderr.splitlines() if "bot.start" in line] == [
        line for line in result.stderr.splitlines() if line.endswith(expected)
    ]
    assert expected in result.stderr


# --------------------------------------------------------------------------- catalog files


def _catalog_with(tmp_path: Path, make_bad) -> tuple[Path, Path]:
    folder = tmp_path / "dramas"
    folder.mkdir()
    shutil.copy(RUN_ON, folder / "run-on.toml")
    return folder, make_bad(folder)


def _folder(d: Path) -> Path:
    (d / "x.toml").mkdir()
    return d / "x.toml"


def _loop(d: Path) -> Path:
    (d / "a.toml").symlink_to(d / "b.toml")
    (d / "b.toml").symlink_to(d / "a.toml")
    return d / "a.toml"


def _dangling(d: Path) -> Path:
    (d / "gone.toml").symlink_to(d / "nowhere.toml")
    return d / "gone.toml"


def _deep(d: Path) -> Path:
    (d / "deep.toml").write_text("x = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    return d / "deep.toml"


@pytest.mark.parametrize(
    ("make_bad", "reason"),
    [
        (_folder, "it is a folder, not a file"),
        (_loop, "Too many levels of symbolic links"),
        (_dangling, "symbolic link to a file that does not exist"),
        (_deep, "nested too deeply"),
    ],
    ids=["folder-named-x.toml", "symlink-loop", "dangling-symlink", "nested-value"],
)
def test_catalog_file_the_loader_cannot_read_is_one_line_exit_2(tmp_path: Path, make_bad, reason: str) -> None:
    folder, bad = _catalog_with(tmp_path, make_bad)
    result = console(CATALOG_DIR=str(folder), DATABASE_PATH=str(tmp_path / "db.sqlite3"))
    assert_one_line_exit_2(result, f"Catalog error: {bad}", reason)


@pytest.mark.skipif(AS_ROOT, reason="root reads a mode-000 file; the in-process test covers the message")
def test_unreadable_catalog_file_is_one_line_exit_2(tmp_path: Path) -> None:
    folder, bad = _catalog_with(tmp_path, lambda d: shutil.copy(RUN_ON, d / "locked.toml") and d / "locked.toml")
    bad.chmod(0)
    result = console(CATALOG_DIR=str(folder), DATABASE_PATH=str(tmp_path / "db.sqlite3"))
    assert_one_line_exit_2(result, f"Catalog error: {bad}", "Permission denied")


def test_unreadable_catalog_file_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.toml"
    shutil.copy(RUN_ON, locked)

    def refuse(self: Path, *args: object, **kwargs: object):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(CatalogError) as info:
        load_drama_file(locked)
    assert str(info.value) == f"{locked}: cannot read the file: Permission denied"


# --------------------------------------------------------------------------- .env and the token


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("LOG_LEVEL=INFO\nthis is not a setting\n", 2, "not a NAME=value line"),
        ('LOG_LEVEL=INFO\n\nDISCORD_TOKEN="abc\nDEV_GUILD_ID=\n', 3, "not a NAME=value line"),
        ("# comment\n\n\nCATALOG_CSV\n", 4, "CATALOG_CSV has no '='"),
    ],
)
def test_malformed_env_line_names_file_and_line(tmp_path: Path, text: str, line: int, what: str) -> None:
    env = tmp_path / ".env"
    env.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_env_file(env)
    assert str(info.value).startswith(f"{env}, line {line}: {what}")
    assert "abc" not in str(info.value)  # never the line's text: it may hold the token


def test_malformed_env_stops_start_up_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".env").write_text("LOG_LEVEL=INFO\nDISCORD_TOKEN abc.def\n", encoding="utf-8")
    monkeypatch.setattr(cli, "PROJECT_ROOT", tmp_path)
    assert cli.main(["console", "--exec", "/drama title:Run On"]) == 2
    err = capsys.readouterr().err
    assert (
        err == f"Configuration error: {tmp_path / '.env'}, line 2: not a NAME=value line "
        "(check for a missing '=' or an unclosed quote)\n"
    )


@pytest.mark.parametrize(
    ("text", "name", "said"),
    [
        (
            "# ramen\nLOG_LEVEL=LOUD\n",
            "LOG_LEVEL",
            "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'LOUD'.",
        ),
        ("\n\nSHARD_COUNT=0\n", "SHARD_COUNT", "SHARD_COUNT must be a whole number ≥ 1, got '0'."),
    ],
)
def test_bad_value_in_env_file_names_the_file_line_and_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str, name: str, said: str
) -> None:
    (tmp_path / ".env").write_text(text, encoding="utf-8")
    monkeypatch.setenv(name, "")  # so that the value the .env sets is undone after the test
    monkeypatch.delenv(name)
    monkeypatch.setattr(cli, "PROJECT_ROOT", tmp_path)
    assert cli.main(["console", "--exec", "/drama title:Run On"]) == 2
    line = len(text.split(name)[0].splitlines()) + 1  # "# ramen\n" → line 2; "\n\n" → line 3
    assert capsys.readouterr().err == f"Configuration error: {tmp_path / '.env'}, line {line}: {said}\n"


def test_bad_value_from_the_environment_says_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".env").write_text("LOG_LEVEL=INFO\n", encoding="utf-8")  # the environment wins over .env
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    monkeypatch.setattr(cli, "PROJECT_ROOT", tmp_path)
    assert cli.main(["console", "--exec", "/drama title:Run On"]) == 2
    assert capsys.readouterr().err == (
        "Configuration error: environment variable LOG_LEVEL must be one of "
        "DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'LOUD'.\n"
    )


def test_path_settings_checked_later_still_say_where_they_were_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "nope" / "ramen.sqlite3"
    (tmp_path / ".env").write_text(f"LOG_LEVEL=INFO\nDATABASE_PATH={typo}\n", encoding="utf-8")
    monkeypatch.setenv("DATABASE_PATH", "")  # so that the value the .env sets is undone after the test
    monkeypatch.delenv("DATABASE_PATH")
    monkeypatch.setenv("CATALOG_CSV", "")
    monkeypatch.setattr(cli, "PROJECT_ROOT", tmp_path)
    assert cli.main(["console", "--exec", "/drama title:Run On"]) == 2
    assert capsys.readouterr().err == (
        f"Configuration error: {tmp_path / '.env'}, line 2: DATABASE_PATH={typo}: the folder {typo.parent} "
        "does not exist (a typo?); create it or fix the path\n"
    )
    missing = tmp_path / "no-dramas"
    monkeypatch.setenv("CATALOG_DIR", str(missing))
    assert cli.main(["console", "--exec", "/drama title:Run On"]) == 2
    assert capsys.readouterr().err == (
        f"Catalog error: {missing}: catalog folder not found (set CATALOG_DIR) (environment variable CATALOG_DIR)\n"
    )


def test_token_pasted_with_bot_prefix_gets_a_hint() -> None:
    result = run_bot("run", DISCORD_TOKEN="Bot MTIz.abc.def")
    line = assert_one_line_exit_2(result, "DISCORD_TOKEN starts with 'Bot '", "without the 'Bot ' prefix")
    assert "MTIz" not in line


def test_settings_repr_hides_the_token() -> None:
    settings = Settings.from_env(
        {"DISCORD_TOKEN": "MTIz.secret-token.value", "DATABASE_URL": "postgresql://ramen:hunter2@db.example/ramen"}
    )
    assert settings.discord_token == "MTIz.secret-token.value"
    assert "secret-token" not in repr(settings) and "secret-token" not in str(settings)
    assert "hunter2" not in repr(settings)  # the database URL may hold a password


# --------------------------------------------------------------------------- CSV tools


HEADER = "title,year,episodes"


def test_unclosed_quote_counts_every_swallowed_row(tmp_path: Path) -> None:
    rows = [f"Show {n},{2000 + n % 20},{n % 30 + 1}" for n in range(1, 61)]
    rows[9] = '"Show 10,2010,11'  # line 11: the quote never closes, so rows 10-60 become one record
    path = tmp_path / "k.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    result = run_bot("catalog", "import-csv", str(path))
    assert result.returncode == 1, result.stderr
    # 9 good rows, then 51 rows (lines 11-61) lost in one unclosed quote
    assert f"{path}: 60 rows read, 9 dramas would load, 51 skipped." in result.stdout
    assert "line 11: expected 3 columns, found 1 (lines 11-61: an unclosed quote joined 51 rows" in result.stdout


def test_import_csv_exits_0_when_every_row_loads(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text(f"{HEADER}\nShow A,2001,3\nShow B,2002,4\n", encoding="utf-8")
    result = run_bot("catalog", "import-csv", str(path))
    assert result.returncode == 0 and "2 rows read, 2 dramas would load, 0 skipped." in result.stdout


def test_import_csv_into_head_ends_without_a_broken_pipe_traceback(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text(HEADER + "\n" + "".join(f"Show {n},19x{n},1\n" for n in range(5000)), encoding="utf-8")
    command = f"{sys.executable} -m bot catalog import-csv {path} | head -n 2"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.splitlines()[0] == f"{path}: 5000 rows read, 0 dramas would load, 5000 skipped."
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr == ""  # no BrokenPipeError, no "Exception ignored"
    assert result.returncode == 141  # the status of a command ended by a closed pipe


# --------------------------------------------------------------------------- the PostgreSQL backend


async def test_postgres_check_writable_refuses_a_read_only_database(postgres_url: str) -> None:
    import asyncpg

    from bot.store import Storage, StorageError

    storage = await Storage.open(postgres_url)
    try:
        await storage.check_writable()  # a fresh database takes writes
        assert (await storage.counts()).votes == 0  # and the check changed nothing
    finally:
        await storage.close()
    # The server turns read-only after start-up checks ran once (e.g. a failover to a standby): new
    # connections get read-only transactions. open() itself would already refuse (its migration step writes).
    storage = await Storage.open(postgres_url)
    try:
        database = (await storage.read("SELECT current_database()"))[0][0]
        conn = await asyncpg.connect(postgres_url)
        try:
            await conn.execute(f'ALTER DATABASE "{database}" SET default_transaction_read_only = on')
        finally:
            await conn.close()
        await storage._backend.pool.expire_connections()  # the pool reconnects, read-only now
        with pytest.raises(StorageError) as info:
            await storage.check_writable()
    finally:
        await storage.close()
    assert "the database cannot be written (ReadOnlySQLTransactionError" in str(info.value)
    assert "password" not in str(info.value)
