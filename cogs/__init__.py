"""Thin discord.py cogs: parse the interaction, call the core in `bot/`, send what rendering returns."""
