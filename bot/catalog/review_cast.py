"""The cast sections of a review (The Leads, Supporting Characters) and the slips found in them.

Part of `import-review` (`bot.catalog.review_draft`): characters and actors are facts the draft
keeps; what a review says about them becomes a "TODO" placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from bot.catalog.model import normalize
from bot.catalog.review_text import Line, line_numbers, todo, word_count

# Descriptions that cannot both be true of one character in one show. A review using two words
# from one group (Run On: "marathon runner" and "sprinter") gets a warning; extend as slips turn up.
ROLE_GROUPS = (
    ("sprinter", "marathon runner", "long-distance runner", "middle-distance runner", "hurdler"),
    ("swimmer", "diver"),
    ("prosecutor", "defense attorney", "defence lawyer", "public defender"),
    ("high school student", "college student", "university student"),
)


@dataclass
class CastMember:
    actor: str
    name: str
    line: int
    paragraphs: list[Line] = field(default_factory=list)


def cast_members(lines: list[Line], section: str, warnings: list[str]) -> list[CastMember]:
    out: list[CastMember] = []
    for x in lines:
        found = actor_as_character(x.text)
        if found:
            out.append(CastMember(actor=found[0], name=found[1], line=x.number))
        elif out:
            out[-1].paragraphs.append(x)
        else:
            warnings.append(f"line {x.number}: text in {section} before any '<Actor> as <Character>' line; not used")
    if lines and not out:
        warnings.append(f"{section}: no '<Actor> as <Character>' lines found")
    return out


# Titles and suffixes written with a dot inside names ("Dr. Yoon", "Mrs. Go", "Choi Jr."), and initials ("J.").
NAME_ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Jr|Sr|St|Sgt|Capt|Lt|Col|Gen|Rev|[A-Z])\.(?=\s|$)")


def actor_as_character(text: str) -> tuple[str, str] | None:
    """ "<Actor> as <Character>" → (actor, character), or None for any other line.

    A cast line is short and has no sentence punctuation; names may carry honorifics and
    abbreviations with a dot ("Dr. Yoon Chae Won", "Mrs. Go Mi Ja", "Choi D'Arcy Jr."), hyphens
    ("Lee Min-jun") and apostrophes ("Park O'Neil").
    """
    if word_count(text) > 12 or re.search(r"[.!?,;:]", NAME_ABBREVIATION.sub("", text)):
        return None
    parts = text.split(" as ")
    if len(parts) != 2 or not all(p[:1].isupper() for p in parts):
        return None
    return parts[0].strip(), parts[1].strip()


def character_table(c: CastMember, role: str, all_text: str) -> dict[str, Any]:
    # Leads' introductions are safe; supporting characters stay spoilers until an editor checks.
    level = "safe" if role == "lead" else "spoiler"
    table: dict[str, Any] = {"name": c.name}
    tokens = c.name.split()
    given = " ".join(tokens[1:])
    # The given name is an alias only if the review uses it on its own, not just inside the full name.
    elsewhere = all_text.replace(c.name, "")
    aliases = []
    bare = re.sub(r"^(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.\s+", "", c.name)  # "Dr. Yoon Chae Won" is also "Yoon Chae Won"
    if bare != c.name:
        aliases.append(bare)
    elif len(tokens) >= 3 and re.search(rf"\b{re.escape(given)}\b", elsewhere):
        aliases.append(given)
    if aliases:
        table["aliases"] = aliases
    table.update(actor=c.actor, role=role)
    table["facts"] = [{"level": level, "text": todo([p])} for p in c.paragraphs]
    return table


def check_starring(starring: list[str], leads: list[CastMember], warnings: list[str]) -> None:
    lead_actors = {normalize(c.actor) for c in leads}
    for star in starring:
        if leads and normalize(star) not in lead_actors:
            warnings.append(f"starring {star!r} is not the actor of any lead in The Leads")


def spelling_warnings(characters: list[CastMember], lines: list[Line]) -> list[str]:
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
            listed = ", ".join(f"{v!r} ({line_numbers(n)})" for v, n in variants.items())
            out.append(
                f"character {c.name!r} is also written {listed}: pick one spelling (add a real variant to aliases)"
            )
    return out


def role_warnings(lines: list[Line]) -> list[str]:
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
            listed = " vs ".join(f"{t!r} ({line_numbers(n)})" for t, n in used.items())
            out.append(f"role described two ways: {listed}: check which is right")
    return out
