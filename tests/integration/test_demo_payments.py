"""The demo's money, on SQLite and PostgreSQL: every paid demo checkout was paid through the
sandbox provider (hosted page, signed webhook), its orders' totals captured into escrow;
every completed order's escrow released to its shop minus the commission kept on its
lines; one payout run paid the shops' payables; the ledger's balances, and the console's
finance figures, are exactly what the orders, payouts and deposits say; and `reconcile`, with the
sandbox's records, finds 0 discrepancies on the freshly seeded demo."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from galerie.db import Database
from galerie.demo.orders_seed import STORIES, UNPAID
from galerie.deposits.models import DepositPayment
from galerie.kernel import FixedClock
from galerie.ledger import pending_column
from galerie.ledger.models import JournalEntry, LedgerAccount
from galerie.orders.models import Order, OrderLine
from galerie.payments.finance import finance_overview
from galerie.payments.models import Payment
from galerie.payments.sandbox import SandboxProvider
from galerie.payments.sandbox.models import SandboxPayment
from galerie.reconciliation import CHECKS, reconcile
from galerie.sellers.models import Shop
from galerie.settlement.models import Payout
from tests.integration.demo_support import SeededDemo

PAID_STORIES = sum(1 for story in STORIES if not {part.fate for part in story.parts} & UNPAID)


async def _balances(db: Database) -> dict[str, int]:
    """Natural balance per account kind, summed over owners."""
    async with db.reading() as session:
        rows = await session.execute(
            select(
                LedgerAccount.kind,
                func.sum(
                    (LedgerAccount.balance_minor + pending_column()) * LedgerAccount.normal_sign
                ),
            ).group_by(LedgerAccount.kind)
        )
        return {str(kind): int(total) for kind, total in rows.tuples()}


async def test_the_demo_orders_are_paid_released_and_reconcile(
    full_db: Database, demo_full: SeededDemo, clock: FixedClock
) -> None:
    db = full_db
    async with db.reading() as session:
        payments = (await session.execute(
            select(Payment.status, Payment.provider, func.count()).group_by(
                Payment.status, Payment.provider)
        )).tuples().all()  # fmt: skip
        at_provider = await session.scalar(
            select(func.count()).select_from(SandboxPayment).where(
                SandboxPayment.status == "succeeded")
        )  # fmt: skip
        paid_total = await session.scalar(
            select(func.sum(Order.total_minor)).where(Order.paid_at.is_not(None))
        )
        completed = (await session.execute(
            select(func.count(), func.sum(Order.total_minor)).where(Order.status == "completed")
        )).one()  # fmt: skip
        commission = await session.scalar(
            select(func.sum(OrderLine.commission_minor))
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.status == "completed")
        )
        releases = await session.scalar(
            select(func.count()).select_from(JournalEntry).where(JournalEntry.key.like("release:%"))
        )
        payouts = (await session.execute(
            select(Payout.status, func.count(), func.sum(Payout.amount_minor)).group_by(
                Payout.status)
        )).tuples().all()  # fmt: skip
        deposits = await session.scalar(
            select(func.sum(Shop.deposit_required_minor)).where(Shop.deposit_held_minor > 0)
        )
        by_provider = await session.scalar(
            select(func.count()).select_from(DepositPayment).where(
                DepositPayment.status == "succeeded")
        )  # fmt: skip
        by_transfer = await session.scalar(
            select(func.count()).select_from(JournalEntry).where(
                JournalEntry.key.like("deposit-transfer:%"))
        )  # fmt: skip
    assert PAID_STORIES == 14
    assert payments == [("succeeded", "sandbox", PAID_STORIES)]
    # half the demo shops paid their deposit on the provider's page, half by bank transfer
    assert by_provider
    assert by_transfer
    assert at_provider == PAID_STORIES + by_provider
    completed_count, completed_total = int(completed[0]), int(completed[1])
    assert (completed_count, releases) == (6, 6)
    assert commission is not None
    assert 0 < commission < completed_total
    # One payout run paid every shop's payable (all hold the minimum); every paying shop's
    # deposit is held (through the provider or recorded transfers, against provider clearing).
    paid_out = completed_total - commission
    assert [status for status, _, _ in payouts] == ["paid"]
    assert int(payouts[0][1]) >= 4  # one per shop with a received order
    assert int(payouts[0][2]) == paid_out
    assert deposits is not None
    assert await _balances(db) == {
        "provider_clearing": int(paid_total or 0) + int(deposits) - paid_out,
        "escrow": int(paid_total or 0) - completed_total,
        "seller_payable": 0,
        "payouts_in_transit": 0,
        "commission_revenue": commission,
        "deposits_held": int(deposits),
    }

    today = clock.now().date()
    overview = await finance_overview(
        db, currency="CNY", start=today - timedelta(days=29), end=today
    )
    assert len(overview.days) == 30
    assert overview.total("captured") == int(paid_total or 0)
    assert overview.total("released") == completed_total
    assert overview.total("commission") == commission
    assert overview.total("paid_out") == paid_out
    assert overview.total("in_escrow") == int(paid_total or 0) - completed_total
    assert overview.total("owed") == 0
    assert sum(shop.captured for shop in overview.shops) == int(paid_total or 0)
    assert sum(shop.commission for shop in overview.shops) == commission
    assert len(overview.shops) >= 4

    provider = SandboxProvider(
        db, clock, webhook_secret="any", page_base_url="http://127.0.0.1:8000",
        webhook_url="http://127.0.0.1:8000/webhooks/payments/sandbox",
    )  # fmt: skip
    report = await reconcile(db, provider=provider, now=clock.now())
    assert report.discrepancies == ()
    assert report.checks == tuple(check.name for check in CHECKS)
