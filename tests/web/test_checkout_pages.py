"""The checkout pages on both databases: the cart's Check out button (guests are sent to
sign in and come back), the checkout page in en/fr/zh_CN, placing through the form once
whatever the resubmissions, the payment group page with its demo pay hook (the buyer only;
404 in production) and cancel buttons, the orders list; another shopper gets 404 on every
id-bearing route and changes nothing; forms without the CSRF token are refused."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import update

from galerie.config import Settings
from galerie.db import Database
from galerie.identity.models import User
from galerie.kernel import FixedClock
from galerie.storage import InMemoryStorage
from galerie.web.app import create_app
from tests.integration.cart.factories import change_sku
from tests.integration.checkout.factories import Checkout, cart_lines, fill_cart, make_checkout
from tests.integration.orders.factories import counts, levels, make_market, order_status
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import post_form


@pytest.fixture
async def shop3(db: Database, clock: FixedClock, tmp_path: Path) -> Checkout:
    checkout = await make_checkout(db, clock.now(), await make_market(db, clock.now(), tmp_path))
    lines = [(checkout.skus[0], 2), (checkout.skus[1], 1)]
    await fill_cart(db, clock.now(), checkout.market.buyer_id, lines)
    return checkout


def form_of(html: str) -> dict[str, str]:
    """The hidden fields of the page's Place order form."""
    place = html[html.index('id="checkout-place"') :]
    found = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', place))
    found.pop("_csrf_token", None)  # post_form sends it (or not)
    return found


async def speaks(db: Database, user_id: int, language: str) -> None:
    async with db.transaction() as session:
        await session.execute(
            update(User).where(User.id == user_id).values(preferred_language=language)
        )


async def place(client: httpx.AsyncClient) -> tuple[httpx.Response, dict[str, str]]:
    page = await client.get("/checkout", headers={"Accept-Language": "en"})
    assert page.status_code == 200, page.text
    fields = form_of(page.text)
    return await post_form(client, "/checkout/orders", fields), fields


async def test_guests_are_sent_to_sign_in_and_shoppers_to_the_checkout(
    client: httpx.AsyncClient, app: Litestar, shop3: Checkout
) -> None:
    added = await post_form(client, "/cart/lines", {"sku_id": str(shop3.skus[2]), "quantity": "1"})
    assert added.status_code == 303
    guest = await client.get("/cart", headers={"Accept-Language": "en"})
    assert 'href="/signin?next=/checkout"' in guest.text
    away = await client.get("/checkout")
    assert (away.status_code, away.headers["location"]) == (302, "/signin?next=/checkout")
    await sign_in_as(client, app, shop3.market.buyer_id)
    cart = await client.get("/cart", headers={"Accept-Language": "en"})
    assert 'href="/checkout" id="cart-checkout"' in cart.text


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Place order"), ("fr", "Commander"), ("zh-CN", "提交订单")],
)
async def test_the_checkout_page_renders_in_each_language(
    client: httpx.AsyncClient, app: Litestar, db: Database, shop3: Checkout, language: str,
    words: str,
) -> None:  # fmt: skip
    await speaks(db, shop3.market.buyer_id, language)
    await sign_in_as(client, app, shop3.market.buyer_id)
    page = await client.get("/checkout", headers={"Accept-Language": language})
    assert page.status_code == 200
    assert words in page.text
    assert page.text.count('type="radio" id="method-') == 4  # two methods, two shops
    fields = form_of(page.text)
    assert fields["address_id"] == str(shop3.china)
    assert len(fields["idempotency_key"]) >= 20
    s0 = shop3.market.shops[0].shop_id
    express = await client.get(f"/checkout?address_id={shop3.china}&method_{s0}=express")
    assert form_of(express.text)[f"method_{s0}"] == "express"


async def test_placing_through_the_form_places_once_and_empties_the_cart(
    client: httpx.AsyncClient, app: Litestar, db: Database, shop3: Checkout
) -> None:
    await sign_in_as(client, app, shop3.market.buyer_id)
    placed, fields = await place(client)
    assert placed.status_code == 303, placed.text
    location = placed.headers["location"]
    assert re.fullmatch(r"/account/orders/groups/\d+", location)
    again = await post_form(client, "/checkout/orders", fields)  # a double click, a refresh
    assert (again.status_code, again.headers["location"]) == (303, location)
    found = await counts(db)
    assert (found["groups"], found["orders"]) == (1, 2)
    assert await cart_lines(db, shop3.market.buyer_id) == []
    assert await levels(db, shop3.skus[:1]) == {shop3.skus[0]: (5, 3, 2, 0)}
    for language, words in (("en", "Pay now"), ("fr", "Payer maintenant"), ("zh-CN", "立即付款")):
        await speaks(db, shop3.market.buyer_id, language)
        group = await client.get(location)
        assert group.status_code == 200
        assert words in group.text
    await speaks(db, shop3.market.buyer_id, "en")
    listed = await client.get("/account/orders")
    order_ids = re.findall(r'href="/account/orders/(\d+)"', listed.text)
    assert len(order_ids) == 2
    assert 'href="/account/orders"' in listed.text  # the account navigation
    group_id = location.rsplit("/", 1)[1]
    paid = await post_form(client, f"/dev/payment-groups/{group_id}/paid", {})
    assert (paid.status_code, paid.headers["location"]) == (303, location)
    assert {await order_status(db, int(o)) for o in order_ids} == {"paid"}
    assert await levels(db, shop3.skus[:1]) == {shop3.skus[0]: (5, 3, 0, 2)}
    cancel = f"{location}/orders/{order_ids[0]}/cancel"
    cancelled = await post_form(client, cancel, {"reason": "changed my mind"})
    assert cancelled.status_code == 303
    assert await order_status(db, int(order_ids[0])) == "cancelled"


async def test_a_refused_checkout_shows_why_and_changes_nothing(
    client: httpx.AsyncClient, app: Litestar, db: Database, shop3: Checkout
) -> None:
    await sign_in_as(client, app, shop3.market.buyer_id)
    page = await client.get("/checkout", headers={"Accept-Language": "en"})
    fields = form_of(page.text)
    before = await counts(db)
    japan = await post_form(client, "/checkout/orders", {**fields, "address_id": str(shop3.japan)})
    assert japan.status_code == 409
    assert "does not ship to this address" in japan.text
    forged = await post_form(client, "/checkout/orders", fields, csrf=None)
    assert forged.status_code == 403
    assert await counts(db) == before
    assert len(await cart_lines(db, shop3.market.buyer_id)) == 2


async def test_a_price_changed_since_the_page_is_not_placed(
    client: httpx.AsyncClient, app: Litestar, db: Database, shop3: Checkout
) -> None:
    await sign_in_as(client, app, shop3.market.buyer_id)
    page = await client.get("/checkout", headers={"Accept-Language": "en"})
    fields = form_of(page.text)
    assert fields["expected_total"] == "3700"
    await change_sku(db, shop3.skus[0], price_minor=1500)  # the seller raised a price
    before = await counts(db)
    changed = await post_form(client, "/checkout/orders", fields)
    assert changed.status_code == 409
    assert "Prices or shipping changed" in changed.text
    assert await counts(db) == before
    assert form_of(changed.text)["expected_total"] == "4700"  # the new total, to confirm
    confirmed = await post_form(client, "/checkout/orders", form_of(changed.text))
    assert confirmed.status_code == 303


async def test_another_shopper_gets_404_everywhere_and_nothing_changes(
    client: httpx.AsyncClient, app: Litestar, db: Database, shop3: Checkout
) -> None:
    await sign_in_as(client, app, shop3.market.buyer_id)
    placed, _ = await place(client)
    location = placed.headers["location"]
    group_id = location.rsplit("/", 1)[1]
    listed = await client.get("/account/orders")
    order_id = re.findall(r'href="/account/orders/(\d+)"', listed.text)[0]
    client.cookies.clear()
    await sign_in_as(client, app, shop3.market.other_buyer_id)
    before = await counts(db)
    assert (await client.get(location)).status_code == 404
    cancel = f"{location}/orders/{order_id}/cancel"
    assert (await post_form(client, cancel, {"reason": "mine"})).status_code == 404
    assert (await post_form(client, f"/dev/payment-groups/{group_id}/paid", {})).status_code == 404
    assert (await client.get("/account/orders")).text.count("/account/orders/groups/") == 0
    assert await counts(db) == before
    assert await order_status(db, int(order_id)) == "awaiting_payment"
    client.cookies.clear()  # the buyer, with the CSRF token missing
    await sign_in_as(client, app, shop3.market.buyer_id)
    forged = await post_form(client, f"/dev/payment-groups/{group_id}/paid", {}, csrf=None)
    assert forged.status_code == 403
    assert await order_status(db, int(order_id)) == "awaiting_payment"


async def test_the_pay_hook_is_404_in_production(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock,
    settings: Settings, shop3: Checkout,
) -> None:  # fmt: skip
    await sign_in_as(client, app, shop3.market.buyer_id)
    placed, _ = await place(client)
    group_id = placed.headers["location"].rsplit("/", 1)[1]
    production = replace(settings, environment="production", payment_provider="none")
    live = create_app(production, db=db, clock=clock, storage=InMemoryStorage())
    transport = httpx.ASGITransport(app=live, client=("203.0.113.7", 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as prod:
        await sign_in_as(prod, live, shop3.market.buyer_id)
        group = await prod.get(placed.headers["location"], headers={"Accept-Language": "en"})
        assert "Pay now" not in group.text
        refused = await post_form(prod, f"/dev/payment-groups/{group_id}/paid", {})
        assert refused.status_code == 404
    listed = await client.get("/account/orders")
    for order_id in re.findall(r'href="/account/orders/(\d+)"', listed.text):
        assert await order_status(db, int(order_id)) == "awaiting_payment"
