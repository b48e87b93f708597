"""What the watch commands say: watchlist and up-next replies, their embeds, and the "members here"
field on /drama and /shouldiwatch.

Titles come from the catalog and names from members, so both go through `bot.ui.markup.plain`
(shown as typed, pinging nobody). Members who opted in are named as mentions, which render as
their name and never ping (every reply is sent with `AllowedMentions.none()`).
"""

from __future__ import annotations

from collections.abc import Callable

import discord
from discord import app_commands

from bot.catalog.model import Drama
from bot.store import Privacy, Queue, Watchers, Watchlist
from bot.ui import limits
from bot.ui.embeds import EmbedDraft, drama_title
from bot.ui.markup import Markup, concat, md, plain
from bot.watch.upnext import BackOutcome, QueueEntry
from bot.watch.watchlist import Entry, Status, WatchedOutcome, counts_line

STATUS_CHOICES = [app_commands.Choice(name=s.label, value=s.value) for s in Status]
"""/watchlist add's `status` choices: plan to watch, watching, finished, dropped."""
STATUS_ICON = {Status.PLAN_TO_WATCH: "🗓️", Status.WATCHING: "▶️", Status.FINISHED: "✅", Status.DROPPED: "⏹️"}
UPNEXT_SHOWN = 10
"""/upnext show lists this many titles (the head of the queue, as a watch-night poll would take them)."""
WATCHERS_FIELD = "Members here"
MANAGE_SERVER_NEEDED = "Setting the up-next remover role needs the Manage Server permission."

TitleOf = Callable[[str], str]
"""drama id → the title to show (the catalog's, or a note that it left the catalog)."""


def name(drama: Drama) -> Markup:
    """A drama's title for content: bold, escaped."""
    return concat(md("**"), plain(drama.title, 200), md("**"), sep="")


def entry_words(entry: Entry) -> str:
    """ "watching, episode 3" / "finished" / "plan to watch"."""
    if entry.episode is not None and entry.status in (Status.WATCHING, Status.DROPPED):
        return f"{entry.status.label}, episode {entry.episode}"
    return entry.status.label


# ------------------------------------------------------------------ watchlists


def added(drama: Drama, entry: Entry, previous: Entry | None) -> str:
    """The answer to /watchlist add."""
    if previous is None:
        return f"{STATUS_ICON[entry.status]} Added {name(drama)} to your watchlist: {entry_words(entry)}."
    return (
        f"{STATUS_ICON[entry.status]} {name(drama)} on your watchlist: {entry_words(previous)} → {entry_words(entry)}."
    )


def watched(drama: Drama, outcome: WatchedOutcome) -> str:
    """The answer to /watched."""
    if outcome.finished_now:
        return f"✅ Finished {name(drama)}! It moved to your finished list."
    text = f"▶️ {name(drama)}: you are at episode {outcome.entry.episode}"
    if drama.episodes:
        text += f" of {drama.episodes}"
    return text + (" (back from where you were)." if outcome.went_back else ".")


def removed(drama: Drama, was_there: bool) -> str:
    """The answer to /watchlist remove."""
    if was_there:
        return f"Took {name(drama)} off your watchlist."
    return f"{name(drama)} was not on your watchlist here."


def list_is_private(owner: str) -> str:
    """Another member's list is private."""
    return f"{plain(owner, 100)} keeps their watchlist private."


def privacy(now: Privacy) -> str:
    """The answer to /watchlist privacy: the settings in force."""
    seen = "only you can see your watchlist" if now.list_private else "members here may see your watchlist"
    named = (
        "you may be named beside the counts on /drama"
        if now.named_in_counts
        else "you are only counted, never named, on /drama"
    )
    return f"Your watchlist privacy here: {seen}; {named}."


def watchlist_embed(owner: str, listed: Watchlist, title_of: TitleOf, *, own: bool) -> discord.Embed:
    """A member's watchlist: one field per status (empty ones left out), within Discord's limits."""
    draft = EmbedDraft(f"{owner}'s watchlist" if not own else "Your watchlist")
    if not listed.entries and own:
        draft.describe(md("Nothing here yet: `/watchlist add title:…` to start one."))
    elif not listed.entries:  # someone else's list: no advice meant for its owner
        draft.describe(concat(plain(owner, 100), md(" has nothing on their watchlist here yet."), sep=""))
    for status in Status:
        lines = [
            concat(md("• "), plain(title_of(e.drama_id), 150), md(_episode_note(e.entry)), sep="")
            for e in listed.entries
            if e.entry.status is status
        ]
        draft.add_field(f"{STATUS_ICON[status]} {status.label.capitalize()} ({len(lines)})", lines)
    if listed.total > len(listed.entries):
        draft.footer = f"{listed.total - len(listed.entries)} more not shown"
    return draft.build()


def _episode_note(entry: Entry) -> str:
    if entry.episode is None or entry.status not in (Status.WATCHING, Status.DROPPED):
        return ""
    return f" · ep {entry.episode}"


def with_watchers(embed: discord.Embed, watchers: Watchers | None) -> discord.Embed:
    """`embed` with a "Members here" field: how many are watching or finished the drama here, and the
    opted-in members' names. Unchanged when nobody is (or outside a server) or when it would not fit."""
    if watchers is None:
        return embed
    line = counts_line(watchers.counts)
    if not line:
        return embed
    lines = [line]
    for status, ids in watchers.named.items():
        if ids:
            lines.append(f"{status.label.capitalize()}: " + ", ".join(f"<@{i}>" for i in ids))
    value = "\n".join(lines)[: limits.FIELD_VALUE]
    if len(embed.fields) >= limits.EMBED_FIELDS or len(embed) + len(WATCHERS_FIELD) + len(value) > limits.EMBED_TOTAL:
        return embed
    return embed.add_field(name=WATCHERS_FIELD, value=value, inline=False)


# ------------------------------------------------------------------ up next


def upnext_added(drama: Drama, entry: QueueEntry, outcome: BackOutcome, member_id: int) -> str:
    """The answer to /upnext add, a public message: the member named by mention (sent with
    AllowedMentions.none(), so it pings nobody)."""
    backers = "1 backer" if entry.backer_count == 1 else f"{entry.backer_count} backers"
    if outcome is BackOutcome.ADDED:
        return f"📺 {name(drama)} is in up next, backed by <@{member_id}>. `/upnext show` for the queue."
    return f"👍 <@{member_id}> backs {name(drama)} in up next: {backers} now."


def upnext_removed(drama: Drama, entry_removed: bool, member_id: int) -> str:
    """The answer to /upnext remove (public): the entry went, or only the member's backing."""
    if entry_removed:
        return f"Took {name(drama)} out of up next."
    return f"<@{member_id}> no longer backs {name(drama)} in up next (others still do, so it stays)."


def upnext_embed(queue: Queue, title_of: TitleOf) -> discord.Embed:
    """The head of the server's up-next queue: place, title, backers; ✓ on what the asker backs."""
    draft = EmbedDraft("Up next in this server")
    if not queue.titles:
        draft.describe(md("The queue is empty: `/upnext add title:…` to suggest a drama."))
    for queued in queue.titles:
        backers = "1 backer" if queued.backers == 1 else f"{queued.backers} backers"
        mine = " · ✓ you back it" if queued.drama_id in queue.backed_by_member else ""
        draft.describe(
            concat(md(f"**{queued.place}.** "), plain(title_of(queued.drama_id), 150), md(f" — {backers}{mine}"))
        )
    draft.footer = ("More titles are queued after these · " if queue.more else "") + (
        "Ordered by backers, then by who was first"
    )
    return draft.build()


def remover_role_set(role: discord.Role | None) -> str:
    """The answer to /upnext role."""
    if role is None:
        return "Cleared the up-next remover role: only whoever added an entry and Manage Server may remove it."
    return f"Members with the role {plain(role.name, 100)} may now remove anyone's up-next entries."


def title_of(catalog_get: Callable[[str], Drama | None]) -> TitleOf:
    """A `TitleOf` over the catalog: "Title (year)", or the id with a note when it left the catalog."""

    def title(drama_id: str) -> str:
        drama = catalog_get(drama_id)
        return drama_title(drama) if drama else f"{drama_id} (no longer in the catalog)"

    return title
