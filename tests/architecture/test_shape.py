"""The shape of the code: small modules, and the layering contracts kept (import-linter)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "galerie"
MAX_MODULE_LINES = 400


def test_modules_stay_small() -> None:
    too_big = {
        str(path.relative_to(SRC)): count
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_big == {}


def test_layers_and_domain_independence_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        cwd=SRC.parents[1],
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout
