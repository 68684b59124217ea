"""The seller inventory API: warehouses, stock, receipts, adjustments, thresholds and
movements for the owner; every id-bearing route tried by another organisation's owner (404
on its own path, 403 on ours), a shopper (403) and an anonymous caller (401), with nothing
changed; a warehouse or SKU of another shop is refused on every route that takes one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from galerie.db import Database
from galerie.inventory.models import Warehouse
from galerie.kernel import FixedClock
from tests.integration.inventory.factories import counts, insert_sku, snapshot
from tests.integration.sellers.factories import insert_shop
from tests.web.test_api_sellers_support import Callers, callers

__all__ = ["callers"]  # the fixture, used by name

WAREHOUSE = {
    "code": "SH1",
    "name": "Shanghai Pudong",
    "country": "cn",
    "city": "Shanghai",
    "address_line": "88 Century Avenue",
    "postal_code": "200120",
}


@dataclass(frozen=True)
class Shops:
    base: str  # our shop, on our organisation's path
    shop: int
    warehouse: int
    sku: int
    rival_base: str  # the rival's own shop, on its own path
    rival_shop: int
    rival_warehouse: int
    rival_sku: int


@pytest.fixture
async def shops(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> Shops:
    now = clock.now()
    shop = await insert_shop(db, now, organisation_id=callers.org)
    rival_shop = await insert_shop(db, now, organisation_id=callers.rival_org)
    base = f"/api/v1/organisations/{callers.org}/shops/{shop}"
    rival_base = f"/api/v1/organisations/{callers.rival_org}/shops/{rival_shop}"
    ours = await client.post(f"{base}/warehouses", json=WAREHOUSE, headers=callers["owner"])
    theirs = await client.post(f"{rival_base}/warehouses", json=WAREHOUSE, headers=callers["rival"])
    assert (ours.status_code, theirs.status_code) == (201, 201)
    return Shops(
        base, shop, ours.json()["id"], await insert_sku(db, now, shop_id=shop),
        rival_base, rival_shop, theirs.json()["id"], await insert_sku(db, now, shop_id=rival_shop),
    )  # fmt: skip


async def state(db: Database) -> dict[str, object]:
    async with db.reading() as session:
        warehouses = await session.execute(
            select(Warehouse.id, Warehouse.code, Warehouse.name, Warehouse.is_active).order_by(
                Warehouse.id
            )
        )
        rows = [tuple(r) for r in warehouses]
    return {**await counts(db), "warehouse_rows": rows, "levels": await snapshot(db)}


async def test_the_owner_manages_warehouses_and_stock(
    client: httpx.AsyncClient, db: Database, callers: Callers, shops: Shops
) -> None:
    owner, base, wh, sku = callers["owner"], shops.base, shops.warehouse, shops.sku
    listed = await client.get(f"{base}/warehouses", headers=owner)
    assert [(w["code"], w["country"], w["is_active"]) for w in listed.json()] == [
        ("SH1", "CN", True)
    ]
    edited = await client.put(
        f"{base}/warehouses/{wh}", json={**WAREHOUSE, "name": "Pudong 2"}, headers=owner
    )
    assert (edited.status_code, edited.json()["name"]) == (200, "Pudong 2")
    received = await client.post(
        f"{base}/stock/receipts",
        json={"warehouse_id": wh, "sku_id": sku, "quantity": 12, "reference": "PO-7"},
        headers=owner,
    )
    assert received.status_code == 201
    assert {k: received.json()[k] for k in ("on_hand", "available", "reserved")} == {
        "on_hand": 12, "available": 12, "reserved": 0,
    }  # fmt: skip
    adjusted = await client.post(
        f"{base}/stock/adjustments",
        json={"warehouse_id": wh, "sku_id": sku, "delta": -2, "reason": "broken"},
        headers=owner,
    )
    counted = await client.post(
        f"{base}/stock/adjustments",
        json={"warehouse_id": wh, "sku_id": sku, "counted": 4, "reason": "count"},
        headers=owner,
    )
    assert (adjusted.json()["on_hand"], counted.json()["on_hand"]) == (10, 4)
    threshold = await client.put(
        f"{base}/stock/threshold",
        json={"warehouse_id": wh, "sku_id": sku, "threshold": 5},
        headers=owner,
    )
    assert (threshold.status_code, threshold.json()["is_low"]) == (200, True)
    low = await client.get(f"{base}/stock", params={"low": "true"}, headers=owner)
    assert [(s["sku_id"], s["available"], s["warehouse_code"]) for s in low.json()] == [
        (sku, 4, "SH1")
    ]
    moves = await client.get(f"{base}/skus/{sku}/movements", headers=owner)
    assert [(m["kind"], m["delta_on_hand"], m["reason"]) for m in moves.json()] == [
        ("adjustment", -6, "count"),
        ("adjustment", -2, "broken"),
        ("receipt", 12, None),
    ]
    assert moves.json()[2]["actor_user_id"] == callers.people["owner"].user_id
    assert (await counts(db))["audit_adjustments"] == 2  # one audit record per adjustment
    off = await client.post(f"{base}/warehouses/{wh}/deactivate", headers=owner)
    on = await client.post(f"{base}/warehouses/{wh}/reactivate", headers=owner)
    assert (off.json()["is_active"], on.json()["is_active"]) == (False, True)


async def test_staff_edit_stock_and_agencies_may_not(
    client: httpx.AsyncClient, callers: Callers, shops: Shops
) -> None:
    body = {"warehouse_id": shops.warehouse, "sku_id": shops.sku, "quantity": 1}
    staff = await client.post(f"{shops.base}/stock/receipts", json=body, headers=callers["staff"])
    agency = await client.post(f"{shops.base}/stock/receipts", json=body, headers=callers["agency"])
    assert (staff.status_code, agency.status_code) == (201, 403)


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/stock/receipts", {"quantity": 0}, 400, None),
        ("/stock/receipts", {"quantity": -1}, 400, None),
        ("/stock/receipts", {"quantity": 10_000_001}, 400, None),
        ("/stock/receipts", {"quantity": 1.5}, 400, None),
        ("/stock/receipts", {"quantity": 1, "available": 99}, 400, None),
        ("/stock/adjustments", {"delta": -1, "reason": "lost"}, 409, "stock_would_go_negative"),
        ("/stock/adjustments", {"delta": 10_000_001, "reason": "x"}, 400, None),
        ("/stock/adjustments", {"delta": 1, "counted": 1, "reason": "x"}, 422, "bad_adjustment"),
        ("/stock/adjustments", {"delta": 1, "reason": " "}, 422, "reason_required"),
        ("/warehouses", WAREHOUSE, 409, "warehouse_code_taken"),
        ("/warehouses", {**WAREHOUSE, "code": "X", "shop_id": 9}, 400, None),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    client: httpx.AsyncClient,
    db: Database,
    callers: Callers,
    shops: Shops,
    path: str,
    body: dict[str, Any],
    status: int,
    code: str | None,
) -> None:
    if path.startswith("/stock"):
        body = {"warehouse_id": shops.warehouse, "sku_id": shops.sku, **body}
    before = await state(db)
    response = await client.post(shops.base + path, json=body, headers=callers["owner"])
    assert response.status_code == status
    if code is not None:
        assert response.json()["code"] == code
    assert await state(db) == before


def _routes(s: Shops) -> list[tuple[str, str, dict[str, Any] | None]]:
    """(method, path under a shop, JSON body) for every route, with our ids."""
    level = {"warehouse_id": s.warehouse, "sku_id": s.sku}
    return [
        ("GET", "/warehouses", None),
        ("POST", "/warehouses", {**WAREHOUSE, "code": "NEW"}),
        ("GET", f"/warehouses/{s.warehouse}", None),
        ("PUT", f"/warehouses/{s.warehouse}", {**WAREHOUSE, "name": "Taken"}),
        ("POST", f"/warehouses/{s.warehouse}/deactivate", None),
        ("POST", f"/warehouses/{s.warehouse}/reactivate", None),
        ("GET", "/stock", None),
        ("POST", "/stock/receipts", {**level, "quantity": 5}),
        ("POST", "/stock/adjustments", {**level, "delta": 5, "reason": "found"}),
        ("PUT", "/stock/threshold", {**level, "threshold": 3}),
        ("GET", f"/skus/{s.sku}/movements", None),
    ]


async def test_no_one_else_gets_a_2xx_or_changes_anything(
    client: httpx.AsyncClient, db: Database, callers: Callers, shops: Shops
) -> None:
    ours = shops.base
    # The rival's own organisation on the path, with our shop's id: 404.
    theirs_with_our_shop = f"/api/v1/organisations/{callers.rival_org}/shops/{shops.shop}"
    before = await state(db)
    expected, seen = [], []
    for method, path, body in _routes(shops):
        for role, url, status in (
            ("rival", theirs_with_our_shop + path, 404),
            ("rival", ours + path, 403),
            ("shopper", ours + path, 403),
            ("anonymous", ours + path, 401),
        ):
            response = await client.request(method, url, json=body, headers=callers[role])
            expected.append((role, method, url, status))
            seen.append((role, method, url, response.status_code))
            assert response.headers["content-type"].startswith("application/problem+json")
    assert seen == expected
    assert await state(db) == before


async def test_a_warehouse_or_sku_of_another_shop_is_refused(
    client: httpx.AsyncClient, db: Database, callers: Callers, shops: Shops
) -> None:
    """The rival, on its own shop's path, naming our warehouse or SKU: 404, nothing changed."""
    rival_routes = _routes(
        Shops(
            shops.rival_base,
            shops.rival_shop,
            shops.warehouse,
            shops.sku,
            shops.base,
            shops.shop,
            shops.rival_warehouse,
            shops.rival_sku,
        )
    )
    mixed = [
        ("POST", "/stock/receipts", {"warehouse_id": shops.rival_warehouse, "sku_id": shops.sku, "quantity": 1}),
        ("POST", "/stock/receipts", {"warehouse_id": shops.warehouse, "sku_id": shops.rival_sku, "quantity": 1}),
    ]  # fmt: skip
    before = await state(db)
    refused = []
    for method, path, body in rival_routes + mixed:
        if path in ("/warehouses", "/stock"):
            continue  # no foreign id in these
        response = await client.request(
            method, shops.rival_base + path, json=body, headers=callers["rival"]
        )
        refused.append((method, path, response.status_code))
    assert refused == [(m, p, 404) for m, p, _ in refused]
    assert len(refused) == 10
    listing = await client.get(f"{shops.rival_base}/stock", headers=callers["rival"])
    assert listing.json() == []
    assert await state(db) == before


async def test_openapi_lists_the_inventory_routes(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/api/openapi.json")).json()["paths"]
    shop = "/api/v1/organisations/{organisation_id}/shops/{shop_id}"
    expected = {
        f"{shop}/warehouses": {"get", "post"},
        f"{shop}/warehouses/{{warehouse_id}}": {"get", "put"},
        f"{shop}/warehouses/{{warehouse_id}}/deactivate": {"post"},
        f"{shop}/warehouses/{{warehouse_id}}/reactivate": {"post"},
        f"{shop}/stock": {"get"},
        f"{shop}/stock/receipts": {"post"},
        f"{shop}/stock/adjustments": {"post"},
        f"{shop}/stock/threshold": {"put"},
        f"{shop}/skus/{{sku_id}}/movements": {"get"},
    }
    assert {p: set(paths[p]) for p in expected if p in paths} == expected
