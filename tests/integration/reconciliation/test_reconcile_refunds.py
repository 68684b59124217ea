"""`reconcile` compares our refunds with the provider's refund records, both ways, on SQLite
and PostgreSQL: refunds paid by the provider reconcile; a refund we hold as succeeded that
the provider lacks, or holds for another amount or another payment, is reported; so is a
refund the provider made that we do not know, or whose answer we never recorded (until the
pending refunds' timer settles it). Each tampering is reported exactly, and nothing else."""

from __future__ import annotations

from sqlalchemy import text

from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.payments import refund_order, send_pending_refunds
from galerie.payments.refund_sending import provider_key
from galerie.reconciliation import Discrepancy, reconcile
from tests.integration.orders.factories import Market
from tests.integration.payments.support import Endpoint
from tests.integration.payments.test_paying_groups import _deliver
from tests.integration.payments.test_refunds import paid_order, refund


async def _found(db: Database, endpoint: Endpoint) -> tuple[Discrepancy, ...]:
    report = await reconcile(db, provider=endpoint.provider, now=endpoint.clock.now())
    assert {"refunds_at_provider", "provider_refunds_known"} <= set(report.checks)
    return report.discrepancies


async def _refunded(db: Database, market: Market, clock: FixedClock) -> tuple[Endpoint, str, str]:
    """The paid order refunded 12.00 by the provider: (endpoint, the provider's refund id,
    the refunded payment's provider id)."""
    order_id, endpoint = await paid_order(db, market, clock)
    recorded = await refund(db, endpoint, order_id, "r-1", amount=Money(1200, "CNY"))
    assert recorded.status == "succeeded"
    assert await _deliver(db, clock, endpoint) == 1  # its refund.succeeded webhook
    assert endpoint.outcomes == ["succeeded", "duplicate"]  # settled by the answer already
    async with db.reading() as session:
        row = (
            await session.execute(
                text(
                    "SELECT provider_refund_id, provider_payment_id FROM refunds WHERE key = 'r-1'"
                )
            )
        ).one()
    return endpoint, str(row[0]), str(row[1])


async def _tamper(db: Database, sql: str, **params: object) -> None:
    async with db.transaction() as session:
        changed = await session.execute(text(sql), params)
    assert changed.rowcount == 1  # type: ignore[attr-defined]


async def test_refunds_the_provider_paid_reconcile(
    db: Database, market: Market, clock: FixedClock
) -> None:
    endpoint, _, _ = await _refunded(db, market, clock)
    assert await _found(db, endpoint) == ()


async def test_a_succeeded_refund_the_provider_lacks_is_reported(
    db: Database, market: Market, clock: FixedClock
) -> None:
    endpoint, refund_id, _ = await _refunded(db, market, clock)
    await _tamper(db, "DELETE FROM sandbox_refunds WHERE refund_id = :r", r=refund_id)
    assert await _found(db, endpoint) == (
        Discrepancy("refund_missing_at_provider", f"refund:{refund_id}", 1200, "absent"),
    )


async def test_a_refund_of_another_amount_or_payment_at_the_provider_is_reported(
    db: Database, market: Market, clock: FixedClock
) -> None:
    endpoint, refund_id, payment = await _refunded(db, market, clock)
    await _tamper(db, "UPDATE sandbox_refunds SET amount_minor = 1250 WHERE refund_id = :r", r=refund_id)  # fmt: skip
    assert await _found(db, endpoint) == (
        Discrepancy("refund_amount_differs", f"refund:{refund_id}", 1200, 1250),
    )
    await _tamper(db, "UPDATE sandbox_refunds SET amount_minor = 1200 WHERE refund_id = :r", r=refund_id)  # fmt: skip
    await paid_order(db, market, clock)  # another payment of ours
    async with db.reading() as session:
        other = await session.scalar(
            text("SELECT id FROM sandbox_payments WHERE provider_payment_id <> :p"), {"p": payment}
        )
    await _tamper(db, "UPDATE sandbox_refunds SET payment_id = :o WHERE refund_id = :r", o=other, r=refund_id)  # fmt: skip
    async with db.reading() as session:
        other_pid = await session.scalar(
            text("SELECT provider_payment_id FROM sandbox_payments WHERE id = :o"), {"o": other}
        )
    assert await _found(db, endpoint) == (
        Discrepancy("refund_payment_differs", f"refund:{refund_id}", payment, str(other_pid)),
    )


async def test_a_provider_refund_we_do_not_know_is_reported(
    db: Database, market: Market, clock: FixedClock
) -> None:
    endpoint, _, payment = await _refunded(db, market, clock)
    stray = await endpoint.provider.refund(
        provider_payment_id=payment, amount=Money(300, "CNY"), idempotency_key="made-elsewhere"
    )
    assert await _found(db, endpoint) == (
        Discrepancy("provider_refund_unknown", f"refund:{stray.refund_id}", "absent", 300),
    )


async def test_a_provider_refund_whose_answer_we_lost_is_reported_until_the_retry(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, endpoint = await paid_order(db, market, clock)
    async with db.transaction() as session:
        await refund_order(
            session, order_id=order_id, reason="damaged", key="lost-1", now=clock.now(),
            amount=Money(700, "CNY"),
        )  # fmt: skip
    assert await _found(db, endpoint) == ()  # pending, not sent: nothing at the provider
    async with db.reading() as session:
        payment = await session.scalar(text("SELECT provider_payment_id FROM payments"))
    # the provider paid it, then we crashed before recording its answer
    paid = await endpoint.provider.refund(
        provider_payment_id=str(payment), amount=Money(700, "CNY"),
        idempotency_key=provider_key("lost-1"),
    )  # fmt: skip
    assert await _found(db, endpoint) == (
        Discrepancy("provider_refund_not_applied", f"refund:{paid.refund_id}", "pending", 700),
    )
    assert await send_pending_refunds(db, endpoint.provider, now=clock.now()) == 1
    assert await _found(db, endpoint) == ()
