"""scripts/bootstrap (which scripts/run and scripts/test call first) on a machine whose Python is too
old, and on a first run: a copy of the project's scripts in a temporary folder, with stand-in
interpreters (shell scripts that answer the version check as that Python would)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from bot.config import PROJECT_ROOT

OLD_PYTHON = """#!/bin/sh
# Python 3.10: fails the >= 3.11 check, prints its version for -V
case "$1" in -V|--version) echo "Python 3.10.12";; *) exit 1;; esac
"""

NEW_PYTHON = """#!/bin/sh
# Python 3.11: passes the check; `-m venv DIR` makes DIR/bin/python, a stand-in whose pip logs its call
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"
  printf '#!/bin/sh\\ncase "$1" in -c) exit 0;; esac\\necho "pip $*" >> "%s/calls"\\n' "$3" > "$3/bin/python"
  chmod +x "$3/bin/python"
  echo "venv created" >> "$3/calls"
fi
exit 0
"""


def project_copy(tmp_path: Path) -> Path:
    """A project folder with the real scripts and pyproject.toml, and no .venv."""
    root = tmp_path / "ramen"
    (root / "scripts").mkdir(parents=True)
    for name in ("bootstrap", "run", "test"):
        shutil.copy2(PROJECT_ROOT / "scripts" / name, root / "scripts" / name)
    shutil.copy2(PROJECT_ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def interpreter(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


def run(root: Path, script: str, python: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHON": str(python)}
    return subprocess.run([str(root / "scripts" / script)], env=env, capture_output=True, text=True, timeout=60)


def test_run_and_test_with_python_3_10_say_what_to_do(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    old = interpreter(tmp_path, "python3.10", OLD_PYTHON)
    for script in ("run", "test"):
        result = run(root, script, old)
        assert result.returncode == 2, result.stderr
        assert result.stderr == (
            f"Ramen needs Python 3.11 or newer; '{old}' is Python 3.10.12. Install python3.11 "
            f"(e.g. apt install python3.11 python3.11-venv) and run: PYTHON=python3.11 scripts/{script}\n"
        )
    assert not (root / ".venv").exists()  # nothing created, no pip run


def test_missing_interpreter_is_named(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    result = run(root, "run", tmp_path / "no-such-python")
    assert result.returncode == 2
    assert "Ramen needs Python 3.11 or newer, and" in result.stderr and "was not found" in result.stderr


def test_first_run_says_it_is_installing_before_the_wait(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    new = interpreter(tmp_path, "python3.11", NEW_PYTHON)
    result = subprocess.run(
        [str(root / "scripts" / "bootstrap")],
        env={**os.environ, "PYTHON": str(new)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "First run: installing Ramen's dependencies into .venv (a minute or two)...\n"
    calls = (root / ".venv" / "calls").read_text().splitlines()
    assert calls[0] == "venv created" and calls[1].startswith("pip -m pip install")
    again = subprocess.run([str(root / "scripts" / "bootstrap")], capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and again.stderr == ""  # installed: nothing to say, nothing to wait for


def test_venv_made_with_an_old_python_is_reported(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    (root / ".venv" / "bin").mkdir(parents=True)
    interpreter(root / ".venv" / "bin", "python", OLD_PYTHON)
    result = run(root, "run", tmp_path / "unused")
    assert result.returncode == 2
    assert result.stderr.startswith("Ramen needs Python 3.11 or newer; .venv was made with Python 3.10.12.")
    assert "rm -rf .venv" in result.stderr
