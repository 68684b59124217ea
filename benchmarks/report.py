"""The report: a table on stdout and one JSON file per run under benchmarks/results/."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.suite import BenchmarkResult

RESULTS_DIR = Path(__file__).resolve().parent / "results"
PACKAGES = ("starlette", "litestar", "uvicorn", "uvloop", "httptools", "sqlalchemy", "aiosqlite")


def machine() -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    wrk = None
    if shutil.which("wrk"):
        probe = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
        wrk = ((probe.stdout or probe.stderr).splitlines() or [""])[0].strip()
    return {
        "source": source(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "packages": versions,
        "wrk": wrk,
    }


def source() -> dict[str, Any]:
    """The commit measured, and whether the working tree had changes on top of it."""
    repo = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=repo, capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    status = git("status", "--porcelain", "--", "src")
    return {
        "commit": git("rev-parse", "HEAD"),
        "src_modified": None if status is None else bool(status),
    }


def table(result: BenchmarkResult) -> str:
    second = result.second_floor_label
    header = ["target", "req/s", "min-max", "p50 ms", "p99 ms", f"/ {result.floor_label}"]
    if second:
        header.append(f"/ {second}")
    header += ["CPU us/req", "CPU ratio"]
    lines = [header]
    for row in result.rows:
        s = row.summary
        line = [
            row.label,
            f"{s.requests_per_second:,.0f}",
            f"{s.rps_min:,.0f}-{s.rps_max:,.0f}",
            f"{s.p50_ms:.2f}",
            f"{s.p99_ms:.2f}",
            f"{row.vs_floor:.0%}",
        ]
        if second:
            line.append("" if row.vs_second_floor is None else f"{row.vs_second_floor:.0%}")
        cpu = s.cpu_us_per_request
        line.append("n/a" if cpu is None else f"{cpu:.0f}")
        line.append("n/a" if row.cpu_vs_floor is None else f"{row.cpu_vs_floor:.0%}")
        lines.append(line)
    widths = [max(len(cells[i]) for cells in lines) for i in range(len(header))]

    def fmt(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    out = [result.title, fmt(header), fmt(["-" * w for w in widths])]
    out += [fmt(cells) for cells in lines[1:]]
    for goal in result.goals:
        verdict = "MET" if goal.met else "NOT MET"
        text = f"goal: {goal.description}: {goal.ratio:.0%} -> {verdict}"
        if goal.cpu_ratio is not None:
            text += f" (by server CPU per request: {goal.cpu_ratio:.0%})"
        out.append(text)
    out += [f"note: {note}" for note in result.notes]
    return "\n".join(out)


def write_json(results: list[BenchmarkResult], context: dict[str, Any], started: datetime) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"bench-{started:%Y%m%dT%H%M%SZ}.json"
    document = {
        **context,
        "started_at": started.isoformat(),
        "benchmarks": [result.as_dict() for result in results],
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path
