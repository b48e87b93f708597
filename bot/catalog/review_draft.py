"""Draft a catalog entry from one of the reviewer's full reviews: `python -m bot import-review PATH`.

The reviews follow one template (see `../shared/reviews/run-on-full-review.txt`):

    <Title> – Full Review
    <intro paragraph>
    ♥ Aired: <Month D, YYYY> – <Month D, YYYY>
    ♥# of Episodes: 16 / ♥Where to Watch: … / ♥Genre: … / ♥Starring: A and B
    The Story · The Leads · Supporting Characters · Things I Liked · Things I Didn't Like
    The Ending · Should I Watch      (headings, one paragraph per line below each)
    I give <Title> an 8 out of 10 ramen. 🍜🍜🍜🍜🍜🍜🍜🍜

What the draft takes from the review is facts only: the title, dates, numbers, platform and genre
words, names, actors, roles and the liked/disliked sub-heads. Story text must be in the project's
own words, so every prose field gets a "TODO: summarise in our own words (review line N, ~M words)"
placeholder pointing at the paragraph to summarise; the editor fills those in. Audience notes are
derived from the Should I Watch section and worded by templates in this module.

Reviews have slips. Nothing here raises on them: they become warnings, printed to stderr and
written as `# WARNING:` comments at the top of the draft. Only a file that cannot be a review at all
(missing, empty, not UTF-8, no title line) raises `ReviewError`, which `main()` turns into exit 1.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from bot.catalog.csv_rows import slug_for
from bot.catalog.model import Fit, normalize
from bot.catalog.review_cast import cast_members, character_table, check_starring, role_warnings, spelling_warnings
from bot.catalog.review_text import (
    HEART,
    Line,
    ReviewError,
    clean_lines,
    fold_heading,
    is_score_only,
    paragraphs,
    todo,
    word_count,
)
from bot.catalog.vocabulary import REVIEW_SIGNALS, SHORT_WATCH, watch_length
from bot.ratings.scores import BOWL, MAX_SCORE

# Heading (folded: lowercase, straight quotes, no trailing ":?.") -> section key.
SECTIONS = {
    "the story": "story",
    "the leads": "leads",
    "supporting characters": "supporting",
    "things i liked": "liked",
    "things i didn't like": "disliked",
    "things i did not like": "disliked",
    "the ending": "ending",
    "should i watch": "watch",
    "should i watch it": "watch",
}


SECTION_NAMES = {
    "story": "The Story",
    "leads": "The Leads",
    "supporting": "Supporting Characters",
    "liked": "Things I Liked",
    "disliked": "Things I Didn't Like",
    "ending": "The Ending",
    "watch": "Should I Watch",
}


# Checked in this order: "not a good choice" must win over "good choice".
VERDICT_CUES = (
    (
        "no",
        (
            "not a good choice",
            "not the drama",
            "not for you",
            "probably not",
            "look elsewhere",
            "skip this",
            "skip it",
            "won't enjoy",
            "will not enjoy",
            "avoid",
        ),
    ),
    ("maybe", ("might", "may enjoy", "could be", "worth a try", "give it a try")),
    (
        "yes",
        (
            "worth checking out",
            "worth watching",
            "worth your time",
            "recommend",
            "you will love",
            "you'll love",
            "great choice",
            "good choice",
            "perfect for",
            "must-watch",
            "must watch",
        ),
    ),
)


REASONS = {
    "yes": "The review recommends it to viewers who want {interest}.",
    "maybe": "The review is lukewarm on it for viewers who want {interest}.",
    "no": "The review says it is not the pick for {interest}.",
}


TRAILING_PUNCT = ".!?,;:\"')"


@dataclass
class Draft:
    """A draft catalog entry and what the importer could not parse or found inconsistent.

    Attributes:
        data: a TOML-shaped dict in the catalog's format (`bot.catalog.parse_drama` accepts it);
            prose fields hold "TODO: …" placeholders, never review text.
        warnings: one line each, in the order found.
        source: the review's file name, for the draft's header comment.
    """

    data: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    source: str = ""


def parse_review(text: str, source: str = "review") -> Draft:
    """Parse a review in the template into a draft entry plus warnings.

    Args:
        text: the review (BOM, CRLF, curly quotes and trailing spaces are all fine).
        source: a name for the review, used in messages.
    Returns:
        A `Draft` whose `data` the catalog loader accepts as it is.
    Raises:
        ReviewError: the text is empty, or has neither a title line ("<Title> – Full Review") nor
            a score sentence to take the title from, or has a title but no metadata and no sections.
    """
    lines = clean_lines(text)
    if not any(x.text for x in lines):
        raise ReviewError(f"{source}: the file is empty")
    warnings: list[str] = []
    title_line = next((x for x in lines if x.text), None)
    match = re.fullmatch(r"(?P<title>.+?)\s*[–—-]+\s*full review", title_line.text, re.IGNORECASE)
    score = _score_sentence(lines)
    if match:
        title = match["title"].strip()
    elif score and score[0]:
        title = score[0]
        warnings.append(f"no title line ('<Title> – Full Review'); took the title {title!r} from the score sentence")
    else:
        raise ReviewError(f"{source}: not a review in the template (no '<Title> – Full Review' line)")

    body = [x for x in lines if x.text and not (match and x is title_line)]
    meta, sections, preamble = _split(body, warnings)
    if not meta and not sections:
        raise ReviewError(f"{source}: not a review in the template (no ♥ metadata and no sections)")
    for key, name in SECTION_NAMES.items():
        if key not in sections:
            warnings.append(f"missing section: {name}")

    data: dict[str, Any] = {"id": slug_for(title), "title": title}
    data.update(_metadata(meta, warnings))
    leads = cast_members(sections.get("leads", []), "The Leads", warnings)
    supporting = cast_members(sections.get("supporting", []), "Supporting Characters", warnings)
    check_starring(data.get("starring", []), leads, warnings)

    review: dict[str, Any] = {}
    ramen = _ramen(lines, score, title, warnings)
    if ramen is not None:
        review["ramen"] = ramen
        # The reviewer's intro links an unspoiled review when there is one; that is a fact we keep.
        review["has_unspoiled_review"] = any("unspoiled review" in x.text.casefold() for x in preamble)
        watch = [x for x in sections.get("watch", []) if not is_score_only(x.text)]
        review["summary"] = todo(watch, "one-line verdict in our own words")
        data["review"] = review

    story = paragraphs(sections.get("story", []))
    data["premise"] = [{"level": "safe", "text": todo([p])} for p in story]
    all_text = "\n".join(x.text for x in lines)
    data["characters"] = [character_table(c, "lead", all_text) for c in leads] + [
        character_table(c, "supporting", all_text) for c in supporting
    ]
    data["liked"] = _items(sections.get("liked", []), "Things I Liked", hearts=True, warnings=warnings)
    data["disliked"] = _items(sections.get("disliked", []), "Things I Didn't Like", hearts=False, warnings=warnings)
    ending = paragraphs(sections.get("ending", []))
    if ending:
        data["ending"] = {"facts": [todo([p], "one ending fact per line, in our own words") for p in ending]}
    data["audience"] = _audience(sections.get("watch", []), data.get("episodes"), warnings)

    warnings.extend(spelling_warnings(leads + supporting, lines))
    warnings.extend(role_warnings(lines))
    return Draft(data=_drop_empty(data), warnings=warnings, source=source)


def _split(lines: list[Line], warnings: list[str]):
    """Sort lines into ♥ metadata, the lines before the first section, and each section's lines."""
    meta: list[Line] = []
    preamble: list[Line] = []
    sections: dict[str, list[Line]] = {}
    current: list[Line] | None = None
    for x in lines:
        key = SECTIONS.get(fold_heading(x.text))
        if key:
            if key in sections:
                warnings.append(f"section {SECTION_NAMES[key]} appears twice (line {x.number}); both parts were kept")
            current = sections.setdefault(key, [])
        elif current is None and x.text.startswith(HEART):
            meta.append(x)
        elif current is None:
            preamble.append(x)
        else:
            current.append(x)
    return meta, sections, preamble


def _metadata(meta: list[Line], warnings: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    seen: set[str] = set()
    for x in meta:
        label, _, value = x.text.lstrip("".join(HEART)).partition(":")
        key, value = fold_heading(label), value.strip()
        if not value:
            warnings.append(f"line {x.number}: metadata line has no value: {x.text!r}")
            continue
        if key == "aired":
            seen.add("Aired")
            out.update(_aired(value, x.number, warnings))
        elif key in ("# of episodes", "number of episodes", "episodes"):
            seen.add("# of Episodes")
            found = re.match(r"\d+", value)
            if found and int(found.group()) > 0:
                out["episodes"] = int(found.group())
            else:
                warnings.append(f"line {x.number}: episode count {value!r} is not a number; left out")
        elif key in ("where to watch", "platform", "platforms"):
            seen.add("Where to Watch")
            out["platforms"] = _split_list(value)
        elif key in ("genre", "genres"):
            seen.add("Genre")
            out["genres"] = _split_list(value)
        elif key in ("starring", "stars"):
            seen.add("Starring")
            out["starring"] = _split_list(value)
        else:
            warnings.append(f"line {x.number}: unknown metadata {label.strip()!r}; left out")
    for name in ("Aired", "# of Episodes", "Where to Watch", "Genre", "Starring"):
        if name not in seen:
            warnings.append(f"missing metadata: {name}")
    return out


def _split_list(value: str) -> list[str]:
    parts = re.split(r"\s*(?:,|/|&|\band\b)\s*", value)
    return [p.strip() for p in parts if p.strip()]


def _aired(value: str, line: int, warnings: list[str]) -> dict[str, Any]:
    parts = [p for p in re.split(r"\s*[–—]\s*|\s+-\s+|\s+to\s+", value) if p.strip()]
    dates = [_parse_date(p) for p in parts]
    if not parts or len(parts) > 2 or None in dates:
        warnings.append(f"line {line}: could not read the air dates {value!r}; aired dates left out")
        return {}
    out = {"aired_start": dates[0], "year": dates[0].year}
    if len(dates) == 2:
        if dates[1] < dates[0]:
            warnings.append(f"line {line}: the last air date is before the first; aired_end left out")
        else:
            out["aired_end"] = dates[1]
    return out


def _parse_date(text: str) -> dt.date | None:
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip().rstrip("."))
    for fmt in ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _items(lines: list[Line], section: str, *, hearts: bool, warnings: list[str]) -> list[dict[str, Any]]:
    items: list[tuple[str, list[Line]]] = []
    for x in paragraphs(lines):
        marked = x.text.startswith(HEART)
        head = x.text.lstrip("".join(HEART)).strip()
        looks_like_head = word_count(head) <= 8 and not head.endswith(tuple(TRAILING_PUNCT))
        if marked or looks_like_head:
            if hearts and not marked:
                warnings.append(f"line {x.number}: sub-head {head!r} in {section} has no ♥; taken as a head")
            items.append((head, []))
        elif items:
            items[-1][1].append(x)
        else:
            warnings.append(f"line {x.number}: text in {section} before any sub-head; not used")
    out = []
    for head, under in items:
        if not under:
            warnings.append(f"{section}: {head!r} has no text under it")
        out.append({"head": head, "level": "spoiler", "text": todo(under)})
    return out


def _score_sentence(lines: list[Line]) -> tuple[str, str, int] | None:
    """(title, score as written, line) from "I give <Title> an 8 out of 10 ramen", or None."""
    pattern = r"I give (?P<title>.+?) (?:an?\s+)?(?P<score>\d+(?:\.\d+)?) out of 10 ramen"
    for x in lines:
        m = re.search(pattern, x.text, re.IGNORECASE)
        if m:
            return m["title"].strip(" \"'"), m["score"], x.number
    return None


def _ramen(lines: list[Line], score: tuple[str, str, int] | None, title: str, warnings: list[str]) -> int | None:
    bowls = sum(x.text.count(BOWL) for x in lines)
    if score is None:
        if bowls and bowls <= MAX_SCORE:
            warnings.append(
                f"no score sentence ('I give <Title> an N out of 10 ramen'); took {bowls} from the {BOWL} count"
            )
            return bowls
        warnings.append("no score sentence and no bowl emoji: [review] left out")
        return None
    said_title, written, number = score
    if normalize(said_title) != normalize(title):
        warnings.append(f"line {number}: the score sentence names {said_title!r}, the title line {title!r}")
    value = float(written)
    if not 0 <= value <= MAX_SCORE:
        warnings.append(f"line {number}: score {written} is outside 0-10: [review] left out")
        return None
    ramen = round(value)
    if ramen != value:
        warnings.append(f"line {number}: score {written} is not a whole number; wrote {ramen}")
    if bowls == 0:
        warnings.append(f"line {number}: no {BOWL} emoji to cross-check the score {written}")
    elif bowls != value:
        warnings.append(
            f"line {number}: the score sentence says {written} but there are {bowls} {BOWL}; "
            f"used {ramen} from the sentence"
        )
    return ramen


def _audience(lines: list[Line], episodes: int | None, warnings: list[str]) -> dict[str, Any]:
    text = " ".join(x.text for x in paragraphs(lines))
    verdicts: dict[str, set[str]] = {}
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        folded = sentence.casefold()
        fit = next((f for f, cues in VERDICT_CUES if any(c in folded for c in cues)), None)
        if fit is None:
            continue
        for interest, words in REVIEW_SIGNALS.items():
            if any(re.search(rf"\b{re.escape(w)}", folded) for w in words):
                verdicts.setdefault(interest, set()).add(fit)
    notes = []
    for interest, fits in verdicts.items():
        if len(fits) > 1:
            warnings.append(
                f"Should I Watch speaks of {interest!r} both ways ({', '.join(sorted(fits))}); no note written"
            )
            continue
        fit = fits.pop()
        notes.append({"looking_for": interest, "fit": fit, "reason": REASONS[fit].format(interest=interest)})
    if episodes:
        fit = watch_length(episodes)
        size = {Fit.YES: "a short", Fit.MAYBE: "a medium-length", Fit.NO: "a long"}[fit]
        notes.append({"looking_for": SHORT_WATCH, "fit": fit.value, "reason": f"{episodes} episodes: {size} watch."})
    return {
        "summary": todo(paragraphs(lines), "who it suits, in our own words"),
        "for": [
            f"Viewers who want {n['looking_for']}"
            for n in notes
            if n["fit"] == "yes" and n["looking_for"] != SHORT_WATCH
        ],
        "not_for": [
            f"Viewers who want {n['looking_for']}"
            for n in notes
            if n["fit"] == "no" and n["looking_for"] != SHORT_WATCH
        ],
        "notes": notes,
    }


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in ([], {}, None)}
