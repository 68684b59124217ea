"""`galerie reconcile` checks payouts on SQLite and PostgreSQL: payouts requested, paid and
failed leave nothing to report; a payout row without its entries, and a payout at the bank
that is not ours, are reported."""

from __future__ import annotations

from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.reconciliation import reconcile
from galerie.settlement import confirm_payout, request_payout, run_payouts
from galerie.settlement.models import Payout
from tests.integration.orders.factories import Market
from tests.integration.payments.support import make_provider
from tests.integration.settlement.support import fund


def cny(minor: int) -> Money:
    return Money(minor, "CNY")


async def test_payouts_reconcile_and_what_does_not_add_up_is_reported(
    db: Database, market: Market, clock: FixedClock
) -> None:
    a, b, _ = (s.shop_id for s in market.shops)
    await fund(db, a, 50_000, clock.now(), "test:fund:a")
    await fund(db, b, 30_000, clock.now(), "test:fund:b")
    provider = make_provider(db, clock)
    paid = await request_payout(db, provider, shop_id=a, amount=cny(20_000), now=clock.now())
    assert paid.provider_payout_id is not None
    await confirm_payout(
        db, provider_payout_id=paid.provider_payout_id, amount=cny(20_000), now=clock.now()
    )
    await request_payout(db, provider, shop_id=a, amount=cny(5_000), now=clock.now())  # sent
    await run_payouts(db, provider, key="R", minimum=cny(10_000), now=clock.now())
    report = await reconcile(db, provider=provider, now=clock.now())
    assert {"payouts_journalled", "payouts_at_provider"} <= set(report.checks)
    assert report.discrepancies == ()  # nothing at all to report

    async with db.transaction() as session:
        row = Payout(
            shop_id=b, key="payout:forged", amount_minor=1_000, currency="CNY", status="paid",
            destination="6222020200112233", provider="sandbox", created_at=clock.now(),
            updated_at=clock.now(),
        )  # fmt: skip
        session.add(row)
        await session.flush()
        forged = row.id
    stray = await provider.payout(
        destination="6222020200112233", amount=cny(700), idempotency_key="not-ours"
    )
    report = await reconcile(db, provider=provider, now=clock.now())
    assert sorted(
        (d.kind, d.subject, d.expected, d.actual)
        for d in report.discrepancies
        if "payout" in d.kind
    ) == [
        ("payout_not_journalled", f"payout-paid:{forged}", 1_000, "absent"),
        ("payout_not_journalled", f"payout:{forged}", 1_000, "absent"),
        ("provider_payout_unknown", f"payout:{stray.payout_id}", "absent", 700),
    ]
