"""The checkout primitives inside a caller's transaction: reserve (from the warehouse with
the most available, or a given one), release, commit, ship; refusals change nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from galerie.db import Database
from galerie.inventory import (
    InsufficientStock,
    available_by_sku,
    commit_reservation,
    create_warehouse,
    deactivate_warehouse,
    receive_stock,
    recompute_stock_from_movements,
    release_commitment,
    release_reservation,
    reserve_stock,
    ship_stock,
    shop_stock,
)
from galerie.kernel import FixedClock, ValidationFailed
from tests.integration.inventory.factories import (
    Stockroom,
    counts,
    events,
    insert_sku,
    snapshot,
    warehouse_form,
)

_NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)


async def _second_warehouse(db: Database, room: Stockroom, clock: FixedClock) -> int:
    return await create_warehouse(
        db, shop_id=room.shop, form=warehouse_form("BJ1", city="Beijing"), now=clock.now()
    )


async def _receive(db: Database, room: Stockroom, clock: FixedClock, wh: int, q: int) -> None:
    await receive_stock(
        db, shop_id=room.shop, warehouse_id=wh, sku_id=room.sku, quantity=q, now=clock.now()
    )


async def test_reserve_picks_the_warehouse_with_most_available_or_the_given_one(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    now = clock.now()
    beijing = await _second_warehouse(db, room, clock)
    await _receive(db, room, clock, room.warehouse, 3)
    await _receive(db, room, clock, beijing, 5)
    async with db.transaction() as session:
        first = await reserve_stock(session, sku_id=room.sku, quantity=2, reference="o-1", now=now)
        given = await reserve_stock(
            session, sku_id=room.sku, quantity=1, reference="o-2", now=now,
            warehouse_id=room.warehouse,
        )  # fmt: skip
    assert (first.warehouse_id, first.available, first.reserved, first.on_hand) == (
        beijing,
        3,
        2,
        5,
    )
    assert (given.warehouse_id, given.available, given.reserved) == (room.warehouse, 2, 1)
    async with db.reading() as session:
        assert await available_by_sku(session, [room.sku, room.rival_sku]) == {
            room.sku: 5,
            room.rival_sku: 0,
        }
    # The receipts announced 3 then 8; reservations that leave units announce nothing (they
    # cannot change whether the SKU is in stock) ...
    assert [e["available"] for e in await events(db, "StockLevelChanged")] == [3, 8]
    async with db.transaction() as session:  # ... one that empties a level does
        emptied = await reserve_stock(
            session, sku_id=room.sku, quantity=2, reference="o-3", now=now,
            warehouse_id=room.warehouse,
        )  # fmt: skip
    assert emptied.available == 0
    assert [e["available"] for e in await events(db, "StockLevelChanged")] == [3, 8, 3]


async def test_reserve_skips_inactive_warehouses(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    now = clock.now()
    beijing = await _second_warehouse(db, room, clock)
    await _receive(db, room, clock, room.warehouse, 2)
    await _receive(db, room, clock, beijing, 9)
    await deactivate_warehouse(db, shop_id=room.shop, warehouse_id=beijing, now=now)
    async with db.reading() as session:
        assert await available_by_sku(session, [room.sku]) == {room.sku: 2}
    async with db.transaction() as session:
        level = await reserve_stock(session, sku_id=room.sku, quantity=2, reference="o", now=now)
    assert level.warehouse_id == room.warehouse
    await _refused(db, sku_id=room.sku, quantity=1)


async def _refused(db: Database, **arguments: Any) -> None:
    before, parts = await counts(db), await snapshot(db)
    with pytest.raises(InsufficientStock) as caught:
        async with db.transaction() as session:
            await reserve_stock(session, reference="o", now=_NOW, **arguments)
    assert caught.value.code == "insufficient_stock"
    assert await counts(db) == before
    assert await snapshot(db) == parts


async def test_reservations_beyond_stock_change_nothing(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    beijing = await _second_warehouse(db, room, clock)
    await _receive(db, room, clock, room.warehouse, 3)
    await _receive(db, room, clock, beijing, 3)
    await _refused(db, sku_id=room.sku, quantity=4)  # 6 in all, but no single warehouse has 4
    await _refused(db, sku_id=room.sku, quantity=4, warehouse_id=room.warehouse)
    await _refused(db, sku_id=room.rival_sku, quantity=1)
    await _refused(db, sku_id=await insert_sku(db, clock.now(), shop_id=room.shop), quantity=1)


async def test_a_failure_later_in_the_callers_transaction_undoes_the_reservation(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    await _receive(db, room, clock, room.warehouse, 1)
    before, parts = await counts(db), await snapshot(db)
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await reserve_stock(session, sku_id=room.sku, quantity=1, reference="o", now=_NOW)
            raise RuntimeError("payment group failed")
    assert await counts(db) == before
    assert await snapshot(db) == parts


async def test_release_commit_and_ship(db: Database, room: Stockroom, clock: FixedClock) -> None:
    now = clock.now()
    await _receive(db, room, clock, room.warehouse, 10)
    where: dict[str, Any] = {"warehouse_id": room.warehouse, "sku_id": room.sku, "now": now}
    async with db.transaction() as session:
        await reserve_stock(session, sku_id=room.sku, quantity=6, reference="o-1", now=now)
        released = await release_reservation(session, quantity=2, reference="o-1", **where)
        committed = await commit_reservation(session, quantity=3, reference="o-1", **where)
        shipped = await ship_stock(session, quantity=2, reference="o-1", **where)
    assert (released.on_hand, released.available, released.reserved) == (10, 6, 4)
    assert (committed.available, committed.reserved, committed.committed) == (6, 1, 3)
    parts = (shipped.on_hand, shipped.available, shipped.reserved, shipped.committed)
    assert parts == (8, 6, 1, 1)
    assert (await recompute_stock_from_movements(db, stock_level_id=shipped.id)).balanced
    async with db.reading() as session:
        (view,) = await shop_stock(session, shop_id=room.shop)
    assert (view.on_hand, view.available, view.reserved, view.committed) == (8, 6, 1, 1)


@pytest.mark.parametrize("step", ["release", "commit", "ship"])
async def test_release_commit_ship_beyond_what_is_held_change_nothing(
    db: Database, room: Stockroom, clock: FixedClock, step: str
) -> None:
    now = clock.now()
    await _receive(db, room, clock, room.warehouse, 10)
    async with db.transaction() as session:
        await reserve_stock(session, sku_id=room.sku, quantity=2, reference="o", now=now)
        await commit_reservation(
            session, warehouse_id=room.warehouse, sku_id=room.sku, quantity=1,
            reference="o", now=now,
        )  # fmt: skip
    function = {"release": release_reservation, "commit": commit_reservation, "ship": ship_stock}
    before, parts = await counts(db), await snapshot(db)
    for warehouse, sku, quantity in (
        (room.warehouse, room.sku, 2),
        (room.rival_warehouse, room.sku, 1),
        (room.warehouse, room.rival_sku, 1),
    ):
        with pytest.raises(InsufficientStock):
            async with db.transaction() as session:
                await function[step](
                    session, warehouse_id=warehouse, sku_id=sku, quantity=quantity,
                    reference="o", now=now,
                )  # fmt: skip
    with pytest.raises(ValidationFailed):
        async with db.transaction() as session:
            await function[step](
                session, warehouse_id=room.warehouse, sku_id=room.sku, quantity=0,
                reference="o", now=now,
            )  # fmt: skip
    assert await counts(db) == before
    assert await snapshot(db) == parts


async def test_releasing_a_commitment_gives_paid_units_back(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    now = clock.now()
    await _receive(db, room, clock, room.warehouse, 5)
    where: dict[str, Any] = {"warehouse_id": room.warehouse, "sku_id": room.sku, "now": now}
    async with db.transaction() as session:
        await reserve_stock(session, sku_id=room.sku, quantity=3, reference="o", now=now)
        await commit_reservation(session, quantity=3, reference="o", **where)
        level = await release_commitment(session, quantity=2, reference="o", **where)
    assert (level.on_hand, level.available, level.reserved, level.committed) == (5, 4, 0, 1)
    assert (await recompute_stock_from_movements(db, stock_level_id=level.id)).balanced
    before, parts = await counts(db), await snapshot(db)
    with pytest.raises(InsufficientStock):
        async with db.transaction() as session:
            await release_commitment(session, quantity=2, reference="o", **where)
    assert await counts(db) == before
    assert await snapshot(db) == parts
