"""Embeds for scores and picks: /rate's prompt, /ratings, /myratings and /recommend's pages.

Built with `bot.ui.embeds.EmbedDraft`, so every Discord limit is applied in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import discord

from bot.catalog.model import Drama
from bot.catalog.vocabulary import where_to_watch
from bot.ratings.scores import BOWL, one_decimal
from bot.recommend.engine import Recommendation
from bot.recommend.filters import asked_first
from bot.ui.embeds import EmbedDraft, ScoreSummary, bowls, drama_title, listing, reviewer_line
from bot.ui.markup import Markup, concat, md, plain
from bot.ui.messages import reason_line, votes_word
from bot.watch.tally import histogram_line


class ServerScore(ScoreSummary, Protocol):
    """A guild's votes for one drama with its 1..10 histogram (`bot.store.GuildScore` fits)."""

    @property
    def histogram(self) -> tuple[int, ...]: ...


class ChartRow(Protocol):
    """One line of a guild's chart (`bot.store.RankedScore` fits)."""

    @property
    def rank(self) -> int: ...

    @property
    def drama_id(self) -> str: ...

    @property
    def count(self) -> int: ...

    @property
    def mean(self) -> float: ...

    @property
    def weighted_mean(self) -> float: ...


class MemberVote(Protocol):
    """One of a member's votes (`bot.store.Vote` fits)."""

    @property
    def drama_id(self) -> str: ...

    @property
    def score(self) -> int: ...


def tally_line(score: ServerScore) -> Markup:
    """The live tally: "**7.3/10** from 12 votes · `····▂·▄█··` 1→10 bowls" (bot.watch.tally.histogram_line)."""
    if not score.count or score.mean is None:
        return md("No votes yet: be the first")
    bars = histogram_line(score.histogram)
    return md(f"**{one_decimal(score.mean)}/10** from {votes_word(score.count)} · `{bars}` 1→10 bowls")


def rating_prompt_embed(drama: Drama, keycaps: Sequence[str], score: ServerScore | None = None) -> discord.Embed:
    """The public "Rate <title>" message members react on with the keycaps (1️⃣ … 🔟); with `score`
    (the server's votes now), the live tally under it (edited as votes arrive, see cogs.live_tally)."""
    draft = EmbedDraft(f"Rate {drama_title(drama)}")
    draft.describe(
        md(f"React with {keycaps[0]} … {keycaps[-1]} to give it 1 to 10 ramen bowls."),
        md("One vote per member: a new number replaces your old one; remove your reaction to withdraw it."),
    )
    if score is not None:
        draft.add_field("This server so far", [tally_line(score)])
    draft.add_field("Reviewer's ramen", [reviewer_line(drama)], inline=True)
    draft.footer = "Votes count for this server only · /ratings to see the result"
    return draft.build()


def histogram_lines(histogram: Sequence[int], width: int = 12) -> list[Markup]:
    """One line per score from 10 down to 1: score, a bar scaled to the largest count, the count."""
    most = max(histogram, default=0)
    lines = []
    for score in range(len(histogram), 0, -1):
        count = histogram[score - 1]
        bar = "█" * (round(width * count / most) if most else 0)
        lines.append(md(f"`{score:>2}` {BOWL} `{bar:<{width}}` {count}"))
    return lines


def ratings_embed(drama: Drama, score: ServerScore) -> discord.Embed:
    """`/ratings title`: the server's mean to one decimal, vote count, histogram, reviewer's score."""
    draft = EmbedDraft(f"{drama_title(drama)}: this server's ramen")
    if score.count and score.mean is not None:
        draft.describe(md(f"**{one_decimal(score.mean)}/10** from {votes_word(score.count)}"))
        draft.add_field("Votes by bowls", histogram_lines(score.histogram))
    else:
        draft.describe(md("No votes yet in this server: `/rate` posts a prompt to react on."))
    draft.add_field("Reviewer's ramen", [reviewer_line(drama)], inline=True)
    return draft.build()


def chart_embed(
    rows: Sequence[tuple[str, ChartRow]], *, prior_mean: float, prior_weight: float, min_votes: int
) -> discord.Embed:
    """`/ratings` with no title: the server's top dramas, each shown with its one score, the mean.

    Members see one server score everywhere (the mean, one decimal, as /drama and /ratings title:
    show it); the damped (Bayesian) mean only orders the chart and is described in one plain
    sentence, without its formula.

    Args:
        rows: (display title, chart row) pairs, best first (ordered by the damped mean).
        prior_mean: the bowls a show with few votes is pulled towards (named in the sentence).
        prior_weight: how many votes the pull counts as (used by the store, not shown).
        min_votes: the fewest votes a drama needs to be listed.
    """
    draft = EmbedDraft("This server's top dramas")
    if rows:
        draft.describe(
            *(
                concat(
                    md(f"**{row.rank}.** "),
                    plain(title, 150),
                    md(f" · **{one_decimal(row.mean)}/10** from {votes_word(row.count)}"),
                )
                for title, row in rows
            )
        )
    else:
        draft.describe(md("No votes yet in this server: `/rate` posts a prompt to react on."))
    least = f"at least {min_votes} vote{'s' if min_votes != 1 else ''}"
    draft.add_field(
        "How the chart ranks",
        [
            md(
                f"Shows with few votes count as closer to {prior_mean:g} bowls until more members vote, "
                f"so one lone 10 cannot top the chart ({least} to be listed)."
            )
        ],
    )
    return draft.build()


MY_RATINGS_SHOWN = 40  # votes listed by /myratings (newest first); 40 long lines fit in 4096 characters


def my_ratings_embed(member_name: str, votes: Sequence[tuple[str, MemberVote]]) -> discord.Embed:
    """`/myratings`: the member's own votes in this server, as (title, vote) pairs."""
    draft = EmbedDraft(f"{member_name}'s ramen ratings")
    if votes:
        draft.describe(
            *(
                concat(plain(title, 150), md(f" · {vote.score}/10 {bowls(vote.score)}"))
                for title, vote in votes[:MY_RATINGS_SHOWN]
            )
        )
        if len(votes) > MY_RATINGS_SHOWN:
            draft.footer = f"{len(votes)} votes in all; the newest {MY_RATINGS_SHOWN} are shown"
    else:
        draft.describe(md("You haven't rated anything here yet: `/rate` a drama, or react to a rating prompt."))
    return draft.build()


# --------------------------------------------------------------------------- /recommend


def recommendation_lines(result: Recommendation) -> list[Markup]:
    """A recommendation's field value: the reason, then episodes and where to watch, then the scores."""
    drama = result.drama
    lines = [plain(reason_line(result), 300)]
    facts: list[Markup] = []
    if drama.episodes:
        facts.append(md(f"{drama.episodes} episode{'s' if drama.episodes != 1 else ''}"))
    # Where to stream it, the platform asked for first (it must not be cut off); else who aired it.
    where = asked_first(where_to_watch(drama), result.filters) or drama.network
    if where:
        facts.append(listing(where[:3], 200))
    if facts:
        lines.append(concat(*facts, sep=" · "))
    scores: list[Markup] = []
    if drama.review is not None:
        scores.append(md(f"{BOWL} reviewer {drama.review.ramen}/10"))
    if result.server is not None and result.server_mean is not None:
        count = result.server[1]
        scores.append(md(f"here {one_decimal(result.server_mean)}/10 ({votes_word(count)})"))
    if drama.community_score is not None:
        scores.append(md(f"community {one_decimal(drama.community_score)}/10"))
    lines.append(concat(*scores, sep=" · ") if scores else md("no scores yet"))
    return lines


def recommend_embed(
    results_page: Sequence[Recommendation],
    page: int,
    pages: int,
    heading: str,
    *,
    per_page: int = 5,
    note: str | None = None,
) -> discord.Embed:
    """One page of `/recommend`: a field per show, "n. Title (year)" over its reason, facts and scores.

    Args:
        results_page: this page's recommendations, best first (at most `per_page`).
        page, pages: this page's number (1-based) and the page count, shown in the footer.
        heading: the embed's title (plain text: why these shows, which filters).
        per_page: page size, for numbering the shows across pages (`bot.recommend.engine.PAGE_SIZE`).
        note: plain text for the description, e.g. `bot.ui.messages.close_note` (escaped here).
    """
    draft = EmbedDraft(heading)
    if note:
        draft.describe(plain(note, 1000))
    first = (page - 1) * per_page + 1
    for number, result in enumerate(results_page, start=first):
        draft.add_field(f"{number}. {drama_title(result.drama)}", recommendation_lines(result))
    if not results_page:
        draft.describe(md("Nothing to recommend on this page."))
    draft.footer = f"Page {page}/{pages} · /drama <title> for the details"
    return draft.build()
