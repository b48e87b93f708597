"""The Bot subclass: holds settings, catalog and storage; `setup_hook` loads cogs, then syncs."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.catalog.index import Catalog
from bot.config import Settings
from bot.recommend.engine import Recommender
from bot.ui.errors import handle_app_command_error
from bot.ui.views import CharacterMenu, PageButton, RecommendPager

if TYPE_CHECKING:
    from bot.store import Storage

log = logging.getLogger(__name__)

EXTENSIONS = ("cogs.dramas", "cogs.ratings", "cogs.rating_prompts", "cogs.recommend", "cogs.watchnight")


def intents() -> discord.Intents:
    """Only what the bot needs: guilds (for the command tree and channels), guild reactions (rating
    prompts), guild messages (a watch-night poll's result message and its finalised update) and
    guild scheduled events (watch parties). Nothing privileged: no members, presences or message
    content (the poll-result message is the bot's own, so its embed arrives without it)."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_reactions = True
    wanted.guild_messages = True
    wanted.guild_scheduled_events = True
    return wanted


class RamenBot(commands.Bot):
    """The bot. Its dependencies travel on it: `settings`, `catalog`, `storage` and `recommender`, all
    built once in `bot.cli` (the composition root)."""

    def __init__(
        self, settings: Settings, catalog: Catalog, storage: Storage, recommender: Recommender, *, sync: bool = True
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
        )
        self.settings = settings
        self.catalog = catalog
        self.storage = storage
        self.recommender = recommender
        # Live /recommend pagers by key, so their buttons find them (bot.ui.views.PageButton).
        self.pagers: dict[int, RecommendPager] = {}
        self._sync = sync
        self.tree.on_error = handle_app_command_error

    async def load_cogs(self) -> None:
        """Load every extension in `EXTENSIONS` (the console calls this too); a missing or broken one
        raises (`discord.ext.commands.ExtensionNotFound`, `ExtensionFailed`): start-up must not go on
        without a cog."""
        for name in EXTENSIONS:
            await self.load_extension(name)

    async def setup_hook(self) -> None:
        await self.load_cogs()
        # Menus and buttons on messages sent before this start keep working (bot.ui.views).
        self.add_dynamic_items(CharacterMenu, PageButton)
        if not self._sync:
            return
        # Sync here, never in on_ready (which runs again on every reconnect).
        if self.settings.dev_guild_id:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d app commands to guild %s", len(synced), self.settings.dev_guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global app commands", len(synced))

    async def on_ready(self) -> None:
        log.info("logged in as %s (%s) in %d guilds", self.user, getattr(self.user, "id", "?"), len(self.guilds))
