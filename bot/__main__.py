"""Entry point: `python -m bot [VERB]` hands its arguments to `bot.cli.main` (the verbs are listed there)."""

from __future__ import annotations

import sys

from bot import cli

if __name__ == "__main__":
    sys.exit(cli.main(sys.argv[1:]))
