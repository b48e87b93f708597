"""The fakes of Discord objects for calling real cog callbacks and listeners: interactions are
MagicMocks spec'd from discord.Interaction (a wrong attribute fails); messages, reactions and the
bot are small fakes recording what was done to them."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from unittest.mock import MagicMock

import discord
from discord import app_commands

CLOCK_START = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
"""Where `StepClock` starts: the storage tests' "now"."""


class StepClock:
    """A store clock (`Storage.open(..., clock=)`) that starts at `CLOCK_START` and moves one second per
    reading, so every write has its own time: the first write is stamped CLOCK_START + 1 s."""

    def __init__(self) -> None:
        self.now = CLOCK_START

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@dataclass
class Sent:
    """One message the code under test sent: how, and with which arguments."""

    via: str  # "response" or "followup" or "edit"
    kwargs: dict[str, Any]

    @property
    def embed(self) -> discord.Embed | None:
        return self.kwargs.get("embed")

    @property
    def content(self) -> str | None:
        return self.kwargs.get("content")

    @property
    def ephemeral(self) -> bool:
        return bool(self.kwargs.get("ephemeral"))

    @property
    def view(self) -> discord.ui.View | None:
        return self.kwargs.get("view")


@dataclass
class FakeResponse:
    """`interaction.response`: records sends; a second acknowledgement fails as on Discord."""

    sent: list[Sent]
    done: bool = False
    deferred: dict[str, Any] | None = None

    def is_done(self) -> bool:
        return self.done

    def _ack(self) -> None:
        if self.done:
            raise discord.InteractionResponded(MagicMock(spec=discord.Interaction))
        self.done = True

    async def send_message(self, content: str | None = None, **kwargs: Any) -> None:
        self._ack()
        self.sent.append(Sent("response", {"content": content, **kwargs}))

    async def defer(self, **kwargs: Any) -> None:
        self._ack()
        self.deferred = kwargs

    async def edit_message(self, **kwargs: Any) -> None:
        self._ack()
        self.sent.append(Sent("edit", kwargs))


@dataclass
class FakeFollowup:
    sent: list[Sent]
    response: FakeResponse
    messages: list[Any] = field(default_factory=list)

    async def send(self, content: str | None = None, **kwargs: Any) -> Any:
        if not self.response.done:
            raise AssertionError("follow-up sent before the interaction was acknowledged")
        self.sent.append(Sent("followup", {"content": content, **kwargs}))
        message = MagicMock(spec=discord.WebhookMessage)
        message.id = 7_000 + len(self.messages)
        self.messages.append(message)
        return message


class FakeClient:
    """An interaction's client: the catalog, the storage (None unless given; the /recommend pager's
    buttons read it), and the bot's own events the code dispatched, as (event name, *args) in
    `dispatched`."""

    def __init__(self, catalog: Any, storage: Any = None) -> None:
        self.catalog = catalog
        self.storage = storage
        self.dispatched: list[tuple[Any, ...]] = []

    def dispatch(self, event_name: str, /, *args: Any) -> None:
        self.dispatched.append((event_name, *args))


_INTERACTION_IDS = itertools.count(333)


def make_interaction(
    *,
    guild_id: int | None = 111,
    user_id: int = 42,
    user_name: str = "alice",
    namespace: dict[str, Any] | None = None,
    client: Any = None,
) -> Any:
    """A `discord.Interaction` stand-in: `.sent` lists what was sent (response, follow-ups)."""
    interaction = MagicMock(spec=discord.Interaction)
    sent: list[Sent] = []
    interaction.sent = sent
    interaction.response = FakeResponse(sent)
    interaction.followup = FakeFollowup(sent, interaction.response)
    interaction.guild_id = guild_id
    interaction.guild = SimpleNamespace(id=guild_id, name="Test Server") if guild_id else None
    interaction.channel_id = 222
    interaction.id = next(_INTERACTION_IDS)  # unique, as Discord's snowflakes are
    user = MagicMock(spec=discord.Member)
    user.id, user.name, user.display_name, user.bot = user_id, user_name, user_name, False
    interaction.user = user
    interaction.namespace = app_commands.Namespace.__new__(app_commands.Namespace)
    interaction.namespace.__dict__.update(namespace or {})
    interaction.command = None
    interaction.client = client
    interaction.is_expired.return_value = False
    return interaction


async def invoke(command: app_commands.Command, interaction: Any, **options: Any) -> None:
    """Run an app command as discord.py's command tree does: option transformers (title → Drama),
    then the cog's callback. Raises the underlying error, as the tree's error handler sees it.

    The interaction's client, when it has none, is a `FakeClient` with the cog's catalog (the title
    transformer reads it) and the cog's storage, if it has one (the /recommend pager's buttons read it).
    """
    if interaction.client is None:
        binding = command.binding
        interaction.client = FakeClient(binding.catalog, getattr(binding, "storage", None))
    interaction.namespace.__dict__.update(options)
    try:
        await command._invoke_with_namespace(interaction, interaction.namespace)
    except (app_commands.CommandInvokeError, app_commands.TransformerError) as exc:
        raise (exc.__cause__ or exc) from None


BOT_ID = 5
"""The fake bot's user id: its own reactions never count."""


@dataclass
class FakeReaction:
    emoji: str
    user_ids: list[int]
    bots: set[int] = field(default_factory=set)

    def users(self, limit: int | None = None) -> Any:
        async def gen():
            for uid in self.user_ids:
                yield SimpleNamespace(id=uid, bot=uid in self.bots or uid == BOT_ID)

        return gen()


@dataclass
class FakeMessage:
    id: int
    reactions: list[FakeReaction] = field(default_factory=list)
    removed: list[tuple[str, int]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    forbid_remove: bool = False

    async def remove_reaction(self, emoji: str, member: discord.abc.Snowflake) -> None:
        if self.forbid_remove:
            raise discord.Forbidden(SimpleNamespace(status=403, reason="Missing Permissions"), "no")
        self.removed.append((emoji, member.id))

    async def add_reaction(self, emoji: str) -> None:
        self.added.append(emoji)


class FakeChannel:
    def __init__(self, messages: dict[int, FakeMessage]) -> None:
        self.messages = messages

    def get_partial_message(self, message_id: int) -> FakeMessage:
        return self.messages.setdefault(message_id, FakeMessage(message_id))

    async def fetch_message(self, message_id: int) -> FakeMessage:
        if message_id not in self.messages:
            raise discord.NotFound(SimpleNamespace(status=404, reason="Not Found"), "Unknown Message")
        return self.messages[message_id]


class FakeBot:
    """Just what the cog reads off the bot: its user and a channel to reach messages through."""

    def __init__(self) -> None:
        self.user = SimpleNamespace(id=BOT_ID)
        self.messages: dict[int, FakeMessage] = {}
        self.dispatched: list[tuple[Any, ...]] = []  # custom events, e.g. ("rating_vote", guild_id, message_id)

    def dispatch(self, event: str, *args: Any) -> None:
        self.dispatched.append((event, *args))

    def get_partial_messageable(self, channel_id: int, **_: Any) -> FakeChannel:
        return FakeChannel(self.messages)
