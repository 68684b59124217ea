"""The cart and address book API: a shopper's own cart and addresses through bearer tokens,
the OpenAPI schema, bad input refused with nothing changed, and another shopper's line or
address 404 on every id-bearing operation (also for a read-only token: 403 on changes)."""

from __future__ import annotations

import httpx
import pytest

from galerie.cart import AddressForm, CartOwner, add_address, add_to_cart, cart_view
from galerie.db import Database
from galerie.kernel import FixedClock
from tests.factories import make_token, make_user
from tests.integration.cart.factories import make_goods
from tests.web.storefront_catalog_factories import Shops, make_shops

ALL = ["account.view", "account.manage"]
ADDRESS = {
    "recipient": "Amélie Martin",
    "phone": "+33 1 23 45 67 89",
    "country": "FR",
    "city": "Paris",
    "line1": "12 rue de Rivoli",
    "postcode": "75001",
}


@pytest.fixture
async def shops(db: Database, clock: FixedClock, tmp_path: object) -> Shops:
    return await make_shops(db, clock, tmp_path)  # type: ignore[arg-type]


async def bearer(
    db: Database, clock: FixedClock, permissions: list[str] = ALL
) -> tuple[int, dict[str, str]]:
    user = (await make_user(db, now=clock.now())).user_id
    token = await make_token(db, user_id=user, now=clock.now(), permissions=permissions)
    return user, {"Authorization": f"Bearer {token}"}


async def test_the_schema_lists_the_cart_address_and_shipping_operations(
    client: httpx.AsyncClient,
) -> None:
    paths = (await client.get("/api/openapi.json")).json()["paths"]
    assert set(paths["/api/v1/cart"]) == {"get"}
    assert set(paths["/api/v1/cart/lines"]) == {"post"}
    assert set(paths["/api/v1/cart/lines/{line_id}"]) == {"patch", "delete"}
    assert set(paths["/api/v1/me/addresses"]) == {"get", "post"}
    assert set(paths["/api/v1/me/addresses/{address_id}"]) == {"get", "put", "delete"}
    assert "post" in paths["/api/v1/me/addresses/{address_id}/default"]
    templates = "/api/v1/organisations/{organisation_id}/shops/{shop_id}/shipping-templates"
    assert set(paths[templates]) == {"get", "post"}
    assert set(paths[templates + "/{template_id}"]) == {"get", "put", "delete"}


async def test_a_shopper_fills_and_empties_the_cart(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    tea = await make_goods(db, clock.now(), shops.live)
    _user, headers = await bearer(db, clock)

    added = await client.post(
        "/api/v1/cart/lines", json={"sku_id": tea.skus[0], "quantity": 2}, headers=headers
    )
    assert added.status_code == 201, added.text
    [shop] = added.json()["shops"]
    [line] = shop["lines"]
    assert (shop["shop_id"], line["quantity"], line["unit_price"]) == (
        shops.live, 2, {"minor": 1999, "currency": "CNY"},
    )  # fmt: skip
    assert shop["totals"] == [{"minor": 3998, "currency": "CNY"}]

    changed = await client.patch(
        f"/api/v1/cart/lines/{line['id']}", json={"quantity": 5}, headers=headers
    )
    assert changed.json()["item_count"] == 5
    removed = await client.delete(f"/api/v1/cart/lines/{line['id']}", headers=headers)
    assert (removed.status_code, removed.json()["shops"]) == (200, [])


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"quantity": 0}, 422),
        ({"quantity": -3}, 422),
        ({"quantity": 100}, 422),
        ({"quantity": 1.5}, 400),
        ({"quantity": "two"}, 400),
        ({"quantity": True}, 400),
        ({"quantity": 2, "price_minor": 1}, 400),
        ({}, 400),
    ],
)
async def test_bad_quantities_are_refused_and_change_nothing(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops,
    body: dict[str, object], status: int,
) -> None:  # fmt: skip
    tea = await make_goods(db, clock.now(), shops.live)
    user, headers = await bearer(db, clock)
    line = await add_to_cart(
        db, owner=CartOwner.user(user), sku_id=tea.skus[0], quantity=2, now=clock.now()
    )
    added = await client.post(
        "/api/v1/cart/lines", json={"sku_id": tea.skus[0], **body}, headers=headers
    )
    changed = await client.patch(f"/api/v1/cart/lines/{line}", json=body, headers=headers)
    assert (added.status_code, changed.status_code) == (status, status)
    view = await cart_view(db, owner=CartOwner.user(user), language="en")
    assert [(item.id, item.quantity) for item in view.lines] == [(line, 2)]


async def test_another_shoppers_line_and_address_are_404_everywhere(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    tea = await make_goods(db, clock.now(), shops.live)
    alice, _ = await bearer(db, clock)
    _bob, bob = await bearer(db, clock)
    line = await add_to_cart(
        db, owner=CartOwner.user(alice), sku_id=tea.skus[0], quantity=2, now=clock.now()
    )
    address = await add_address(
        db, user_id=alice, form=AddressForm(**ADDRESS), make_default=True, now=clock.now()
    )
    calls = [
        ("PATCH", f"/api/v1/cart/lines/{line}", {"quantity": 1}),
        ("DELETE", f"/api/v1/cart/lines/{line}", None),
        ("GET", f"/api/v1/me/addresses/{address}", None),
        ("PUT", f"/api/v1/me/addresses/{address}", {**ADDRESS, "city": "Lyon"}),
        ("POST", f"/api/v1/me/addresses/{address}/default", None),
        ("DELETE", f"/api/v1/me/addresses/{address}", None),
    ]
    answers = [
        (await client.request(method, path, json=body, headers=bob)).status_code
        for method, path, body in calls
    ]
    assert answers == [404] * len(calls)
    view = await cart_view(db, owner=CartOwner.user(alice), language="en")
    assert [(item.id, item.quantity) for item in view.lines] == [(line, 2)]
    assert (await client.get("/api/v1/cart", headers=bob)).json()["shops"] == []
    assert (await client.get("/api/v1/me/addresses", headers=bob)).json() == []


async def test_a_read_only_token_reads_but_changes_nothing(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    tea = await make_goods(db, clock.now(), shops.live)
    _user, headers = await bearer(db, clock, ["account.view"])
    assert (await client.get("/api/v1/cart", headers=headers)).status_code == 200
    refused = await client.post(
        "/api/v1/cart/lines", json={"sku_id": tea.skus[0], "quantity": 1}, headers=headers
    )
    assert refused.status_code == 403
    anonymous = await client.get("/api/v1/cart")
    assert anonymous.status_code == 401


async def test_the_address_book_through_the_api(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    _user, headers = await bearer(db, clock)
    first = await client.post("/api/v1/me/addresses", json=ADDRESS, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["is_default"] is True
    second = await client.post(
        "/api/v1/me/addresses", json={**ADDRESS, "city": "Lyon"}, headers=headers
    )
    assert second.json()["is_default"] is False
    switched = await client.post(
        f"/api/v1/me/addresses/{second.json()['id']}/default", headers=headers
    )
    assert switched.json()["is_default"] is True
    listed = (await client.get("/api/v1/me/addresses", headers=headers)).json()
    assert [(a["city"], a["is_default"]) for a in listed] == [("Lyon", True), ("Paris", False)]

    bad = await client.post(
        "/api/v1/me/addresses", json={**ADDRESS, "country": "ZZ"}, headers=headers
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "unknown_country")
    smuggled = await client.post(
        "/api/v1/me/addresses", json={**ADDRESS, "user_id": 1}, headers=headers
    )
    assert smuggled.status_code == 400
    assert len((await client.get("/api/v1/me/addresses", headers=headers)).json()) == 2

    replaced = await client.put(
        f"/api/v1/me/addresses/{first.json()['id']}",
        json={**ADDRESS, "city": "Nice", "is_default": True}, headers=headers,
    )  # fmt: skip
    assert (replaced.json()["city"], replaced.json()["is_default"]) == ("Nice", True)
    listed = (await client.get("/api/v1/me/addresses", headers=headers)).json()
    assert [(a["city"], a["is_default"]) for a in listed] == [("Nice", True), ("Lyon", False)]
    await client.post(f"/api/v1/me/addresses/{second.json()['id']}/default", headers=headers)

    gone = await client.delete(f"/api/v1/me/addresses/{second.json()['id']}", headers=headers)
    assert gone.status_code == 204
    [left] = (await client.get("/api/v1/me/addresses", headers=headers)).json()
    assert (left["city"], left["is_default"]) == ("Nice", True)
