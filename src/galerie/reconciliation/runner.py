"""`reconcile`: run every check (CHECKS, in order) and gather what they find. Adding a
check is one function returning its discrepancies and one line in CHECKS. Reads only."""

from __future__ import annotations

from datetime import datetime

from galerie.db import Database
from galerie.payments import PaymentProvider
from galerie.reconciliation.context import CheckSpec, Context
from galerie.reconciliation.findings import Discrepancy, ReconciliationReport
from galerie.reconciliation.ledger_checks import ledger_balances, payments_journalled
from galerie.reconciliation.order_checks import (
    completed_orders_released,
    paid_orders_captured,
    release_splits,
)
from galerie.reconciliation.payout_checks import payouts_at_provider, payouts_journalled
from galerie.reconciliation.provider_checks import (
    deposits_journalled,
    payments_at_provider,
    provider_payments_known,
)
from galerie.reconciliation.refund_checks import provider_refunds_known, refunds_at_provider

NO_PROVIDER = "no payment provider is configured"

CHECKS: tuple[CheckSpec, ...] = (
    CheckSpec("ledger_balances", ledger_balances),
    CheckSpec("payments_journalled", payments_journalled),
    CheckSpec("paid_orders_captured", paid_orders_captured),
    CheckSpec("completed_orders_released", completed_orders_released),
    CheckSpec("release_splits", release_splits),
    CheckSpec("deposits_journalled", deposits_journalled),  # deposits
    CheckSpec("payments_at_provider", payments_at_provider, needs_provider=True),
    CheckSpec("provider_payments_known", provider_payments_known, needs_provider=True),
    CheckSpec("refunds_at_provider", refunds_at_provider, needs_provider=True),  # refunds
    CheckSpec("provider_refunds_known", provider_refunds_known, needs_provider=True),
    CheckSpec("payouts_journalled", payouts_journalled),  # settlement
    CheckSpec("payouts_at_provider", payouts_at_provider, needs_provider=True),  # settlement
)


async def reconcile(
    db: Database,
    *,
    provider: PaymentProvider | None,
    now: datetime,
    checks: tuple[CheckSpec, ...] = CHECKS,
) -> ReconciliationReport:
    """Every discrepancy between cached balances and the journal, orders and the ledger,
    our payments and the provider's records. Writes nothing."""
    ctx = Context(db, provider, now)
    found: list[Discrepancy] = []
    ran: list[str] = []
    skipped: dict[str, str] = {}
    for check in checks:
        if check.needs_provider and provider is None:
            skipped[check.name] = NO_PROVIDER
            continue
        found += await check.run(ctx)
        ran.append(check.name)
    return ReconciliationReport(tuple(found), tuple(ran), skipped)
