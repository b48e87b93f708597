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

import argparse
import datetime as dt
import json
import os
import re
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from bot.catalog import CatalogError, normalize, parse_drama

HEART = ("♥", "❤", "♡")
BOWL = "🍜"

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

# Descriptions that cannot both be true of one character in one show. A review using two words
# from one group (Run On: "marathon runner" and "sprinter") gets a warning; extend as slips turn up.
ROLE_GROUPS = (
    ("sprinter", "marathon runner", "long-distance runner", "middle-distance runner", "hurdler"),
    ("swimmer", "diver"),
    ("prosecutor", "defense attorney", "defence lawyer", "public defender"),
    ("high school student", "college student", "university student"),
)

# /shouldiwatch interests (the `looking_for` choices) and the words that mean them in a review.
INTERESTS = {
    "action": ("action",),
    "humor": ("humor", "humour", "comedy", "comedic", "funny", "laughs"),
    "slow-burn romance": ("slow-burn", "slow burn"),
    "character growth": ("character development", "character growth", "emotional growth"),
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


class ReviewError(Exception):
    """No draft can be made: the file is missing, empty, not UTF-8 text or not a review at all."""


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


@dataclass
class _Line:
    number: int  # 1-based line number in the review file
    text: str


@dataclass
class _Character:
    actor: str
    name: str
    line: int
    paragraphs: list[_Line] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def read_review(path: Path) -> str:
    """Read a review as text: UTF-8 with or without BOM. Raises `ReviewError` (one-line message)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReviewError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReviewError(f"{path}: is a folder, not a review file") from None
    except OSError as exc:
        raise ReviewError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReviewError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None


def _clean(text: str) -> list[_Line]:
    """Normalise line endings, quotes and spaces; keep line numbers so placeholders can point back."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(
        str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " ", "\t": " ", "\u200b": None})
    )
    return [_Line(i, " ".join(line.split())) for i, line in enumerate(text.split("\n"), start=1)]


def _fold_heading(text: str) -> str:
    return " ".join(text.rstrip(":?. ").casefold().split())


def _words(text: str) -> int:
    return len(text.split())


def _todo(lines: list[_Line], what: str = "summarise in our own words") -> str:
    """The placeholder for prose: where the paragraph is and how long it is, never its words."""
    if not lines:
        return f"TODO: {what} (the review gives no text here)"
    first, last = lines[0].number, lines[-1].number
    where = f"review line {first}" if first == last else f"review lines {first}-{last}"
    return f"TODO: {what} ({where}, ~{sum(_words(x.text) for x in lines)} words)"


# --------------------------------------------------------------------------- parsing


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
    lines = _clean(text)
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

    data: dict[str, Any] = {"id": _slug(title, warnings), "title": title}
    data.update(_metadata(meta, warnings))
    leads = _characters(sections.get("leads", []), "The Leads", warnings)
    supporting = _characters(sections.get("supporting", []), "Supporting Characters", warnings)
    _check_starring(data.get("starring", []), leads, warnings)

    review: dict[str, Any] = {}
    ramen = _ramen(lines, score, title, warnings)
    if ramen is not None:
        review["ramen"] = ramen
        # The reviewer's intro links an unspoiled review when there is one; that is a fact we keep.
        review["has_unspoiled_review"] = any("unspoiled review" in x.text.casefold() for x in preamble)
        watch = [x for x in sections.get("watch", []) if not _is_score_only(x.text)]
        review["summary"] = _todo(watch, "one-line verdict in our own words")
        data["review"] = review

    story = _paragraphs(sections.get("story", []))
    data["premise"] = [{"level": "safe", "text": _todo([p])} for p in story]
    all_text = "\n".join(x.text for x in lines)
    data["characters"] = [_character_table(c, "lead", all_text) for c in leads] + [
        _character_table(c, "supporting", all_text) for c in supporting
    ]
    data["liked"] = _items(sections.get("liked", []), "Things I Liked", hearts=True, warnings=warnings)
    data["disliked"] = _items(sections.get("disliked", []), "Things I Didn't Like", hearts=False, warnings=warnings)
    ending = _paragraphs(sections.get("ending", []))
    if ending:
        data["ending"] = {"facts": [_todo([p], "one ending fact per line, in our own words") for p in ending]}
    data["audience"] = _audience(sections.get("watch", []), data.get("episodes"), warnings)

    warnings.extend(_spelling_warnings(leads + supporting, lines))
    warnings.extend(_role_warnings(lines))
    return Draft(data=_drop_empty(data), warnings=warnings, source=source)


def _split(lines: list[_Line], warnings: list[str]):
    """Sort lines into ♥ metadata, the lines before the first section, and each section's lines."""
    meta: list[_Line] = []
    preamble: list[_Line] = []
    sections: dict[str, list[_Line]] = {}
    current: list[_Line] | None = None
    for x in lines:
        key = SECTIONS.get(_fold_heading(x.text))
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


def _paragraphs(lines: list[_Line]) -> list[_Line]:
    return [x for x in lines if re.search(r"\w", x.text) and not _is_score_only(x.text)]


def _is_score_only(text: str) -> bool:
    return not text.replace(BOWL, "").strip()


# --- metadata


def _metadata(meta: list[_Line], warnings: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    seen: set[str] = set()
    for x in meta:
        label, _, value = x.text.lstrip("".join(HEART)).partition(":")
        key, value = _fold_heading(label), value.strip()
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


# --- characters


def _characters(lines: list[_Line], section: str, warnings: list[str]) -> list[_Character]:
    out: list[_Character] = []
    for x in lines:
        found = _actor_as_character(x.text)
        if found:
            out.append(_Character(actor=found[0], name=found[1], line=x.number))
        elif out:
            out[-1].paragraphs.append(x)
        else:
            warnings.append(f"line {x.number}: text in {section} before any '<Actor> as <Character>' line; not used")
    if lines and not out:
        warnings.append(f"{section}: no '<Actor> as <Character>' lines found")
    return out


def _actor_as_character(text: str) -> tuple[str, str] | None:
    # A cast line is short, has no sentence punctuation and reads "<Actor> as <Character>".
    if _words(text) > 12 or re.search(r"[.!?,;:]", text):
        return None
    parts = text.split(" as ")
    if len(parts) != 2 or not all(p[:1].isupper() for p in parts):
        return None
    return parts[0].strip(), parts[1].strip()


def _character_table(c: _Character, role: str, all_text: str) -> dict[str, Any]:
    # Leads' introductions are safe; supporting characters stay spoilers until an editor checks.
    level = "safe" if role == "lead" else "spoiler"
    table: dict[str, Any] = {"name": c.name}
    tokens = c.name.split()
    given = " ".join(tokens[1:])
    # The given name is an alias only if the review uses it on its own, not just inside the full name.
    elsewhere = all_text.replace(c.name, "")
    if len(tokens) >= 3 and re.search(rf"\b{re.escape(given)}\b", elsewhere):
        table["aliases"] = [given]
    table.update(actor=c.actor, role=role)
    table["facts"] = [{"level": level, "text": _todo([p])} for p in c.paragraphs]
    return table


def _check_starring(starring: list[str], leads: list[_Character], warnings: list[str]) -> None:
    lead_actors = {normalize(c.actor) for c in leads}
    for star in starring:
        if leads and normalize(star) not in lead_actors:
            warnings.append(f"starring {star!r} is not the actor of any lead in The Leads")


def _spelling_warnings(characters: list[_Character], lines: list[_Line]) -> list[str]:
    """Near-duplicate spellings of a character's name anywhere in the review ("Seon Gyeum")."""
    known = set()
    for c in characters:
        tokens = c.name.split()
        known.update({c.name, " ".join(tokens[1:])} | {c.actor})
    runs = [(x.number, m.group()) for x in lines for m in re.finditer(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*", x.text)]
    out = []
    for c in characters:
        tokens = c.name.split()
        targets = {c.name} | ({" ".join(tokens[1:])} if len(tokens) >= 3 else set())
        variants: dict[str, list[int]] = {}
        for number, run in runs:
            words = run.split()
            for target in targets:
                k = len(target.split())
                for i in range(len(words) - k + 1):
                    window = " ".join(words[i : i + k])
                    if window not in known and fuzz.ratio(window, target) >= 80:
                        variants.setdefault(window, []).append(number)
        if variants:
            listed = ", ".join(f"{v!r} ({_where(n)})" for v, n in variants.items())
            out.append(
                f"character {c.name!r} is also written {listed}: pick one spelling (add a real variant to aliases)"
            )
    return out


def _role_warnings(lines: list[_Line]) -> list[str]:
    """Two descriptions from one `ROLE_GROUPS` group, e.g. "marathon runner" and "sprinter"."""
    out = []
    for group in ROLE_GROUPS:
        used = {}
        for term in group:
            pattern = r"\b" + r"[\s-]+".join(map(re.escape, term.split())) + r"s?\b"
            hits = [x.number for x in lines if re.search(pattern, x.text, re.IGNORECASE)]
            if hits:
                used[term] = hits
        if len(used) > 1:
            listed = " vs ".join(f"{t!r} ({_where(n)})" for t, n in used.items())
            out.append(f"role described two ways: {listed}: check which is right")
    return out


def _where(numbers: Iterable[int]) -> str:
    unique = sorted(set(numbers))
    return ("line " if len(unique) == 1 else "lines ") + ", ".join(map(str, unique))


# --- liked / disliked


def _items(lines: list[_Line], section: str, *, hearts: bool, warnings: list[str]) -> list[dict[str, Any]]:
    items: list[tuple[str, list[_Line]]] = []
    for x in _paragraphs(lines):
        marked = x.text.startswith(HEART)
        head = x.text.lstrip("".join(HEART)).strip()
        looks_like_head = _words(head) <= 8 and not head.endswith(tuple(TRAILING_PUNCT))
        if marked or looks_like_head:
            if hearts and not marked:
                warnings.append(f"line {x.number}: sub-head {head!r} in {section} has no ♥; taken as a head")
            items.append((head, []))
        elif items:
            items[-1][1].append(x)
        else:
            warnings.append(f"line {x.number}: text in {section} before any sub-head; not used")
    out = []
    for head, paragraphs in items:
        if not paragraphs:
            warnings.append(f"{section}: {head!r} has no text under it")
        out.append({"head": head, "level": "spoiler", "text": _todo(paragraphs)})
    return out


# --- score and audience


def _score_sentence(lines: list[_Line]) -> tuple[str, str, int] | None:
    """(title, score as written, line) from "I give <Title> an 8 out of 10 ramen", or None."""
    pattern = r"I give (?P<title>.+?) (?:an?\s+)?(?P<score>\d+(?:\.\d+)?) out of 10 ramen"
    for x in lines:
        m = re.search(pattern, x.text, re.IGNORECASE)
        if m:
            return m["title"].strip(" \"'"), m["score"], x.number
    return None


def _ramen(lines: list[_Line], score: tuple[str, str, int] | None, title: str, warnings: list[str]) -> int | None:
    bowls = sum(x.text.count(BOWL) for x in lines)
    if score is None:
        if bowls and bowls <= 10:
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
    if not 0 <= value <= 10:
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


def _audience(lines: list[_Line], episodes: int | None, warnings: list[str]) -> dict[str, Any]:
    text = " ".join(x.text for x in _paragraphs(lines))
    verdicts: dict[str, set[str]] = {}
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        folded = sentence.casefold()
        fit = next((f for f, cues in VERDICT_CUES if any(c in folded for c in cues)), None)
        if fit is None:
            continue
        for interest, words in INTERESTS.items():
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
        fit, size = (
            ("yes", "a short")
            if episodes <= 12
            else ("maybe", "a medium-length")
            if episodes <= 16
            else ("no", "a long")
        )
        notes.append({"looking_for": "short watch", "fit": fit, "reason": f"{episodes} episodes: {size} watch."})
    return {
        "summary": _todo(_paragraphs(lines), "who it suits, in our own words"),
        "for": [
            f"Viewers who want {n['looking_for']}"
            for n in notes
            if n["fit"] == "yes" and n["looking_for"] != "short watch"
        ],
        "not_for": [
            f"Viewers who want {n['looking_for']}"
            for n in notes
            if n["fit"] == "no" and n["looking_for"] != "short watch"
        ],
        "notes": notes,
    }


def _slug(title: str, warnings: list[str]) -> str:
    slug = "-".join(re.findall(r"[a-z0-9]+", normalize(title)))
    if not slug:
        warnings.append(f"cannot make an id from the title {title!r}; used 'draft'")
        return "draft"
    return slug


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in ([], {}, None)}


# --------------------------------------------------------------------------- writing

HEADER = """\
# Draft catalog entry for {title!r}, made by `python -m bot import-review` from {source}.
# Facts (title, dates, numbers, platforms, genres, names, actors, sub-heads) come from the review.
# Every "TODO:" is prose to write in the project's own words: summarise the review line it names,
# never paste the review's sentences.
# Spoiler levels are conservative: metadata, premise, the leads and the audience are "safe"; the
# ending and the dislikes are spoilers; the likes and the supporting characters are "spoiler" until
# an editor decides they give nothing away and changes them to "safe".
# Not in the review, add by hand: network = [...], tags = [...], aliases for the title.
"""


TOP_LEVEL = ("id", "title", "year", "aired_start", "aired_end", "episodes", "platforms", "genres", "starring")


def to_toml(draft: Draft) -> str:
    """Write `draft` as a TOML catalog entry with its header comment and `# WARNING:` lines."""
    d = draft.data
    out = [HEADER.format(title=d["title"], source=draft.source)]
    out += [f"# WARNING: {w}\n" for w in draft.warnings]
    out.append("\n")
    for key in TOP_LEVEL:
        if key in d:
            out.append(f"{key} = {_value(d[key])}\n")
    if "review" in d:
        out.append("\n[review]\n" + _pairs(d["review"]))
    for fact in d.get("premise", []):
        out.append("\n[[premise]]\n" + _pairs(fact))
    for c in d.get("characters", []):
        out.append("\n[[characters]]\n" + _pairs({k: v for k, v in c.items() if k != "facts"}))
        for fact in c.get("facts", []):
            out.append("[[characters.facts]]\n" + _pairs(fact))
    for key in ("liked", "disliked"):
        for item in d.get(key, []):
            out.append(f"\n[[{key}]]\n" + _pairs(item))
    if "ending" in d:
        out.append("\n# The ending: always a spoiler, so no level field.\n[ending]\nfacts = [\n")
        out += [f"    {_value(f)},\n" for f in d["ending"]["facts"]]
        out.append("]\n")
    audience = d["audience"]
    out.append("\n[audience]\n" + _pairs({k: v for k, v in audience.items() if k != "notes"}))
    for note in audience["notes"]:
        out.append("\n[[audience.notes]]\n" + _pairs(note))
    return "".join(out)


def _pairs(table: dict[str, Any]) -> str:
    return "".join(f"{k} = {_value(v)}\n" for k, v in table.items())


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | dt.date):
        return str(value) if isinstance(value, int) else value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    # A JSON string is a valid TOML basic string (same escapes, \uXXXX for control characters).
    return json.dumps(str(value), ensure_ascii=False)


# --------------------------------------------------------------------------- command line


def main(argv: list[str]) -> int:
    """`import-review PATH [--out FILE|DIR] [--force]`: print or write a draft entry.

    Warnings go to stderr and into the draft as `# WARNING:` comments. Returns 0 when a draft was
    made (with or without warnings), 1 with a one-line message when none could be (missing, empty
    or non-UTF-8 file, not a review, an existing --out without --force), 2 for bad arguments.
    """
    parser = argparse.ArgumentParser(
        prog="python -m bot import-review",
        description="Draft a catalog entry (TOML) from one of the reviewer's full reviews.",
    )
    parser.add_argument("path", type=Path, help="the review, a UTF-8 text file in the template")
    parser.add_argument("--out", help="write here (a folder, or a path ending in /, gets <id>.toml) instead of stdout")
    parser.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on usage errors; callers want a status
        return int(exc.code or 0)
    try:
        draft = parse_review(read_review(args.path), source=args.path.name)
    except ReviewError as exc:
        print(f"import-review: {exc}", file=sys.stderr)
        return 1
    text = to_toml(draft)
    try:  # The draft must load as it is; if it does not, that is a bug here, not a review slip.
        parse_drama(tomllib.loads(text), f"draft from {args.path.name}")
    except (CatalogError, tomllib.TOMLDecodeError) as exc:
        print(f"import-review: internal error, the draft does not load: {exc}", file=sys.stderr)
        return 1
    for warning in draft.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    target = Path(args.out)
    as_folder = target.is_dir() or args.out.endswith(("/", os.sep))
    out = target / f"{draft.data['id']}.toml" if as_folder else target
    if out.exists() and not args.force:
        print(f"import-review: {out} already exists (use --force to overwrite)", file=sys.stderr)
        return 1
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"import-review: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {out} ({len(draft.warnings)} warnings)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
