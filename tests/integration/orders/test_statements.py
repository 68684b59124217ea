"""Placing an order costs a fixed number of statements whatever the number of shops and
lines, beside inventory's reservation (one conditional UPDATE per SKU)."""

from __future__ import annotations

import pytest

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.orders import place_order
from tests.integration.orders.factories import ADDRESS, Market, insert_live_sku, ship, stock
from tests.web.statement_counter import counting_statements

# The SKUs, the group, the orders, the lines, the history, the OrderPlaced events, and
# inventory's one INSERT of every reservation's movement (the sales leave units, so no
# stock event). On PostgreSQL the group and its orders are one statement (a CTE). In a
# session's transaction nothing is deferred (RawSQL.defer: only raw_transaction defers).
FIXED = {"sqlite": 7, "postgresql": 6}
# Only with per-buyer limits: the open quantities, and on PostgreSQL the buyer's lock first
# (SQLite's writers are serialised already).
LIMIT_STATEMENTS = {"sqlite": 1, "postgresql": 2}


def _split(seen: list[str]) -> tuple[list[str], list[str]]:
    updates = [s for s in seen if "UPDATE stock_levels SET" in s]
    return updates, [s for s in seen if s not in updates]


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
    updates, others = _split(statements.seen)
    assert len(updates) == len(lines), updates
    assert len(others) == FIXED[db.dialect], [o[:90] for o in others]


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
    assert len(others) == FIXED[db.dialect] + LIMIT_STATEMENTS[db.dialect], others
