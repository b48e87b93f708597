"""bot.watch is a domain package: importing all of it in a fresh interpreter loads nothing of discord."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

MODULES = ["errors", "text", "watchlist", "upnext", "watchnight", "party", "tally"]


def test_watch_imports_nothing_of_discord():
    code = (
        "import sys\n"
        + "".join(f"import bot.watch.{name}\n" for name in MODULES)
        + "loaded = [m for m in sys.modules if m.split('.')[0] in ('discord', 'aiosqlite', 'sqlite3')]\n"
        + "print(sorted(loaded))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
