"""discord.py cogs: parse the options, make one core call, send what `bot.ui` builds.

Listeners are guard clauses and one store call.
"""
