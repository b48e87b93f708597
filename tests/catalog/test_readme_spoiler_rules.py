"""The README says exactly what data/spoiler-tags.toml does: every tag it names as hidden is hidden
by the rules, every premise tag it names as visible is visible; and it says which /recommend options
autocomplete, as the command tree does."""

from __future__ import annotations

import re

import pytest

from bot.catalog.assemble import default_spoiler_tags_path
from bot.catalog.spoiler_tags import SpoilerTags
from bot.config import PROJECT_ROOT
from cogs.recommend import RecommendCog

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _row(command: str) -> str:
    return next(line for line in README.splitlines() if line.startswith(f"| `{command}` |"))


def test_readme_examples_follow_the_rules_file():
    rules = SpoilerTags.load(default_spoiler_tags_path())
    row = _row("/drama")
    hidden_part = re.search(r"hides a tag when (.*?) — or when", row)
    visible_part = re.search(r"Premise tags, [^(]*\(([^)]*)\)", row)
    assert hidden_part and visible_part, "the /drama row says which tags are hidden and which stay visible"
    hidden = re.findall(r"`([^`]+)`", hidden_part.group(1))
    visible = re.findall(r"`([^`]+)`", visible_part.group(1))
    assert len(hidden) >= 12 and {"Hidden Identity", "Murder"} <= set(visible)
    assert [t for t in hidden if not rules.is_spoiler(t)] == []
    assert [t for t in visible if rules.is_spoiler(t)] == []
    assert rules.is_spoiler("Death") and not rules.is_spoiler("Murder")


@pytest.mark.parametrize("option", ["genre", "tag", "platform", "network"])
def test_readme_says_which_recommend_options_autocomplete(option):
    parameters = {p.name: p for p in RecommendCog.recommend.parameters}
    assert parameters[option].autocomplete, option
    assert f"`{option}` (autocomplete)" in _row("/recommend")
