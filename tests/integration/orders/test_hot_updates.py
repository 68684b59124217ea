"""On PostgreSQL, paying an order updates its row and its stock level in place (HOT,
migration 0029): no index covers what the move changes (status, paid_at, updated_at; the
reserved and committed units), so the update writes no index entry. Counted inside the
transaction with PostgreSQL's own per-transaction statistics."""

from __future__ import annotations

import pytest

from galerie.db import Database, RawSQL
from galerie.kernel import FixedClock
from galerie.orders import place_order
from galerie.orders.paying import finish_paid, move_group
from tests.integration.orders.factories import ADDRESS, Market, insert_live_sku, ship, stock

HOT = (
    "SELECT pg_stat_get_xact_tuples_updated('{table}'::regclass), "
    "pg_stat_get_xact_tuples_hot_updated('{table}'::regclass)"
)
ROOM = {"orders": 90, "stock_levels": 80, "ledger_accounts": 90}


async def _updated(raw: RawSQL, table: str) -> tuple[int, int]:
    row = await raw.fetchrow(HOT.format(table=table))
    assert row is not None
    return int(row[0]), int(row[1])


async def test_paying_updates_the_order_and_its_stock_level_in_place(
    db: Database, market: Market, clock: FixedClock
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("HOT updates are PostgreSQL's")
    now, shop = clock.now(), market.shops[0]
    sku = await insert_live_sku(db, now, shop_id=shop.shop_id)
    await stock(db, now, shop, sku, 5)
    async with db.transaction() as session:
        placed = await place_order(
            session, buyer_id=market.buyer_id, lines=[(sku, 2)], shipping=ship(shop.shop_id),
            address=ADDRESS, now=now,
        )  # fmt: skip
        raw = await RawSQL.of(session)
        before = {table: await _updated(raw, table) for table in ("orders", "stock_levels")}
        paid = await move_group(raw, placed.id, now)
        assert paid.moved
        await finish_paid(raw, paid, now)
        await raw.flush()
        after = {table: await _updated(raw, table) for table in ("orders", "stock_levels")}
    for table in ("orders", "stock_levels"):
        updates = after[table][0] - before[table][0]
        hot = after[table][1] - before[table][1]
        assert updates == 1, (table, updates)
        assert hot == updates, f"{table}: {updates} updates, {hot} in place"


async def test_the_tables_updated_on_every_order_leave_room_on_their_pages(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("fillfactor is PostgreSQL's")
    async with db.reading() as session:
        raw = await RawSQL.of(session)
        rows = await raw.fetch(
            "SELECT relname, reloptions FROM pg_class WHERE relkind = 'r' "
            "AND relname = ANY($1::text[])", list(ROOM),
        )  # fmt: skip
    assert {str(r[0]): list(r[1] or []) for r in rows} == {
        table: [f"fillfactor={percent}"] for table, percent in ROOM.items()
    }
