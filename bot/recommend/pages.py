"""A `/recommend` answer as text for the database, and back: what its pager keeps (`bot.store.pagers`).

`encode_picks(picks)` is JSON: format version, the liked shows' ids, whether they stood in for
`like`, the filters, and the ranked results with every field the reply shows (drama id, score,
similarity, shared tags and genres, the server's (mean, votes) at the time, kind, the liked show a
sequel continues, co-raters). `decode_picks(text, catalog)` rebuilds the `Picks` against the
catalog the process has loaded: a drama the catalog no longer holds is left out (never a page of
unknown ids). Nothing here knows Discord.
"""

from __future__ import annotations

import json
from typing import Any

from bot.catalog.index import Catalog
from bot.catalog.model import Drama
from bot.recommend.engine import PAGE_SIZE, Picks, Recommendation
from bot.recommend.filters import FILTER_ORDER, Filters

FORMAT = 1
"""The payload's format version; a pager of another version is treated as gone."""


def page_count(results: int) -> int:
    """How many pages of `PAGE_SIZE` `results` take (at least 1)."""
    return max(1, -(-results // PAGE_SIZE))


class UnreadablePicks(ValueError):
    """The text is not a pager payload this code can read (another format version, or damaged)."""


def encode_picks(picks: Picks) -> str:
    """`picks` as compact JSON text (about 150 bytes per result)."""
    return json.dumps(
        {
            "v": FORMAT,
            "likes": [d.id for d in picks.likes],
            "stand_in": picks.stand_in,
            "filters": {name: getattr(picks.filters, name) for name in picks.filters.active},
            "results": [_result(r) for r in picks.results],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _result(r: Recommendation) -> dict[str, Any]:
    out: dict[str, Any] = {"id": r.drama.id, "score": r.score, "kind": r.kind}
    if r.similarity:
        out["sim"] = r.similarity
    if r.shared_tags:
        out["tags"] = list(r.shared_tags)
    if r.shared_genres:
        out["genres"] = list(r.shared_genres)
    if r.server is not None:
        out["server"] = [r.server[0], r.server[1]]
    if r.part_of is not None:
        out["part_of"] = r.part_of.id
    if r.co_raters:
        out["co"] = r.co_raters
    return out


def decode_picks(text: str, catalog: Catalog) -> Picks:
    """The `Picks` that `encode_picks` wrote, with dramas looked up in `catalog` (ones it lacks are
    left out). Raises UnreadablePicks for text of another format version or a damaged one."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("v") != FORMAT:
            raise UnreadablePicks(f"not a format-{FORMAT} pager payload")
        filters = Filters(**{k: v for k, v in data["filters"].items() if k in FILTER_ORDER})
        likes = [d for d in (catalog.get(i) for i in data["likes"]) if d is not None]
        results = [r for r in (_recommendation(item, catalog, filters) for item in data["results"]) if r is not None]
        return Picks(results=results, likes=likes, stand_in=bool(data["stand_in"]), filters=filters)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, UnreadablePicks):
            raise
        raise UnreadablePicks(f"damaged pager payload: {exc!r}") from exc


def _recommendation(item: dict[str, Any], catalog: Catalog, filters: Filters) -> Recommendation | None:
    drama = catalog.get(item["id"])
    if drama is None:
        return None
    part_of: Drama | None = catalog.get(item["part_of"]) if "part_of" in item else None
    server = item.get("server")
    return Recommendation(
        drama=drama,
        score=float(item["score"]),
        similarity=float(item.get("sim", 0.0)),
        shared_tags=tuple(item.get("tags", ())),
        shared_genres=tuple(item.get("genres", ())),
        server=(float(server[0]), int(server[1])) if server is not None else None,
        filters=filters,
        kind=str(item["kind"]),
        part_of=part_of,
        co_raters=int(item.get("co", 0)),
    )
