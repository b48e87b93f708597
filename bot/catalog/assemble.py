"""The catalog the bot serves: TOML entries merged with the operator's CSV rows, spoiler tags applied.

Merge precedence (a reviewed or starter TOML entry and a CSV row for the same show):
    * Same show = same year and a shared name: the TOML title or an alias equals the CSV title or
      one of its alternate titles after `normalize()`.
    * The TOML entry keeps its id, title, text (review, premise, characters, likes, ending,
      audience) and every fact it states: year, dates, episodes, network, platforms, genres,
      starring, cast, community score. The row fills only what the TOML leaves empty.
    * Air dates move as a pair: the row's dates are used only when the TOML has none (or the row
      adds the end date to the same start date), so a merge never makes an end before a start.
    * Tags are the union, the TOML's (project vocabulary) first, then the row's (MDL) tags.
    * Aliases gain the row's title and alternate titles, so every name of the show finds it.
    * A community score and its source travel together: never one side's score with the other's label.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from bot.catalog.actors import default_actors_path, load_actors
from bot.catalog.csv_rows import RowProblem, claim_id, load_csv
from bot.catalog.drafts import check_drafts
from bot.catalog.index import Catalog
from bot.catalog.model import CatalogError, Drama, normalize
from bot.catalog.spoiler_tags import SpoilerTags
from bot.catalog.toml_entries import load_entries
from bot.config import DEFAULT_CATALOG_DIR

# --------------------------------------------------------------------------- merging


def merge(toml_dramas: Iterable[Drama], csv_dramas: Iterable[Drama]) -> list[Drama]:
    """Merge TOML entries with CSV rows for the same shows; keep everything else as it is.

    A TOML entry and a CSV drama are the same show when their years are equal and a normalized
    name (title or alias) is shared; a TOML entry without a year matches only a show whose name
    is unique in the CSV. Each CSV drama merges into at most one TOML entry (the first in order).
    See the module docstring for precedence: TOML facts win where both have a value, tags are
    the union with the TOML's first.

    Returns:
        The TOML entries in their order (merged where a row matched), then the unmatched CSV
        dramas in their order. A CSV id that clashes with a TOML id gets `-<year>` (then `-2`…).
    """
    merged, _ = merge_with_pairs(list(toml_dramas), list(csv_dramas))
    return merged


def merge_with_pairs(
    toml_dramas: list[Drama], csv_dramas: list[Drama]
) -> tuple[list[Drama], list[tuple[Drama, Drama]]]:
    """`merge()`, plus the (TOML entry, CSV drama) pairs that were merged."""
    by_name: dict[str, list[int]] = {}
    for i, row in enumerate(csv_dramas):
        for key in dict.fromkeys(normalize(name) for name in row.names):
            by_name.setdefault(key, []).append(i)
    used: set[int] = set()
    out: list[Drama] = []
    pairs: list[tuple[Drama, Drama]] = []
    for entry in toml_dramas:
        match = _find_row(entry, csv_dramas, by_name, used)
        if match is None:
            out.append(entry)
            continue
        used.add(match)
        row = csv_dramas[match]
        out.append(_merge_pair(entry, row))
        pairs.append((entry, row))
    taken = {d.id for d in out}
    for i, row in enumerate(csv_dramas):
        if i in used:
            continue
        drama_id = row.id
        if drama_id in taken:
            drama_id = claim_id(f"{row.id}-{row.year}" if row.year else row.id, taken)
            row = replace(row, id=drama_id)
        else:
            taken.add(drama_id)
        out.append(row)
    return out, pairs


def _find_row(entry: Drama, rows: list[Drama], by_name: dict[str, list[int]], used: set[int]) -> int | None:
    title_key = normalize(entry.title)
    candidates = sorted({i for name in entry.names for i in by_name.get(normalize(name), ()) if i not in used})
    if entry.year is not None:
        candidates = [i for i in candidates if rows[i].year == entry.year]
    elif len(candidates) != 1:
        return None
    if not candidates:
        return None
    # Prefer the row whose own title is one of the entry's names, then file order.
    entry_keys = {title_key, *map(normalize, entry.aliases)}
    return min(candidates, key=lambda i: (normalize(rows[i].title) not in entry_keys, i))


def _merge_pair(entry: Drama, row: Drama) -> Drama:
    """One drama from a TOML entry and its CSV row: the entry wins, the row fills the gaps."""
    # The entry's aliases stay exactly as written; the row adds only names not yet known.
    known = {normalize(name) for name in entry.names}
    aliases = list(entry.aliases)
    for name in (row.title, *row.aliases):
        key = normalize(name)
        if key not in known:
            known.add(key)
            aliases.append(name)
    aired_start, aired_end = entry.aired_start, entry.aired_end
    if aired_start is None and aired_end is None:
        aired_start, aired_end = row.aired_start, row.aired_end
    elif aired_end is None and aired_start == row.aired_start:
        aired_end = row.aired_end
    seen_tags: set[str] = set()
    tags = []
    for tag in (*entry.tags, *row.tags):
        if tag.casefold() not in seen_tags:
            seen_tags.add(tag.casefold())
            tags.append(tag)
    if entry.community_score is not None:
        score, score_source = entry.community_score, entry.community_source
    else:
        score, score_source = row.community_score, row.community_source
    return replace(
        entry,
        year=entry.year if entry.year is not None else row.year,
        aliases=tuple(aliases),
        aired_start=aired_start,
        aired_end=aired_end,
        episodes=entry.episodes if entry.episodes is not None else row.episodes,
        network=entry.network or row.network,
        platforms=entry.platforms or row.platforms,
        genres=entry.genres or row.genres,
        tags=tuple(tags),
        starring=entry.starring or row.starring,
        cast=entry.cast or row.cast,
        community_score=score,
        community_source=score_source,
        source=f"{entry.source} + {row.source}",
    )


# --------------------------------------------------------------------------- start-up and CLI


def build_catalog(
    catalog_dir: Path, csv_path: Path | None, spoiler_tags: SpoilerTags | None = None, *, drafts: str = "refuse"
) -> tuple[Catalog, list[RowProblem]]:
    """The start-up catalog: TOML entries from `catalog_dir`, plus the CSV at `csv_path` when given.

    TOML entries and CSV rows for the same show merge (see `merge`). Bad CSV rows are skipped
    and returned as problems for the caller to log; they never stop start-up. Tags that give the
    plot away move to `Drama.spoiler_tags` (default rules: `data/spoiler-tags.toml`).

    An entry still holding import-review's TODO placeholders stops start-up (`drafts="refuse"`) or
    is served without those fields (`drafts="hide"`, `CATALOG_ALLOW_DRAFTS=hide`); see `bot.catalog.drafts`.

    Returns:
        (the catalog, the CSV's row problems in file order; empty without a CSV).

    Raises:
        CatalogError: the TOML folder is missing or a TOML file is invalid or a draft (file and
            fields named); the CSV is missing, unreadable or lacks a required column;
            `data/actors.toml` breaks its rules; two TOML entries share an id; or there is no
            drama at all (an empty folder and no CSV rows).
    """
    entries = check_drafts(load_entries(catalog_dir), drafts)
    problems: list[RowProblem] = []
    rows: list[Drama] = []
    if csv_path is not None:
        loaded = load_csv(csv_path)
        rows, problems = list(loaded.dramas), list(loaded.problems)
    if not entries and not rows:
        raise CatalogError(str(catalog_dir), "", "no *.toml drama entries in the catalog folder and no CSV rows")
    if spoiler_tags is None:
        spoiler_tags = SpoilerTags.load(default_spoiler_tags_path())
    actors = load_actors(default_actors_path())
    return Catalog((spoiler_tags.apply(d) for d in merge(entries, rows)), actors), problems


def default_spoiler_tags_path() -> Path:
    """The bundled spoiler-tag rules and list, `data/spoiler-tags.toml`, resolved from the package."""
    return DEFAULT_CATALOG_DIR.parent / "spoiler-tags.toml"
