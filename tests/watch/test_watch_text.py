"""Shortening and length rules shared by poll answers and event texts (values worked out by hand)."""

from __future__ import annotations

import unicodedata

import pytest

from bot.watch.text import shorten, text_length

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧: 2+1+2+1+2 = 8 units
THUMBS_MEDIUM = "\U0001f44d\U0001f3fd"  # 👍🏽: 4 units
KR_JP_FLAGS = "\U0001f1f0\U0001f1f7\U0001f1ef\U0001f1f5"  # 🇰🇷🇯🇵: 8 units


def test_text_length_counts_utf16_units():
    assert text_length("Run On") == 6
    assert text_length("사랑의 불시착") == 7  # Hangul syllables are 1 unit each
    assert text_length("🍜") == 2  # outside the BMP: a surrogate pair
    assert text_length(FAMILY) == 8


def test_shorten_leaves_short_text_alone_but_collapses_whitespace():
    assert shorten("Run On", 55) == "Run On"
    assert shorten("  Run \n  On ", 55) == "Run On"
    assert shorten("   ", 55) == ""


def test_shorten_exactly_55_is_kept_and_56_is_cut():
    assert shorten("A" * 55, 55) == "A" * 55
    assert shorten("A" * 56, 55) == "A" * 54 + "…"


def test_shorten_word_ending_exactly_at_the_room():
    # 12 words of 4 letters: 59 chars. Room is 54; char 54 is the space after word 11.
    text = " ".join(["aaaa"] * 12)
    assert shorten(text, 55) == " ".join(["aaaa"] * 11) + "…"
    assert text_length(shorten(text, 55)) == 55


def test_shorten_cuts_back_to_the_last_space_mid_word():
    # 6 words of 9 letters: 59 chars. Char 54 is inside word 6, last space before it is at 49.
    text = " ".join(["abcdefghi"] * 6)
    assert shorten(text, 55) == " ".join(["abcdefghi"] * 5) + "…"  # 49 + 1 = 50 units


def test_shorten_hard_cuts_when_the_last_space_is_too_early():
    # the only space is at index 2: keeping "ab" would waste the room, so cut mid-word.
    assert shorten("ab " + "c" * 60, 55) == "ab " + "c" * 51 + "…"


def test_shorten_drops_trailing_separators():
    assert shorten("a" * 48 + ", " + "b" * 10, 55) == "a" * 48 + "…"


def test_shorten_hangul_with_spaces_and_without():
    assert shorten(" ".join(["가나다라"] * 12), 55) == " ".join(["가나다라"] * 11) + "…"
    assert shorten("가" * 60, 55) == "가" * 54 + "…"


def test_shorten_composes_decomposed_hangul_before_measuring():
    decomposed = unicodedata.normalize("NFD", "가" * 30)
    assert text_length(decomposed) == 60  # ᄀ + ᅡ per syllable
    assert shorten(decomposed, 55) == "가" * 30


def test_shorten_emoji_count_two_units():
    assert shorten("🍜" * 27 + "a", 55) == "🍜" * 27 + "a"  # 54 + 1 = 55
    assert shorten("🍜" * 30, 55) == "🍜" * 27 + "…"  # 54 + 1 = 55 units, 28 code points
    assert shorten("ab" + "🍜" * 27, 55) == "ab" + "🍜" * 26 + "…"  # an odd start leaves one unit unused


def test_shorten_never_splits_an_emoji_sequence():
    assert shorten("x" * 50 + FAMILY, 55) == "x" * 50 + "…"  # not "x"*50 + "👨‍"
    assert shorten("y" * 52 + THUMBS_MEDIUM, 55) == "y" * 52 + "…"  # no bare 👍 without its tone
    assert shorten("z" * 51 + KR_JP_FLAGS, 55) == "z" * 51 + "…"  # no half flag


def test_shorten_result_always_fits():
    for text in ("🍜" * 100, "가 " * 100, FAMILY * 20, "word " * 40):
        assert text_length(shorten(text, 55)) <= 55


def test_shorten_rejects_a_limit_without_room():
    with pytest.raises(ValueError, match="at least 3"):
        shorten("Run On", 2)
