"""What the two backends share: the transaction handle (`Tx`), the placeholder translation, the URL rule.

Every statement in the store is written once, with `?` placeholders (SQLite's style). The SQLite
backend runs it as is; the PostgreSQL backend runs `to_dollar(sql)` (`?` → `$1, $2, …` in order,
skipping quoted text and comments). A `Tx` is what a write's transaction body receives: the
aiosqlite connection itself on SQLite, `bot.store.postgres.PgTx` on PostgreSQL — both answer
`execute_fetchall`, `execute` (→ an object with `rowcount`) and `executemany`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any, Protocol
from urllib.parse import urlsplit

POSTGRES_SCHEMES = ("postgresql", "postgres")


class Cursor(Protocol):
    """What `Tx.execute` returns: how many rows the statement changed."""

    @property
    def rowcount(self) -> int: ...


class Tx(Protocol):
    """An open transaction on either backend. Parameters are tuples for `?` placeholders, in order."""

    async def execute_fetchall(self, sql: str, parameters: Sequence[Any] = ...) -> Iterable[Any]: ...

    async def execute(self, sql: str, parameters: Sequence[Any] = ...) -> Any: ...

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> Any: ...


@functools.lru_cache(maxsize=1024)
def to_dollar(sql: str) -> str:
    """`sql` with each `?` placeholder numbered for PostgreSQL: `a = ? AND b = ?` → `a = $1 AND b = $2`.

    A `?` inside '…' or "…" quotes, a `-- …` line comment or a dollar-quoted body (`$$ … $$`) is
    left alone. Cached: the store's statements are module constants, translated once each.
    """
    out: list[str] = []
    number, i, n = 0, 0, len(sql)
    while i < n:
        char = sql[i]
        if char in "'\"":
            end = sql.find(char, i + 1)
            end = n - 1 if end < 0 else end
            out.append(sql[i : end + 1])
            i = end + 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end])
            i = end
        elif sql.startswith("$$", i):
            end = sql.find("$$", i + 2)
            end = n - 2 if end < 0 else end
            out.append(sql[i : end + 2])
            i = end + 2
        elif char == "?":
            number += 1
            out.append(f"${number}")
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def rowcount_of(status: str) -> int:
    """asyncpg's command status (`DELETE 3`, `INSERT 0 1`, `UPDATE 0`) → the row count; 0 for others."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def is_postgres_url(target: object) -> bool:
    """True when `target` is a `postgresql://…` (or `postgres://…`) URL string."""
    return isinstance(target, str) and urlsplit(target).scheme in POSTGRES_SCHEMES


def describe_url(url: str) -> str:
    """A URL safe to print: scheme, host, port and database, never the user's password."""
    parts = urlsplit(url)
    host = parts.hostname or "local socket"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path or '/'}"
