"""Drafts never reach members: an entry still holding import-review's "TODO" placeholders either stops
start-up (the default) or, with `CATALOG_ALLOW_DRAFTS=hide`, is served without its unfinished fields.
"""

from __future__ import annotations

from dataclasses import replace

from bot.catalog.model import Audience, CatalogError, Drama

PLACEHOLDER = "TODO"
"""How `bot.catalog.review_draft` starts every piece of prose it leaves for a person to write."""


def _todo(text: str | None) -> bool:
    return bool(text) and text.lstrip().startswith(PLACEHOLDER)  # type: ignore[union-attr]


def draft_fields(drama: Drama) -> list[str]:
    """The TOML field paths of `drama` that still hold a placeholder, e.g. ["premise[0]", "audience.for[1]"]."""
    out = [f"premise[{i}]" for i, f in enumerate(drama.premise) if _todo(f.text)]
    for c, character in enumerate(drama.characters):
        out += [f"characters[{c}].facts[{i}]" for i, f in enumerate(character.facts) if _todo(f.text)]
    for name, items in (("liked", drama.liked), ("disliked", drama.disliked)):
        out += [f"{name}[{i}]" for i, item in enumerate(items) if _todo(item.text) or _todo(item.head)]
    out += [f"ending.facts[{i}]" for i, f in enumerate(drama.ending) if _todo(f.text)]
    if drama.review and _todo(drama.review.summary):
        out.append("review.summary")
    audience = drama.audience
    if audience is not None:
        out += ["audience.summary"] if _todo(audience.summary) else []
        out += [f"audience.for[{i}]" for i, t in enumerate(audience.for_) if _todo(t)]
        out += [f"audience.not_for[{i}]" for i, t in enumerate(audience.not_for) if _todo(t)]
        out += [f"audience.notes[{i}]" for i, n in enumerate(audience.notes) if _todo(n.reason)]
    return out


def without_drafts(drama: Drama) -> Drama:
    """`drama` with every field that holds a placeholder left out (a character keeps its finished facts)."""
    if not draft_fields(drama):
        return drama
    audience = drama.audience
    if audience is not None:
        audience = Audience(
            summary=None if _todo(audience.summary) else audience.summary,
            for_=tuple(t for t in audience.for_ if not _todo(t)),
            not_for=tuple(t for t in audience.not_for if not _todo(t)),
            notes=tuple(n for n in audience.notes if not _todo(n.reason)),
        )
    review = drama.review
    if review is not None and _todo(review.summary):
        review = replace(review, summary=None)
    return replace(
        drama,
        premise=tuple(f for f in drama.premise if not _todo(f.text)),
        characters=tuple(replace(c, facts=tuple(f for f in c.facts if not _todo(f.text))) for c in drama.characters),
        liked=tuple(i for i in drama.liked if not (_todo(i.text) or _todo(i.head))),
        disliked=tuple(i for i in drama.disliked if not (_todo(i.text) or _todo(i.head))),
        ending=tuple(f for f in drama.ending if not _todo(f.text)),
        review=review,
        audience=audience,
    )


def check_drafts(dramas: list[Drama], mode: str) -> list[Drama]:
    """Apply the operator's draft rule (`CATALOG_ALLOW_DRAFTS`): "refuse" (default) or "hide".

    Returns:
        `dramas` unchanged when none is a draft; with "hide", each draft without its unfinished fields.
    Raises:
        CatalogError: with "refuse", for the first draft: its file, and every field holding a placeholder.
    """
    out = []
    for drama in dramas:
        fields = draft_fields(drama)
        if fields and mode != "hide":
            raise CatalogError(
                drama.source.split(" + ")[0],
                ", ".join(fields),
                "still holds TODO placeholders from import-review; write them, or set CATALOG_ALLOW_DRAFTS=hide "
                "to serve the entry without them",
            )
        out.append(without_drafts(drama) if fields else drama)
    return out
