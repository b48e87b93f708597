"""Reply texts: what the bot says in message content, in the project's words (≤ 2000 characters).

Member and catalog text goes through `bot.ui.markup.plain`, so it shows as typed and pings nobody.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.catalog.model import Drama
from bot.ratings.scores import MAX_SCORE, MIN_SCORE, one_decimal
from bot.recommend.engine import Picks, Recommendation
from bot.recommend.filters import Filters
from bot.ui.embeds import ScoreSummary, bowls
from bot.ui.markup import plain

MAX_REASON_TAGS = 3
"""At most this many shared tags (or genres) are named in a recommendation's reason, rarest first."""

PAGER_GONE = "These results are no longer kept (a /recommend reply stays pageable for 30 days): run /recommend again."
CHARACTER_GONE = "That character is no longer in the catalog; run /characters again."
NO_CHANNEL = "A rating prompt needs a channel to live in; try /rate in a text channel."
PROMPT_LOST = (
    "The prompt went out, but Discord did not give me its id, so reactions on it would not count. "
    "Please run /rate again."
)
NO_REACTIONS = (
    "I may not add reactions here (Add Reactions and Read Message History permissions). "
    "Members can still vote by reacting with 1️⃣ … 🔟 themselves."
)
SERVERS_ONLY = "This command works in servers only: ratings, watchlists and up next belong to a server."


TASTE_SELF = "Pick someone else: your taste always agrees with itself."


def taste_bot(name: str) -> str:
    """/taste aimed at a bot."""
    return f"{plain(name, 100)} is a bot and rates nothing."


def votes_word(count: int) -> str:
    """ "1 vote" / "n votes"."""
    return "1 vote" if count == 1 else f"{count} votes"


def bad_score(score: int) -> str:
    """A score outside the bound (Discord enforces the option's range; discord.py does not re-check)."""
    return f"A score is {MIN_SCORE} to {MAX_SCORE} ramen bowls, not {score}."


def keycaps_missing(missing: Sequence[str]) -> str:
    """Some keycaps could not be added to a rating prompt."""
    return (
        f"Discord had trouble adding {' '.join(missing)}; members can still "
        "vote by reacting with any of 1️⃣ … 🔟 themselves."
    )


def vote_ack(drama: Drama, score: int, server: ScoreSummary) -> str:
    """The ephemeral answer to `/rate title score` (content, ≤ 2000 chars)."""
    average = "no votes"
    if server.mean is not None:
        average = f"{one_decimal(server.mean)}/{MAX_SCORE} from {votes_word(server.count)}"
    return f"Counted: **{score}/10** {bowls(score)} for **{plain(drama.title, 200)}**. Server average now {average}."


def unknown_character(drama: Drama, name: str, suggestions: Sequence[str]) -> str:
    """Content for an unknown `/characters name:`: closest names, then the cast (≤ 2000 chars)."""
    hint = f" Did you mean {' or '.join(f'**{plain(n, 100)}**' for n in suggestions[:3])}?" if suggestions else ""
    known = ", ".join(c.name for c in drama.visible_characters) or "none yet"
    hidden = drama.hidden_characters  # spoiler-only characters are counted, never named
    more = "" if not hidden else " One more character: a spoiler." if hidden == 1 else f" {hidden} more: spoilers."
    return (
        f"{plain(drama.title, 200)} has no character called “{plain(name, 100)}”.{hint} "
        f"Characters: {plain(known, 1000)}.{more}"
    )


def did_you_mean(query: str, suggestions: Sequence[str]) -> str:
    """Content for an unknown title: 'No drama called “…”; did you mean …?' (≤ 2000 chars)."""
    shown = plain(query, 200)
    if suggestions:
        options = " or ".join(f"**{plain(s, 120)}**" for s in suggestions[:3])
        return f"No drama called “{shown}”; did you mean {options}?"
    return f"No drama called “{shown}”. Start typing a title and pick one from the list."


def not_your_pager(owner_name: str) -> str:
    """Someone else pressed Previous/Next on a /recommend reply."""
    return f"Only {plain(owner_name, 100)} can page these results; run /recommend yourself."


def filter_phrases(filters: Filters, names: Sequence[str] | None = None) -> list[str]:
    """Short phrases for the set filters (or just `names`): 'in genre “Thriller”', 'with ≤ 8 episodes'."""
    out = []
    for name in names if names is not None else filters.active:
        value = getattr(filters, name)
        if value is None:
            continue
        out.append(
            {
                "genre": f"in genre “{value}”",
                "tag": f"tagged “{value}”",
                "max_episodes": f"with ≤ {value} episode{'s' if value != 1 else ''}",
                "platform": f"streaming on “{value}”",
                "network": f"aired on “{value}”",
            }[name]
        )
    return out


def heading(picks: Picks) -> str:
    """The results' title: why these shows, and the filters, e.g. 'Because you like Run On · tagged “sports”'."""
    titles = ", ".join(d.title for d in picks.likes)
    if picks.likes and picks.stand_in:
        head = f"For you, from your ratings here (most of all {titles})"
    elif picks.likes:
        head = f"Because you like {titles}"
    else:
        head = "Best-rated dramas"
    parts = filter_phrases(picks.filters)
    return f"{head} · {', '.join(parts)}" if parts else head


def no_match_message(filters: Filters, emptied_by: str | None) -> str:
    """Text for an empty result: which filters left nothing, naming the one that emptied the list.

    'No drama tagged “revenge”, with ≤ 8 episodes: the max_episodes filter emptied the list.'
    Member text in it is escaped, so it can go straight into a message.
    """
    if emptied_by is None:
        return "Nothing left to recommend: you have already rated every drama that matches."
    names = filters.active[: filters.active.index(emptied_by) + 1]
    phrases = ", ".join(plain(phrase, 300) for phrase in filter_phrases(filters, names))
    return f"No drama {phrases}: the {emptied_by} filter emptied the list."


def close_note(results: Sequence[Recommendation], start: int, end: int, likes: Sequence[Drama]) -> str | None:
    """The line that ends the close shows, for the page showing `results[start:end]`, or None.

    "That's all that's close to Run On." on the page where the shows like the seed run out, followed
    by "You might also try these best-rated shows:" when best-rated others come after them.
    """
    close = [i for i, r in enumerate(results) if r.kind in ("like", "sequel")]
    if not likes or not results or results[0].kind == "taste":
        return None
    last_close = close[-1] if close else -1
    also = next((i for i, r in enumerate(results) if r.kind == "also"), None)
    if also is None and not (start <= last_close < end and end >= len(results)):
        return None
    if also is not None and not start <= also < end:
        return None
    seeds = ", ".join(d.title for d in likes)
    head = f"That's all that's close to {seeds}." if close else f"Nothing in the catalog is close to {seeds}."
    return f"{head} You might also try these best-rated shows:" if also is not None else head


def kindred_line(rating: tuple[float, int] | None) -> str | None:
    """/shouldiwatch's "Members with your taste rate it 8.5 (4 members)", or None without such members."""
    if rating is None:
        return None
    mean, count = rating
    return f"Members with your taste rate it {one_decimal(mean)} ({count} member{'s' if count != 1 else ''})."


def reason_line(result: Recommendation) -> str:
    """The one-line why of a recommendation, in plain text (escape it before display): a liked show's own
    sequel, what members here who loved it also loved, shared tags, then the server's rating, then shared
    genres, the filters, then the reviewer's or community's score."""
    if result.kind == "sequel" and result.part_of is not None:
        return f"another part of {result.part_of.title}, which you like"
    if result.co_raters:
        return f"members here who rated your shows highly rate it highly too ({result.co_raters} members)"
    if result.shared_tags and result.kind != "also":
        return "shared tags: " + ", ".join(result.shared_tags[:MAX_REASON_TAGS])
    if result.server is not None and result.server[1] > 0:
        mean, count = result.server
        return f"members here rate it {one_decimal(mean)} ({votes_word(count)})"
    if result.shared_genres:
        return "same genres: " + ", ".join(result.shared_genres[:MAX_REASON_TAGS])
    if result.filters:
        return "matches: " + ", ".join(filter_phrases(result.filters))
    if result.drama.review is not None or result.drama.community_score is not None:
        return "among the best-rated overall"  # the scores line under it gives the numbers
    return "not rated anywhere yet"
