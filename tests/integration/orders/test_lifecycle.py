"""After placement, on both databases: paying a group (idempotent), cancelling (buyer or
seller, before shipment; stock back), closing unpaid groups (the timer; idempotent),
shipping in parts, and the state machine refusing what its table does not allow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from galerie.db import Database
from galerie.fulfilment import record_shipment
from galerie.kernel import Conflict, FixedClock, ValidationFailed
from galerie.orders import (
    Actor,
    OrderNotFound,
    OrderStatus,
    PaymentGroupNotFound,
    PlacedGroup,
    TransitionNotAllowed,
    cancel_order,
    close_unpaid_groups,
    mark_group_paid,
    place_order,
    transition,
)
from galerie.orders.models import OrderStatusHistory, PaymentGroup
from tests.integration.orders.factories import (
    ADDRESS,
    Market,
    counts,
    insert_live_sku,
    levels,
    order_status,
    ship,
    stock,
)


async def _checkout(
    db: Database, market: Market, clock: FixedClock, shops: int = 2, units: int = 2
) -> tuple[PlacedGroup, list[int]]:
    now = clock.now()
    skus = []
    for shop in market.shops[:shops]:
        sku = await insert_live_sku(db, now, shop_id=shop.shop_id)
        await stock(db, now, shop, sku, 10)
        skus.append(sku)
    async with db.transaction() as session:
        group = await place_order(
            session,
            buyer_id=market.buyer_id,
            lines=[(sku, units) for sku in skus],
            shipping=ship(*(s.shop_id for s in market.shops[:shops])),
            address=ADDRESS,
            now=now,
        )
    return group, skus


async def _pay(db: Database, group: PlacedGroup, clock: FixedClock) -> int:
    async with db.transaction() as session:
        moved = await mark_group_paid(session, payment_group_id=group.id, now=clock.now())
    return len(moved)


async def test_paying_commits_every_order_once(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group, skus = await _checkout(db, market, clock)
    assert await _pay(db, group, clock) == 2
    assert [await order_status(db, o.id) for o in group.orders] == ["paid", "paid"]
    assert await levels(db, skus) == dict.fromkeys(skus, (10, 8, 0, 2))
    before = await counts(db)
    assert await _pay(db, group, clock) == 0  # the webhook again: nothing more
    assert await counts(db) == before
    with pytest.raises(PaymentGroupNotFound):
        async with db.transaction() as session:
            await mark_group_paid(session, payment_group_id=987_654, now=clock.now())


async def test_unpaid_groups_close_after_their_deadline_once(
    db: Database, market: Market, clock: FixedClock
) -> None:
    unpaid, skus = await _checkout(db, market, clock)
    paid, paid_skus = await _checkout(db, market, clock, shops=1)
    await _pay(db, paid, clock)
    assert await close_unpaid_groups(db, now=clock.now() + timedelta(minutes=29)) == 0
    later = clock.advance(timedelta(minutes=30))
    assert await close_unpaid_groups(db, now=later) == 1
    assert await close_unpaid_groups(db, now=later) == 0  # the timer again: nothing
    assert [await order_status(db, o.id) for o in unpaid.orders] == ["closed", "closed"]
    assert await order_status(db, paid.orders[0].id) == "paid"
    assert await levels(db, skus) == dict.fromkeys(skus, (10, 10, 0, 0))
    assert await levels(db, paid_skus) == {paid_skus[0]: (10, 8, 0, 2)}
    with pytest.raises(Conflict) as caught:  # a payment arriving after the close
        await _pay(db, unpaid, clock)
    assert caught.value.code == "payment_group_not_payable"
    async with db.reading() as session:
        reasons = (
            await session.scalars(
                select(OrderStatusHistory.reason).where(OrderStatusHistory.to_status == "closed")
            )
        ).all()
    assert reasons == ["unpaid before the deadline"] * 2


async def test_cancelling_before_shipment_gives_the_stock_back(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group, skus = await _checkout(db, market, clock)
    first, second = group.orders
    buyer, now = Actor.buyer(market.buyer_id), clock.now()
    moved = await cancel_order(db, order_id=first.id, actor=buyer, reason="too slow", now=now)
    assert moved.from_status == OrderStatus.AWAITING_PAYMENT
    assert await levels(db, [skus[0]]) == {skus[0]: (10, 10, 0, 0)}
    assert await _pay(db, group, clock) == 1  # only the open order is paid
    seller = Actor.seller(market.owner_user_id, second.shop_id)
    await cancel_order(db, order_id=second.id, actor=seller, reason="out of glaze", now=now)
    assert await levels(db, [skus[1]]) == {skus[1]: (10, 10, 0, 0)}
    assert [await order_status(db, o.id) for o in group.orders] == ["cancelled", "cancelled"]


async def test_the_last_cancelled_order_cancels_its_unpaid_group(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group, _ = await _checkout(db, market, clock, shops=1)
    await cancel_order(
        db,
        order_id=group.orders[0].id,
        actor=Actor.buyer(market.buyer_id),
        reason="no",
        now=clock.now(),
    )
    async with db.reading() as session:
        status = await session.scalar(
            select(PaymentGroup.status).where(PaymentGroup.id == group.id)
        )
    assert status == "cancelled"
    assert await close_unpaid_groups(db, now=clock.now() + timedelta(days=1)) == 0


async def test_only_the_owners_may_cancel_and_only_before_shipment(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group, _ = await _checkout(db, market, clock)
    order, now = group.orders[0], clock.now()
    strangers = [
        Actor.buyer(market.other_buyer_id),
        Actor.seller(market.owner_user_id, market.shops[2].shop_id),
    ]
    before = await counts(db)
    for stranger in strangers:
        with pytest.raises(OrderNotFound):
            await cancel_order(db, order_id=order.id, actor=stranger, reason="x", now=now)
    with pytest.raises(ValidationFailed):
        await cancel_order(
            db, order_id=order.id, actor=Actor.buyer(market.buyer_id), reason=" ", now=now
        )
    assert await counts(db) == before
    await _pay(db, group, clock)
    seller = Actor.seller(market.owner_user_id, order.shop_id)
    await record_shipment(db, order_id=order.id, quantities={order.lines[0].sku_id: 1},
                          actor=seller, now=now)  # fmt: skip
    with pytest.raises(TransitionNotAllowed) as caught:
        await cancel_order(
            db, order_id=order.id, actor=Actor.buyer(market.buyer_id), reason="late", now=now
        )
    assert caught.value.code == "transition_not_allowed"


async def test_shipping_in_parts_then_completing(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group, skus = await _checkout(db, market, clock, shops=1, units=3)
    order, now = group.orders[0], clock.now()
    seller = Actor.seller(market.owner_user_id, order.shop_id)
    with pytest.raises(TransitionNotAllowed):  # unpaid orders do not ship
        await record_shipment(db, order_id=order.id, quantities={skus[0]: 1}, actor=seller, now=now)
    await _pay(db, group, clock)
    step = await record_shipment(
        db, order_id=order.id, quantities={skus[0]: 1}, actor=seller, now=now
    )
    assert step is not None
    assert step.to_status == OrderStatus.PARTLY_SHIPPED
    assert (
        await record_shipment(db, order_id=order.id, quantities={skus[0]: 1}, actor=seller, now=now)
        is None
    )
    with pytest.raises(Conflict) as caught:
        await record_shipment(db, order_id=order.id, quantities={skus[0]: 2}, actor=seller, now=now)
    assert caught.value.code == "over_shipment"
    await record_shipment(db, order_id=order.id, quantities={skus[0]: 1}, actor=seller, now=now)
    assert await order_status(db, order.id) == "shipped"
    assert await levels(db, skus) == {skus[0]: (7, 7, 0, 0)}
    async with db.transaction() as session:
        await transition(
            session,
            order.id,
            OrderStatus.COMPLETED,
            reason=None,
            actor=Actor.buyer(market.buyer_id),
            now=now,
        )
    assert await order_status(db, order.id) == "completed"


@pytest.mark.parametrize(
    ("to", "actor_kind"),
    [
        (OrderStatus.SHIPPED, "seller"),  # unpaid orders do not ship
        (OrderStatus.COMPLETED, "buyer"),  # nor complete
        (OrderStatus.PAID, "buyer"),  # only the payment (the system) pays
        (OrderStatus.CLOSED, "seller"),  # only the timer closes
        (OrderStatus.AWAITING_PAYMENT, "system"),  # no edge to itself
    ],
)
async def test_the_machine_refuses_what_its_table_does_not_allow(
    db: Database, market: Market, clock: FixedClock, to: OrderStatus, actor_kind: str
) -> None:
    group, _ = await _checkout(db, market, clock, shops=1)
    order = group.orders[0]
    actor = {
        "seller": Actor.seller(market.owner_user_id, order.shop_id),
        "buyer": Actor.buyer(market.buyer_id),
        "system": Actor.system(),
    }[actor_kind]
    before = await counts(db)
    with pytest.raises(TransitionNotAllowed) as caught:
        async with db.transaction() as session:
            await transition(session, order.id, to, reason="r", actor=actor, now=clock.now())
    assert caught.value.code == "transition_not_allowed"
    assert await counts(db) == before
    assert await order_status(db, order.id) == "awaiting_payment"


async def test_closing_works_through_every_batch(
    db: Database, market: Market, clock: FixedClock
) -> None:
    groups = [(await _checkout(db, market, clock, shops=1, units=1))[0] for _ in range(5)]
    later = clock.advance(timedelta(hours=1))
    assert await close_unpaid_groups(db, now=later, batch=2) == 5
    assert {await order_status(db, g.orders[0].id) for g in groups} == {"closed"}
