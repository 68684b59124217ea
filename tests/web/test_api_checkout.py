"""The checkout API through HTTP on both databases: the quote, placing once per
Idempotency-Key (100 sequential replays make one group and the same answer; another body
with the key is 422; 50 concurrent duplicates execute once), a missing key is 400, fields
the client may not send are 400, and another shopper's address is 404 with nothing
changed."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from galerie.config import Settings
from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.storage import InMemoryStorage
from galerie.web.app import create_app
from tests.factories import make_token
from tests.integration.checkout.factories import (
    Checkout,
    address,
    cart_lines,
    fill_cart,
    make_checkout,
)
from tests.integration.orders.factories import counts, levels, make_market
from tests.web.test_api_sellers_support import SHOPPER_PERMISSIONS

QUOTE, ORDERS = "/api/v1/checkout/quote", "/api/v1/checkout/orders"


@dataclass(frozen=True)
class Api:
    shop3: Checkout
    me: dict[str, str]
    stranger: dict[str, str]


async def make_api(db: Database, clock: FixedClock, tmp: Path) -> Api:
    market = await make_market(db, clock.now(), tmp)
    shop3 = await make_checkout(db, clock.now(), market)
    tokens = [
        await make_token(db, user_id=u, now=clock.now(), permissions=SHOPPER_PERMISSIONS)
        for u in (market.buyer_id, market.other_buyer_id)
    ]
    await fill_cart(db, clock.now(), market.buyer_id, [(shop3.skus[0], 2), (shop3.skus[1], 1)])
    me, stranger = ({"Authorization": f"Bearer {t}"} for t in tokens)
    return Api(shop3, me, stranger)


@pytest.fixture
async def api(db: Database, clock: FixedClock, tmp_path: Path) -> Api:
    return await make_api(db, clock, tmp_path)


def body(api: Api, **extra: object) -> bytes:
    return json.dumps({"address_id": api.shop3.china, **extra}).encode()


def keyed(api: Api, key: str) -> dict[str, str]:
    return {**api.me, "Idempotency-Key": key, "Content-Type": "application/json"}


async def test_the_quote_shows_each_shops_shipping_and_the_totals(
    client: httpx.AsyncClient, api: Api
) -> None:
    s0 = api.shop3.market.shops[0].shop_id
    answer = await client.post(QUOTE, json={"address_id": api.shop3.china}, headers=api.me)
    assert answer.status_code == 200, answer.text
    quote = answer.json()
    assert (quote["total"], quote["placeable"], quote["blockers"]) == (
        {"minor": 3700, "currency": "CNY"}, True, [],
    )  # fmt: skip
    assert [o["method"] for o in quote["shops"][0]["options"]] == ["surface", "express"]
    chosen = {"address_id": api.shop3.china, "shipping_methods": {str(s0): "express"}}
    express = await client.post(QUOTE, json=chosen, headers=api.me)
    assert express.json()["total"]["minor"] == 4200
    japan = await client.post(QUOTE, json={"address_id": api.shop3.japan}, headers=api.me)
    assert {b["code"] for b in japan.json()["blockers"]} == {"does_not_ship_there"}
    unknown = {"address_id": api.shop3.china, "shipping_methods": {str(s0): "teleport"}}
    refused = await client.post(QUOTE, json=unknown, headers=api.me)
    assert (refused.status_code, refused.json()["code"]) == (422, "shipping_method_unavailable")


async def test_one_hundred_replays_place_once_and_answer_the_same(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, api: Api
) -> None:
    missing = await client.post(ORDERS, content=body(api), headers=api.me)
    assert (missing.status_code, missing.json()["code"]) == (400, "idempotency_key_required")
    answers = [
        await client.post(ORDERS, content=body(api), headers=keyed(api, "order-1"))
        for _ in range(100)
    ]
    assert {a.status_code for a in answers} == {201}, answers[0].text
    assert len({a.content for a in answers}) == 1
    placed = answers[0].json()
    assert placed["total"] == {"minor": 3700, "currency": "CNY"}
    assert [(o["status"], o["total"]["minor"]) for o in placed["orders"]] == [
        ("awaiting_payment", 2400), ("awaiting_payment", 1300),
    ]  # fmt: skip
    assert set(placed) >= {"payment_group_id", "pay_by", "orders"}
    found = await counts(db)
    assert (found["groups"], found["orders"], found["keys"]) == (1, 2, 1)
    assert await cart_lines(db, api.shop3.market.buyer_id) == []
    other = body(api, shipping_methods={str(api.shop3.market.shops[0].shop_id): "express"})
    await fill_cart(db, clock.now(), api.shop3.market.buyer_id, [(api.shop3.skus[0], 1)])
    reused = await client.post(ORDERS, content=other, headers=keyed(api, "order-1"))
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")
    assert await counts(db) == found
    assert await cart_lines(db, api.shop3.market.buyer_id) == [(api.shop3.skus[0], 1)]


async def test_bad_bodies_and_keys_change_nothing(
    client: httpx.AsyncClient, db: Database, api: Api
) -> None:
    before, stock = await counts(db), await levels(db, api.shop3.skus)
    s0 = str(api.shop3.market.shops[0].shop_id)
    bad: list[tuple[bytes, str, int]] = [
        (body(api, total={"minor": 1, "currency": "CNY"}), "k1", 400),
        (body(api, lines=[{"sku_id": api.shop3.skus[0], "quantity": -5}]), "k2", 400),
        (body(api, lines=[{"sku_id": api.shop3.skus[0], "quantity": 0}]), "k8", 400),
        (body(api, lines=[{"sku_id": api.shop3.skus[0], "quantity": 1.5}]), "k9", 400),
        (body(api, lines=[{"sku_id": api.shop3.skus[0], "quantity": 100}]), "k10", 400),
        (body(api, lines=[]), "k11", 400),
        (body(api, lines=[{"sku_id": api.shop3.skus[0], "quantity": 1, "price": 1}]), "k12", 400),
        (body(api, unit_price=1), "k3", 400),
        (json.dumps({"address_id": -1}).encode(), "k4", 400),
        (body(api, shipping_methods={"shop": "express"}), "k5", 400),
        (body(api, shipping_methods={s0: "teleport"}), "k6", 422),
        (body(api), "x" * 256, 422),
        (body(api), "tab\there", 422),
        (b"{not json", "k7", 400),
    ]
    for content, key, status in bad:
        answer = await client.post(ORDERS, content=content, headers=keyed(api, key))
        assert answer.status_code == status, (content, key, answer.text)
    assert await counts(db) == before
    assert await levels(db, api.shop3.skus) == stock
    assert len(await cart_lines(db, api.shop3.market.buyer_id)) == 2


async def test_another_shoppers_address_is_not_found_and_nothing_changes(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, api: Api
) -> None:
    theirs = await address(db, clock.now(), api.shop3.market.other_buyer_id, "CN")
    before = await counts(db)
    quote = await client.post(QUOTE, json={"address_id": theirs}, headers=api.me)
    assert (quote.status_code, quote.json()["code"]) == (404, "address_not_found")
    headers = keyed(api, "steal")
    content = json.dumps({"address_id": theirs}).encode()
    placed = await client.post(ORDERS, content=content, headers=headers)
    assert (placed.status_code, placed.json()["code"]) == (404, "address_not_found")
    mine = await client.post(
        ORDERS, content=body(api), headers={**api.stranger, "Idempotency-Key": "x"}
    )
    assert (mine.status_code, mine.json()["code"]) == (404, "address_not_found")
    anonymous = await client.post(ORDERS, content=body(api), headers={"Idempotency-Key": "y"})
    assert anonymous.status_code == 401
    assert await counts(db) == before
    assert len(await cart_lines(db, api.shop3.market.buyer_id)) == 2


async def test_fifty_concurrent_duplicates_execute_once(
    fresh_url: str, settings: Settings, clock: FixedClock, tmp_path: Path
) -> None:
    database = Database.from_url(fresh_url)
    try:
        api = await make_api(database, clock, tmp_path)
        app = create_app(settings, db=database, clock=clock, storage=InMemoryStorage())
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            start = asyncio.Event()

            async def one() -> httpx.Response:
                await start.wait()
                return await client.post(ORDERS, content=body(api), headers=keyed(api, "same"))

            tasks = [asyncio.create_task(one()) for _ in range(50)]
            await asyncio.sleep(0)
            start.set()
            answers = await asyncio.gather(*tasks)
        placed = [a for a in answers if a.status_code == 201]
        busy = [a for a in answers if a.status_code == 409]
        assert len(placed) + len(busy) == 50, [a.text for a in answers if a not in placed][:3]
        assert {a.json()["code"] for a in busy} <= {"idempotency_in_progress"}
        assert len({a.content for a in placed}) == 1
        found = await counts(database)
        assert (found["groups"], found["orders"], found["keys"]) == (1, 2, 1)
    finally:
        await database.dispose()


async def test_the_schema_documents_the_checkout(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/api/openapi.json")).json()["paths"]
    place = paths["/api/v1/checkout/orders"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in place.get("parameters", [])]
    assert "requestBody" in paths["/api/v1/checkout/quote"]["post"]


async def test_buy_now_orders_the_items_named_and_leaves_the_cart_alone(
    client: httpx.AsyncClient, db: Database, api: Api
) -> None:
    sku = api.shop3.skus[2]
    before = await levels(db, [sku])
    content = body(api, lines=[{"sku_id": sku, "quantity": 2}])
    placed = await client.post(ORDERS, content=content, headers=keyed(api, "buy-now-1"))
    assert placed.status_code == 201, placed.text
    assert len(placed.json()["orders"]) == 1
    again = await client.post(ORDERS, content=content, headers=keyed(api, "buy-now-1"))
    assert again.content == placed.content
    found = await counts(db)
    assert (found["groups"], found["orders"]) == (1, 1)
    on_hand, available, reserved, _ = before[sku]
    assert (await levels(db, [sku]))[sku][:3] == (on_hand, available - 2, reserved + 2)
    assert len(await cart_lines(db, api.shop3.market.buyer_id)) == 2  # untouched
    unknown = body(api, lines=[{"sku_id": 10**12, "quantity": 1}])
    empty = await client.post(ORDERS, content=unknown, headers=keyed(api, "buy-now-2"))
    assert (empty.status_code, empty.json()["code"]) == (409, "item_unavailable")
    assert await counts(db) == found
