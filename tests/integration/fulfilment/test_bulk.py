"""Bulk shipping from a CSV on both databases: good, bad and duplicate rows; a bad row does
not stop the others; re-uploading the same file ships nothing twice; an unreadable file is
refused whole."""

from __future__ import annotations

import pytest

from galerie.db import Database
from galerie.fulfilment import Outcome, bulk_ship
from galerie.kernel import FixedClock, ValidationFailed
from tests.integration.fulfilment.factories import paid_order, snapshot
from tests.integration.orders.factories import Market, levels, order_status


async def test_bulk_csv_rows_and_reupload(db: Database, market: Market, clock: FixedClock) -> None:
    one = await paid_order(db, market, clock.now())
    two = await paid_order(db, market, clock.now(), units=(1,))
    foreign = await paid_order(db, market, clock.now(), shop=1, units=(1,))
    content = (
        "order_number,carrier,tracking_number,warehouse\n"
        f"{one.number},sf-express,SF0001,\n"
        f"{two.number},ems,??,\n"
        "99999999,ems,EMS0009,\n"
        f"{foreign.number},ems,EMS0010,\n"
        f"{two.number},ems,EMS0002,{one.warehouse_id}\n"
        f"{one.number},sf-express,SF0001,\n"
    ).encode()
    report = await bulk_ship(db, actor=one.seller, content=content, now=clock.now())
    assert [(r.row, r.outcome, r.code) for r in report.rows] == [
        (2, Outcome.SHIPPED, None),
        (3, Outcome.ERROR, "bad_tracking_number"),
        (4, Outcome.ERROR, "order_not_found"),
        (5, Outcome.ERROR, "order_not_found"),
        (6, Outcome.SHIPPED, None),
        (7, Outcome.ALREADY_SHIPPED, None),
    ]
    assert await order_status(db, one.order_id) == "shipped"
    assert await order_status(db, two.order_id) == "shipped"
    assert await order_status(db, foreign.order_id) == "paid"
    before = [await snapshot(db, o.order_id) for o in (one, two, foreign)]
    stock_before = await levels(db, one.sku_ids + two.sku_ids)
    again = await bulk_ship(db, actor=one.seller, content=content, now=clock.now())
    assert again.count(Outcome.SHIPPED) == 0
    assert again.count(Outcome.ALREADY_SHIPPED) == 3
    assert [await snapshot(db, o.order_id) for o in (one, two, foreign)] == before
    assert await levels(db, one.sku_ids + two.sku_ids) == stock_before


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe not utf-8", b"order,carrier\n1,ems\n", b"x" * 1_000_001],
)
async def test_unreadable_files_are_refused_whole(
    db: Database, market: Market, clock: FixedClock, content: bytes
) -> None:
    order = await paid_order(db, market, clock.now())
    with pytest.raises(ValidationFailed):
        await bulk_ship(db, actor=order.seller, content=content, now=clock.now())
    assert await order_status(db, order.order_id) == "paid"
