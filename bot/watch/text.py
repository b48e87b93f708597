"""Discord text length and readable shortening for poll answers, event names and descriptions.

Length is measured in UTF-16 code units (`text_length`). Discord documents its limits in
"characters" without saying which; its clients are JavaScript, which counts UTF-16 units, while
../shared/fakediscord counts code points. UTF-16 units are never fewer than code points, so text
within the limit by this measure is within it by either: an emoji costs 2, a Hangul syllable 1.
"""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"

# Characters that extend the one before them: a cut just before one of these would split a glyph.
_ZWJ = "\u200d"
_KEYCAP = "\u20e3"
_VARIATION_SELECTORS = frozenset({"\ufe0e", "\ufe0f"})
_REGIONAL_INDICATORS = range(0x1F1E6, 0x1F200)
_SKIN_TONES = range(0x1F3FB, 0x1F400)
_TAGS = range(0xE0020, 0xE0080)
# A word-boundary cut is taken only if it keeps at least this share of the room.
_WORD_CUT_MIN_SHARE = 0.5
_TRAILING_JUNK = " ,;:-–—/|·"


def text_length(text: str) -> int:
    """Length of `text` in UTF-16 code units (Discord's conservative measure; see the module doc)."""
    return len(text.encode("utf-16-le")) // 2


def clean(text: str) -> str:
    """`text` in NFC with runs of whitespace (newlines included) collapsed to one space and ends stripped.

    NFC matters for Hangul: a title typed as conjoining jamo (3 units a syllable) becomes
    precomposed syllables (1 unit each).
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def _extends_previous(char: str) -> bool:
    code = ord(char)
    return (
        char in (_ZWJ, _KEYCAP)
        or char in _VARIATION_SELECTORS
        or code in _SKIN_TONES
        or code in _TAGS
        or unicodedata.category(char).startswith("M")
    )


def _safe_cut(text: str, cut: int) -> int:
    """Move `cut` (an index into `text`) left until it does not split an emoji sequence or combining mark."""
    while 0 < cut < len(text) and (_extends_previous(text[cut]) or text[cut - 1] == _ZWJ):
        cut -= 1
    if 0 < cut < len(text) and ord(text[cut]) in _REGIONAL_INDICATORS:
        run = 0
        while cut - run > 0 and ord(text[cut - run - 1]) in _REGIONAL_INDICATORS:
            run += 1
        if run % 2:  # a flag is a pair of regional indicators; don't keep half of one
            cut -= 1
    return cut


def _fitting_prefix(text: str, room: int) -> int:
    """The largest index i such that text_length(text[:i]) <= room."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > room:
            return index
    return len(text)


def shorten(text: str, limit: int) -> str:
    """`text` cleaned (see `clean`) and, if longer than `limit` UTF-16 units, cut readably and ended with "…".

    Keeps the start; cuts at the last space when that keeps at least half the room, else mid-word
    (titles in scripts without spaces); never splits an emoji sequence, flag or combining mark; drops
    trailing spaces and separators before the "…". Result: 1..limit units when `text` has any
    non-space character; "" for blank text. Raises ValueError if limit < 3 (room for one emoji and "…").
    """
    if limit < 3:
        raise ValueError(f"limit must be at least 3, got {limit}")
    text = clean(text)
    if text_length(text) <= limit:
        return text
    room = limit - text_length(ELLIPSIS)
    cut = _safe_cut(text, _fitting_prefix(text, room))
    head = text[:cut]
    if not text[cut].isspace():
        space = head.rfind(" ")
        if space > 0 and text_length(head[:space]) >= room * _WORD_CUT_MIN_SHARE:
            head = head[:space]
    head = head.rstrip(_TRAILING_JUNK)
    if not head:  # nothing readable fits before the cut (e.g. one long emoji sequence): keep what fits
        head = text[: _fitting_prefix(text, room)] or text[:1]
    return head + ELLIPSIS
