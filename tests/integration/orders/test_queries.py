"""The read side on both databases: a buyer's groups with their orders, a shop's orders
(only its own) with filters, and an order's detail only for those who may see it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from galerie.db import Database
from galerie.kernel import FixedClock, PageRequest, ValidationFailed
from galerie.orders import (
    Actor,
    OrderFilter,
    OrderNotFound,
    buyer_payment_groups,
    cancel_order,
    order_detail,
    place_order,
    seller_orders,
)
from tests.integration.orders.factories import ADDRESS, Market, insert_live_sku, ship, stock
from tests.web.statement_counter import counting_statements


async def _place(db: Database, market: Market, clock: FixedClock, shops: int) -> list[int]:
    now = clock.now()
    lines = []
    for shop in market.shops[:shops]:
        sku = await insert_live_sku(db, now, shop_id=shop.shop_id, price_minor=2000)
        await stock(db, now, shop, sku, 5)
        lines.append((sku, 1))
    async with db.transaction() as session:
        group = await place_order(
            session,
            buyer_id=market.buyer_id,
            lines=lines,
            shipping=ship(*(s.shop_id for s in market.shops[:shops])),
            address=ADDRESS,
            now=now,
        )
    return [o.id for o in group.orders]


async def test_buyers_see_their_groups_with_orders_in_three_queries(
    db: Database, market: Market, clock: FixedClock
) -> None:
    first = await _place(db, market, clock, shops=3)
    clock.advance(timedelta(hours=1))
    second = await _place(db, market, clock, shops=1)
    await cancel_order(
        db, order_id=first[0], actor=Actor.buyer(market.buyer_id), reason="no", now=clock.now()
    )
    async with counting_statements(db) as statements:
        page = await buyer_payment_groups(db, buyer_id=market.buyer_id)
    assert statements.count == 3
    assert page.total == 2
    newest, oldest = page.items
    assert [o.id for o in newest.orders] == second
    assert [o.id for o in oldest.orders] == first
    assert oldest.total.minor == 3 * (2000 + 500)
    assert oldest.amount_due.minor == 2 * (2000 + 500)  # the cancelled order is not due
    assert (await buyer_payment_groups(db, buyer_id=market.other_buyer_id)).total == 0


async def test_sellers_see_only_their_shops_orders_with_filters(
    db: Database, market: Market, clock: FixedClock
) -> None:
    start = clock.now()
    first = await _place(db, market, clock, shops=2)
    clock.advance(timedelta(days=2))
    second = await _place(db, market, clock, shops=1)
    shop = market.shops[0].shop_id
    everything = await seller_orders(db, shop_id=shop)
    assert [o.id for o in everything.items] == [second[0], first[0]]
    assert {o.shop_id for o in everything.items} == {shop}
    other = await seller_orders(db, shop_id=market.shops[1].shop_id)
    assert [o.id for o in other.items] == [first[1]]
    await cancel_order(
        db,
        order_id=first[0],
        actor=Actor.seller(market.owner_user_id, shop),
        reason="stock",
        now=clock.now(),
    )
    cancelled = await seller_orders(db, shop_id=shop, filters=OrderFilter(status="cancelled"))
    assert [o.id for o in cancelled.items] == [first[0]]
    window = OrderFilter(placed_from=start, placed_to=start + timedelta(days=1))
    assert [o.id for o in (await seller_orders(db, shop_id=shop, filters=window)).items] == [
        first[0]
    ]
    number = everything.items[0].number
    found = await seller_orders(db, shop_id=shop, filters=OrderFilter(number=number))
    assert [o.id for o in found.items] == [second[0]]
    paged = await seller_orders(db, shop_id=shop, page=PageRequest(number=2, size=1))
    assert ([o.id for o in paged.items], paged.total) == ([first[0]], 2)
    with pytest.raises(ValidationFailed):
        OrderFilter(status="lost")


async def test_an_order_is_shown_only_to_its_buyer_its_shop_and_operators(
    db: Database, market: Market, clock: FixedClock
) -> None:
    (order_id,) = await _place(db, market, clock, shops=1)
    shop = market.shops[0].shop_id
    for viewer in (
        Actor.buyer(market.buyer_id),
        Actor.seller(market.owner_user_id, shop),
        Actor.operator(1),
    ):
        detail = await order_detail(db, order_id=order_id, actor=viewer)
        assert detail.summary.id == order_id
        assert detail.address == ADDRESS
        assert [h.to_status for h in detail.history] == ["awaiting_payment"]
        assert [li.quantity for li in detail.lines] == [1]
    for stranger in (
        Actor.buyer(market.other_buyer_id),
        Actor.seller(market.owner_user_id, market.shops[1].shop_id),
    ):
        with pytest.raises(OrderNotFound) as caught:
            await order_detail(db, order_id=order_id, actor=stranger)
        assert caught.value.code == "order_not_found"
    with pytest.raises(OrderNotFound):
        await order_detail(db, order_id=10**9, actor=Actor.buyer(market.buyer_id))
