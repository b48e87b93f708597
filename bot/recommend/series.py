"""Parts and seasons of one show, by one rule on titles.

A title is part n of a series when it ends in "Season n", "Part n", "Series n", "Chapter n" or a
bare number n of one or two digits after a space ("Hospital Playlist Season 2", "Kingdom Season 2",
"Weak Hero Class 1", "Age of Youth 2"); the series is the rest of the title, folded with
`bot.catalog.normalize` ("hospital playlist"). Any other title is part 1 of the series named by its
whole title. Four-digit years ("Reply 1988") and numbers glued to a word ("The K2") are not parts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.catalog.model import normalize

_PART = re.compile(
    r"^(?P<base>.+?)(?:[\s:,\-–]+(?:season|part|series|chapter)\s*(?P<n>\d{1,2})|\s+(?P<m>\d{1,2}))\s*$",
    re.IGNORECASE,
)


def series_part(title: str, fold: Callable[[str], str] = normalize) -> tuple[str, int]:
    """(series key, part number ≥ 1) of a title, by the module's rule (`fold`: a remembered `normalize`).

    >>> series_part("Hospital Playlist Season 2")
    ('hospital playlist', 2)
    >>> series_part("Reply 1988")
    ('reply 1988', 1)
    """
    match = _PART.match(title.strip())
    if match is None:
        return fold(title), 1
    number = int(match.group("n") or match.group("m"))
    return fold(match.group("base")), max(1, number)
