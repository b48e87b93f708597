"""Writing an `import-review` draft as a TOML catalog entry, with its header and warnings."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.catalog.review_draft import Draft

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
