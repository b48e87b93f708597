"""What the console keeps across restarts, as Discord keeps a server: its messages (content, embeds,
reactions, polls and their votes, numbered as before), its members and their roles.

One JSON file beside the database (`var/ramen.sqlite3.console.json` by default), rewritten whole
(write then rename) after each line. Ephemeral messages are not kept (Discord drops them too).
Buttons and menus are kept as Discord keeps them, as component payloads (custom_id, label, disabled,
options), and come back as plain items that `bot.console.components` routes by custom_id, so a menu
or a /recommend pager still answers after a restart. A missing file is an empty server;
an unreadable or damaged one is set aside with a warning, never a reason not to start.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import discord

from bot.console.stand_ins import ConsoleMessage, ConsoleRole, ConsoleUser
from bot.console.watch_stand_ins import ConsolePoll, ConsolePollAnswer

if TYPE_CHECKING:
    from bot.console.session import ConsoleSession

log = logging.getLogger(__name__)
VERSION = 1
KEEP_MESSAGES = 500  # the newest messages kept; older ones are forgotten (numbers are never reused)


def state_path_for(database_path: Path) -> Path:
    """The console's saved state beside the database: `ramen.sqlite3` → `ramen.sqlite3.console.json`."""
    return database_path.with_name(database_path.name + ".console.json")


def save(session: ConsoleSession, path: Path) -> None:
    """Write the session's server (members, roles, non-ephemeral messages) to `path` atomically.

    Raises OSError when the folder cannot be written.
    """
    server = session.server
    kept = [m for m in session.messages if not m.ephemeral][-KEEP_MESSAGES:]
    data = {
        "version": VERSION,
        "last_number": session.last_number,
        "roles": {str(r.id): r.name for r in server.roles.values()},
        "members": {
            str(u.id): {"name": u.name, "roles": [str(r.id) for r in u.roles]} for u in server.members.values()
        },
        "messages": [_message_data(m) for m in kept],
    }
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def load(session: ConsoleSession, path: Path) -> None:
    """Restore what `save` wrote into a fresh session; a damaged file is renamed `*.damaged` and skipped."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            raise ValueError(f"version {data.get('version')!r}")
        _restore(session, data)
    except FileNotFoundError:
        return
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        aside = path.with_name(path.name + ".damaged")
        log.warning(
            "console: %s could not be read (%s); starting with an empty server, the file is now %s",
            path,
            exc,
            aside.name,
        )
        path.replace(aside)


def _restore(session: ConsoleSession, data: dict[str, Any]) -> None:
    server = session.server
    server.roles.update({int(i): ConsoleRole(name, int(i)) for i, name in data["roles"].items()})
    for user_id, member in data["members"].items():
        roles = [server.roles[int(r)] for r in member["roles"] if int(r) in server.roles]
        user = server.owner if int(user_id) == server.owner.id else ConsoleUser(member["name"], int(user_id))
        user.roles = roles
        server.members[user.id] = user
    session.last_number = int(data["last_number"])
    session.messages = [_message(session, m) for m in data["messages"]]


def _message_data(message: ConsoleMessage) -> dict[str, Any]:
    poll = message.poll
    return {
        "number": message.number,
        "id": message.id,
        "channel_id": message.channel_id,
        "guild_id": message.guild_id,
        "content": message.content,
        "embeds": [e.to_dict() for e in message.embeds],
        "reactions": message.reactions,
        "had_view": message.view is not None or message.restored_view,
        "components": message.view.to_components() if message.view is not None else [],
        "poll": None
        if poll is None
        else {
            "question": poll.question,
            "expires_at": poll.expires_at.isoformat(),
            "finalised": poll.finalised,
            "answers": [{"id": a.id, "text": a.text, "voters": a.voters} for a in poll.answers],
        },
    }


def _message(session: ConsoleSession, data: dict[str, Any]) -> ConsoleMessage:
    message = ConsoleMessage(
        session,
        int(data["number"]),
        int(data["id"]),
        int(data["channel_id"]),
        data["guild_id"],
        data["content"],
        [discord.Embed.from_dict(e) for e in data["embeds"]],
        None,
        False,
        {emoji: [int(u) for u in users] for emoji, users in data["reactions"].items()},
    )
    rows = data.get("components") or []
    if rows:  # as Discord keeps them: discord.py turns a message's components back into a view
        message.view = discord.ui.View.from_message(SimpleNamespace(components=[discord.ActionRow(r) for r in rows]))
    message.restored_view = bool(data.get("had_view")) and not rows  # had some, saved before they were kept
    poll = data["poll"]
    if poll is not None:
        answers = [ConsolePollAnswer(int(a["id"]), a["text"], [int(v) for v in a["voters"]]) for a in poll["answers"]]
        expires = dt.datetime.fromisoformat(poll["expires_at"])
        # A poll whose time ran out while the console was closed has ended, as Discord would have ended it.
        ended = bool(poll["finalised"]) or expires <= discord.utils.utcnow()
        message.poll = ConsolePoll(poll["question"], answers, expires, ended)
    return message
