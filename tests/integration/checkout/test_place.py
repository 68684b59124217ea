"""Placing a checkout on both databases: orders per shop with the address snapshot, stock
reserved, the cart emptied of the ordered lines in the same transaction; a refusal (a
blocked quote, stock drained between quote and place in the third shop, a per-buyer
limit) leaves 0 orders, 0 reservations and the cart untouched; the key is then free."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from galerie.cart import CartOwner, remove_ordered_lines
from galerie.catalog.product_models import Sku
from galerie.checkout import CheckoutBlocked, place_checkout, place_quoted, quote_checkout
from galerie.db import Database
from galerie.inventory import InsufficientStock
from galerie.kernel import FixedClock
from galerie.orders import (
    Actor,
    ItemUnavailable,
    PerBuyerLimitExceeded,
    ShopUnavailable,
    StoredResponse,
    order_detail,
    place_order,
)
from tests.integration.cart.factories import change_product, change_shop, set_stock
from tests.integration.checkout.factories import Checkout, cart_lines, fill_cart
from tests.integration.orders.factories import ADDRESS, counts, insert_live_sku, levels, ship, stock
from tests.web.statement_counter import counting_statements

BODY = b'{"address_id": 1}'


async def _place(
    db: Database, clock: FixedClock, shop3: Checkout, key: str = "k1"
) -> StoredResponse:
    return await place_checkout(
        db, buyer_id=shop3.market.buyer_id, address_id=shop3.china, methods=None,
        idempotency_key=key, raw_body=BODY, now=clock.now(), currency="CNY",
    )  # fmt: skip


async def test_placing_makes_orders_per_shop_and_empties_the_cart(
    db: Database, clock: FixedClock, shop3: Checkout
) -> None:
    buyer = shop3.market.buyer_id
    await fill_cart(db, clock.now(), buyer, [(shop3.skus[0], 2), (shop3.skus[1], 1)])
    answer = await _place(db, clock, shop3)
    assert answer.status == 201
    assert not answer.replayed
    body = answer.body
    assert body["total"] == {"minor": 3700, "currency": "CNY"}
    assert [o["shop_id"] for o in body["orders"]] == [s.shop_id for s in shop3.market.shops[:2]]
    assert await cart_lines(db, buyer) == []
    assert await levels(db, shop3.skus[:2]) == {
        shop3.skus[0]: (5, 3, 2, 0), shop3.skus[1]: (5, 4, 1, 0),
    }  # fmt: skip
    detail = await order_detail(db, order_id=body["orders"][0]["id"], actor=Actor.buyer(buyer))
    assert detail.address["country"] == "CN"
    assert detail.address["recipient"] == "Chen Wei"
    assert (detail.shipping_method, detail.auto_confirm_days) == ("surface", 30)
    replay = await _place(db, clock, shop3)  # the cart is empty now: still the same answer
    assert replay.replayed
    assert replay.body == body
    assert (await counts(db))["orders"] == 2


async def test_stock_running_out_in_the_third_shop_leaves_nothing(
    db: Database, clock: FixedClock, shop3: Checkout
) -> None:
    buyer = shop3.market.buyer_id
    await fill_cart(db, clock.now(), buyer, [(sku, 1) for sku in shop3.skus])
    quote = await quote_checkout(
        db, owner=CartOwner.user(buyer), address_id=shop3.china, currency="CNY"
    )
    assert quote.placeable
    await set_stock(db, shop3.skus[2], 0)  # the fault: drained between quote and place
    before, stock_before = await counts(db), await levels(db, shop3.skus)
    with pytest.raises(InsufficientStock):
        await place_quoted(
            db, buyer_id=buyer, quote=quote, idempotency_key="k", request=BODY, now=clock.now()
        )
    assert await counts(db) == before  # 0 orders, 0 movements, 0 events, the key released
    assert await levels(db, shop3.skus) == stock_before  # 0 reservations
    assert await cart_lines(db, buyer) == sorted((sku, 1) for sku in shop3.skus)
    with pytest.raises(CheckoutBlocked) as caught:  # quoted again: the cart says why
        await _place(db, clock, shop3, key="k")
    assert caught.value.code == "cart_has_problems"
    assert await counts(db) == before


async def test_a_per_buyer_limit_refusal_leaves_the_cart_untouched(
    db: Database, clock: FixedClock, shop3: Checkout
) -> None:
    market, now = shop3.market, clock.now()
    shop = market.shops[0]
    sku = await insert_live_sku(db, now, shop_id=shop.shop_id, per_buyer_limit=2)
    await stock(db, now, shop, sku, 10)
    async with db.transaction() as session:  # an open order already holds 2
        await place_order(
            session, buyer_id=market.buyer_id, lines=[(sku, 2)], shipping=ship(shop.shop_id),
            address=ADDRESS, now=now,
        )  # fmt: skip
    await fill_cart(db, now, market.buyer_id, [(sku, 1)])
    before = await counts(db)
    with pytest.raises(PerBuyerLimitExceeded):
        await _place(db, clock, shop3)
    assert await counts(db) == before
    assert await cart_lines(db, market.buyer_id) == [(sku, 1)]


# One transaction, whatever the shops and lines: the idempotency claim, the cart (prices
# and all: place_order does not read the SKUs again), the address, every shop's shipping
# templates (one read), place_order's five INSERTs (the group, the orders, the lines, the
# history, the OrderPlaced events), the movements of all reservations, the cart's one
# DELETE and the stored response; plus one conditional UPDATE per SKU (its stock). On
# PostgreSQL the group and its orders are one statement, the writes nobody waits for
# (history, events, the cart's DELETE, the stored response) travel with the next statement
# as CTEs (RawSQL.defer), and the reservations are the last statement (RawSQL.defer_last):
# every SKU's UPDATE, movement and line as its CTEs, carrying the deferred writes. There,
# a checkout is first tried as a single statement (ADR 0015), with no BEGIN nor COMMIT:
# the cart read with the address and templates as its lead, the ids of the group and its
# orders, then ONE statement for every write. Here it succeeds: three statements.
FIXED = {"sqlite": 11, "postgresql": 3}


@pytest.mark.parametrize(("shops", "per_shop"), [(1, 1), (1, 4), (3, 1), (3, 3)])
async def test_statements_are_a_fixed_number_whatever_the_shops_and_lines(
    db: Database, clock: FixedClock, shop3: Checkout, shops: int, per_shop: int
) -> None:
    now, buyer = clock.now(), shop3.market.buyer_id
    lines = []
    for shop in shop3.market.shops[:shops]:
        for _ in range(per_shop):
            sku = await insert_live_sku(db, now, shop_id=shop.shop_id)
            await stock(db, now, shop, sku, 5)
            lines.append((sku, 1))
    await fill_cart(db, now, buyer, lines)
    async with counting_statements(db) as statements:
        answer = await _place(db, clock, shop3)
    assert answer.status == 201
    updates = sum(s.count("UPDATE stock_levels SET") for s in statements.seen)
    assert updates == len(lines)
    # SQLite: one statement per reservation; PostgreSQL: all of them in the last one
    expected = FIXED[db.dialect] + (len(lines) if db.dialect == "sqlite" else 0)
    assert statements.count == expected, "\n".join(s[:80] for s in statements.seen)


async def test_only_the_lines_ordered_as_they_were_leave_the_cart(
    db: Database, clock: FixedClock, shop3: Checkout
) -> None:
    market, now = shop3.market, clock.now()
    await fill_cart(db, now, market.buyer_id, [(shop3.skus[0], 2), (shop3.skus[1], 1)])
    await fill_cart(db, now, market.other_buyer_id, [(shop3.skus[0], 2)])
    async with db.transaction() as session:
        removed = await remove_ordered_lines(
            session,
            owner=CartOwner.user(market.buyer_id),
            lines=[(shop3.skus[0], 2), (shop3.skus[1], 3)],  # the second changed meanwhile
        )
    assert removed == 1
    assert await cart_lines(db, market.buyer_id) == [(shop3.skus[1], 1)]
    assert await cart_lines(db, market.other_buyer_id) == [(shop3.skus[0], 2)]


async def test_a_shop_suspended_or_an_item_delisted_after_the_quote_leaves_nothing(
    db: Database, clock: FixedClock, shop3: Checkout
) -> None:
    buyer = shop3.market.buyer_id
    await fill_cart(db, clock.now(), buyer, [(sku, 1) for sku in shop3.skus])
    quote = await quote_checkout(
        db, owner=CartOwner.user(buyer), address_id=shop3.china, currency="CNY"
    )
    await change_shop(db, shop3.market.shops[1].shop_id, status="suspended")
    before, stock_before = await counts(db), await levels(db, shop3.skus)
    with pytest.raises(ShopUnavailable):
        await place_quoted(
            db, buyer_id=buyer, quote=quote, idempotency_key="s", request=BODY, now=clock.now()
        )
    await change_shop(db, shop3.market.shops[1].shop_id, status="live")
    await change_product_of(db, shop3.skus[2], status="delisted")
    with pytest.raises(ItemUnavailable):
        await place_quoted(
            db, buyer_id=buyer, quote=quote, idempotency_key="s", request=BODY, now=clock.now()
        )
    assert await counts(db) == before
    assert await levels(db, shop3.skus) == stock_before
    assert await cart_lines(db, buyer) == sorted((sku, 1) for sku in shop3.skus)


async def change_product_of(db: Database, sku_id: int, **values: object) -> None:
    async with db.reading() as session:
        product_id = await session.scalar(select(Sku.product_id).where(Sku.id == sku_id))
    assert product_id is not None
    await change_product(db, product_id, **values)
