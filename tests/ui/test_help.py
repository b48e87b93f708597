"""/help's embed, built from the live command tree: markdown that renders as written, and texts that
match what the commands accept."""

from __future__ import annotations

import re

import pytest

from bot.client import RamenBot
from bot.config import Settings
from bot.recommend.engine import Recommender
from bot.ui.help import help_embed


@pytest.fixture
async def embed(catalog, storage):
    bot = RamenBot(Settings.from_env({}), catalog, storage, Recommender(catalog), sync=False)
    await bot.load_cogs()
    yield help_embed(bot.tree, in_server=True)
    await bot.close()


def _unbalanced(text: str) -> list[str]:
    """The markdown marks that open without closing in `text` (escaped characters set aside)."""
    bare = re.sub(r"\\.", "", text)
    marks = {"**": bare.count("**"), "`": bare.count("`"), "||": bare.count("||")}
    return [mark for mark, n in marks.items() if n % 2] + (["("] if bare.count("(") != bare.count(")") else [])


async def test_every_line_of_help_has_balanced_markdown(embed):
    assert _unbalanced(embed.description) == []
    for field in embed.fields:
        # Field names render no markdown: a section title is plain words, never an escaped mark.
        assert not re.search(r"[`*|\\_]", field.name), field.name
        assert _unbalanced(field.name) == [], field.name
        for line in field.value.split("\n"):
            assert _unbalanced(line) == [], line
    assert "Member affinity from the server's votes" in [f.name for f in embed.fields]


async def test_help_says_what_watch_night_accepts(embed):
    text = "\n".join(f"{f.name}\n{f.value}" for f in embed.fields)
    assert "up to ten" not in text  # title1-title5 exist; ten only from up next
    assert "**/watchnight start title1:…** — Post a poll of the 2-5 titles you name, or of up next's top ten." in text


def test_the_checker_finds_the_garbled_line():
    assert _unbalanced("Member affinity from the server's votes (\\`bot") == ["("]
    assert _unbalanced("**/taste member:@alice") == ["**"]
    assert _unbalanced("a `b` **c** ||d||") == []
