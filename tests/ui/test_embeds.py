"""Renderers: Discord's limits, spoilers only where they render, escaping of hostile text."""

from __future__ import annotations

import datetime as dt
import re

import discord
import pytest

from bot.catalog.model import (
    Audience,
    AudienceNote,
    Character,
    Drama,
    EndingFact,
    Fact,
    Fit,
    Item,
    Review,
    Role,
    SpoilerLevel,
)
from bot.catalog.verdict import answer
from bot.ui import limits
from bot.ui.embeds import EmbedDraft, Section, cast_embed, character_embed, drama_embed, spoilers_embed, verdict_embed
from bot.ui.markup import md
from bot.ui.messages import did_you_mean

SPOILER_RE = re.compile(r"\|\|(.+?)(?<!\\)\|\|", re.S)
S, X = SpoilerLevel.SAFE, SpoilerLevel.SPOILER


def all_embeds(drama: Drama) -> list[discord.Embed]:
    embeds = [drama_embed(drama), cast_embed(drama), verdict_embed(drama)]
    embeds.append(verdict_embed(drama, answer(drama, "action")))
    embeds += [character_embed(drama, c) for c in drama.characters]
    embeds += [spoilers_embed(drama, s) for s in Section]
    return embeds


def assert_within_limits(embed: discord.Embed) -> None:
    assert len(embed.title or "") <= limits.EMBED_TITLE
    assert len(embed.description or "") <= limits.EMBED_DESCRIPTION
    assert len(embed.fields) <= limits.EMBED_FIELDS
    for f in embed.fields:
        assert 0 < len(f.name) <= limits.FIELD_NAME and 0 < len(f.value) <= limits.FIELD_VALUE
    assert len(embed.footer.text or "") <= limits.FOOTER if embed.footer else True
    assert len(embed) <= limits.EMBED_TOTAL


def spoiler_texts(drama: Drama) -> list[str]:
    texts = [f.text for f in drama.ending]
    texts += [f.text for c in drama.characters for f in c.spoiler_facts]
    texts += [i.text for i in (*drama.liked, *drama.disliked) if i.is_spoiler]
    texts += [i.head for i in (*drama.liked, *drama.disliked) if i.is_spoiler]
    return texts


def visible_text(embed: discord.Embed) -> str:
    """Everything a member sees without clicking a spoiler bar."""
    parts = [embed.title or "", embed.footer.text or "" if embed.footer else ""]
    parts += [f.name for f in embed.fields]
    parts += [SPOILER_RE.sub("", embed.description or "")]
    parts += [SPOILER_RE.sub("", f.value) for f in embed.fields]
    return "\n".join(parts)


def huge_drama() -> Drama:
    long = "A very long sentence about the show. " * 200  # 7,400 characters
    return Drama(
        id="huge",
        title="T" * 300,
        year=2020,
        episodes=16,
        genres=("Drama",) * 300,
        tags=("tag",) * 400,
        premise=tuple(Fact(long, S) for _ in range(5)),
        characters=tuple(
            Character(f"Character {i}" * 30, Role.SUPPORTING, "Actor " * 50, facts=(Fact(long, S), Fact(long, X)))
            for i in range(40)
        ),
        liked=tuple(Item("head " * 100, long, X) for _ in range(30)),
        disliked=tuple(Item("head " * 100, long, X) for _ in range(30)),
        ending=tuple(EndingFact(long) for _ in range(30)),
        review=Review(ramen=10, summary=long),
        audience=Audience(
            summary=long, for_=(long,) * 10, not_for=(long,) * 10, notes=(AudienceNote("action", Fit.YES, long),)
        ),
    )


def test_rendering_run_on_embeds_are_within_limits(run_on):
    for embed in all_embeds(run_on):
        assert_within_limits(embed)


def test_rendering_oversized_drama_is_cut_to_discord_limits():
    drama = huge_drama()
    for embed in all_embeds(drama):
        assert_within_limits(embed)
        # Every spoiler tag that opens also closes: cutting never splits one.
        for text in [embed.description or "", *(f.value for f in embed.fields)]:
            assert text.replace("\\|", "").count("||") % 2 == 0


def test_rendering_spoiler_facts_never_visible_outside_tags(run_on):
    secrets = spoiler_texts(run_on)
    assert secrets
    for embed in all_embeds(run_on):
        shown = visible_text(embed)
        for secret in secrets:
            assert secret not in shown, (embed.title, secret)


def test_rendering_spoilers_embed_wraps_every_fact(run_on):
    ending = spoilers_embed(run_on, Section.ENDING)
    assert len(SPOILER_RE.findall(ending.description)) == len(run_on.ending) == 6
    dislikes = spoilers_embed(run_on, Section.DISLIKES)
    assert [f.name for f in dislikes.fields] == ["Dislike 1", "Dislike 2", "Dislike 3"]
    assert all(f.value.startswith("||") and f.value.endswith("||") for f in dislikes.fields)
    chars = spoilers_embed(run_on, Section.CHARACTERS)
    assert [f.name for f in chars.fields] == ["Kwon Young Il", "Ki Eun Bi", "A character who is a spoiler"]
    assert chars.fields[2].value.startswith("||Je Wook||\n")  # a spoiler-only name only inside the tags


def test_rendering_drama_embed_shows_the_facts(run_on):
    from bot.store import GuildScore

    embed = drama_embed(run_on, GuildScore("run-on", count=0, total=0))
    fields = {f.name: f.value for f in embed.fields}
    assert embed.title == "Run On (2020)"
    assert fields["Aired"] == "Dec 16, 2020 – Feb 4, 2021"
    assert fields["Episodes"] == "16"
    assert fields["Where to watch"] == "Netflix"
    assert fields["Starring"] == "Yim Si Wan, Shin Se Kyung"
    # The entry says the reviewer also keeps a spoiler-free review (has_unspoiled_review).
    assert fields["Reviewer's ramen"] == "🍜" * 8 + " **8/10**\nThe reviewer also wrote a spoiler-free review of it."
    assert "No votes yet" in fields["Server's ramen"]
    in_a_dm = drama_embed(run_on, None)
    assert "Server's ramen" not in {f.name for f in in_a_dm.fields}
    voted = {f.name: f.value for f in drama_embed(run_on, GuildScore("run-on", count=4, total=33)).fields}
    assert voted["Server's ramen"] == "**8.3/10** from 4 votes"  # 33 / 4 = 8.25, half rounds up


def test_rendering_hostile_catalog_text_is_escaped():
    evil = "@everyone ||leak|| **bold** `code` <@123>"
    drama = Drama(id="evil", title=evil, premise=(Fact(evil, S),), characters=(Character(evil, Role.LEAD, evil),))
    embed = drama_embed(drama)
    assert "||leak||" not in (embed.description or "")
    assert r"\|\|leak\|\|" in embed.description
    assert r"\*\*bold\*\*" in embed.description
    assert "||leak||" not in embed.title


def test_rendering_draft_refuses_unescaped_text():
    with pytest.raises(TypeError):
        EmbedDraft("x").describe("raw catalog text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        EmbedDraft("x").add_field("name", ["raw"])  # type: ignore[list-item]
    assert EmbedDraft("x").describe(md("ok")).build().description == "ok"


def test_rendering_draft_drops_fields_past_25_and_says_so():
    draft = EmbedDraft("many")
    for i in range(30):
        draft.add_field(f"f{i}", [md("v")])
    embed = draft.build()
    assert len(embed.fields) == 25 and embed.footer.text == "5 more not shown"


def test_rendering_did_you_mean_escapes_the_query():
    text = did_you_mean("@everyone **x**", ["Run On"])
    assert text == "No drama called “@everyone \\*\\*x\\*\\*”; did you mean **Run On**?"
    assert len(did_you_mean("x" * 5000, ["y" * 500] * 3)) <= limits.CONTENT


def test_rendering_verdict_answers_from_audience_notes(run_on):
    embed = verdict_embed(run_on, answer(run_on, "slow-burn romance"))
    assert embed.description.startswith("**Looking for slow-burn romance? ✅ Yes.**")
    assert answer(run_on, "action").fit is Fit.NO
    assert answer(run_on, "short watch").fit is Fit.MAYBE


def test_rendering_verdict_for_facts_only_entry_uses_tags():
    drama = Drama(id="x", title="X", genres=("Thriller",), tags=("revenge",), episodes=8)
    assert answer(drama, "thrills").fit is Fit.YES
    assert answer(drama, "humor").fit is Fit.NO
    assert answer(drama, "short watch").fit is Fit.YES  # 8 episodes <= 12
    with pytest.raises(ValueError):
        answer(drama, "zombies")


def test_rendering_spoiler_tags_only_inside_spoiler_markup():
    from bot.catalog.assemble import SpoilerTags

    drama = SpoilerTags(["death of *", "death"]).apply(
        Drama(id="x", title="X", tags=("healing", "Death Of A Mother", "Death"), community_score=8.0)
    )
    assert drama.tags == ("healing",) and drama.spoiler_tags == ("Death Of A Mother", "Death")
    embed = drama_embed(drama)
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Spoiler tags"] == "||Death Of A Mother, Death||"
    assert "Death" not in visible_text(embed)
    assert embed.footer.text.startswith("Spoilers stay behind black bars")


def test_rendering_my_ratings_says_how_many_are_not_shown():
    from types import SimpleNamespace

    from bot.ui.rating_embeds import my_ratings_embed

    votes = [(f"Show {i} " + "x" * 40, SimpleNamespace(drama_id=f"s{i}", score=1 + i % 10)) for i in range(300)]
    embed = my_ratings_embed("alice", votes)
    assert_within_limits(embed)
    assert embed.footer.text == "300 votes in all; the newest 40 are shown"
    assert len(embed.description.splitlines()) == 40


def test_rendering_mention_markup_is_shown_as_typed():
    from bot.ui.markup import plain

    assert plain("<@123> <t:0:R> </rate:1> <#5> <:e:1> I <3 u") == r"\<@123> \<t:0:R> \</rate:1> \<#5> \<:e:1> I <3 u"


def test_facts_only_streaming_release_reads_released_and_names_its_score_source():
    from dataclasses import replace

    from bot.catalog.csv_rows import COMMUNITY_SOURCE

    # Squid Game as a facts-only row: Netflix put all nine episodes out on Sep 17, 2021.
    row = Drama(
        id="squid-game",
        title="Squid Game",
        year=2021,
        aired_start=dt.date(2021, 9, 17),
        episodes=9,
        network=("Netflix",),
        platforms=("Netflix",),
        community_score=8.5,
        community_source=COMMUNITY_SOURCE,
    )
    fields = {f.name: f.value for f in drama_embed(row).fields}
    assert fields["Released"] == "Sep 17, 2021" and "Aired" not in fields
    assert fields["Network · where to watch"] == "Netflix"
    assert "Network" not in fields and "Where to watch" not in fields
    assert fields["Community score"] == "8.5/10 · MyDramaList community score"
    # A broadcast show with no end date yet is still "Aired: from …"; different places are both shown.
    on_air = {f.name: f.value for f in drama_embed(replace(row, network=("tvN",))).fields}
    assert on_air["Aired"] == "from Sep 17, 2021"
    assert (on_air["Network"], on_air["Where to watch"]) == ("tvN", "Netflix")


def test_rendering_the_four_verdict_answers():
    from bot.catalog.verdict import Answer

    drama = Drama(id="x", title="X", genres=("Comedy", "Romance"), episodes=16)
    for fit, label in ((Fit.YES, "✅ Yes"), (Fit.MAYBE, "🤔 Maybe"), (Fit.NO, "🙅 Probably not"),
                       (Fit.UNKNOWN, "🤷 Can't tell yet")):  # fmt: skip
        embed = verdict_embed(drama, Answer("tearjerker", fit, "Because."))
        assert embed.description.startswith(f"**Looking for a good cry? {label}.** Because.")
    live = verdict_embed(drama, answer(drama, "tearjerker"))
    assert live.description == (
        "**Looking for a good cry? 🤷 Can't tell yet.** Nothing in its genres or tags speaks to a good cry either way."
    )


def test_rendering_shouldiwatch_without_looking_for_on_a_facts_only_entry():
    drama = Drama(id="x", title="X", genres=("Action", "Youth"), tags=("Bromance",), episodes=8)
    embed = verdict_embed(drama)
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Likely for"] == "action, a short watch"
    # Bromance and Action say "not romance"; Youth says "not thrills"; nothing speaks to humor either way.
    assert fields["Probably not for"] == "slow-burn romance, suspense and thrills"
