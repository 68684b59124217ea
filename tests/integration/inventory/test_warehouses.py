"""Warehouses per shop: create, edit, deactivate; the code is unique per shop (a
constraint, so a duplicate is a Conflict); another shop's warehouse is NotFound."""

from __future__ import annotations

from datetime import timedelta

import pytest

from galerie.db import Database
from galerie.inventory import (
    create_warehouse,
    deactivate_warehouse,
    reactivate_warehouse,
    receive_stock,
    shop_warehouse,
    shop_warehouses,
    update_warehouse,
)
from galerie.kernel import Conflict, FixedClock, NotFound, ValidationFailed
from tests.integration.inventory.factories import Stockroom, counts, events, warehouse_form


async def test_create_edit_and_list(db: Database, room: Stockroom, clock: FixedClock) -> None:
    now = clock.now()
    created = await create_warehouse(
        db, shop_id=room.shop, form=warehouse_form(" LY1 ", city="Lyon", country="fr"), now=now
    )
    clock.advance(timedelta(hours=1))
    await update_warehouse(
        db, shop_id=room.shop, warehouse_id=created,
        form=warehouse_form("LY2", name="Lyon Gerland", city="Lyon", country="FR"),
        now=clock.now(),
    )  # fmt: skip
    async with db.reading() as session:
        listed = await shop_warehouses(session, shop_id=room.shop)
        one = await shop_warehouse(session, shop_id=room.shop, warehouse_id=created)
    assert [(w.code, w.city, w.country) for w in listed] == [
        ("LY2", "Lyon", "FR"),
        ("SH1", "Shanghai", "CN"),
    ]
    assert (one.name, one.is_active, one.shop_id) == ("Lyon Gerland", True, room.shop)


async def test_a_code_is_unique_per_shop_not_across_shops(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    now = clock.now()
    before = await counts(db)
    with pytest.raises(Conflict) as caught:
        await create_warehouse(db, shop_id=room.shop, form=warehouse_form("SH1"), now=now)
    assert caught.value.code == "warehouse_code_taken"
    assert await counts(db) == before
    other = await create_warehouse(db, shop_id=room.shop, form=warehouse_form("SH2"), now=now)
    with pytest.raises(Conflict) as caught:
        await update_warehouse(
            db, shop_id=room.shop, warehouse_id=other, form=warehouse_form("SH1"), now=now
        )
    assert caught.value.code == "warehouse_code_taken"
    async with db.reading() as session:
        assert (await shop_warehouse(session, shop_id=room.shop, warehouse_id=other)).code == "SH2"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"code": "a b"}, "bad_code"),
        ({"code": ""}, "bad_code"),
        ({"country": "FRA"}, "bad_country"),
        ({"name": " "}, "bad_name"),
        ({"city": "x" * 101}, "bad_city"),
        ({"address_line": "1\x00 rue"}, "bad_address_line"),
    ],
)
async def test_bad_forms_change_nothing(
    db: Database, room: Stockroom, clock: FixedClock, changes: dict[str, str], code: str
) -> None:
    before = await counts(db)
    with pytest.raises(ValidationFailed) as caught:
        await create_warehouse(
            db,
            shop_id=room.shop,
            form=warehouse_form(**{"code": "NEW", **changes}),
            now=clock.now(),
        )
    assert caught.value.code == code
    assert await counts(db) == before


async def test_another_shops_warehouse_is_not_found(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    now = clock.now()
    before = await counts(db)
    with pytest.raises(NotFound):
        await update_warehouse(
            db, shop_id=room.shop, warehouse_id=room.rival_warehouse,
            form=warehouse_form("X"), now=now,
        )  # fmt: skip
    with pytest.raises(NotFound):
        await deactivate_warehouse(
            db, shop_id=room.shop, warehouse_id=room.rival_warehouse, now=now
        )
    async with db.reading() as session:
        with pytest.raises(NotFound):
            await shop_warehouse(session, shop_id=room.shop, warehouse_id=room.rival_warehouse)
        rival = await shop_warehouse(
            session, shop_id=room.rival_shop, warehouse_id=room.rival_warehouse
        )
    assert (rival.code, rival.is_active) == ("SH1", True)
    assert await counts(db) == before


async def test_deactivate_and_reactivate_announce_the_skus(
    db: Database, room: Stockroom, clock: FixedClock
) -> None:
    now = clock.now()
    await receive_stock(
        db, shop_id=room.shop, warehouse_id=room.warehouse, sku_id=room.sku, quantity=4, now=now
    )
    await deactivate_warehouse(db, shop_id=room.shop, warehouse_id=room.warehouse, now=now)
    with pytest.raises(Conflict) as caught:
        await deactivate_warehouse(db, shop_id=room.shop, warehouse_id=room.warehouse, now=now)
    assert caught.value.code == "warehouse_already_inactive"
    await reactivate_warehouse(db, shop_id=room.shop, warehouse_id=room.warehouse, now=now)
    assert [e["available"] for e in await events(db, "StockLevelChanged")] == [4, 0, 4]
