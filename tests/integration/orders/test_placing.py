"""place_order on both databases: prices from the server, one order per shop, stock
reserved, history and events written; every refusal leaves nothing behind (not an order,
not a reserved unit), including a multi-shop checkout whose third shop runs out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from galerie.catalog.product_models import Product, Sku
from galerie.db import Database
from galerie.db.outbox import OutboxEvent
from galerie.inventory import InsufficientStock
from galerie.kernel import DomainError, FixedClock, Money
from galerie.orders import (
    Actor,
    ItemUnavailable,
    MixedCurrencies,
    PerBuyerLimitExceeded,
    PlacedGroup,
    ShippingChoice,
    ShopUnavailable,
    cancel_order,
    place_order,
)
from galerie.orders.models import OrderLine, OrderStatusHistory
from galerie.sellers.models import Shop
from tests.integration.orders.factories import (
    ADDRESS,
    Market,
    counts,
    insert_live_sku,
    levels,
    ship,
    stock,
)


async def _place(db: Database, market: Market, now: Any, lines: Any, **kw: Any) -> PlacedGroup:
    shops = kw.pop("shipping", None)
    async with db.transaction() as session:
        return await place_order(
            session,
            buyer_id=kw.pop("buyer_id", market.buyer_id),
            lines=lines,
            shipping=shops,
            address=kw.pop("address", ADDRESS),
            now=now,
            **kw,
        )


async def test_a_checkout_over_two_shops_makes_one_group_and_an_order_per_shop(
    db: Database, market: Market, clock: FixedClock
) -> None:
    now = clock.now()
    a, b = market.shops[0], market.shops[1]
    tea = await insert_live_sku(db, now, shop_id=a.shop_id, price_minor=1250)
    cup = await insert_live_sku(db, now, shop_id=a.shop_id, price_minor=300)
    pot = await insert_live_sku(db, now, shop_id=b.shop_id, price_minor=9900)
    for shop, sku in ((a, tea), (a, cup), (b, pot)):
        await stock(db, now, shop, sku, 5)
    shipping = {
        a.shop_id: ShippingChoice("express", Money(800, "CNY"), 10),
        b.shop_id: ShippingChoice("surface", Money(0, "CNY"), 30),
    }
    group = await _place(
        db, market, now, [(tea, 2), (pot, 1), (cup, 1), (tea, 1)], shipping=shipping
    )
    first, second = group.orders
    assert (first.shop_id, second.shop_id) == (a.shop_id, b.shop_id)
    assert first.goods_total == Money(3 * 1250 + 300, "CNY")
    assert first.total == Money(3 * 1250 + 300 + 800, "CNY")
    assert second.total == Money(9900, "CNY")
    assert second.auto_confirm_days == 30
    assert group.total == first.total + second.total
    assert [(li.sku_id, li.quantity, li.line_total.minor) for li in first.lines] == [
        (tea, 3, 3750),
        (cup, 1, 300),
    ]
    assert first.lines[0].title.startswith("Teapot")
    async with db.reading() as session:
        held = await session.execute(
            select(OrderLine.order_id, OrderLine.warehouse_id).order_by(OrderLine.id)
        )
    assert [tuple(row) for row in held] == [(first.id, a.warehouse_id)] * 2 + [
        (second.id, b.warehouse_id)
    ]
    assert first.number != second.number
    assert first.number.startswith("20261111")
    assert group.pay_by == now + timedelta(minutes=30)
    assert await levels(db, [tea, cup, pot]) == {
        tea: (5, 2, 3, 0),
        cup: (5, 4, 1, 0),
        pot: (5, 4, 1, 0),
    }
    async with db.reading() as session:
        history = (await session.execute(select(OrderStatusHistory.to_status))).scalars().all()
        placed = (
            await session.scalars(
                select(OutboxEvent.payload).where(OutboxEvent.event_name == "OrderPlaced")
            )
        ).all()
    assert history == ["awaiting_payment", "awaiting_payment"]
    assert sorted(p["order_id"] for p in placed) == [first.id, second.id]


async def test_a_shop_running_out_leaves_nothing_behind(
    db: Database, market: Market, clock: FixedClock
) -> None:
    now = clock.now()
    skus = [await insert_live_sku(db, now, shop_id=s.shop_id) for s in market.shops]
    for shop, sku, units in zip(market.shops, skus, (5, 5, 1), strict=True):
        await stock(db, now, shop, sku, units)
    before, stock_before = await counts(db), await levels(db, skus)
    with pytest.raises(InsufficientStock) as caught:
        await _place(
            db,
            market,
            now,
            [(sku, 2) for sku in skus],
            shipping=ship(*(s.shop_id for s in market.shops)),
        )
    assert caught.value.code == "insufficient_stock"
    assert await counts(db) == before  # 0 groups, orders, lines, movements, events
    assert await levels(db, skus) == stock_before  # 0 reserved: stock unchanged
    assert all(parts[2] == 0 for parts in stock_before.values())


async def test_per_buyer_limits_count_the_buyers_open_orders(
    db: Database, market: Market, clock: FixedClock
) -> None:
    now = clock.now()
    shop = market.shops[0]
    flash = await insert_live_sku(db, now, shop_id=shop.shop_id, per_buyer_limit=2)
    await stock(db, now, shop, flash, 100)
    shipping = ship(shop.shop_id)
    with pytest.raises(PerBuyerLimitExceeded):
        await _place(db, market, now, [(flash, 3)], shipping=shipping)
    first = await _place(db, market, now, [(flash, 1)], shipping=shipping)
    await _place(db, market, now, [(flash, 1)], shipping=shipping)
    before = await counts(db)
    with pytest.raises(PerBuyerLimitExceeded) as caught:
        await _place(db, market, now, [(flash, 1)], shipping=shipping)
    assert caught.value.code == "per_buyer_limit_exceeded"
    assert await counts(db) == before
    await _place(db, market, now, [(flash, 2)], shipping=shipping, buyer_id=market.other_buyer_id)
    # a cancelled order no longer counts
    await cancel_order(
        db,
        order_id=first.orders[0].id,
        actor=Actor.buyer(market.buyer_id),
        reason="changed my mind",
        now=now,
    )
    await _place(db, market, now, [(flash, 1)], shipping=shipping)
    assert await levels(db, [flash]) == {flash: (100, 96, 4, 0)}


async def _refusal(db: Database, market: Market, clock: FixedClock, lines: Any, **kw: Any) -> str:
    before = await counts(db)
    with pytest.raises(DomainError) as caught:
        await _place(db, market, clock.now(), lines, **kw)
    assert await counts(db) == before
    return caught.value.code


async def test_unbuyable_items_and_bad_requests_are_refused_with_clear_codes(
    db: Database, market: Market, clock: FixedClock
) -> None:
    now = clock.now()
    a, b, c = market.shops
    ok = await insert_live_sku(db, now, shop_id=a.shop_id)
    delisted = await insert_live_sku(db, now, shop_id=a.shop_id, status="delisted")
    euro = await insert_live_sku(db, now, shop_id=b.shop_id, currency="EUR")
    suspended = await insert_live_sku(db, now, shop_id=c.shop_id)
    inactive = await insert_live_sku(db, now, shop_id=a.shop_id)
    for shop, sku in ((a, ok), (a, delisted), (b, euro), (c, suspended), (a, inactive)):
        await stock(db, now, shop, sku, 10)
    async with db.transaction() as session:
        await session.execute(update(Shop).where(Shop.id == c.shop_id).values(status="suspended"))
        await session.execute(update(Sku).where(Sku.id == inactive).values(is_active=False))
    sa, sab, sac = ship(a.shop_id), ship(a.shop_id, b.shop_id), ship(a.shop_id, c.shop_id)
    cases: list[tuple[Any, dict[str, Any], str]] = [
        ([(delisted, 1)], {"shipping": sa}, ItemUnavailable.default_code),
        ([(inactive, 1)], {"shipping": sa}, "item_unavailable"),
        ([(999_999, 1)], {"shipping": sa}, "item_unavailable"),
        ([(ok, 1), (suspended, 1)], {"shipping": sac}, ShopUnavailable.default_code),
        ([(ok, 1), (euro, 1)], {"shipping": sab}, MixedCurrencies.default_code),
        ([(ok, 1)], {"shipping": ship(a.shop_id, currency="EUR")}, "mixed_currencies"),
        ([(ok, 0)], {"shipping": sa}, "bad_quantity"),
        ([(ok, -3)], {"shipping": sa}, "bad_quantity"),
        ([(ok, 10**9)], {"shipping": sa}, "quantity_too_large"),
        ([], {"shipping": sa}, "empty_order"),
        ([(ok, 1)], {"shipping": {}}, "shipping_mismatch"),
        ([(ok, 1)], {"shipping": sab}, "shipping_mismatch"),
        ([(ok, 1)], {"shipping": sa, "address": {}}, "bad_address"),
        ([(ok, 11)], {"shipping": sa}, "insufficient_stock"),
    ]
    for lines, kw, code in cases:
        assert await _refusal(db, market, clock, lines, **kw) == code, (lines, code)
    async with db.transaction() as session:  # delisting later does not touch placed lines
        await session.execute(update(Product).values(status="live"))
    assert await _refusal(db, market, clock, [(ok, 1), (euro, 1)], shipping=sab) == (
        "mixed_currencies"
    )


async def test_prices_are_read_when_placing_and_kept_on_the_line(
    db: Database, market: Market, clock: FixedClock
) -> None:
    now = clock.now()
    shop = market.shops[0]
    sku = await insert_live_sku(db, now, shop_id=shop.shop_id, price_minor=700)
    await stock(db, now, shop, sku, 3)
    group = await _place(db, market, now, [(sku, 1)], shipping=ship(shop.shop_id))
    async with db.transaction() as session:
        await session.execute(update(Sku).where(Sku.id == sku).values(price_minor=9999))
        kept = await session.scalar(
            select(OrderLine.unit_price_minor).where(OrderLine.order_id == group.orders[0].id)
        )
    assert kept == 700
