"""discord.py cogs: parse the options, make one core call, send what `bot.ui` builds; listeners: guards, one store call."""
