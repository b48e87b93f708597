"""App command options: the title transformer, autocomplete and fixed choices, within Discord's limits
(≤ 25 choices, names ≤ 100)."""

from __future__ import annotations

from collections.abc import Callable

import discord
from discord import app_commands

from bot.catalog.index import SUGGEST_CUTOFF, Catalog
from bot.catalog.model import Drama, normalize
from bot.catalog.vocabulary import LOOKING_FOR, matching_terms
from bot.ui import limits
from bot.ui.embeds import SECTION_LABEL, Section
from bot.ui.errors import UserFacingError
from bot.ui.markup import plain
from bot.ui.replies import ramen

TITLE_CUTOFF = 50  # rapidfuzz score (0-100) below which a title is not offered
TITLE_MARGIN = 25  # nor one this far below the best match (keeps typo matches, drops noise)


def choice(name: str, value: str) -> app_commands.Choice[str]:
    """An autocomplete choice within Discord's limits: name and value cut to 100 characters."""
    name = name if len(name) <= limits.CHOICE_NAME else name[: limits.CHOICE_NAME - 1] + "…"
    return app_commands.Choice(name=name, value=value[: limits.CHOICE_NAME])


def title_choices(catalog: Catalog, current: str) -> list[app_commands.Choice[str]]:
    """Up to 25 typo-tolerant title matches (rapidfuzz) for `current`; the value is the drama id."""
    # Nothing typed yet: the reviewed shows, then A to Z; otherwise the matches above the cutoff.
    cutoff = TITLE_CUTOFF if current.strip() else 0
    ranked = catalog.ranked(current, limit=limits.AUTOCOMPLETE_CHOICES, cutoff=cutoff)
    best = ranked[0][2] if ranked else 0.0
    return [choice(label, drama_id) for label, drama_id, score in ranked if score >= best - TITLE_MARGIN]


def character_choices(drama: Drama | None, current: str) -> list[app_commands.Choice[str]]:
    """Visible characters of `drama` whose name or alias contains `current` (folded), ≤ 25.

    The value is the character's key (`Drama.character_key`), so a name over 100 characters still
    resolves; a spoiler-only character is never offered.
    """
    if drama is None:
        return []
    key = normalize(current)
    out = []
    for character in drama.visible_characters:
        names = (character.name, *character.aliases)
        if not key or any(key in normalize(n) for n in names):
            out.append(choice(character.name, drama.character_key(character)))
    return out[: limits.AUTOCOMPLETE_CHOICES]


class DramaTitle(app_commands.Transformer):
    """A `title` option: typo-tolerant autocomplete, and the typed or picked value resolved to a Drama.

    The catalog comes from the bot (`ramen(interaction).catalog`). An unknown title raises
    `bot.catalog.index.UnknownTitle`, which discord.py wraps in `TransformerError`; the one error
    handler answers it with an ephemeral "did you mean".
    """

    async def transform(self, interaction: discord.Interaction, value: str) -> Drama:
        return ramen(interaction).catalog.resolve(value)

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        return title_choices(ramen(interaction).catalog, value)


Title = app_commands.Transform[Drama, DramaTitle]
"""Annotation for a title option: `title: Title` gives the callback a resolved `Drama`."""


LOOKING_FOR_CHOICES = [app_commands.Choice(name=label, value=key) for key, label in LOOKING_FOR.items()]
"""/shouldiwatch's `looking_for` choices (`bot.catalog.vocabulary.LOOKING_FOR`)."""


class FixedChoices(app_commands.Transformer):
    """A string option offered as fixed choices that also refuses any other value.

    Discord's client only sends a listed value, but a forged request can send anything; discord.py
    passes it through. Such a value raises `UserFacingError` (wrapped by discord.py in
    `TransformerError`), which the one error handler answers ephemerally, instead of failing deeper down.
    """

    def __init__(self, option: str, choices: list[app_commands.Choice[str]]) -> None:
        self.option = option
        self._choices = choices

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def choices(self) -> list[app_commands.Choice[str]]:  # type: ignore[override]
        return self._choices

    async def transform(self, interaction: discord.Interaction, value: str) -> str:
        if any(value == c.value for c in self._choices):
            return value
        listed = ", ".join(c.name for c in self._choices)
        raise UserFacingError(f"“{plain(value, 100)}” is not a choice for `{self.option}`; pick one of: {listed}.")


LookingFor = app_commands.Transform[str, FixedChoices("looking_for", LOOKING_FOR_CHOICES)]
"""Annotation for /shouldiwatch's `looking_for`: one of `LOOKING_FOR_CHOICES`, checked on arrival."""
SECTION_CHOICES = [app_commands.Choice(name=SECTION_LABEL[s], value=s.value) for s in Section]
"""/spoilers' `section` choices."""


def term_choices(vocabulary: list[str], current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for a /recommend filter: entries of `vocabulary` matching `current`, ≤ 25.

    A term over 100 characters is not offered: its value would have to be cut, and a cut term
    filters nothing."""
    offered = [v for v in vocabulary if len(v) <= limits.CHOICE_NAME]
    return [choice(v, v) for v in matching_terms(offered, current, limits.AUTOCOMPLETE_CHOICES)]


Suggest = Callable[[discord.Interaction, str], list[app_commands.Choice[str]]]
"""`suggest(interaction, typed)`: the choices to offer for what the member has typed so far."""


class Suggested(app_commands.Transformer):
    """A free-text option with suggestions: autocomplete offers `suggest(interaction, typed)` (cut to
    25), and the value reaches the callback as the member typed or picked it; the command's own rules
    check it (an unknown genre finds nothing, an unknown time zone is refused by `bot.watch.party`).

    The one option helper for /recommend's `genre`, `tag`, `platform`, `network` (`Genre`, `Tag`,
    `Platform`, `Network`) and /watchnight party's `timezone` (`bot.ui.watch_party.Zone`), so no
    cog carries its own autocomplete callbacks.
    """

    def __init__(self, suggest: Suggest) -> None:
        self._suggest = suggest

    async def transform(self, interaction: discord.Interaction, value: str) -> str:
        return value

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        return self._suggest(interaction, value)[: limits.AUTOCOMPLETE_CHOICES]


def _vocabulary(field: str) -> Suggested:
    """Suggestions from one of the recommender's vocabularies (`Recommender.genres`, `.tags`, …): only
    values the catalog holds."""
    return Suggested(lambda interaction, typed: term_choices(getattr(ramen(interaction).recommender, field), typed))


GENRES, TAGS, PLATFORMS, NETWORKS = (_vocabulary(f) for f in ("genres", "tags", "platforms", "networks"))
Genre = app_commands.Transform[str, GENRES]
"""/recommend's `genre`, e.g. Romance (autocompletes the catalog's genres)."""
Tag = app_commands.Transform[str, TAGS]
"""/recommend's `tag`, e.g. slow-burn romance (the catalog's tags; never a spoiler tag)."""
Platform = app_commands.Transform[str, PLATFORMS]
"""/recommend's `platform`, a streaming service (Netflix, Viki, …) the catalog holds."""
Network = app_commands.Transform[str, NETWORKS]
"""/recommend's `network`, an original broadcaster (tvN, JTBC, …) the catalog holds."""


def typed_title(catalog: Catalog, typed: str) -> Drama | None:
    """The drama a title option names so far: as picked (an id) or typed, or the closest title to a typo."""
    found = catalog.find(typed)
    if found is not None:
        return found
    return next((catalog.get(i) for _, i in catalog.search(typed, limit=1, cutoff=SUGGEST_CUTOFF)), None)
