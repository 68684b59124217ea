"""Placing an order costs a fixed number of statements whatever the number of shops and
lines, beside inventory's reservation (a fixed number per SKU)."""

from __future__ import annotations

import pytest

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.orders import place_order
from tests.integration.orders.factories import ADDRESS, Market, insert_live_sku, ship, stock
from tests.web.statement_counter import counting_statements

STOCK = ("stock_levels", "stock_movements", "StockLevelChanged")
# The SKUs, the group, the orders, the lines, the history, the OrderPlaced events; on
# PostgreSQL also the ORM's one batched flush of inventory's StockLevelChanged events
# (SQLite's trace sees that flush row by row, so there it is counted per SKU, below).
ORDERS_STATEMENTS = {"sqlite": 6, "postgresql": 7}
LIMIT_STATEMENTS = 2  # the buyer's lock and the open quantities, only with per-buyer limits
# Inventory's reserve_stock: the conditional UPDATE, its movement, the available total
# (and, on SQLite, its event's row).
PER_SKU = {"sqlite": 4, "postgresql": 3}


def _split(seen: list[str]) -> tuple[list[str], list[str]]:
    stock = [s for s in seen if any(t in s for t in STOCK) and "order_lines" not in s]
    return stock, [s for s in seen if s not in stock]


@pytest.mark.parametrize(("shops", "per_shop"), [(1, 1), (1, 6), (3, 1), (3, 4)])
async def test_statements_do_not_grow_with_shops_or_lines(
    db: Database, market: Market, clock: FixedClock, shops: int, per_shop: int
) -> None:
    now = clock.now()
    lines = []
    for shop in market.shops[:shops]:
        for _ in range(per_shop):
            sku = await insert_live_sku(db, now, shop_id=shop.shop_id)
            await stock(db, now, shop, sku, 5)
            lines.append((sku, 2))
    async with counting_statements(db) as statements, db.transaction() as session:
        await place_order(
            session,
            buyer_id=market.buyer_id,
            lines=lines,
            shipping=ship(*(s.shop_id for s in market.shops[:shops])),
            address=ADDRESS,
            now=now,
        )
    stock_statements, others = _split(statements.seen)
    assert len(stock_statements) == PER_SKU[db.dialect] * len(lines), stock_statements
    assert len(others) == ORDERS_STATEMENTS[db.dialect], [o[:90] for o in others]


async def test_per_buyer_limits_cost_two_statements_more(
    db: Database, market: Market, clock: FixedClock
) -> None:
    now = clock.now()
    shop = market.shops[0]
    skus = [await insert_live_sku(db, now, shop_id=shop.shop_id, per_buyer_limit=3)]
    skus.append(await insert_live_sku(db, now, shop_id=shop.shop_id, per_buyer_limit=5))
    for sku in skus:
        await stock(db, now, shop, sku, 5)
    async with counting_statements(db) as statements, db.transaction() as session:
        await place_order(
            session,
            buyer_id=market.buyer_id,
            lines=[(s, 1) for s in skus],
            shipping=ship(shop.shop_id),
            address=ADDRESS,
            now=now,
        )
    _, others = _split(statements.seen)
    assert len(others) == ORDERS_STATEMENTS[db.dialect] + LIMIT_STATEMENTS, others
