"""The seller centre's warehouses and stock in pages: add and edit a warehouse, deactivate
it, receive, adjust (with a reason) and set a threshold, see the low-stock mark and a SKU's
movements; bad input is shown on the form and changes nothing; another organisation's
shop, warehouse or SKU is a 404; an agency member (no inventory permission) gets 403."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from galerie.db import Database
from galerie.identity import SellerRole
from galerie.kernel import FixedClock
from tests.factories import make_user
from tests.integration.inventory.factories import counts, insert_sku, snapshot
from tests.integration.sellers.factories import insert_shop, load_categories
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import post_form

WAREHOUSE = {
    "code": "SH1",
    "name": "Shanghai Pudong",
    "country": "cn",
    "city": "Shanghai",
    "address_line": "88 Century Avenue",
    "postal_code": "200120",
    "region": "",
}


@dataclass(frozen=True)
class Setting:
    org: int
    shop: int
    sku: int
    rival_shop: int
    rival_sku: int


@pytest.fixture
async def setting(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path
) -> Setting:
    now = clock.now()
    await load_categories(db, now, tmp_path)
    owner = await make_user(db, now=now, seller_role=SellerRole.OWNER)
    rival = await make_user(db, now=now, seller_role=SellerRole.OWNER)
    assert owner.organisation_id is not None
    assert rival.organisation_id is not None
    shop = await insert_shop(db, now, organisation_id=owner.organisation_id)
    rival_shop = await insert_shop(db, now, organisation_id=rival.organisation_id)
    await sign_in_as(client, app, owner.user_id)
    return Setting(
        owner.organisation_id, shop, await insert_sku(db, now, shop_id=shop),
        rival_shop, await insert_sku(db, now, shop_id=rival_shop),
    )  # fmt: skip


async def _warehouse(client: httpx.AsyncClient, shop: int, **changes: str) -> int:
    response = await post_form(client, f"/seller/shops/{shop}/warehouses", {**WAREHOUSE, **changes})
    assert response.status_code == 303
    page = await client.get(f"/seller/shops/{shop}/warehouses")
    marker = f'href="/seller/shops/{shop}/warehouses/'
    code = changes.get("code", "SH1")
    for line in page.text.splitlines():
        if marker in line and f">{code}<" in line:
            return int(line.split(marker)[1].split('"')[0])
    raise AssertionError("warehouse not listed")


async def test_warehouses_are_added_edited_and_deactivated(
    client: httpx.AsyncClient, setting: Setting
) -> None:
    shop = setting.shop
    warehouse = await _warehouse(client, shop)
    listed = await client.get(f"/seller/shops/{shop}/warehouses")
    assert "Shanghai Pudong" in listed.text
    assert "88 Century Avenue, 200120 Shanghai, CN" in listed.text
    edited = await post_form(
        client, f"/seller/shops/{shop}/warehouses/{warehouse}", {**WAREHOUSE, "name": "Pudong B"}
    )
    assert edited.status_code == 303
    off = await post_form(
        client, f"/seller/shops/{shop}/warehouses/{warehouse}/active", {"active": "0"}
    )
    assert off.status_code == 303
    page = await client.get(f"/seller/shops/{shop}/warehouses/{warehouse}")
    assert "Pudong B" in page.text
    assert '<dd id="warehouse-status">Inactive</dd>' in page.text
    again = await post_form(
        client, f"/seller/shops/{shop}/warehouses/{warehouse}/active", {"active": "0"}
    )
    assert again.status_code == 409
    assert "This warehouse is already inactive." in again.text


async def test_bad_or_duplicate_warehouses_are_shown_on_the_form(
    client: httpx.AsyncClient, db: Database, setting: Setting
) -> None:
    await _warehouse(client, setting.shop)
    before = await counts(db)
    bad = await post_form(
        client,
        f"/seller/shops/{setting.shop}/warehouses",
        {**WAREHOUSE, "code": "a b", "country": "FRA"},
    )
    assert bad.status_code == 422
    duplicate = await post_form(client, f"/seller/shops/{setting.shop}/warehouses", WAREHOUSE)
    assert duplicate.status_code == 409
    assert "This shop already has a warehouse with this code." in duplicate.text
    assert await counts(db) == before


async def test_stock_is_received_adjusted_and_marked_low(
    client: httpx.AsyncClient, db: Database, setting: Setting
) -> None:
    shop, sku = setting.shop, setting.sku
    warehouse = await _warehouse(client, shop)
    level = {"warehouse_id": str(warehouse), "sku_id": str(sku)}
    base = f"/seller/shops/{shop}/stock"
    received = await post_form(
        client, f"{base}/receipts", {**level, "quantity": "10", "reference": "PO-1"}
    )
    adjusted = await post_form(
        client, f"{base}/adjustments", {**level, "delta": "-3", "reason": "damaged"}
    )
    threshold = await post_form(client, f"{base}/threshold", {**level, "threshold": "7"})
    assert [r.status_code for r in (received, adjusted, threshold)] == [303, 303, 303]
    page = await client.get(base)
    assert 'id="low-stock"' in page.text
    assert "1 stock level is at or below its low-stock threshold." in page.text
    assert "Low stock" in page.text
    assert "SKU-" in page.text
    history = await client.get(f"/seller/shops/{shop}/skus/{sku}/movements")
    assert history.status_code == 200
    assert "7 on hand, 7 available, 0 reserved, 0 committed" in history.text
    assert "damaged" in history.text
    assert "PO-1" in history.text
    assert history.text.index("Adjustment") < history.text.index("Receipt")
    before, parts = await counts(db), await snapshot(db)
    for path, body, status, message in (
        ("adjustments", {"delta": "-8", "reason": "lost"}, 409, "Not enough available stock"),
        ("adjustments", {"delta": "-1", "reason": ""}, 422, "This field is required."),
        ("adjustments", {"delta": "1", "counted": "3", "reason": "x"}, 422, "not both"),
        ("receipts", {"quantity": "0"}, 422, "Enter a whole number above zero."),
        ("receipts", {"quantity": "10000001"}, 422, "At most 10,000,000 units at a time."),
        ("receipts", {"quantity": "1.5"}, 422, "Enter a whole number."),
        ("threshold", {"threshold": "-1"}, 422, "Enter a number from 0 to 1,000,000"),
    ):
        response = await post_form(client, f"{base}/{path}", {**level, **body})
        assert (path, response.status_code) == (path, status)
        assert message in response.text
    assert await counts(db) == before
    assert await snapshot(db) == parts


async def test_another_organisations_shop_warehouse_or_sku_is_not_found(
    client: httpx.AsyncClient, db: Database, setting: Setting
) -> None:
    warehouse = await _warehouse(client, setting.shop)
    before, parts = await counts(db), await snapshot(db)
    rival = setting.rival_shop
    for path in (
        f"/seller/shops/{rival}/warehouses",
        f"/seller/shops/{rival}/stock",
        f"/seller/shops/{rival}/skus/{setting.rival_sku}/movements",
        f"/seller/shops/{setting.shop}/skus/{setting.rival_sku}/movements",
        f"/seller/shops/{rival}/warehouses/{warehouse}",
    ):
        assert (path, (await client.get(path)).status_code) == (path, 404)
    level = {"warehouse_id": str(warehouse), "sku_id": str(setting.sku)}
    for path, body in (
        (f"/seller/shops/{rival}/warehouses", WAREHOUSE),
        (f"/seller/shops/{rival}/warehouses/{warehouse}", WAREHOUSE),
        (f"/seller/shops/{rival}/warehouses/{warehouse}/active", {"active": "0"}),
        (f"/seller/shops/{rival}/stock/receipts", {**level, "quantity": "1"}),
        (f"/seller/shops/{setting.shop}/stock/receipts", {**level, "sku_id": str(setting.rival_sku), "quantity": "1"}),
        (f"/seller/shops/{setting.shop}/stock/adjustments", {**level, "sku_id": str(setting.rival_sku), "delta": "1", "reason": "x"}),
    ):  # fmt: skip
        assert (path, (await post_form(client, path, body)).status_code) == (path, 404)
    assert await counts(db) == before
    assert await snapshot(db) == parts


async def test_an_agency_member_may_not_see_stock(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, setting: Setting
) -> None:
    agency = await make_user(
        db, now=clock.now(), seller_role=SellerRole.AGENCY, organisation_id=setting.org
    )
    client.cookies.clear()
    await sign_in_as(client, app, agency.user_id)
    response = await client.get(f"/seller/shops/{setting.shop}/stock")
    assert response.status_code == 403


async def test_the_stock_pages_speak_chinese_and_french(
    client: httpx.AsyncClient, setting: Setting
) -> None:
    await post_form(client, "/language", {"language": "zh-CN", "next": "/"})
    page = await client.get(f"/seller/shops/{setting.shop}/stock")
    assert "暂无库存记录。" in page.text
    assert "No stock recorded yet." not in page.text
    await post_form(client, "/language", {"language": "fr", "next": "/"})
    page = await client.get(f"/seller/shops/{setting.shop}/warehouses")
    assert "Ajouter un entrepôt" in page.text
