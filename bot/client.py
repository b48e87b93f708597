"""The Bot subclass: holds settings, catalog and storage; `setup_hook` loads cogs, then syncs."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
from discord.ext import commands

from bot.catalog.index import Catalog
from bot.config import Settings
from bot.recommend.engine import Recommender
from bot.ui.errors import handle_app_command_error
from bot.ui.views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.store import Storage

log = logging.getLogger(__name__)

EXTENSIONS = (
    "cogs.dramas",
    "cogs.ratings",
    "cogs.rating_prompts",
    "cogs.recommend",
    "cogs.taste",
    "cogs.watchlist",
    "cogs.upnext",
    "cogs.watchnight",
    "cogs.watch_results",
    "cogs.live_tally",
    "cogs.help",
)
SYNC_BACKOFF = (2.0, 4.0, 8.0, 16.0, 32.0, 60.0)
"""Seconds between command-sync retries after a Discord server error (5xx); the last repeats."""
DISCORD_RETRIES = frozenset({500, 502, 504, 524})
"""The 5xx statuses discord.py's HTTP client retries by itself (discord/http.py), silently."""


class CommandSyncRefused(Exception):
    """Discord refused the command sync for a reason only the operator can fix (403 or 400).

    The message is one line saying what to fix; `bot.cli` prints it and exits 2.
    """


def sync_refusal(error: discord.HTTPException, dev_guild_id: int | None) -> str:
    """One line for a 403 or 400 answer to the command sync (Discord's codes: 50001 Missing Access,
    50035 Invalid Form Body, which `app_commands.CommandSyncFailure` pins on a command and field)."""
    if error.status == 403:
        where = f"guild {dev_guild_id} (DEV_GUILD_ID)" if dev_guild_id else "this application"
        return (
            f"Discord refused to register the slash commands in {where}: 403 {error.text or 'Forbidden'} "
            f"(code {error.code}). The bot is not in that server or was invited without the "
            "applications.commands scope: re-invite it with scopes bot + applications.commands (README, "
            "Running it on Discord, step 3)" + (", or fix or empty DEV_GUILD_ID in .env." if dev_guild_id else ".")
        )
    detail = "; ".join(part.strip() for part in str(error).splitlines()[1:] if part.strip()) or error.text
    return (
        f"Discord rejected the slash commands as invalid (400, code {error.code}): {detail}. "
        "Fix that command's definition in cogs/ (names: 1-32 lowercase characters; descriptions: 1-100)."
    )


def sync_trace(log_retry: logging.Logger) -> aiohttp.TraceConfig:
    """An aiohttp trace that logs, one line each, the 5xx answers to a command sync that discord.py
    retries by itself (otherwise it waits up to 25 s in silence)."""
    trace = aiohttp.TraceConfig()

    async def on_request_end(_session: object, _context: object, params: aiohttp.TraceRequestEndParams) -> None:
        status = params.response.status
        if params.method == "PUT" and params.url.path.endswith("/commands") and status in DISCORD_RETRIES:
            log_retry.warning("command sync: Discord answered %d (server error); discord.py retries it", status)

    trace.on_request_end.append(on_request_end)
    return trace


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
        self,
        settings: Settings,
        catalog: Catalog,
        storage: Storage,
        recommender: Recommender,
        *,
        sync: bool = True,
        **shards: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            http_trace=sync_trace(log),
            **shards,
        )
        self.settings = settings
        self.catalog = catalog
        self.storage = storage
        self.recommender = recommender
        self._sync = sync
        self._sync_task: asyncio.Task[None] | None = None
        self.sync_refused: str | None = None
        """Set (one line) when Discord refused a retried sync; the bot then closes and cli exits 2."""
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
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        if not self._sync:
            return
        # Sync here, never in on_ready (which runs again on every reconnect). A refusal (403, 400)
        # stops start-up; a Discord server error (5xx) is retried in the background while the bot
        # serves the commands Discord already has.
        try:
            await self.sync_commands()
        except discord.DiscordServerError as exc:
            self._sync_task = asyncio.create_task(self._retry_sync(exc.status), name="ramen-command-sync")

    async def sync_commands(self) -> None:
        """Sync the app commands to DEV_GUILD_ID (at once) or globally.

        Raises:
            CommandSyncRefused: Discord answered 403 or 400 (one line saying what to fix).
            discord.DiscordServerError: Discord answered 5xx (after discord.py's own retries).
        """
        guild_id = self.settings.dev_guild_id
        try:
            if guild_id:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("synced %d app commands to guild %s", len(synced), guild_id)
            else:
                synced = await self.tree.sync()
                log.info("synced %d global app commands", len(synced))
        except discord.HTTPException as exc:
            if exc.status in (400, 403):
                raise CommandSyncRefused(sync_refusal(exc, guild_id)) from None
            raise

    async def _retry_sync(self, status: int) -> None:
        """Retry the sync with backoff (`SYNC_BACKOFF`), one log line per retry, until it succeeds;
        a refusal on the way closes the bot with `sync_refused` set."""
        attempt = 0
        while True:
            delay = SYNC_BACKOFF[min(attempt, len(SYNC_BACKOFF) - 1)]
            attempt += 1
            log.warning(
                "command sync: Discord answered %d (server error); retry %d in %.0f s, serving the commands "
                "Discord already has meanwhile",
                status,
                attempt,
                delay,
            )
            await asyncio.sleep(delay)
            try:
                await self.sync_commands()
                return
            except CommandSyncRefused as exc:
                self.sync_refused = str(exc)
                await self.close()
                return
            except discord.DiscordServerError as exc:
                status = exc.status

    async def close(self) -> None:
        if self._sync_task is not None and self._sync_task is not asyncio.current_task():
            self._sync_task.cancel()
        await super().close()

    async def on_ready(self) -> None:
        log.info("logged in as %s (%s) in %d guilds", self.user, getattr(self.user, "id", "?"), len(self.guilds))


class ShardedRamenBot(RamenBot, commands.AutoShardedBot):
    """The bot on a range of shards (`SHARD_COUNT`, `SHARD_IDS`): one gateway connection per shard,
    everything else as `RamenBot`. Several processes, each with its own range, share one PostgreSQL."""


def build_bot(settings: Settings, catalog: Catalog, storage: Storage, recommender: Recommender) -> RamenBot:
    """The bot the settings ask for: `RamenBot` (no shard settings: one process, as Discord assigns),
    or `ShardedRamenBot` on `settings.shard_ids` of `settings.shard_count`.

    Only the process running shard 0 syncs the app commands (a sync is global: one is enough, and
    N processes syncing at every start would spend N times the rate-limited call).
    """
    if settings.shard_count is None:
        return RamenBot(settings, catalog, storage, recommender)
    ids = list(settings.shard_ids or range(settings.shard_count))
    return ShardedRamenBot(
        settings, catalog, storage, recommender, sync=0 in ids, shard_count=settings.shard_count, shard_ids=ids
    )
