"""Pressing a message's buttons and picking from its menus in the console (`:select`, `:click`),
dispatched the way discord.py does: the item's (or view's) check, then its callback. A component of
a message restored from an earlier session (`bot.console.saved`) is a plain button or menu; a press
on it goes, as in discord.py after a restart, to the dynamic item whose template its custom_id
matches (`bot.ui.views.DYNAMIC_ITEMS`), rebuilt with `from_custom_id`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.console.commands import ConsoleUsageError, unquote
from bot.console.show import base_item
from bot.console.stand_ins import ConsoleInteraction, ConsoleMessage
from bot.ui.errors import handle_app_command_error
from bot.ui.views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.console.session import ConsoleSession


async def component(session: ConsoleSession, line: str) -> None:
    """`:select <msg #> <option>` or `:click <msg #> <label>` as a member (`as:`).

    Raises ConsoleUsageError when the message has no such enabled menu option or button.
    """
    text, user, _in_dm = session.meta(line)
    verb, _, rest = text.partition(" ")
    ref, _, choice = rest.strip().partition(" ")
    target = session.find_message(ref)
    if not isinstance(target, ConsoleMessage):
        raise ConsoleUsageError(f"message {ref} is not in the console server")
    if target.view is None:
        gone = " (its buttons and menus were in an earlier console session)" if target.restored_view else ""
        raise ConsoleUsageError(f"message #{target.number} has no buttons or menus{gone}")
    view, choice = target.view, unquote(choice.strip())
    interaction = ConsoleInteraction(session, user, in_dm=target.guild_id is None, message=target)
    session.echo(line)
    for child in view.children:
        item = base_item(child)
        if verb == ":select" and isinstance(item, discord.ui.Select) and not item.disabled:
            option = next((o for o in item.options if choice.casefold() in (o.label.casefold(), o.value)), None)
            if option is None:
                labels = " | ".join(o.label for o in item.options)
                raise ConsoleUsageError(f":select {ref} <one of: {labels}>")
            # discord.py's own state update for a select interaction.
            item._refresh_state(interaction, {"values": [option.value]})  # type: ignore[arg-type]
            await _dispatch_item(session, view, await _live(child, interaction), interaction)
            return
        if verb == ":click" and is_button(item, choice):
            await _dispatch_item(session, view, await _live(child, interaction), interaction)
            return
    raise ConsoleUsageError(f"message #{target.number} has no enabled {verb[1:]} matching {choice!r}")


async def _live(child: discord.ui.Item, interaction: Any) -> discord.ui.Item:
    """`child` itself, or for a plain item whose custom_id matches a dynamic item's template, that
    dynamic item rebuilt from it (discord.py's ViewStore does the same for a message it has no view for)."""
    custom_id = getattr(child, "custom_id", None)
    if isinstance(child, discord.ui.DynamicItem) or not custom_id:
        return child
    for factory in DYNAMIC_ITEMS:
        match = factory.__discord_ui_compiled_template__.fullmatch(custom_id)
        if match is not None:
            return await factory.from_custom_id(interaction, child, match)
    return child


async def _dispatch_item(
    session: ConsoleSession, view: discord.ui.View, child: discord.ui.Item, interaction: Any
) -> None:
    """As discord.py does: a dynamic item's own check (else the view's), then its callback."""
    check = child.interaction_check if isinstance(child, discord.ui.DynamicItem) else view.interaction_check
    if await check(interaction):
        try:
            await child.callback(interaction)  # type: ignore[arg-type]
        except Exception as exc:
            await handle_app_command_error(interaction, exc)  # type: ignore[arg-type]
    elif not interaction.response.is_done():
        session.write("  (this component refused you)")


def is_button(item: discord.ui.Item, choice: str) -> bool:
    if not isinstance(item, discord.ui.Button) or item.disabled:
        return False
    return choice.casefold() in {(item.label or "").casefold(), (item.custom_id or "").casefold()}
