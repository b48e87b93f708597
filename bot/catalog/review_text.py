"""Reading one of the reviewer's full reviews as numbered, cleaned lines (for `import-review`).

Line numbers are kept so a draft's "TODO" placeholders can point back at the paragraph to
summarise without quoting it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.ratings.scores import BOWL

HEART = ("♥", "❤", "♡")
"""The marks the reviewer puts before metadata lines and liked sub-heads."""


class ReviewError(Exception):
    """No draft can be made: the file is missing, empty, not UTF-8 text or not a review at all."""


@dataclass
class Line:
    number: int  # 1-based line number in the review file
    text: str


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


def clean_lines(text: str) -> list[Line]:
    """Normalise line endings, quotes and spaces; keep line numbers so placeholders can point back."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(
        str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " ", "\t": " ", "\u200b": None})
    )
    return [Line(i, " ".join(line.split())) for i, line in enumerate(text.split("\n"), start=1)]


def fold_heading(text: str) -> str:
    return " ".join(text.rstrip(":?. ").casefold().split())


def word_count(text: str) -> int:
    return len(text.split())


def todo(lines: list[Line], what: str = "summarise in our own words") -> str:
    """The placeholder for prose: where the paragraph is and how long it is, never its words."""
    if not lines:
        return f"TODO: {what} (the review gives no text here)"
    first, last = lines[0].number, lines[-1].number
    where = f"review line {first}" if first == last else f"review lines {first}-{last}"
    return f"TODO: {what} ({where}, ~{sum(word_count(x.text) for x in lines)} words)"


def paragraphs(lines: list[Line]) -> list[Line]:
    return [x for x in lines if re.search(r"\w", x.text) and not is_score_only(x.text)]


def is_score_only(text: str) -> bool:
    return not text.replace(BOWL, "").strip()


def line_numbers(numbers: Iterable[int]) -> str:
    unique = sorted(set(numbers))
    return ("line " if len(unique) == 1 else "lines ") + ", ".join(map(str, unique))
