"""The orders API through HTTP on both databases: a shopper's groups, order and cancel;
a shop's orders, order and cancel for its seller team. Every id-bearing route is tried by
another shopper (404), the rival organisation's owner (404 on its own path, 403 on ours),
a shopper on a seller route (403) and anonymously (401), with nothing changed; bodies
naming anything but a reason are refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from galerie.audit import AuditRecord
from galerie.db import Database
from galerie.inventory import create_warehouse
from galerie.kernel import FixedClock
from galerie.orders import place_order
from tests.factories import make_token, make_user
from tests.integration.inventory.factories import warehouse_form
from tests.integration.orders.factories import (
    ADDRESS,
    ShopSetup,
    counts,
    insert_live_sku,
    levels,
    ship,
    stock,
)
from tests.integration.sellers.factories import insert_shop
from tests.web.test_api_sellers_support import SHOPPER_PERMISSIONS, Callers, callers

__all__ = ["callers"]  # the fixture, used by name


@dataclass(frozen=True)
class Placed:
    order_id: int
    sku: int
    shop_base: str  # our organisation's shop, on our path
    rival_base: str  # the rival's own shop, on its own path
    stranger: dict[str, str]  # another shopper's headers


@pytest.fixture
async def placed(db: Database, clock: FixedClock, callers: Callers) -> Placed:
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
            lines=[(sku, 2)],
            shipping=ship(shop_id),
            address=ADDRESS,
            now=now,
        )
    other = await make_user(db, now=now)
    token = await make_token(
        db, user_id=other.user_id, now=now, permissions=SHOPPER_PERMISSIONS, audience="shopper"
    )
    return Placed(
        group.orders[0].id,
        sku,
        f"/api/v1/organisations/{callers.org}/shops/{shop_id}",
        f"/api/v1/organisations/{callers.rival_org}/shops/{rival_shop}",
        {"Authorization": f"Bearer {token}"},
    )


async def test_a_shopper_reads_their_groups_and_orders(
    client: httpx.AsyncClient, callers: Callers, placed: Placed
) -> None:
    groups = await client.get("/api/v1/me/payment-groups", headers=callers["shopper"])
    assert groups.status_code == 200
    body = groups.json()
    assert body["page"]["total"] == 1
    (group,) = body["items"]
    assert group["amount_due"] == {"minor": 2 * 1000 + 500, "currency": "CNY"}
    assert [o["id"] for o in group["orders"]] == [placed.order_id]
    order = await client.get(f"/api/v1/me/orders/{placed.order_id}", headers=callers["shopper"])
    assert order.status_code == 200
    assert order.json()["lines"][0]["quantity"] == 2
    assert order.json()["address"] == ADDRESS
    empty = await client.get("/api/v1/me/payment-groups", headers=placed.stranger)
    assert empty.json()["page"]["total"] == 0


async def test_the_shops_team_reads_and_filters_its_orders(
    client: httpx.AsyncClient, callers: Callers, placed: Placed
) -> None:
    base = placed.shop_base
    for role in ("owner", "manager", "staff"):
        listed = await client.get(f"{base}/orders", headers=callers[role])
        assert listed.status_code == 200, role
        assert [o["id"] for o in listed.json()["items"]] == [placed.order_id]
    paid = await client.get(f"{base}/orders?status=paid", headers=callers["owner"])
    assert paid.json()["items"] == []
    bad = await client.get(f"{base}/orders?status=lost", headers=callers["owner"])
    assert bad.status_code == 400
    naive = await client.get(
        f"{base}/orders?placed_from=2026-11-11T00:00:00", headers=callers["owner"]
    )
    assert (naive.status_code, naive.json()["code"]) == (422, "bad_time")
    window = "placed_from=2026-11-11T00:00:00Z&placed_to=2026-11-12T00:00:00%2B08:00"
    within = await client.get(f"{base}/orders?{window}", headers=callers["owner"])
    assert [o["id"] for o in within.json()["items"]] == [placed.order_id]
    one = await client.get(f"{base}/orders/{placed.order_id}", headers=callers["owner"])
    assert one.json()["order"]["status"] == "awaiting_payment"


async def test_strangers_get_nothing_and_change_nothing(
    client: httpx.AsyncClient, db: Database, callers: Callers, placed: Placed
) -> None:
    before, stock_before = await counts(db), await levels(db, [placed.sku])
    me, oid = "/api/v1/me/orders", placed.order_id
    body: dict[str, Any] = {"reason": "mine now"}
    refusals: list[tuple[str, str, dict[str, str], dict[str, Any] | None, int]] = [
        ("GET", f"{me}/{oid}", placed.stranger, None, 404),
        ("POST", f"{me}/{oid}/cancel", placed.stranger, body, 404),
        ("GET", f"{me}/{oid}", callers["rival"], None, 403),  # a seller token is no shopper's
        ("GET", f"{me}/{oid}", {}, None, 401),
        ("POST", f"{me}/{oid}/cancel", {}, body, 401),
        ("GET", f"{placed.rival_base}/orders/{oid}", callers["rival"], None, 404),
        ("POST", f"{placed.rival_base}/orders/{oid}/cancel", callers["rival"], body, 404),
        ("GET", f"{placed.shop_base}/orders", callers["rival"], None, 403),
        ("POST", f"{placed.shop_base}/orders/{oid}/cancel", callers["rival"], body, 403),
        ("GET", f"{placed.shop_base}/orders", callers["shopper"], None, 403),
        ("GET", f"{placed.shop_base}/orders/{oid}", {}, None, 401),
        ("POST", f"{me}/{oid}/cancel", callers["shopper"], {"reason": "x", "status": "paid"},
         400),
        ("POST", f"{me}/{oid}/cancel", callers["shopper"], {"reason": " "}, 422),
    ]  # fmt: skip
    for method, path, headers, json, status in refusals:
        answer = await client.request(method, path, headers=headers, json=json)
        assert answer.status_code == status, (method, path, answer.text)
    assert await counts(db) == before
    assert await levels(db, [placed.sku]) == stock_before


@pytest.mark.parametrize("who", ["shopper", "owner"])
async def test_the_buyer_or_the_shop_cancels_and_the_stock_comes_back(
    client: httpx.AsyncClient, db: Database, callers: Callers, placed: Placed, who: str
) -> None:
    path = (
        f"/api/v1/me/orders/{placed.order_id}/cancel"
        if who == "shopper"
        else f"{placed.shop_base}/orders/{placed.order_id}/cancel"
    )
    answer = await client.post(path, json={"reason": "changed plans"}, headers=callers[who])
    assert answer.status_code == 200, answer.text
    assert answer.json()["order"]["status"] == "cancelled"
    assert answer.json()["history"][-1]["actor_kind"] == ("buyer" if who == "shopper" else "seller")
    assert await levels(db, [placed.sku]) == {placed.sku: (5, 5, 0, 0)}
    async with db.reading() as session:
        audited = (
            await session.scalars(
                select(AuditRecord.actor_user_id).where(AuditRecord.action == "orders.order.cancel")
            )
        ).all()
    assert audited == ([] if who == "shopper" else [callers.people["owner"].user_id])
    again = await client.post(path, json={"reason": "again"}, headers=callers[who])
    assert (again.status_code, again.json()["code"]) == (409, "transition_not_allowed")
