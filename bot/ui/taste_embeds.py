"""/taste: how two members' votes in this server agree, as an embed (no spoilers: titles and scores only)."""

from __future__ import annotations

from collections.abc import Callable

import discord

from bot.recommend.taste import MIN_OVERLAP, Affinity
from bot.ui.embeds import EmbedDraft
from bot.ui.markup import concat, md, plain

MAX_FAVOURITES = 5
"""At most this many shared favourites are listed."""


def affinity_words(percent: int) -> str:
    """A plain reading of an affinity percentage: "very alike" … "opposite tastes"."""
    if percent >= 60:
        return "very alike"
    if percent >= 30:
        return "alike"
    if percent > -30:
        return "neither alike nor opposite"
    return "opposite tastes"


def taste_embed(
    me: str, them: str, affinity: Affinity | None, shared: int, title_of: Callable[[str], str]
) -> discord.Embed:
    """`me` and `them` compared: affinity as a percentage, favourites in common, biggest disagreement.

    Args:
        me, them: display names (escaped here).
        affinity: `GuildTaste.affinity(me, them)`, or None when they share fewer than MIN_OVERLAP shows.
        shared: how many shows both have rated here.
        title_of: drama id → the title to show (the id itself when the catalog no longer has it).
    """
    draft = EmbedDraft(f"Taste: {me} and {them}")
    if affinity is None:
        draft.describe(
            concat(
                md(f"Not enough in common yet: you have rated {shared} of the same shows here, and affinity needs "),
                md(f"at least {MIN_OVERLAP}. Rate a few more with /rate and ask again."),
            )
        )
        return draft.build()
    draft.describe(
        concat(
            md(f"**Affinity {affinity.percent}%** ({affinity_words(affinity.percent)}), over "),
            md(f"{affinity.overlap} shows you both rated here."),
        )
    )
    favourites = [concat(md("• "), plain(title_of(d), 200)) for d in affinity.favourites[:MAX_FAVOURITES]]
    draft.add_field("Favourites in common", favourites or [md("None yet: no show you both rated 8 or more.")])
    if affinity.disagreement is not None:
        drama_id, mine, theirs = affinity.disagreement
        draft.add_field(
            "Biggest disagreement",
            [concat(plain(title_of(drama_id), 200), md(f": you {mine}/10, "), plain(them, 100), md(f" {theirs}/10"))],
        )
    draft.footer = "Affinity: Pearson correlation of your votes, shrunk while you share few shows"
    return draft.build()
