"""The offline console (a tool only `bot.cli` imports): type slash commands, see the replies as
Discord would show them. `session` runs lines through the real cogs, `commands` reads a line into
options, `show` renders a reply as text, `stand_ins` plays the Discord objects."""

from bot.console.session import ConsoleBot, ConsoleSession, run_console

__all__ = ["ConsoleBot", "ConsoleSession", "run_console"]
