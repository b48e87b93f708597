"""Pure embed builders: catalog data in, `discord.Embed` out; /drama, /characters, /shouldiwatch, /spoilers.

Every limit Discord enforces is applied here, in `EmbedDraft`. Descriptions and field values
accept only `Markup` from `bot.ui.markup`, so spoiler text reaches an embed through the one
spoiler formatter and only where Discord renders it; titles, field names and footers are
escaped plain text and never carry a spoiler fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import discord

from bot.catalog.model import Character, Drama, Fit
from bot.catalog.verdict import Answer, profile
from bot.catalog.vocabulary import LOOKING_FOR
from bot.ratings.scores import BOWL, MAX_SCORE, one_decimal
from bot.ui import limits
from bot.ui.markup import ELLIPSIS, Markup, concat, fact_markup, md, plain, spoiler

COLOUR = discord.Colour(0xE8A33D)  # broth
SPOILER_COLOUR = discord.Colour(0x2B2D31)
FIT_LABEL = {Fit.YES: "✅ Yes", Fit.MAYBE: "🤔 Maybe", Fit.NO: "🙅 Probably not", Fit.UNKNOWN: "🤷 Can't tell yet"}


class Section(StrEnum):
    """What `/spoilers` can reveal."""

    ENDING = "ending"
    DISLIKES = "dislikes"
    LIKES = "likes"
    CHARACTERS = "characters"


SECTION_LABEL = {
    Section.ENDING: "The ending",
    Section.DISLIKES: "What the reviewer disliked",
    Section.LIKES: "What the reviewer liked",
    Section.CHARACTERS: "Character spoilers",
}


class ScoreSummary(Protocol):
    """A server's ramen score for one drama (`bot.store.GuildScore` fits)."""

    @property
    def mean(self) -> float | None: ...

    @property
    def count(self) -> int: ...


@dataclass
class EmbedDraft:
    """Collects an embed's parts and builds it within Discord's limits.

    Lines of a description or field value are kept whole: when they do not fit, the last lines
    are dropped and "…" is shown, so a spoiler block is never cut open. Fields past 25, or past
    the 6000-character total, are dropped and counted in the footer.
    """

    title: str
    colour: discord.Colour = COLOUR
    description: list[Markup] = field(default_factory=list)
    fields: list[tuple[str, Markup, bool]] = field(default_factory=list)
    footer: str | None = None

    def describe(self, *lines: Markup) -> EmbedDraft:
        """Add description lines (Markup only; raises TypeError on a bare str)."""
        self.description.extend(_checked(lines))
        return self

    def add_field(self, name: str, lines: Iterable[Markup], *, inline: bool = False) -> EmbedDraft:
        """Add a field: `name` is plain text (escaped, never a spoiler), `lines` Markup joined ≤ 1024.

        A field whose lines are all empty is left out (Discord refuses empty values).
        """
        value = _join_within(list(_checked(lines)), limits.FIELD_VALUE)
        if value:
            self.fields.append((name, value, inline))
        return self

    def build(self) -> discord.Embed:
        """The `discord.Embed`, with every limit applied (title 256, description 4096, 25 fields, 6000)."""
        title = _cut(self.title, limits.EMBED_TITLE)
        description = _join_within(self.description, limits.EMBED_DESCRIPTION) or None
        footer = _cut(self.footer, limits.FOOTER) if self.footer else None
        total = len(title) + len(description or "") + len(footer or "")
        reserve = 40  # room for the "n more not shown" footer note
        embed = discord.Embed(title=title, description=description, colour=self.colour)
        dropped = 0
        for name, value, inline in self.fields:
            name = _cut(name, limits.FIELD_NAME)
            size = len(name) + len(value)
            if len(embed.fields) >= limits.EMBED_FIELDS or total + size > limits.EMBED_TOTAL - reserve:
                dropped += 1
                continue
            embed.add_field(name=name, value=value, inline=inline)
            total += size
        if dropped:
            note = f"{dropped} more not shown"
            footer = f"{footer} · {note}" if footer else note
            footer = _cut(footer, limits.FOOTER)
        if footer:
            embed.set_footer(text=footer)
        return embed


def _checked(lines: Iterable[Markup]) -> Iterable[Markup]:
    for line in lines:
        if not isinstance(line, Markup):
            raise TypeError(f"embed text must come through bot.ui.markup, got bare str {line!r}")
        yield line


def _join_within(lines: Sequence[Markup], limit: int) -> Markup:
    out: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        extra = len(line) + (1 if out else 0)
        more_after = i < len(lines) - 1
        if used + extra + (2 if more_after else 0) > limit:
            if used + 2 <= limit:
                out.append(ELLIPSIS)
            break
        out.append(line)
        used += extra
    return Markup("\n".join(out))


def _cut(text: str, limit: int) -> str:
    # For titles, names and footers: plain escaped text (no spoiler markup ever goes here).
    return plain(text, limit)


def bowls(score: int) -> str:
    """`score` ramen bowls as emoji, e.g. bowls(3) == "🍜🍜🍜"."""
    return BOWL * max(0, min(MAX_SCORE, score))


def format_date(day: dt.date) -> str:
    """ "Dec 16, 2020" (no leading zero on the day)."""
    return day.strftime("%b {d}, %Y").replace("{d}", str(day.day))


def format_dates(start: dt.date | None, end: dt.date | None) -> str | None:
    """ "Dec 16, 2020 – Feb 4, 2021", "from Dec 16, 2020", or None when the start is unknown."""
    if start is None:
        return None
    return f"{format_date(start)} – {format_date(end)}" if end else f"from {format_date(start)}"


def listing(items: Sequence[str], limit: int = limits.FIELD_VALUE) -> Markup:
    """Comma-separated escaped list, cut to `limit`."""
    return plain(", ".join(items), limit)


def reviewer_line(drama: Drama) -> Markup:
    """The reviewer's score as bowls and "n/10", or "Not reviewed yet"."""
    if drama.review is None:
        return md("Not reviewed yet")
    line = concat(md(bowls(drama.review.ramen)), md(f" **{drama.review.ramen}/10**"), sep="")
    if drama.review.has_unspoiled_review:
        line = concat(line, md("\nThe reviewer also wrote a spoiler-free review of it."), sep="")
    return line


def server_line(score: ScoreSummary | None) -> Markup:
    """A server's score as "**m/10** from n votes" (halves rounded up), or how to add the first vote."""
    if score is None or not score.count or score.mean is None:
        return md("No votes yet: `/rate` to add yours")
    votes = "vote" if score.count == 1 else "votes"
    return md(f"**{one_decimal(score.mean)}/10** from {score.count} {votes}")


def drama_title(drama: Drama) -> str:
    """ "Title (year)", or the bare title when the year is unknown (plain text, for titles and names)."""
    return f"{drama.title} ({drama.year})" if drama.year else drama.title


# --------------------------------------------------------------------------- /drama


def drama_embed(drama: Drama, server_score: ScoreSummary | None = None) -> discord.Embed:
    """The `/drama` summary card: facts, premise, the reviewer's and the server's ramen scores.

    Args:
        drama: the catalog entry.
        server_score: this guild's score (count 0: no votes yet); None outside a guild (field left out).
    Returns:
        A spoiler-free embed (spoiler-level premise facts, if any, are wrapped in tags).
    """
    draft = EmbedDraft(drama_title(drama))
    if drama.premise:
        draft.describe(*(fact_markup(f, limits.EMBED_DESCRIPTION) for f in drama.premise))
    elif drama.review is None:
        draft.describe(md("*Not reviewed yet:* the catalog has only the facts below."))
    _add_facts(draft, drama)
    draft.add_field("Reviewer's ramen", [reviewer_line(drama)], inline=True)
    if server_score is not None:  # None: not in a server (a DM), where there is no server score
        draft.add_field("Server's ramen", [server_line(server_score)], inline=True)
    if drama.community_score is not None:
        source = drama.community_source or "community score"
        score = md(f"{one_decimal(drama.community_score)}/10 · ")
        draft.add_field("Community score", [concat(score, plain(source, 200))], inline=True)
    if drama.tags:
        draft.add_field("Tags", [listing(drama.tags)])
    if drama.spoiler_tags:
        draft.add_field("Spoiler tags", [spoiler(", ".join(drama.spoiler_tags), limits.FIELD_VALUE)])
    safe_likes = [i for i in drama.liked if not i.is_spoiler]
    if safe_likes:
        draft.add_field("The reviewer liked", [concat(md("• "), plain(i.head, 200)) for i in safe_likes])
    hidden = drama.spoiler_tags or any(f.is_spoiler for f in drama.premise)
    sections = ", ".join(s.value for s in sections_of(drama))  # which /spoilers sections exist, not what is in them
    draft.footer = (
        ("Spoilers stay behind black bars" if hidden else "No spoilers here")
        + " · /characters · /shouldiwatch"
        + (f" · /spoilers: {sections}" if sections else "")
    )
    return draft.build()


def _add_facts(draft: EmbedDraft, drama: Drama) -> None:
    """The inline fact fields of /drama: aired (or released), episodes, network, where to watch, genres, starring.

    A show a streaming service put out all at once (no end date, a streaming network) reads
    "Released: <date>"; a network that is also the only place to watch is said once. A fact the
    catalog does not have gives an empty field, which `EmbedDraft.add_field` leaves out.
    """
    if drama.aired_end is None and drama.aired_start is not None and is_streaming_release(drama):
        draft.add_field("Released", [md(format_date(drama.aired_start))], inline=True)
    else:
        draft.add_field("Aired", [md(format_dates(drama.aired_start, drama.aired_end) or "")], inline=True)
    draft.add_field("Episodes", [md(str(drama.episodes) if drama.episodes else "")], inline=True)
    if drama.network and tuple(drama.network) == tuple(drama.platforms):
        draft.add_field("Network · where to watch", [listing(drama.network)], inline=True)
    else:
        draft.add_field("Network", [listing(drama.network)], inline=True)
        draft.add_field("Where to watch", [listing(drama.platforms)], inline=True)
    draft.add_field("Genres", [listing(drama.genres)], inline=True)
    draft.add_field("Starring", [listing(drama.starring or drama.cast[:2])], inline=True)


STREAMING_NETWORKS = frozenset(
    n.casefold()
    for n in (
        "Netflix",
        "Disney+",
        "Disney+ Hotstar",
        "TVING",
        "Wavve",
        "Coupang Play",
        "Apple TV",
        "Apple TV+",
        "Prime Video",
        "Amazon Prime Video",
        "Viki",
        "iQIYI",
        "WeTV",
        "Watcha",
        "Kakao TV",
        "Hulu",
    )
)
"""Networks that are streaming services: a show they put out without an end date was released all at once."""


def is_streaming_release(drama: Drama) -> bool:
    """Whether every original network of `drama` is a streaming service (`STREAMING_NETWORKS`)."""
    return bool(drama.network) and all(n.casefold() in STREAMING_NETWORKS for n in drama.network)


# --------------------------------------------------------------------------- /characters


def cast_embed(drama: Drama) -> discord.Embed:
    """The cast at a glance: one field per character (name, actor, role, first safe fact)."""
    draft = EmbedDraft(f"Characters of {drama.title}")
    if not drama.characters:
        cast = drama.cast or drama.starring
        if cast:
            draft.describe(concat(md("The catalog has no character cards for this show yet. Cast: "), listing(cast)))
        else:
            draft.describe(md("The catalog has no character cards for this show yet."))
        return draft.build()
    draft.describe(md("Pick a character in the menu below to open their card. Spoilers stay hidden."))
    for character in drama.visible_characters:
        lines = [_actor_line(character)]
        safe = character.safe_facts
        if safe:
            lines.append(fact_markup(safe[0], 300))
        draft.add_field(character.name, lines, inline=True)
    hidden = drama.hidden_characters
    if hidden:  # named nowhere outside spoiler tags: only how many there are
        draft.describe(md(f"*{_more_characters(hidden)}*"))
    return draft.build()


def _more_characters(hidden: int) -> str:
    """ "One more character: a spoiler." / "2 more characters: spoilers." (no names)."""
    return "One more character: a spoiler." if hidden == 1 else f"{hidden} more characters: spoilers."


def _actor_line(character: Character) -> Markup:
    role = md(f"*{character.role.label}*")
    if character.actor:
        return concat(role, md(" · played by "), plain(character.actor, 200))
    return concat(role, md(" · actor not listed"))


def character_embed(drama: Drama, character: Character) -> discord.Embed:
    """One character's card: actor, role, who they are; spoiler facts only inside `||…||`."""
    draft = EmbedDraft(f"{character.name} · {drama.title}")
    draft.describe(*(concat(md("• "), fact_markup(f, 1000)) for f in character.facts))
    if not character.facts:
        draft.describe(md("No details in the catalog yet."))
    draft.add_field("Played by", [plain(character.actor, 200) if character.actor else md("not listed")], inline=True)
    draft.add_field("Role", [md(character.role.label)], inline=True)
    if character.aliases:
        draft.add_field("Also called", [listing(character.aliases)], inline=True)
    if character.spoiler_facts:
        draft.footer = "Spoilers are hidden: click to reveal"
    return draft.build()


# --------------------------------------------------------------------------- /shouldiwatch


def verdict_embed(drama: Drama, answer: Answer | None = None, *, kindred: str | None = None) -> discord.Embed:
    """Who the show is for and not for, the reviewer's score, and (with `answer`) a clear verdict.

    `kindred`: `bot.ui.messages.kindred_line` ("Members with your taste rate it 8.5 (4 members)."), or None.
    """
    draft = EmbedDraft(f"Should I watch {drama.title}?")
    if answer is not None:
        label = LOOKING_FOR.get(answer.looking_for, answer.looking_for)
        draft.describe(
            concat(md(f"**Looking for {label.lower()}? {FIT_LABEL[answer.fit]}.** "), plain(answer.reason, 1000))
        )
    if drama.review and drama.review.summary:
        draft.describe(plain(drama.review.summary, 1000))
    audience = drama.audience
    if audience is not None:
        if audience.summary:
            draft.describe(plain(audience.summary, 1000))
        draft.add_field("Watch it if you like", [concat(md("• "), plain(t, 300)) for t in audience.for_])
        draft.add_field("Skip it if you want", [concat(md("• "), plain(t, 300)) for t in audience.not_for])
    elif answer is None:
        _profile_fields(draft, drama)
    draft.add_field("Reviewer's ramen", [reviewer_line(drama)], inline=True)
    if drama.episodes:
        draft.add_field("Episodes", [md(str(drama.episodes))], inline=True)
    if kindred:
        draft.add_field("This server", [plain(kindred, 300)])
    return draft.build()


def _profile_fields(draft: EmbedDraft, drama: Drama) -> None:
    """For an entry without audience text: who it is likely for and not for, from its genres, tags
    and episodes (`bot.catalog.verdict.profile`)."""
    grouped = profile(drama)
    draft.describe(md("Not reviewed yet. From its genres, tags and episodes (pick `looking_for` for the reasons):"))
    for fit, name in ((Fit.YES, "Likely for"), (Fit.NO, "Probably not for")):
        if grouped[fit]:
            draft.add_field(name, [md(", ".join(LOOKING_FOR[i].lower() for i in grouped[fit]))])
    if not grouped[Fit.YES] and not grouped[Fit.NO]:
        draft.describe(md("Its genres and tags do not say clearly who it is for yet."))


# --------------------------------------------------------------------------- /spoilers


def spoilers_embed(drama: Drama, section: Section) -> discord.Embed:
    """Every fact of `section` inside spoiler tags, whatever its level (the member asked to see them).

    Heads of liked/disliked items are part of the fact, so they go inside the tags too; field
    names only carry character names or neutral labels.
    """
    label = SECTION_LABEL[section]  # "(spoilers)" unless the label says so already ("Character spoilers")
    heading = f"{drama.title}: {label}" if "spoiler" in label.casefold() else f"{drama.title}: {label} (spoilers)"
    draft = EmbedDraft(heading, colour=SPOILER_COLOUR)
    if section is Section.ENDING:
        draft.describe(*(concat(md("• "), fact_markup(f, 1000, force_spoiler=True)) for f in drama.ending))
    elif section in (Section.DISLIKES, Section.LIKES):
        items = drama.disliked if section is Section.DISLIKES else drama.liked
        noun = "Dislike" if section is Section.DISLIKES else "Like"
        for i, item in enumerate(items, 1):
            draft.add_field(f"{noun} {i}", [spoiler(f"{item.head}: {item.text}", limits.FIELD_VALUE)])
    else:
        for character in drama.characters:
            facts = [concat(md("• "), fact_markup(f, 1000)) for f in character.spoiler_facts]
            if character.is_spoiler_only:  # field names never carry spoilers: the name goes in the tags
                draft.add_field("A character who is a spoiler", [spoiler(character.name, 200), *facts])
            elif facts:
                draft.add_field(character.name, facts)
    if not draft.description and not draft.fields:
        draft.describe(md("The catalog has nothing in this section for this show yet."))
    draft.footer = "Spoilers: tap a black bar to reveal it"
    return draft.build()


def sections_of(drama: Drama) -> list[Section]:
    """The `/spoilers` sections `drama` has something in, in `Section` order (names only: no spoiler)."""
    return [section for section in Section if has_section(drama, section)]


def missing_section(drama: Drama, section: Section) -> str:
    """The answer to `/spoilers` for a section `drama` lacks, naming the sections it does have, e.g.
    "The catalog has nothing under “The ending” for Run On yet. Try: likes, characters." """
    have = ", ".join(s.value for s in sections_of(drama))
    tail = f" Try: {have}." if have else " It has no spoiler sections at all yet."
    return f"The catalog has nothing under “{SECTION_LABEL[section]}” for {plain(drama.title, 200)} yet.{tail}"


def has_section(drama: Drama, section: Section) -> bool:
    """Whether `drama` has anything to show in `section`."""
    return bool(
        {
            Section.ENDING: drama.ending,
            Section.DISLIKES: drama.disliked,
            Section.LIKES: drama.liked,
            Section.CHARACTERS: [c for c in drama.characters if c.spoiler_facts],
        }[section]
    )
