"""Summaries of repeated measurements: medians, spreads and ratios."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.load import Measurement


@dataclass(frozen=True, slots=True)
class Summary:
    requests_per_second: float  # median over the measured rounds
    rps_min: float
    rps_max: float
    p50_ms: float  # median
    p99_ms: float  # median
    rounds: int
    cpu_us_per_request: float | None  # median server CPU per request, when measured

    @property
    def spread(self) -> float:
        """(max - min) / median of req/s: how much the rounds disagree."""
        return (self.rps_max - self.rps_min) / self.requests_per_second

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests_per_second": round(self.requests_per_second, 1),
            "requests_per_second_min": round(self.rps_min, 1),
            "requests_per_second_max": round(self.rps_max, 1),
            "spread": round(self.spread, 3),
            "p50_ms": round(self.p50_ms, 3),
            "p99_ms": round(self.p99_ms, 3),
            "rounds": self.rounds,
            "server_cpu_us_per_request": (
                None if self.cpu_us_per_request is None else round(self.cpu_us_per_request, 1)
            ),
        }


def summarise(measurements: Sequence[Measurement]) -> Summary:
    rps = [m.requests_per_second for m in measurements]
    cpu = [m.server_cpu_us_per_request for m in measurements]
    return Summary(
        requests_per_second=statistics.median(rps),
        rps_min=min(rps),
        rps_max=max(rps),
        p50_ms=statistics.median(m.p50_ms for m in measurements),
        p99_ms=statistics.median(m.p99_ms for m in measurements),
        rounds=len(measurements),
        cpu_us_per_request=None if None in cpu else statistics.median(c or 0.0 for c in cpu),
    )


def paired_ratios(app: Sequence[Measurement], floor: Sequence[Measurement]) -> list[float]:
    """Round by round app / floor req/s: each pair ran back to back, so drift cancels."""
    return [a.requests_per_second / f.requests_per_second for a, f in zip(app, floor, strict=True)]
