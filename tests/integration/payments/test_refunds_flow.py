"""Release holds, cancellation refunds and the provider side of a refund, on SQLite and
PostgreSQL: a hold pauses the release and lifting the last one releases; a paid order that
is cancelled is refunded in full from escrow; a crash between the provider's answer and
our record, or a provider that refuses, never moves money twice or half."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.notifications import OutboxFolderMailer
from galerie.orders import Actor, OrderStatusChanged, cancel_order
from galerie.payments import (
    cancellation_refund_handler,
    hold_release,
    lift_release_hold,
    open_holds,
    refund_order,
    send_pending_refunds,
    send_refund,
)
from galerie.payments.models import Payment
from galerie.payments.refund_sending import provider_key
from galerie.workers import OutboxDispatcher, build_handlers
from tests.integration.orders.factories import Market
from tests.integration.payments.test_paying_groups import _deliver, _ledger
from tests.integration.payments.test_refunds import (
    PAID,
    figures,
    paid_order,
    provider_refunded,
    refunds,
    release,
)
from tests.integration.payments.test_release import _order, _receive

HELD = {("provider_clearing", 0): PAID}


async def hold(db: Database, clock: FixedClock, order_id: int, reason: str) -> str:
    async with db.transaction() as session:
        return await hold_release(session, order_id=order_id, reason=reason, now=clock.now())


async def lift(db: Database, clock: FixedClock, order_id: int, reason: str) -> str:
    async with db.transaction() as session:
        return await lift_release_hold(session, order_id=order_id, reason=reason, now=clock.now())


async def test_a_hold_pauses_the_release_and_lifting_the_last_one_releases(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, _ = await paid_order(db, market, clock)
    escrowed = HELD | {("escrow", order_id): -PAID}
    assert await hold(db, clock, order_id, "refund-request:1") == "held"
    assert await hold(db, clock, order_id, "refund-request:1") == "already_held"
    assert await hold(db, clock, order_id, "dispute:7") == "held"
    await _receive(db, market, clock, order_id)
    assert await release(db, order_id, clock) == "on_hold"
    assert await _ledger(db) == escrowed
    assert await lift(db, clock, order_id, "refund-request:1") == "lifted"
    assert await lift(db, clock, order_id, "no-such-hold") == "not_held"
    assert await release(db, order_id, clock) == "on_hold"
    async with db.reading() as session:
        assert await open_holds(session, order_id) == ["dispute:7"]
    assert (await figures(db, order_id))[:4] == (PAID, 0, 1, False)
    assert await lift(db, clock, order_id, "dispute:7") == "released"
    released = HELD | {
        ("seller_payable", market.shops[0].shop_id): -7041,
        ("commission_revenue", 0): -460,
    }
    assert await _ledger(db) == released
    assert await lift(db, clock, order_id, "dispute:7") == "not_held"  # at least once
    assert await hold(db, clock, order_id, "refund-request:2") == "already_released"
    assert await release(db, order_id, clock) == "already_released"
    assert await _ledger(db) == released
    assert (await figures(db, order_id))[:4] == (PAID, 0, 0, True)


async def test_a_hold_lifted_before_receipt_lets_the_release_run_on_receipt(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, _ = await paid_order(db, market, clock)
    assert await hold(db, clock, order_id, "refund-request:1") == "held"
    assert await lift(db, clock, order_id, "refund-request:1") == "lifted"  # not completed
    assert await _ledger(db) == HELD | {("escrow", order_id): -PAID}
    await _receive(db, market, clock, order_id)
    assert await release(db, order_id, clock) == "released"
    _, unpaid = await _order(db, market, clock)
    assert await hold(db, clock, unpaid, "refund-request:3") == "nothing_held"


async def test_a_paid_order_cancelled_is_refunded_in_full_from_escrow(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, endpoint = await paid_order(db, market, clock)
    buyer = market.buyer_id
    await cancel_order(
        db, order_id=order_id, actor=Actor.buyer(buyer), reason="changed my mind",
        now=clock.now(),
    )  # fmt: skip
    handler = cancellation_refund_handler(clock)
    event = OrderStatusChanged(
        order_id=order_id, shop_id=market.shops[0].shop_id, buyer_id=buyer,
        from_status="paid", to_status="cancelled", reason="changed my mind",
        actor_kind="buyer", actor_user_id=buyer,
    )  # fmt: skip
    for _ in range(2):  # delivered at least once: twice refunds once
        async with db.transaction() as session:
            await handler(event, session)
    key = f"cancel:{order_id}"
    assert await refunds(db) == [(key, "pending", PAID, PAID, 0, 0, 0)]
    assert await _ledger(db) == HELD | {("refunds", 0): -PAID}  # owed to the buyer
    assert await send_pending_refunds(db, endpoint.provider, now=clock.now()) == 1
    assert await send_pending_refunds(db, endpoint.provider, now=clock.now()) == 0
    assert await refunds(db) == [(key, "succeeded", PAID, PAID, 0, 0, 0)]
    assert await _ledger(db) == {}
    assert await provider_refunded(db, order_id) == PAID
    other = OrderStatusChanged(**{**event.payload(), "from_status": "awaiting_payment"})
    async with db.transaction() as session:
        await handler(other, session)  # an unpaid order cancelled: nothing to refund
    assert len(await refunds(db)) == 1


async def _pid(db: Database) -> str:
    async with db.reading() as session:
        pid = await session.scalar(select(Payment.provider_payment_id))
    assert pid is not None
    return pid


async def test_a_crash_after_the_provider_paid_is_settled_by_the_retry_once(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, endpoint = await paid_order(db, market, clock)
    async with db.transaction() as session:
        recorded = await refund_order(
            session, order_id=order_id, reason="damaged", key="crash-1", now=clock.now(),
            amount=Money(1200, "CNY"),
        )  # fmt: skip
    # the provider was asked and paid, then the process died before recording its answer
    await endpoint.provider.refund(
        provider_payment_id=await _pid(db), amount=Money(1200, "CNY"),
        idempotency_key=provider_key("crash-1"),
    )  # fmt: skip
    assert await _deliver(db, clock, endpoint) == 1  # its webhook names a refund we lack
    assert endpoint.outcomes == ["succeeded", "refund_unmatched"]
    assert await _ledger(db) == HELD | {("escrow", order_id): -6301, ("refunds", 0): -1200}
    assert await send_pending_refunds(db, endpoint.provider, now=clock.now()) == 1
    assert await provider_refunded(db, order_id) == 1200  # paid once, not twice
    assert await _ledger(db) == {("provider_clearing", 0): 6301, ("escrow", order_id): -6301}
    assert (
        await send_refund(db, endpoint.provider, refund_id=recorded.refund_id, now=clock.now())
        == "succeeded"
    )
    assert await _deliver(db, clock, endpoint) == 0
    assert await refunds(db) == [("crash-1", "succeeded", 1200, 1200, 0, 0, 0)]


async def test_a_refund_the_provider_refuses_is_failed_and_stays_owed(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, endpoint = await paid_order(db, market, clock)
    # someone refunded almost everything at the provider, outside Galerie
    await endpoint.provider.refund(
        provider_payment_id=await _pid(db), amount=Money(7000, "CNY"), idempotency_key="outside"
    )
    async with db.transaction() as session:
        recorded = await refund_order(
            session, order_id=order_id, reason="damaged", key="refused-1", now=clock.now(),
            amount=Money(1000, "CNY"),
        )  # fmt: skip
    assert (
        await send_refund(db, endpoint.provider, refund_id=recorded.refund_id, now=clock.now())
        == "failed"
    )
    assert await refunds(db) == [("refused-1", "failed", 1000, 1000, 0, 0, 0)]
    assert await _ledger(db) == HELD | {("escrow", order_id): -6501, ("refunds", 0): -1000}
    assert await send_pending_refunds(db, endpoint.provider, now=clock.now()) == 0
    assert await provider_refunded(db, order_id) == 7000


async def test_the_worker_refunds_a_cancelled_paid_order_through_its_handlers(
    db: Database, market: Market, clock: FixedClock, tmp_path: Path
) -> None:
    """The application's own handlers (build_handlers) and dispatcher: cancel, dispatch,
    then the pending-refund timer's pass."""
    order_id, endpoint = await paid_order(db, market, clock)
    await cancel_order(
        db, order_id=order_id, actor=Actor.buyer(market.buyer_id), reason="too slow",
        now=clock.now(),
    )  # fmt: skip
    handlers = {
        name: tuple(h for h in group if h.name.startswith("payments."))
        for name, group in build_handlers(
            mailer=OutboxFolderMailer(tmp_path), secret_key="k" * 32, base_url="http://t",
            clock=clock,
        ).items()
    }  # fmt: skip
    assert "payments.refund_cancelled" in {h.name for h in handlers[OrderStatusChanged.name]}
    await OutboxDispatcher(db, handlers, clock).dispatch_pending()
    assert await refunds(db) == [(f"cancel:{order_id}", "pending", PAID, PAID, 0, 0, 0)]
    assert await send_pending_refunds(db, endpoint.provider, now=clock.now()) == 1
    assert await _ledger(db) == {}
    assert await provider_refunded(db, order_id) == PAID
