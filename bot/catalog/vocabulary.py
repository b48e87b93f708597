"""The catalog's words, defined once: /shouldiwatch interests and the whole genres and tags that
speak for or against each, the episode counts that make a short watch, what counts as a streaming
service, and the genre/tag vocabulary offered by autocomplete.

The interests are the `looking_for` choices of /shouldiwatch (`bot.catalog.verdict` answers them);
`import-review` (`bot.catalog.review_draft`) reads the same interests out of a review.

Signals are matched on WHOLE genres and tags after `normalize()` ("Slow Burn Romance" and
`slow-burn romance` are one term), never on substrings: "Bromance" is not romance. The words come
from the project's tags (data/TAGS.md), MyDramaList's genres and the K-drama CSV's community
tags, sorted by a K-drama viewer's reading of each word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.catalog.model import Drama, Fit, normalize

LOOKING_FOR: dict[str, str] = {
    "action": "Action",
    "humor": "Humor",
    "slow-burn romance": "Slow-burn romance",
    "character growth": "Character growth",
    "short watch": "A short watch",
    "thrills": "Suspense and thrills",
    "tearjerker": "A good cry",
}
"""The interests /shouldiwatch offers (value → label); Discord allows at most 25 choices."""

SHORT_WATCH = "short watch"
"""The interest answered from the episode count alone."""


def _terms(*words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words)


@dataclass(frozen=True, slots=True)
class Signals:
    """Whole genres/tags (folded by `normalize()`) that speak to one interest.

    Attributes:
        yes: settle it: any one of them answers yes (unless a `counter` term is present too).
        maybe: lean towards it without settling it.
        rules_out: say no even beside `maybe` terms (e.g. "Fast Paced Romance" for slow burn);
            beside a `yes` term the answer is maybe.
        counter: the opposite mood (e.g. "feel-good" for a good cry): alone they say no, beside a
            `yes` term they turn it into maybe.
        elsewhere: the show is about something else (e.g. "Bromance", "military" for romance):
            they say no only when nothing for the interest, nor anything in `open`, is present.
        open: keep the question open without speaking for it (a Romance genre says there is a
            love story, not how slowly it builds): no "probably not" while one is present.
    """

    yes: frozenset[str]
    maybe: frozenset[str] = frozenset()
    rules_out: frozenset[str] = frozenset()
    counter: frozenset[str] = frozenset()
    elsewhere: frozenset[str] = frozenset()
    open: frozenset[str] = frozenset()


# fmt: off
_LIGHT = _terms(
    "feel-good", "Fluffy", "Sitcom", "Slapstick", "Parody", "Sketch Comedy", "Potty Humor",
)
_GENTLE = _terms(
    "healing", "slice of life", "Heartwarming", "Rural Life", "Carefree Protagonist", "Life",
)
_ROMANCE_SHAPES = _terms(
    "love triangle", "Love Square", "friends to lovers", "first love", "First Love Returns", "second chance",
    "Second Chance Romance", "unrequited love", "Long Time Crush", "Childhood Sweethearts",
    "Childhood Friends Relationship", "Secret Crush", "Childhood Crush", "High School Crush", "Slight Romance",
    "enemies to lovers", "Rivals To Lovers", "Slow Burn Story", "Star Crossed Lovers", "Long Time Friends",
)

SIGNALS: dict[str, Signals] = {
    "action": Signals(
        yes=_terms(
            "action", "martial arts", "Material Arts", "Martial Arts Master", "Martial Arts School",
            "Mixed Martial Arts", "Fight", "Skilled Fighter", "Street Fight", "Gun Fight", "Sword-fight",
            "Swordmanship", "Swordsman Male Lead", "Swordswoman", "Car Chase", "Female Lead Action Scenes",
            "Female Fighter", "War", "Warrior Female Lead", "Skilled Killer", "Hitwoman Female Lead", "Mercenaries",
        ),
        maybe=_terms(
            "military", "Violence", "Extreme Violence", "Graphic Violence", "Gun Violence", "Bodyguard Male Lead",
            "Bodyguard Female Lead", "Bodyguard Supporting Character", "Agent Male Lead", "Agent Female Lead",
            "Spy", "Spy Male Lead", "Espionage", "Undercover Agent Male Lead", "Undercover Agent Female Lead",
            "Undercover Operation", "Gang", "Gangster Male Lead", "Gangster Supporting Character", "Mafia",
            "Organized Crime", "Criminal Organization", "Heist", "Superhuman Strength", "Superpower", "Zombies",
            "Zombie Apocalypse", "Monsters", "survival", "revenge", "Vigilante Male Lead", "Badass Male Lead",
            "Badass Female Lead", "Boxing", "Boxer Male Lead", "Boxer Female Lead", "Taekwondo", "Judo", "Kendo",
            "Adventure", "Deadly Mission", "Demon/Monster Hunting", "Demon Hunter Male Lead", "Stuntman Male Lead",
            "Assassin Supporting Character", "Clandestine Operation", "Terrorism",
        ),
        elsewhere=_LIGHT | _GENTLE | _terms(
            "Food", "Cooking", "character-driven", "Family", "music",
        ),
    ),
    "humor": Signals(
        yes=_terms(
            "comedy", "Sitcom", "Black Comedy", "Black Humor", "Slapstick", "Parody", "Sketch Comedy",
            "Potty Humor", "Satire", "Social Satire", "Mockumentary",
        ),
        maybe=_terms(
            "Quirky Humour", "Slight Comedy", "Bantering Relationship", "Bickering Mains Relationship",
            "Eccentric Female Lead", "Eccentric Male Lead", "Goofy Male Lead", "Airhead Female Lead",
            "Airhead Male Lead", "Dorky Male Lead", "Quirky Female Lead", "Clumsy Female Lead", "Clumsy Male Lead",
            "Playful Male Lead", "Mischievous Male Lead", "Childish Male Lead", "Childish Female Lead", "feel-good",
            "Fluffy", "Cheerful Female Lead", "Cheerful Male Lead", "Picaresque", "Carefree Protagonist",
        ),
        elsewhere=_terms(
            "dark", "Dark Fiction", "Dark Fantasy", "thriller", "horror", "tearjerker", "Sad Romance", "grief",
            "Mourning", "Gore", "Extreme Violence", "Graphic Violence", "Noir", "Psychological", "Suspense",
            "Melodrama", "Violence", "School Violence", "Military Abuse",
        ),
    ),
    "slow-burn romance": Signals(
        yes=_terms("slow-burn romance", "Slow Romance"),
        maybe=_ROMANCE_SHAPES,
        rules_out=_terms(
            "Fast Paced Romance", "Instant Attraction", "Love At First Sight", "Friends With Benefits",
        ),
        counter=_terms(
            "contract relationship", "Fake Relationship", "Fake Marriage", "Marriage Of Convenience",
        ),
        elsewhere=_terms(
            "Bromance", "Sismance", "military", "survival", "horror", "Zombies", "Zombie Apocalypse", "Death Game",
            "Monsters", "thriller", "crime", "investigation", "conspiracy", "War", "dark", "Dark Fiction",
            "Violence", "Extreme Violence", "Teamwork", "business", "Political", "Political Intrigue", "Corruption",
            "revenge", "mystery", "legal", "Law", "sports", "Competition", "School Bullying", "Prison Setting",
            "action", "Male Centered Plot",
        ),
        open=_terms(
            "Romance", "multiple couples", "Workplace Romance", "Love After Marriage", "Interspecies Romance",
            "Youth Romance", "Adult Romance", "Gay Romance", "Lesbian Romance", "Secret Romance",
            "Secret Relationship", "Forbidden Love", "Fated Love", "Soulmates", "Romeo And Juliet",
            "Reincarnated Lovers", "Sad Romance", "Intercountry Romance", "Male Chases Female First",
            "Female Chases Male First", "Opposites Attract", "Love/Hate Relationship", "contract relationship",
            "Fake Relationship", "Fake Marriage", "Marriage Of Convenience", "Arranged Marriage",
        ),
    ),
    "character growth": Signals(
        yes=_terms(
            "character-driven", "Character Development", "coming of age", "Self-discovery", "underdog",
            "Chasing A Dream",
        ),
        maybe=_terms(
            "healing", "Life", "Youth", "Life Lesson", "Redemption", "Perseverance", "Overcoming Fear", "Trauma",
            "grief", "mental health", "found family", "Adulthood", "Adolescence", "College To Working Life",
            "High School To Working Life", "High School To College", "Self-love", "Mentor-Mentee",
            "Master-Disciple Relationship", "Rags To Riches", "Midlife Crisis", "Life Decisions", "Forgiveness",
            "Repentance", "Inferiority Complex", "Low Self-esteem Female Lead", "Insecurity",
        ),
        elsewhere=_terms(
            "Sitcom", "Parody", "Sketch Comedy", "Slapstick", "Omnibus", "Anthology",
        ),
    ),
    "thrills": Signals(
        yes=_terms(
            "thriller", "horror", "Suspense", "mystery", "Death Game", "Zombies", "Zombie Apocalypse",
            "Serial Killings", "Monsters", "Noir",
        ),
        maybe=_terms(
            "crime", "Psychological", "Slight Mystery", "investigation", "conspiracy", "Detective",
            "Detective Fiction", "Cold Case", "Heist", "Hostage Situation", "Kidnapping", "Murder", "Stalking",
            "Stalker", "Cult", "Terrorism", "Disaster", "Dark Fiction", "dark", "revenge", "Espionage", "Spy",
            "Supernatural Phenomena", "Occult", "Exorcism", "Evil Spirit", "Vengeful Ghost", "Police Procedural",
            "Crime Solving Duo", "Investigation Team", "Criminal Psychology", "Offender Profiling", "survival",
            "Psychopath Supporting Character", "Political Intrigue",
        ),
        counter=_LIGHT | _GENTLE,
        elsewhere=_terms(
            "Food", "Cooking", "coming of age", "first love", "nostalgia", "sports", "Youth", "comedy", "Romance",
        ),
    ),
    "tearjerker": Signals(
        yes=_terms("tearjerker", "Sad Romance"),
        maybe=_terms(
            "Melodrama", "Heartfelt", "grief", "Mourning", "Tragic Past", "Heartbreak", "Star Crossed Lovers",
            "mental health", "Depression", "healing", "Regret", "Separated Family", "Loneliness",
            "Unconditional Love",
        ),
        counter=_LIGHT,
    ),
}
# fmt: on
"""The evidence table for every interest answered from genres and tags (all but `SHORT_WATCH`)."""

REVIEW_SIGNALS: dict[str, tuple[str, ...]] = {
    "action": ("action",),
    "humor": ("humor", "humour", "comedy", "comedic", "funny", "laughs"),
    "slow-burn romance": ("slow-burn", "slow burn"),
    "character growth": ("character development", "character growth", "emotional growth"),
}
"""Words in a review's Should I Watch section that speak of an interest (`import-review`)."""

SHORT_WATCH_MAX = 12
"""Episodes: up to this many is a short watch (yes)."""
MEDIUM_WATCH_MAX = 16
"""Episodes: up to this many is a medium-length watch (maybe); more is long (no)."""


def watch_length(episodes: int) -> Fit:
    """How well `episodes` episodes suit someone looking for a short watch: ≤ 12 yes, ≤ 16 maybe, else no."""
    if episodes <= SHORT_WATCH_MAX:
        return Fit.YES
    if episodes <= MEDIUM_WATCH_MAX:
        return Fit.MAYBE
    return Fit.NO


STREAMING_SERVICES = _terms(
    "Netflix",
    "Viki",
    "Disney+",
    "Disney+ Hotstar",
    "Prime Video",
    "Amazon Prime",
    "Wavve",
    "TVING",
    "iQIYI",
    "WeTV",
    "Apple TV",
    "Apple TV+",
    "Hulu",
    "Coupang Play",
    "Kakao TV",
    "Daum Kakao TV",
    "Tubi",
    "Viu",
    "AsianCrush",
    "KOCOWA",
    "Genie TV",
    "Seezn",
    "Watcha",
    "Naver TV Cast",
    "LINE TV",
    "Oksusu",
    "YouTube",
)
"""Services that stream: a `network` entry that is one of these (a Netflix original's "Netflix") is
also a place to watch it (`where_to_watch`)."""


def where_to_watch(drama: Drama) -> tuple[str, ...]:
    """The streaming services for `drama`: its `platforms`, then any `network` that is itself a
    streaming service (folded by `normalize()`), each spelling once."""
    seen = {normalize(p) for p in drama.platforms}
    extra = [n for n in drama.network if normalize(n) in STREAMING_SERVICES and normalize(n) not in seen]
    return (*drama.platforms, *dict.fromkeys(extra))


def unique_folded(values: Iterable[str]) -> list[str]:
    """First spelling of each value, by `normalize()`, sorted case-insensitively."""
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(normalize(value), value)
    return sorted(seen.values(), key=lambda v: (v.casefold(), v))


def matching_terms(vocabulary: Sequence[str], current: str, limit: int = 25) -> list[str]:
    """Autocomplete helper: entries of `vocabulary` starting with `current`, then containing it.

    Case-insensitive; keeps the vocabulary's order within each group; at most `limit` entries.
    """
    key = current.casefold().strip()
    starts = [v for v in vocabulary if v.casefold().startswith(key)]
    if len(starts) >= limit:
        return starts[:limit]
    contains = [v for v in vocabulary if key in v.casefold() and not v.casefold().startswith(key)]
    return (starts + contains)[:limit]


# --------------------------------------------------------------------------- genres (issue #13)

GENRES: tuple[str, ...] = (
    "Action", "Adventure", "Business", "Comedy", "Crime", "Documentary", "Drama", "Family", "Fantasy", "Food",
    "Historical", "Horror", "Law", "Life", "Martial Arts", "Mature", "Medical", "Melodrama", "Military", "Music",
    "Mystery", "Political", "Psychological", "Romance", "Sci-Fi", "Sitcom", "Sports", "Supernatural", "Thriller",
    "War", "Youth",
)  # fmt: skip
"""The genre words, spelled as the K-drama CSV spells them (catalog entries use these)."""

GENRE_SYNONYMS: dict[str, str] = {
    "legal": "Law",
    "courtroom": "Law",
    "science fiction": "Sci-Fi",
    "scifi": "Sci-Fi",
    "sf": "Sci-Fi",
    "romantic": "Romance",
    "romcom": "Romance",
    "rom com": "Romance",
    "comedic": "Comedy",
    "period": "Historical",
    "sageuk": "Historical",
    "hospital": "Medical",
    "politics": "Political",
    "sport": "Sports",
    "musical": "Music",
}
"""Other words members (and older entries) use for a genre, folded by `normalize()` → the genre word."""


def genre_key(genre: str) -> str:
    """The folded genre word `genre` means: "Legal", "legal" and "Law" all give "law" (`GENRE_SYNONYMS`)."""
    key = normalize(genre)
    return normalize(GENRE_SYNONYMS.get(key, genre))
