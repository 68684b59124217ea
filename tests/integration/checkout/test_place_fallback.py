"""A checkout the single statement (ADR 0015) cannot decide alone is placed by the
transaction, on both databases: a sale crossing a level's low-stock threshold or emptying
it (their events need a statement after the reservation), a SKU with a per-buyer limit
(the buyer is locked first). Each is placed once, with its events, and on PostgreSQL costs
more statements than the three of a checkout placed as one statement."""

from __future__ import annotations

from galerie.checkout import place_checkout
from galerie.db import Database
from galerie.inventory import set_low_stock_threshold
from galerie.kernel import FixedClock
from galerie.orders import StoredResponse
from tests.integration.checkout.factories import Checkout, fill_cart
from tests.integration.orders.factories import counts, insert_live_sku, levels, stock
from tests.integration.raw_writes import count_events
from tests.web.statement_counter import Statements, counting_statements

BODY = b'{"address_id": 1}'
ONE_STATEMENT = 3  # the read, the ids, the write (tests/integration/checkout/test_place.py)


async def _place(db: Database, clock: FixedClock, shop3: Checkout) -> StoredResponse:
    return await place_checkout(
        db, buyer_id=shop3.market.buyer_id, address_id=shop3.china, methods=None,
        idempotency_key="fallback", raw_body=BODY, now=clock.now(), currency="CNY",
    )  # fmt: skip


async def _placed_counting(
    db: Database, clock: FixedClock, shop3: Checkout
) -> tuple[StoredResponse, Statements]:
    async with counting_statements(db) as statements:
        answer = await _place(db, clock, shop3)
    return answer, statements


def _by_the_transaction(db: Database, statements: Statements) -> bool:
    """On PostgreSQL, more statements than a single statement's checkout; SQLite always
    places in its transaction."""
    return db.dialect == "sqlite" or statements.count > ONE_STATEMENT


async def test_a_sale_crossing_the_low_stock_threshold_is_placed_and_announced(
    db: Database, clock: FixedClock, shop3: Checkout
) -> None:
    sku, shop = shop3.skus[0], shop3.market.shops[0]
    await set_low_stock_threshold(
        db, shop_id=shop.shop_id, warehouse_id=shop.warehouse_id, sku_id=sku, threshold=3,
        now=clock.now(),
    )  # fmt: skip
    await fill_cart(db, clock.now(), shop3.market.buyer_id, [(sku, 2)])
    answer, statements = await _placed_counting(db, clock, shop3)
    assert answer.status == 201
    assert await levels(db, [sku]) == {sku: (5, 3, 2, 0)}
    assert await count_events(db, "StockLevelLow") == (1, 0)
    assert _by_the_transaction(db, statements), statements.seen
    assert (await counts(db))["orders"] == 1


async def test_a_sale_of_the_last_units_is_placed_and_announced(
    db: Database, clock: FixedClock, shop3: Checkout
) -> None:
    sku = shop3.skus[0]
    await fill_cart(db, clock.now(), shop3.market.buyer_id, [(sku, 5)])
    before = await count_events(db, "StockLevelChanged")
    answer, statements = await _placed_counting(db, clock, shop3)
    assert answer.status == 201
    assert await levels(db, [sku]) == {sku: (5, 0, 5, 0)}
    assert await count_events(db, "StockLevelChanged") == (before[0] + 1, 0)
    assert _by_the_transaction(db, statements), statements.seen


async def test_a_sale_above_the_threshold_is_one_statement_and_announces_nothing(
    db: Database, clock: FixedClock, shop3: Checkout
) -> None:
    sku = shop3.skus[0]
    await fill_cart(db, clock.now(), shop3.market.buyer_id, [(sku, 1)])
    before = await count_events(db, "StockLevelChanged")
    answer, statements = await _placed_counting(db, clock, shop3)
    assert answer.status == 201
    assert await levels(db, [sku]) == {sku: (5, 4, 1, 0)}
    assert await count_events(db, "StockLevelChanged") == before
    assert await count_events(db, "StockLevelLow") == (0, 0)
    if db.dialect == "postgresql":
        assert statements.count == ONE_STATEMENT, statements.seen


async def test_a_limited_sku_is_placed_by_the_transaction(
    db: Database, clock: FixedClock, shop3: Checkout
) -> None:
    shop, now = shop3.market.shops[0], clock.now()
    sku = await insert_live_sku(db, now, shop_id=shop.shop_id, per_buyer_limit=2)
    await stock(db, now, shop, sku, 10)
    await fill_cart(db, now, shop3.market.buyer_id, [(sku, 2)])
    answer, statements = await _placed_counting(db, clock, shop3)
    assert answer.status == 201
    assert await levels(db, [sku]) == {sku: (10, 8, 2, 0)}
    assert _by_the_transaction(db, statements), statements.seen
