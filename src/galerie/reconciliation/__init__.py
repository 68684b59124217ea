"""Reconciliation: does every figure agree with every other? Public surface.

    reconcile(db, *, provider, now, checks=CHECKS) -> ReconciliationReport
        runs each check of CHECKS (reads only) and gathers its discrepancies: cached
        balances against the journal, payments against their journal entries, paid orders
        against what their escrow received, completed orders against their release, payouts
        against their entries, and our payments, refunds and payouts against the provider's
        records, both ways (skipped without a provider).
    Discrepancy(kind, subject, expected, actual), ReconciliationReport (ok, counts,
    as_dict for --json, lines for text), CheckSpec and Context (to add a check: one
    function `async (Context) -> list[Discrepancy]` and one CheckSpec in CHECKS).

`galerie reconcile` (cli.py) prints the report and exits 1 when anything differs."""

from galerie.reconciliation.context import Check, CheckSpec, Context
from galerie.reconciliation.findings import Discrepancy, ReconciliationReport
from galerie.reconciliation.runner import CHECKS, reconcile

__all__ = [
    "CHECKS",
    "Check",
    "CheckSpec",
    "Context",
    "Discrepancy",
    "ReconciliationReport",
    "reconcile",
]
