"""Receipts, adjustments, thresholds and the check against movements, on both databases.
Every refusal is shown to change nothing: the same rows, the same parts, no new events."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from galerie.audit import AuditRecord
from galerie.db import Database
from galerie.inventory import (
    StockWouldGoNegative,
    adjust_stock,
    deactivate_warehouse,
    receive_stock,
    recompute_stock_from_movements,
    reserve_stock,
    set_low_stock_threshold,
    shop_stock,
    sku_movements,
)
from galerie.kernel import Conflict, DomainError, FixedClock, NotFound, ValidationFailed
from tests.integration.inventory.factories import Stockroom, counts, events, snapshot


async def _unchanged(db: Database, call: Any, error: type[DomainError], code: str) -> None:
    before, parts = await counts(db), await snapshot(db)
    with pytest.raises(error) as caught:
        await call
    assert caught.value.code == code
    assert await counts(db) == before
    assert await snapshot(db) == parts


async def test_a_receipt_creates_the_level_and_adds_up(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    now = clock.now()
    before = await counts(db)
    first = await receive_stock(
        db, shop_id=room.shop, warehouse_id=room.warehouse, sku_id=room.sku, quantity=7,
        reference="PO-1", actor_user_id=room.owner_user, now=now,
    )  # fmt: skip
    second = await receive_stock(
        db, shop_id=room.shop, warehouse_id=room.warehouse, sku_id=room.sku, quantity=5, now=now
    )
    assert (first.on_hand, first.available, first.reserved, first.committed) == (7, 7, 0, 0)
    assert (second.id, second.on_hand, second.available) == (first.id, 12, 12)
    after = await counts(db)
    assert after["levels"] - before["levels"] == 1
    assert after["movements"] - before["movements"] == 2
    assert [e["available"] for e in await events(db, "StockLevelChanged")] == [7, 12]
    async with db.reading() as session:
        moves = await sku_movements(session, shop_id=room.shop, sku_id=room.sku)
    assert [(m.kind, m.delta_on_hand, m.delta_available, m.reference) for m in moves] == [
        ("receipt", 5, 5, None),
        ("receipt", 7, 7, "PO-1"),
    ]
    assert moves[1].actor_user_id == room.owner_user
    check = await recompute_stock_from_movements(db, stock_level_id=first.id)
    assert check.balanced


@pytest.mark.parametrize(
    ("quantity", "code"),
    [(0, "bad_quantity"), (-3, "bad_quantity"), (10_000_001, "quantity_too_large")],
)
async def test_bad_receipt_quantities_change_nothing(
    db: Database, room: Stockroom, clock: FixedClock, quantity: int, code: str
) -> None:
    call = receive_stock(
        db, shop_id=room.shop, warehouse_id=room.warehouse, sku_id=room.sku,
        quantity=quantity, now=clock.now(),
    )  # fmt: skip
    await _unchanged(db, call, ValidationFailed, code)


async def test_another_shops_sku_or_warehouse_is_not_found(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    now = clock.now()
    for warehouse, sku, code in (
        (room.rival_warehouse, room.sku, "warehouse_not_found"),
        (room.warehouse, room.rival_sku, "sku_not_found"),
        (room.rival_warehouse, room.rival_sku, "warehouse_not_found"),
    ):
        receipt = receive_stock(
            db, shop_id=room.shop, warehouse_id=warehouse, sku_id=sku, quantity=1, now=now
        )
        await _unchanged(db, receipt, NotFound, code)
        adjustment = adjust_stock(
            db, shop_id=room.shop, warehouse_id=warehouse, sku_id=sku, delta=1,
            reason="found", now=now,
        )  # fmt: skip
        await _unchanged(db, adjustment, NotFound, code)
        threshold = set_low_stock_threshold(
            db, shop_id=room.shop, warehouse_id=warehouse, sku_id=sku, threshold=1, now=now
        )
        await _unchanged(db, threshold, NotFound, code)


async def test_an_inactive_warehouse_takes_no_receipts(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    now = clock.now()
    await deactivate_warehouse(db, shop_id=room.shop, warehouse_id=room.warehouse, now=now)
    call = receive_stock(
        db, shop_id=room.shop, warehouse_id=room.warehouse, sku_id=room.sku, quantity=1, now=now
    )
    await _unchanged(db, call, Conflict, "warehouse_inactive")


async def _stock(db: Database, room: Stockroom, clock: FixedClock, quantity: int) -> None:
    await receive_stock(
        db, shop_id=room.shop, warehouse_id=room.warehouse, sku_id=room.sku,
        quantity=quantity, now=clock.now(),
    )  # fmt: skip


async def test_adjustments_by_delta_and_by_count(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    now = clock.now()
    await _stock(db, room, clock, 10)
    down = await adjust_stock(
        db, shop_id=room.shop, warehouse_id=room.warehouse, sku_id=room.sku, delta=-4,
        reason="water damage", actor_user_id=room.owner_user, now=now,
    )  # fmt: skip
    assert (down.on_hand, down.available) == (6, 6)
    async with db.transaction() as session:
        await reserve_stock(session, sku_id=room.sku, quantity=2, reference="o-1", now=now)
    counted = await adjust_stock(
        db, shop_id=room.shop, warehouse_id=room.warehouse, sku_id=room.sku, counted=9,
        reason="stock count", now=now,
    )  # fmt: skip
    assert (counted.on_hand, counted.available, counted.reserved) == (9, 7, 2)
    async with db.reading() as session:
        moves = await sku_movements(session, shop_id=room.shop, sku_id=room.sku)
    assert [(m.kind, m.delta_on_hand, m.reason) for m in moves] == [
        ("adjustment", 3, "stock count"),
        ("reservation", 0, None),
        ("adjustment", -4, "water damage"),
        ("receipt", 10, None),
    ]
    assert (await recompute_stock_from_movements(db, stock_level_id=down.id)).balanced
    async with db.reading() as session:
        audited = await session.execute(
            select(AuditRecord.actor_user_id, AuditRecord.target_id, AuditRecord.reason)
            .where(AuditRecord.action == "inventory.stock.adjust")
            .order_by(AuditRecord.id)
        )
        assert [tuple(row) for row in audited] == [
            (room.owner_user, str(down.id), "water damage"),
            (None, str(down.id), "stock count"),
        ]


async def test_adjustments_that_would_go_negative_or_are_absurd_change_nothing(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    now = clock.now()
    await _stock(db, room, clock, 5)
    async with db.transaction() as session:
        await reserve_stock(session, sku_id=room.sku, quantity=3, reference="o-1", now=now)
    base: dict[str, Any] = {
        "shop_id": room.shop,
        "warehouse_id": room.warehouse,
        "sku_id": room.sku,
        "now": now,
    }
    cases: list[tuple[dict[str, Any], type[DomainError], str]] = [
        ({"delta": -3, "reason": "lost"}, StockWouldGoNegative, "stock_would_go_negative"),
        ({"counted": 2, "reason": "count"}, StockWouldGoNegative, "stock_would_go_negative"),
        ({"delta": -10_000_001, "reason": "x"}, ValidationFailed, "quantity_too_large"),
        ({"delta": 10_000_001, "reason": "x"}, ValidationFailed, "quantity_too_large"),
        ({"counted": 10_000_001, "reason": "x"}, ValidationFailed, "quantity_too_large"),
        ({"counted": -1, "reason": "x"}, ValidationFailed, "bad_quantity"),
        ({"delta": 0, "reason": "x"}, ValidationFailed, "bad_quantity"),
        ({"delta": 1, "counted": 1, "reason": "x"}, ValidationFailed, "bad_adjustment"),
        ({"reason": "x"}, ValidationFailed, "bad_adjustment"),
        ({"delta": 1, "reason": "  "}, ValidationFailed, "reason_required"),
        ({"counted": 5, "reason": "same"}, Conflict, "no_change"),
    ]
    for arguments, error, code in cases:
        await _unchanged(db, adjust_stock(db, **base, **arguments), error, code)


async def test_low_stock_is_announced_once_per_crossing(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    now = clock.now()
    await _stock(db, room, clock, 10)
    await set_low_stock_threshold(
        db, shop_id=room.shop, warehouse_id=room.warehouse, sku_id=room.sku, threshold=3, now=now
    )
    for quantity in (5, 2, 1):  # 10 -> 5 -> 3 (crosses) -> 2 (already low)
        async with db.transaction() as session:
            await reserve_stock(session, sku_id=room.sku, quantity=quantity, reference="o", now=now)
    assert await events(db, "StockLevelLow") == [
        {"shop_id": room.shop, "sku_id": room.sku, "warehouse_id": room.warehouse,
         "available": 3, "threshold": 3},
    ]  # fmt: skip
    await _stock(db, room, clock, 8)  # back up to 10
    async with db.transaction() as session:
        await reserve_stock(session, sku_id=room.sku, quantity=9, reference="o", now=now)
    assert [e["available"] for e in await events(db, "StockLevelLow")] == [3, 1]
    async with db.reading() as session:
        low = await shop_stock(session, shop_id=room.shop, low_only=True)
    assert [(s.sku_id, s.available, s.is_low) for s in low] == [(room.sku, 1, True)]


async def test_bad_thresholds_change_nothing(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    await _stock(db, room, clock, 1)
    for value in (-1, 1_000_001):
        call = set_low_stock_threshold(
            db, shop_id=room.shop, warehouse_id=room.warehouse, sku_id=room.sku,
            threshold=value, now=clock.now(),
        )  # fmt: skip
        await _unchanged(db, call, ValidationFailed, "bad_threshold")
