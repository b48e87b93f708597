"""The one spoiler formatter: escaping, wrapping, cutting, and the Markup type guard."""

from __future__ import annotations

import pytest

from bot.catalog.model import EndingFact, Fact, SpoilerLevel
from bot.ui.markup import Markup, concat, fact_markup, md, plain, spoiler


def test_spoiler_wraps_escaped_text():
    assert spoiler("He wins") == "||He wins||"
    assert spoiler("a||b") == r"||a\|\|b||"  # the text's own || cannot close the tag early
    assert spoiler("*bold* _x_") == r"||\*bold\* \_x\_||"


def test_spoiler_trailing_backslash_cannot_escape_the_closing_tag():
    out = spoiler("ends with \\")
    assert out.endswith("\\\\||")  # the backslash is itself escaped


def test_spoiler_cut_keeps_both_tags():
    out = spoiler("word " * 100, 50)
    assert len(out) <= 50 and out.startswith("||") and out.endswith("…||")


def test_plain_cut_never_splits_an_escape():
    out = plain("*" * 50, 20)
    assert len(out) <= 20
    assert out == "\\*" * 9 + "…"  # 9 escaped stars (18 chars) + ellipsis = 19 <= 20


def test_fact_markup_follows_the_level():
    assert fact_markup(Fact("calm", SpoilerLevel.SAFE)) == "calm"
    assert fact_markup(Fact("dies", SpoilerLevel.SPOILER)) == "||dies||"
    assert fact_markup(EndingFact("they marry")) == "||they marry||"
    assert fact_markup(Fact("calm", SpoilerLevel.SAFE), force_spoiler=True) == "||calm||"


def test_markup_type_survives_markup_joins_only():
    assert isinstance(plain("a") + md(" b"), Markup)
    assert not isinstance(plain("a") + " b", Markup)
    with pytest.raises(TypeError):
        concat(plain("a"), "raw text")  # type: ignore[arg-type]


def test_spoiler_url_holding_pipes_cannot_close_the_tag():
    assert spoiler("see https://a.b/x|| leak") == r"||see https://a.b/x\|\| leak||"


def test_backslash_is_escaped_once():
    assert plain("a\\") == "a\\\\"  # shows as a single backslash in Discord
