"""Escrow release on receipt, on SQLite and PostgreSQL: a paid shop order, shipped and
received, moves what escrow held to the shop's payable minus each line's category
commission (the nearest rate up the tree, the shipping fee at none), split by largest
remainder so the parts add up to the unit; the rate and commission are kept on each line;
a replay posts nothing; an order paid without a payment holds nothing to release."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from galerie.catalog.models import Category
from galerie.catalog.product_models import Product, Sku
from galerie.db import Database
from galerie.fulfilment import confirm_receipt, record_shipment
from galerie.kernel import FixedClock
from galerie.orders import Actor, OrderStatusChanged, mark_group_paid, place_order
from galerie.orders.models import Order, OrderLine
from galerie.payments import release_escrow, release_handler
from tests.integration.orders.factories import ADDRESS, Market, insert_live_sku, ship, stock
from tests.integration.payments.test_paying_groups import _deliver, _ledger, _pay
from tests.integration.sellers.factories import APPAREL, CLOTHING, HOME


async def _rates(db: Database, rates: dict[int, int | None]) -> None:
    async with db.transaction() as session:
        for category_id, rate in rates.items():
            await session.execute(
                update(Category).where(Category.id == category_id).values(commission_rate_bp=rate)
            )


async def _order(db: Database, market: Market, clock: FixedClock) -> tuple[int, int]:
    """One shop order: a 19.99 teapot (Home, 3%) and two 25.01 shirts (Clothing, which
    inherits Apparel's 8%), shipping 5.00; (group id, order id)."""
    now, shop = clock.now(), market.shops[0]
    await _rates(db, {HOME: 300, APPAREL: 800, CLOTHING: None})
    teapot = await insert_live_sku(db, now, shop_id=shop.shop_id, price_minor=1999)
    shirt = await insert_live_sku(db, now, shop_id=shop.shop_id, price_minor=2501)
    async with db.transaction() as session:
        product = await session.scalar(select(Sku.product_id).where(Sku.id == shirt))
        await session.execute(
            update(Product).where(Product.id == product).values(category_id=CLOTHING)
        )
    for sku in (teapot, shirt):
        await stock(db, now, shop, sku, 5)
    async with db.transaction() as session:
        group = await place_order(
            session, buyer_id=market.buyer_id, lines=[(teapot, 1), (shirt, 2)],
            shipping=ship(shop.shop_id), address=ADDRESS, now=now,
        )  # fmt: skip
    return group.id, group.orders[0].id


async def _receive(db: Database, market: Market, clock: FixedClock, order_id: int) -> None:
    shop = market.shops[0]
    async with db.reading() as session:
        lines = (
            await session.execute(
                select(OrderLine.sku_id, OrderLine.quantity).where(OrderLine.order_id == order_id)
            )
        ).all()
    await record_shipment(
        db, order_id=order_id, quantities={int(sku): int(units) for sku, units in lines},
        actor=Actor.seller(market.owner_user_id, shop.shop_id), now=clock.now(),
    )  # fmt: skip
    clock.advance(timedelta(days=2))
    await confirm_receipt(
        db, order_id=order_id, actor=Actor.buyer(market.buyer_id), now=clock.now()
    )


async def _lines(db: Database, order_id: int) -> list[tuple[int | None, int | None]]:
    async with db.reading() as session:
        rows = await session.execute(
            select(OrderLine.commission_bp, OrderLine.commission_minor)
            .where(OrderLine.order_id == order_id)
            .order_by(OrderLine.id)
        )
        return [(bp, minor) for bp, minor in rows]


async def test_a_received_order_pays_its_shop_minus_the_commission(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group_id, order_id = await _order(db, market, clock)
    await _deliver(db, clock, await _pay(db, market, clock, group_id))
    assert await _ledger(db) == {("provider_clearing", 0): 7501, ("escrow", order_id): -7501}
    with pytest.raises(ValueError, match="not completed"):  # paid, not received yet
        async with db.transaction() as session:
            await release_escrow(session, order_id=order_id, now=clock.now())
    await _receive(db, market, clock, order_id)
    async with db.transaction() as session:
        outcome = await release_escrow(session, order_id=order_id, now=clock.now())
    assert outcome == "released"
    # 19.99 x 3% = 0.5997 and 50.02 x 8% = 4.0016: 4.6013 rounds to 4.60 in all, the unit
    # left by the floors (0.59 + 4.00) going to the larger remainder (the teapot's).
    assert await _lines(db, order_id) == [(300, 60), (800, 400)]
    shop = market.shops[0].shop_id
    released = {
        ("provider_clearing", 0): 7501,
        ("seller_payable", shop): -7041,  # 75.01 - 4.60, shipping included
        ("commission_revenue", 0): -460,
    }
    assert await _ledger(db) == released
    async with db.transaction() as session:
        again = await release_escrow(session, order_id=order_id, now=clock.now())
    assert again == "already_released"
    assert await _ledger(db) == released


async def test_the_handler_releases_on_completion_only(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group_id, order_id = await _order(db, market, clock)
    await _deliver(db, clock, await _pay(db, market, clock, group_id))
    handler = release_handler(clock)
    event = OrderStatusChanged(
        order_id=order_id, shop_id=market.shops[0].shop_id, buyer_id=market.buyer_id,
        from_status="awaiting_payment", to_status="paid", reason=None, actor_kind="system",
        actor_user_id=None,
    )  # fmt: skip
    async with db.transaction() as session:
        await handler(event, session)
    assert await _ledger(db) == {("provider_clearing", 0): 7501, ("escrow", order_id): -7501}
    await _receive(db, market, clock, order_id)
    done = OrderStatusChanged(
        **{**event.payload(), "from_status": "shipped", "to_status": "completed"}
    )
    for _ in range(2):  # delivered at least once: twice releases once
        async with db.transaction() as session:
            await handler(done, session)
    assert await _ledger(db) == {
        ("provider_clearing", 0): 7501,
        ("seller_payable", market.shops[0].shop_id): -7041,
        ("commission_revenue", 0): -460,
    }


async def test_an_order_paid_without_a_payment_holds_nothing(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group_id, order_id = await _order(db, market, clock)
    async with db.transaction() as session:
        await mark_group_paid(session, payment_group_id=group_id, now=clock.now())
    await _receive(db, market, clock, order_id)
    async with db.transaction() as session:
        assert await release_escrow(session, order_id=order_id, now=clock.now()) == "nothing_held"
    assert await _ledger(db) == {}
    assert await _lines(db, order_id) == [(None, None), (None, None)]
    async with db.reading() as session:
        assert await session.scalar(select(Order.status).where(Order.id == order_id)) == "completed"
