"""Helpers shared by the end-to-end modules: where the fake lives, the bot's environment, the
README's command table, the bot's votes read straight from its SQLite file, and checks on what
the bot sent (no pings, no violations, no tracebacks).

Nothing here imports `fakediscord` at import time, so the e2e modules collect (and skip with a
reason) on a machine without `../shared/fakediscord`.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.config import PROJECT_ROOT
from bot.store.dialect import is_postgres_url, to_dollar
from tests.conftest import SHARED

FAKE_DIR = SHARED / "fakediscord"
README = PROJECT_ROOT / "README.md"

requires_fake = pytest.mark.skipif(
    not (FAKE_DIR / "fakediscord" / "server.py").is_file(),
    reason=f"end-to-end tests need the fake Discord at {FAKE_DIR} (CI lays ../shared beside the clone)",
)

KEYCAPS = (*(f"{d}\ufe0f\u20e3" for d in "123456789"), "\U0001f51f")
"""The ten rating reactions as Discord shows them: 1️⃣ … 9️⃣, 🔟 (index + 1 = score)."""


def base_env(database: Path | str, *, dev_guild_id: str = "", catalog_csv: str = "") -> dict[str, str]:
    """Every setting the bot reads, explicit: python-dotenv never overrides what is already set,
    so a developer's `.env` cannot leak into the run. `database`: a SQLite file path (DATABASE_PATH)
    or a `postgresql://` URL (DATABASE_URL). One process, no shards."""
    url = str(database) if is_postgres_url(database) else ""
    return {
        "DATABASE_PATH": "" if url else str(database),
        "DATABASE_URL": url,
        "SHARD_COUNT": "",
        "SHARD_IDS": "",
        "CATALOG_DIR": str(PROJECT_ROOT / "data" / "dramas"),
        "CATALOG_CSV": catalog_csv,
        "DEV_GUILD_ID": dev_guild_id,
        "LOG_LEVEL": "INFO",
    }


# ---------------------------------------------------------------------------------------- README


@dataclass(frozen=True)
class DocOption:
    """One option as the README's command table documents it."""

    name: str
    optional: bool
    autocomplete: bool = False
    choices: tuple[str, ...] = ()
    range: tuple[int, int] | None = None
    boolean: bool = False


@dataclass(frozen=True)
class DocCommand:
    """One row of the README's command table."""

    name: str
    options: tuple[DocOption, ...] = field(default_factory=tuple)


_ROW = re.compile(r"^\|\s*`/(?P<name>[^`]+)`\s*\|(?P<options>[^|]*)\|")
_OPTION = re.compile(r"`(?P<name>[^`]+)`(?:\s*\((?P<note>[^)]*)\))?")
_KEYWORDS = {"optional", "autocomplete", "title"}


def _doc_option(name: str, note: str, all_optional: bool) -> DocOption:
    """Classify the words in an option's parenthesis: optional, autocomplete, a range, a default, choices."""
    items = [part.strip() for part in note.replace(":", ",").split(",") if part.strip()]
    found = re.fullmatch(r"(\d+)\s*-\s*(\d+)", next((i for i in items if re.fullmatch(r"\d+\s*-\s*\d+", i)), "") or "x")
    choices = tuple(
        i
        for i in items
        if i.lower() not in _KEYWORDS and not i.lower().startswith("default") and not re.fullmatch(r"\d+\s*-\s*\d+", i)
    )
    return DocOption(
        name=name,
        optional=all_optional or "optional" in items,
        # "Every `title` option autocompletes", and `like` (title) is a title option.
        autocomplete="autocomplete" in items or "title" in items or name == "title",
        choices=choices,
        range=(int(found[1]), int(found[2])) if found else None,
        boolean=any(i in ("default false", "default true") for i in items),
    )


def readme_commands(path: Path = README) -> dict[str, DocCommand]:
    """The slash commands and options the README's command table documents, by name."""
    commands: dict[str, DocCommand] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = _ROW.match(line)
        if row is None:
            continue
        cell = row["options"].strip()
        all_optional = cell.endswith("all optional")
        options = tuple(_doc_option(m["name"], m["note"] or "", all_optional) for m in _OPTION.finditer(cell))
        commands[row["name"]] = DocCommand(row["name"], options)
    return commands


# ---------------------------------------------------------------------------------------- the bot's DB


def query(db: Path | str, sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
    """The rows of one SELECT (written with `?`) on the bot's database, from a separate connection:
    its SQLite file read-only, or its PostgreSQL database (asyncpg, on a thread with its own loop,
    so a synchronous check may call it from inside a test's event loop)."""
    if is_postgres_url(db):

        async def fetch() -> list[tuple[Any, ...]]:
            conn = await asyncpg.connect(str(db))
            try:
                return [tuple(row) for row in await conn.fetch(to_dollar(sql), *parameters)]
            finally:
                await conn.close()

        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, fetch()).result()
    if not Path(db).exists():
        return []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute(sql, parameters).fetchall()
    conn.close()
    return rows


def votes(db: Path | str, drama_id: str = "run-on") -> dict[int, int]:
    """user id → score for `drama_id`, read from the bot's database (see `query`)."""
    rows = query(db, "SELECT user_id, score FROM ratings WHERE drama_id = ?", drama_id)
    return {int(user): int(score) for user, score in rows}


def prompts(db: Path | str) -> dict[int, str]:
    """message id → drama id of every rating prompt the bot remembers."""
    return {int(m): d for m, d in query(db, "SELECT message_id, drama_id FROM rating_prompts")}


# ---------------------------------------------------------------------------------------- what was sent


def record_bodies(fake: Any) -> list[dict]:
    """Keep every JSON (or multipart payload_json) body the bot sends the fake, with method and path.

    The fake logs requests without their bodies; this wraps its body reader so a test can check
    what the bot asked Discord to do (e.g. `allowed_mentions`).
    """
    sent: list[dict] = []
    read = fake._body

    async def body(req: Any) -> tuple[Any, list[dict]]:
        payload, files = await read(req)
        sent.append({"method": req.method, "path": req.path, "body": payload})
        return payload, files

    fake._body = body
    return sent


def message_payloads(sent: list[dict]) -> list[tuple[str, dict]]:
    """(path, message body) for every message the bot created or edited: interaction replies
    (types 4 and 7), follow-ups, webhook edits and channel messages."""
    out = []
    for entry in sent:
        body, path = entry["body"], entry["path"]
        if not isinstance(body, dict):
            continue
        if path.endswith("/callback"):
            if body.get("type") in (4, 7):
                out.append((path, body.get("data") or {}))
        elif entry["method"] in ("POST", "PATCH") and (
            "/webhooks/" in path or re.search(r"/channels/\d+/messages(/\d+)?$", path)
        ):
            out.append((path, body))
    return out


def pinging_messages(sent: list[dict]) -> list[tuple[str, dict]]:
    """Messages whose `allowed_mentions` would let Discord ping someone (missing, or parse not empty)."""
    bad = []
    for path, body in message_payloads(sent):
        allowed = body.get("allowed_mentions")
        if (
            not isinstance(allowed, dict)
            or allowed.get("parse") != []
            or allowed.get("users")
            or allowed.get("roles")
            or allowed.get("replied_user")
        ):
            bad.append((path, body))
    return bad


TRACEBACK = "Traceback (most recent call last)"


def tracebacks(log_text: str) -> list[str]:
    """Each traceback in the bot's log, with the lines before it, for a readable failure."""
    lines = log_text.splitlines()
    return ["\n".join(lines[max(0, i - 3) : i + 25]) for i, line in enumerate(lines) if TRACEBACK in line]


def assert_clean(fake: Any, bot: Any, sent: list[dict], *, expected_unknown: int = 0) -> None:
    """The module's closing check: no API violations, no unknown routes, no fake bugs, no
    pings, no traceback in the bot's log, and the bot still running."""
    fake.assert_no_violations()
    assert message_payloads(sent), "no message bodies were recorded: the ping check would be vacuous"
    assert len(fake.unknown_requests) == expected_unknown, fake.unknown_requests
    assert fake.internal_errors == []
    assert pinging_messages(sent) == []
    assert tracebacks(bot.log_text()) == []
    assert bot.running, bot.log_tail()


# ---------------------------------------------------------------------------------------- holding requests


def gate_requests(fake: Any) -> list:
    """Let a test act while the bot waits on a REST call: returns `fake.gates`, a list of
    `async def gate(method, path)` run before the fake answers each request (path without /api/v10).

    Call it before `fake.start()`: the fake binds its route handlers when it starts. A gate runs in
    the fake's event loop while the bot's request is held open, so whatever it awaits (reactions,
    gateway events, a database check) happens between the bot's request and the fake's answer.
    Gates remove themselves from the list when they are done.
    """
    routes = fake._routes
    fake.gates = []

    def wrap(handler: Any) -> Any:
        async def gated(req: Any) -> Any:
            path = req.path.removeprefix("/api/v10")
            for gate in list(fake.gates):
                await gate(req.method, path)
            return await handler(req)

        return gated

    fake._routes = lambda: [(method, path, wrap(handler)) for method, path, handler in routes()]
    return fake.gates


def keycap_score(name: str) -> int | None:
    """1..10 for a rating keycap in either spelling (with or without U+FE0F), else None."""
    plain = name.replace("\ufe0f", "")
    if plain == "\U0001f51f":
        return 10
    return int(plain[0]) if len(plain) == 2 and plain[0] in "123456789" and plain[1] == "\u20e3" else None


def held_scores(fake: Any, message_id: str | int, user_id: str | int) -> set[int]:
    """The keycap scores (either spelling) `user_id` holds on a message in the fake right now."""
    reactions = fake._reactions.get(str(message_id), {})
    return {s for emoji, users in reactions.items() if str(user_id) in users and (s := keycap_score(emoji))}


def all_votes(db: Path) -> dict[tuple[int, str, int], int]:
    """(guild id, drama id, user id) → score for every vote in the bot's SQLite file."""
    if not Path(db).exists():
        return {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT guild_id, drama_id, user_id, score FROM ratings").fetchall()
    return {(int(g), str(d), int(u)): int(s) for g, d, u, s in rows}


# ---------------------------------------------------------------------------------------- /recommend pager


def pager_buttons(message: dict) -> dict[str, dict]:
    """A /recommend reply's buttons by label (Previous, Next)."""
    return {c["label"]: c for row in message.get("components", []) for c in row["components"]}


def page_fields(message: dict) -> list[str]:
    """The field names of a /recommend page as shown, e.g. ["6. Our Beloved Summer (2021)", …]."""
    return [f["name"] for f in message["embeds"][0]["fields"]]


def kept_fields(db: Path | str, custom_id: str, start: int, end: int) -> list[str]:
    """The field names that recommendations `start`..`end` (1-based, inclusive) of the ranked list
    kept in the database for the pager a button's custom_id names would show, read from the bot's
    database (`recommend_pagers`) and the bundled catalog."""
    import json

    from bot.catalog.assemble import build_catalog
    from bot.ui.embeds import drama_title

    pager_id = int(custom_id.split(":")[2])
    [(results,)] = query(db, "SELECT results FROM recommend_pagers WHERE pager_id = ?", pager_id)
    catalog = build_catalog(PROJECT_ROOT / "data" / "dramas", None)[0]
    ids = [r["id"] for r in json.loads(results)["results"]]
    return [f"{n}. {drama_title(catalog.get(i))}" for n, i in enumerate(ids[start - 1 : end], start=start)]


# ---------------------------------------------------------------------------------------- rating prompts


def uid(fake: Any, name: str) -> int:
    """A fake member's id as an int."""
    return int(fake.user(name)["id"])


def holders(fake, message_id: str, emoji: str) -> set[str]:
    by_id = {u["id"]: name for name, u in fake.users.items()}
    return {by_id[u] for u in fake._reactions.get(str(message_id), {}).get(emoji, [])}


async def post_prompt(fake, drama: str, user: str = "alice", channel: str = "general") -> str:
    """/rate title:<drama> without a score; the prompt's id once the bot's ten keycaps are on it."""
    rec = await fake.slash("rate", {"title": drama}, user=user, channel=channel)
    assert rec.answered_within(3.0) and rec.callback.type == 4, rec
    await fake.wait_until(
        lambda: sum(holders(fake, rec.original_id, k) >= {"FakeBot"} for k in KEYCAPS) == 10, 15, "the ten keycaps"
    )
    return rec.original_id


async def wait_votes(fake, db, drama: str, expected: dict[str, int], within: float = 10.0) -> None:
    """Set-up step: wait until the drama's stored votes are `expected` (member → score); RuntimeError if not."""
    want = {uid(fake, n): s for n, s in expected.items()}
    deadline = time.monotonic() + within
    while votes(db, drama) != want:
        if time.monotonic() > deadline:
            raise RuntimeError(f"set-up: votes for {drama} never became {expected}: {named(fake, votes(db, drama))}")
        await asyncio.sleep(0.02)


def named(fake, stored: dict[int, int]) -> dict[str, int]:
    by_id = {int(u["id"]): n for n, u in fake.users.items()}
    return {by_id.get(u, str(u)): s for u, s in sorted(stored.items())}


def since(fake, start: int, method: str, pattern: str) -> list[dict]:
    return [r for r in fake.requests[start:] if r["method"] == method and re.search(pattern, r["path"])]


def one_guild_options(members: Iterable[str]) -> dict:
    """FakeDiscord options: one guild ("Fake Guild": #general, #bot-commands) with alice as its
    Moderator and `members` (names) without roles; no privileged intents."""
    everyone = {"alice": ["Moderator"], **{name: [] for name in members}}
    return {
        "allowed_intents": 0,
        "guilds": [
            {"name": "Fake Guild", "channels": ["general", "bot-commands"], "roles": ["Moderator"], "members": everyone}
        ],
    }


@asynccontextmanager
async def recording_fake(options: dict, *, gated: bool = False) -> AsyncIterator[Any]:
    """A started FakeDiscord whose request bodies are recorded in `fake.sent` (`record_bodies`);
    `gated`: request gates installed first (`gate_requests`), so tests act while the bot waits."""
    if str(FAKE_DIR) not in sys.path:
        sys.path.insert(0, str(FAKE_DIR))
    from fakediscord import FakeDiscord

    fake = FakeDiscord(**options)
    if gated:
        gate_requests(fake)
    await fake.start()
    fake.sent = record_bodies(fake)
    try:
        yield fake
    finally:
        await fake.stop()


def hold_message_read(fake: Any, message_id: str | int) -> tuple[asyncio.Event, asyncio.Event]:
    """Gate the bot's next GET of message `message_id` (needs `gate_requests`): returns (held, release);
    `held` is set when the read arrives, which then waits until the test sets `release`. One read only."""
    held, release = asyncio.Event(), asyncio.Event()

    async def hold(method: str, path: str) -> None:
        if method == "GET" and path.endswith(f"/messages/{message_id}"):
            fake.gates.remove(hold)
            held.set()
            await release.wait()

    fake.gates.append(hold)
    return held, release
