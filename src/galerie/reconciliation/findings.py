"""What a reconciliation finds: discrepancies (kind, subject, expected, actual) and the
report of one run. Pure: no I/O."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """One thing that does not add up. `kind` is a stable code (`balance_differs`,
    `capture_differs`...), `subject` what it is about (`account:12`, `order:7`,
    `payment:sbpay_...`), `expected` and `actual` the two figures (signed minor units, or a
    short text such as `absent`)."""

    kind: str
    subject: str
    expected: int | str
    actual: int | str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "expected": self.expected,
            "actual": self.actual,
        }


@dataclass(frozen=True, slots=True)
class ReconciliationReport:
    """`checks` ran, in order; `skipped` did not (with why: no provider configured)."""

    discrepancies: tuple[Discrepancy, ...]
    checks: tuple[str, ...]
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.discrepancies

    def counts(self) -> dict[str, int]:
        """How many discrepancies of each kind."""
        return dict(sorted(Counter(d.kind for d in self.discrepancies).items()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "discrepancies": [d.as_dict() for d in self.discrepancies],
            "counts": self.counts(),
            "checks": list(self.checks),
            "skipped": dict(self.skipped),
        }

    def lines(self) -> list[str]:
        """The report as text: one line per discrepancy, then the summary."""
        out = [
            f"{d.kind}\t{d.subject}\texpected {d.expected}\tactual {d.actual}"
            for d in self.discrepancies
        ]
        out += [f"skipped {name}: {why}" for name, why in self.skipped.items()]
        if self.ok:
            out.append(f"0 discrepancies ({len(self.checks)} checks)")
        else:
            kinds = ", ".join(f"{kind} {n}" for kind, n in self.counts().items())
            out.append(
                f"{len(self.discrepancies)} discrepancies ({len(self.checks)} checks): {kinds}"
            )
        return out
