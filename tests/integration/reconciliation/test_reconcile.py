"""`reconcile` on SQLite and PostgreSQL: a market whose order was paid through the sandbox
and received reconciles with nothing to report; a drifted cached balance, a provider
capture we never recorded and a line commission that disagrees with the journal are each
reported, exactly, and nothing else is."""

from __future__ import annotations

from sqlalchemy import text, update

from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.ledger import AccountKind, credit, debit, find_account, post_entry
from galerie.orders.models import OrderLine
from galerie.payments import release_escrow
from galerie.payments.models import Payment
from galerie.reconciliation import CHECKS, Discrepancy, reconcile
from tests.integration.orders.factories import Market
from tests.integration.payments.support import make_provider, paid_payment
from tests.integration.payments.test_paying_groups import _deliver, _pay
from tests.integration.payments.test_release import _order, _receive

ALL_CHECKS = tuple(check.name for check in CHECKS)


async def _released(db: Database, market: Market, clock: FixedClock) -> tuple[int, int]:
    """The test_release order (75.01, commission 4.60) paid, received and released:
    (order id, payment id)."""
    group_id, order_id = await _order(db, market, clock)
    await _deliver(db, clock, await _pay(db, market, clock, group_id))
    await _receive(db, market, clock, order_id)
    async with db.transaction() as session:
        assert await release_escrow(session, order_id=order_id, now=clock.now()) == "released"
        payment = await session.scalar(
            text("SELECT id FROM payments WHERE payment_group_id = :g"), {"g": group_id}
        )
    return order_id, int(payment)


async def test_a_clean_market_reconciles(db: Database, market: Market, clock: FixedClock) -> None:
    await _released(db, market, clock)
    report = await reconcile(db, provider=make_provider(db, clock), now=clock.now())
    assert report.discrepancies == ()
    assert report.ok
    assert report.checks == ALL_CHECKS
    assert report.skipped == {}
    assert report.lines() == [f"0 discrepancies ({len(ALL_CHECKS)} checks)"]


async def test_without_a_provider_its_checks_are_skipped(
    db: Database, market: Market, clock: FixedClock
) -> None:
    await _released(db, market, clock)
    report = await reconcile(db, provider=None, now=clock.now())
    assert report.ok
    assert report.skipped == {
        "payments_at_provider": "no payment provider is configured",
        "provider_payments_known": "no payment provider is configured",
        "refunds_at_provider": "no payment provider is configured",
        "provider_refunds_known": "no payment provider is configured",
        "payouts_at_provider": "no payment provider is configured",
    }


async def test_a_drifted_balance_is_reported(
    db: Database, market: Market, clock: FixedClock
) -> None:
    await _released(db, market, clock)
    shop = market.shops[0].shop_id
    async with db.transaction() as session:
        payable = await find_account(
            session, kind=AccountKind.SELLER_PAYABLE, currency="CNY", owner_id=shop
        )
        assert payable is not None
        await session.execute(
            text("UPDATE ledger_accounts SET balance_minor = -7000 WHERE id = :id"),
            {"id": payable.id},
        )
    report = await reconcile(db, provider=make_provider(db, clock), now=clock.now())
    assert report.discrepancies == (
        Discrepancy("balance_differs", f"account:{payable.id} seller_payable of {shop}", -7041, -7000),
        Discrepancy("currency_not_zero", "currency:CNY", 0, 41),
    )  # fmt: skip
    assert not report.ok
    assert report.counts() == {"balance_differs": 1, "currency_not_zero": 1}
    assert report.lines()[-1] == (
        f"2 discrepancies ({len(ALL_CHECKS)} checks): balance_differs 1, currency_not_zero 1"
    )


async def test_a_provider_capture_we_never_recorded_is_reported(
    db: Database, market: Market, clock: FixedClock
) -> None:
    await _released(db, market, clock)
    provider = make_provider(db, clock)
    stray = await paid_payment(provider, db, clock, minor=1234, ref="group:999")
    report = await reconcile(db, provider=provider, now=clock.now())
    assert report.discrepancies == (
        Discrepancy("provider_payment_unknown", f"payment:{stray.provider_payment_id}", "absent", 1234),
    )  # fmt: skip


async def test_a_payment_whose_capture_differs_is_reported(
    db: Database, market: Market, clock: FixedClock
) -> None:
    _, payment_id = await _released(db, market, clock)
    async with db.transaction() as session:  # our record says 75.00 was captured
        await session.execute(
            update(Payment).where(Payment.id == payment_id).values(captured_minor=7500)
        )
        pid = await session.scalar(
            text("SELECT provider_payment_id FROM payments WHERE id = :p"), {"p": payment_id}
        )
    report = await reconcile(db, provider=make_provider(db, clock), now=clock.now())
    assert report.discrepancies == (
        Discrepancy("payment_not_journalled", f"payment:{payment_id}", 7500, 7501),
        Discrepancy("payment_amount_differs", f"payment:{pid}", 7500, 7501),
    )


async def test_a_line_commission_that_disagrees_with_the_journal_is_reported(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, _ = await _released(db, market, clock)
    async with db.transaction() as session:
        first = await session.scalar(
            text("SELECT MIN(id) FROM order_lines WHERE order_id = :o"), {"o": order_id}
        )
        await session.execute(
            update(OrderLine).where(OrderLine.id == first).values(commission_minor=61)
        )
    report = await reconcile(db, provider=make_provider(db, clock), now=clock.now())
    assert report.discrepancies == (
        Discrepancy("line_commission_differs", f"order:{order_id}", 460, 461),
    )


async def test_a_completed_order_still_in_escrow_is_reported(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group_id, order_id = await _order(db, market, clock)
    await _deliver(db, clock, await _pay(db, market, clock, group_id))
    await _receive(db, market, clock, order_id)  # completed; the release handler not run
    report = await reconcile(db, provider=make_provider(db, clock), now=clock.now())
    assert report.discrepancies == (
        Discrepancy("escrow_not_released", f"order:{order_id}", 0, 7501),
    )


async def test_escrow_that_received_more_than_its_order_is_reported(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group_id, order_id = await _order(db, market, clock)
    await _deliver(db, clock, await _pay(db, market, clock, group_id))
    async with db.transaction() as session:  # a stray posting into the order's escrow
        escrow = await find_account(
            session, kind=AccountKind.ESCROW, currency="CNY", owner_id=order_id
        )
        clearing = await find_account(session, kind=AccountKind.PROVIDER_CLEARING, currency="CNY")
        assert escrow is not None
        assert clearing is not None
        await post_entry(
            session, key=f"stray:{order_id}", memo="stray", now=clock.now(),
            lines=[debit(clearing.id, Money(99, "CNY")), credit(escrow.id, Money(99, "CNY"))],
        )  # fmt: skip
    report = await reconcile(db, provider=make_provider(db, clock), now=clock.now())
    assert report.discrepancies == (
        Discrepancy("capture_differs", f"order:{order_id}", 7501, 7600),
    )
