"""Composition root and command line: `python -m bot [run|console|auto|import-review|catalog]`.

    python -m bot                 connect to Discord (needs DISCORD_TOKEN; exits 2 without one)
    python -m bot console         the offline console on the bundled catalog and a local SQLite file
    python -m bot auto            `run` when a token is set, else `console` (the README's main job)
    python -m bot import-review PATH [--out FILE]    draft a catalog entry from a full review
    python -m bot catalog import-csv PATH            check a K-drama CSV and report what would load

Settings are read once here (`.env` first, via python-dotenv) and passed down.
"""

from __future__ import annotations

import sys

from bot import cli

if __name__ == "__main__":
    sys.exit(cli.main(sys.argv[1:]))
