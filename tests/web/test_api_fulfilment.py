"""The fulfilment API through HTTP on both databases: a shop ships a paid order in two
parcels and reads them; the shopper reads tracking, extends once and confirms receipt.
Every id-bearing route is tried by another shopper (404), the rival organisation's owner
(404 on its own path, 403 on ours), a shopper on a seller route (403) and anonymously
(401), with nothing changed; bodies naming a status are refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from galerie.db import Database
from galerie.inventory import create_warehouse
from galerie.kernel import FixedClock
from galerie.orders import mark_group_paid, place_order
from galerie.orders.models import OrderLine
from tests.factories import make_token, make_user
from tests.integration.fulfilment.factories import snapshot
from tests.integration.inventory.factories import warehouse_form
from tests.integration.orders.factories import (
    ADDRESS,
    ShopSetup,
    insert_live_sku,
    levels,
    ship,
    stock,
)
from tests.integration.sellers.factories import insert_shop
from tests.web.test_api_sellers_support import SHOPPER_PERMISSIONS, Callers, callers

__all__ = ["callers"]  # the fixture, used by name


@dataclass(frozen=True)
class Paid:
    order_id: int
    line_id: int
    sku: int
    warehouse_id: int
    shop_base: str
    rival_base: str
    stranger: dict[str, str]


@pytest.fixture
async def paid(db: Database, clock: FixedClock, callers: Callers) -> Paid:
    now = clock.now()
    shop_id = await insert_shop(db, now, organisation_id=callers.org, status="live")
    rival_shop = await insert_shop(db, now, organisation_id=callers.rival_org, status="live")
    warehouse = await create_warehouse(db, shop_id=shop_id, form=warehouse_form(), now=now)
    shop = ShopSetup(shop_id, warehouse, callers.people["owner"].user_id)
    sku = await insert_live_sku(db, now, shop_id=shop_id)
    await stock(db, now, shop, sku, 5)
    async with db.transaction() as session:
        group = await place_order(
            session,
            buyer_id=callers.people["shopper"].user_id,
            lines=[(sku, 3)],
            shipping=ship(shop_id),
            address=ADDRESS,
            now=now,
        )
        await mark_group_paid(session, payment_group_id=group.id, now=now)
    async with db.reading() as session:
        line_id = await session.scalar(
            select(OrderLine.id).where(OrderLine.order_id == group.orders[0].id)
        )
    assert line_id is not None
    other = await make_user(db, now=now)
    token = await make_token(
        db, user_id=other.user_id, now=now, permissions=SHOPPER_PERMISSIONS, audience="shopper"
    )
    return Paid(
        group.orders[0].id,
        line_id,
        sku,
        warehouse,
        f"/api/v1/organisations/{callers.org}/shops/{shop_id}",
        f"/api/v1/organisations/{callers.rival_org}/shops/{rival_shop}",
        {"Authorization": f"Bearer {token}"},
    )


async def test_ship_track_extend_and_confirm(
    client: httpx.AsyncClient, db: Database, callers: Callers, paid: Paid
) -> None:
    parcels = f"{paid.shop_base}/orders/{paid.order_id}/parcels"
    first = await client.post(
        parcels,
        json={"carrier": "ems", "tracking_number": "EMS100", "lines": [
            {"order_line_id": paid.line_id, "quantity": 1}]},
        headers=callers["staff"],
    )  # fmt: skip
    assert first.status_code == 201, first.text
    assert first.json()["order_status"] == "partly_shipped"
    over = await client.post(
        parcels,
        json={"carrier": "ems", "tracking_number": "EMS101", "lines": [
            {"order_line_id": paid.line_id, "quantity": 3}]},
        headers=callers["owner"],
    )  # fmt: skip
    assert (over.status_code, over.json()["code"]) == (409, "over_shipment")
    rest = await client.post(parcels, json={"carrier": "galerie-post"}, headers=callers["owner"])
    assert rest.status_code == 201, rest.text
    assert rest.json()["order_status"] == "shipped"
    assert await levels(db, [paid.sku]) == {paid.sku: (2, 2, 0, 0)}
    read = await client.get(parcels, headers=callers["owner"])
    assert [p["units"] if "units" in p else sum(li["quantity"] for li in p["lines"])
            for p in read.json()["parcels"]] == [1, 2]  # fmt: skip
    me = f"/api/v1/me/orders/{paid.order_id}"
    mine = await client.get(f"{me}/parcels", headers=callers["shopper"])
    assert mine.json()["receipt"]["extended_at"] is None
    extended = await client.post(f"{me}/extend-confirmation", headers=callers["shopper"])
    assert extended.status_code == 200, extended.text
    assert extended.json()["receipt"]["extended_at"] is not None
    again = await client.post(f"{me}/extend-confirmation", headers=callers["shopper"])
    assert (again.status_code, again.json()["code"]) == (409, "extension_refused")
    confirmed = await client.post(f"{me}/confirm-receipt", headers=callers["shopper"])
    assert (confirmed.status_code, confirmed.json()["order_status"]) == (200, "completed")


async def test_strangers_get_nothing_and_change_nothing(
    client: httpx.AsyncClient, db: Database, callers: Callers, paid: Paid
) -> None:
    before, stock_before = await snapshot(db, paid.order_id), await levels(db, [paid.sku])
    me, oid = f"/api/v1/me/orders/{paid.order_id}", paid.order_id
    body: dict[str, Any] = {"carrier": "ems", "tracking_number": "EMS900"}
    ours, rival = (
        f"{paid.shop_base}/orders/{oid}/parcels",
        f"{paid.rival_base}/orders/{oid}/parcels",
    )
    refusals: list[tuple[str, str, dict[str, str], dict[str, Any] | None, int]] = [
        ("GET", f"{me}/parcels", paid.stranger, None, 404),
        ("POST", f"{me}/confirm-receipt", paid.stranger, None, 404),
        ("POST", f"{me}/extend-confirmation", paid.stranger, None, 404),
        ("GET", f"{me}/parcels", callers["rival"], None, 403),
        ("POST", f"{me}/confirm-receipt", {}, None, 401),
        ("GET", rival, callers["rival"], None, 404),
        ("POST", rival, callers["rival"], body, 404),
        ("GET", ours, callers["rival"], None, 403),
        ("POST", ours, callers["rival"], body, 403),
        ("POST", ours, callers["shopper"], body, 403),
        ("POST", ours, {}, body, 401),
        ("POST", ours, callers["owner"], {**body, "status": "shipped"}, 400),
        ("POST", ours, callers["owner"], {**body, "warehouse_id": paid.warehouse_id + 999}, 422),
        ("POST", f"{me}/confirm-receipt", callers["shopper"], None, 409),
    ]
    for method, path, headers, json, status in refusals:
        answer = await client.request(method, path, headers=headers, json=json)
        assert answer.status_code == status, (method, path, answer.text)
    assert await snapshot(db, paid.order_id) == before
    assert await levels(db, [paid.sku]) == stock_before


async def test_the_openapi_schema_lists_the_fulfilment_routes(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/api/openapi.json")).json()["paths"]
    seller = "/api/v1/organisations/{organisation_id}/shops/{shop_id}/orders/{order_id}/parcels"
    assert set(paths[seller]) == {"get", "post"}
    assert set(paths["/api/v1/me/orders/{order_id}/parcels"]) == {"get"}
    assert set(paths["/api/v1/me/orders/{order_id}/confirm-receipt"]) == {"post"}
    assert set(paths["/api/v1/me/orders/{order_id}/extend-confirmation"]) == {"post"}
