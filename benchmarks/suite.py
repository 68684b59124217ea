"""What every benchmark receives (options) and returns (a result the report can print)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.load import LoadSettings
from benchmarks.stats import Summary


@dataclass(frozen=True, slots=True)
class RunOptions:
    load: LoadSettings
    rounds: int
    warmup: float  # seconds of load per target before measuring; 0 skips the warm-up
    work_dir: Path  # temporary: databases, server logs
    database_url: str | None = None  # None: a fresh SQLite database under work_dir

    def progress(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    summary: Summary
    vs_floor: float  # median req/s / the first floor's median req/s
    vs_second_floor: float | None
    paired_vs_floor: list[float]  # round by round
    # the floor's server CPU per request / this target's: the req/s ratio the target would
    # have if the server's core were not shared (None where CPU time is not available)
    cpu_vs_floor: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            **self.summary.as_dict(),
            "ratio_to_floor": round(self.vs_floor, 3),
            "ratio_to_second_floor": (
                None if self.vs_second_floor is None else round(self.vs_second_floor, 3)
            ),
            "paired_ratios_to_floor": [round(r, 3) for r in self.paired_vs_floor],
            "cpu_ratio_to_floor": None
            if self.cpu_vs_floor is None
            else round(self.cpu_vs_floor, 3),
        }


@dataclass(frozen=True, slots=True)
class Goal:
    description: str
    ratio: float
    threshold: float
    cpu_ratio: float | None = None  # the same comparison by server CPU per request

    @property
    def met(self) -> bool:
        return self.ratio >= self.threshold

    def as_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "ratio": round(self.ratio, 3),
            "threshold": self.threshold,
            "met": self.met,
            "cpu_ratio": None if self.cpu_ratio is None else round(self.cpu_ratio, 3),
        }


@dataclass
class BenchmarkResult:
    name: str
    title: str
    floor_label: str
    second_floor_label: str | None
    rows: list[Row]
    goals: list[Goal]
    notes: list[str] = field(default_factory=list)
    raw: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "floor": self.floor_label,
            "second_floor": self.second_floor_label,
            "targets": [row.as_dict() for row in self.rows],
            "goals": [goal.as_dict() for goal in self.goals],
            "notes": self.notes,
            "measurements": self.raw,
        }
