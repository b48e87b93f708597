"""The rule of the layout: the domain packages know nothing of Discord.

Every module under bot/catalog, bot/ratings, bot/recommend, bot/store and bot/watch is imported in a fresh
interpreter (this one has discord loaded already); `discord` must not be in `sys.modules` after.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.config import PROJECT_ROOT

DOMAIN = ("catalog", "ratings", "recommend", "store", "watch")


def domain_modules() -> list[str]:
    """Dotted names of every module in the domain packages, packages included."""
    names = []
    for package in DOMAIN:
        for path in sorted((PROJECT_ROOT / "bot" / package).rglob("*.py")):
            parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_layers_the_domain_has_modules_to_check():
    names = domain_modules()
    assert {f"bot.{p}" for p in DOMAIN} <= set(names)
    assert "bot.store.votes" in names and "bot.recommend.engine" in names and "bot.catalog.index" in names


@pytest.mark.parametrize("package", DOMAIN)
def test_layers_domain_package_imports_nothing_of_discord(package):
    modules = [m for m in domain_modules() if m == f"bot.{package}" or m.startswith(f"bot.{package}.")]
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'discord' or m.startswith('discord.'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [], f"bot.{package} pulls in discord"


def test_layers_the_check_would_see_discord():
    # The same check on a module that does import discord must fail, or the test above proves nothing.
    script = "import json, sys, bot.ui.markup\nprint(json.dumps('discord' in sys.modules))"
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert json.loads(done.stdout) is True
