"""The cart pages: guests get a cart (and a cookie) only when they add something, the page
groups lines by shop with warnings and totals in at most 3 statements whatever the number of
lines, bad quantities answer 4xx and change nothing, another shopper's lines are 404 on
every route, and signing in merges the guest's cart into the shopper's."""

from __future__ import annotations

import re

import httpx
import pytest
from litestar import Litestar

from galerie.cart import CartOwner, add_to_cart, cart_view
from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.web.app import SESSION_COOKIE
from galerie.web.storefront.cart_support import CART_COOKIE
from tests.factories import make_user
from tests.integration.cart.factories import change_product, change_shop, make_goods
from tests.web.sessions import csrf_token, sign_in_as
from tests.web.statement_counter import counting_statements
from tests.web.storefront_catalog_factories import Shops, make_shops
from tests.web.test_pages_support import post_form, shopper, sign_in


@pytest.fixture
async def shops(db: Database, clock: FixedClock, tmp_path: object) -> Shops:
    return await make_shops(db, clock, tmp_path)  # type: ignore[arg-type]


async def lines(db: Database, owner: CartOwner) -> list[tuple[int, int]]:
    view = await cart_view(db, owner=owner, language="en")
    return [(line.sku_id, line.quantity) for line in view.lines]


def line_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="cart-line-(\d+)"', html)]


async def test_an_anonymous_visit_stores_nothing_and_the_first_addition_sets_the_cookie(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    tea = await make_goods(db, clock.now(), shops.live)
    empty = await client.get("/cart", headers={"Accept-Language": "en"})
    assert empty.status_code == 200
    assert 'id="cart-empty"' in empty.text
    assert CART_COOKIE not in empty.cookies
    assert SESSION_COOKIE not in empty.cookies

    added = await post_form(client, "/cart/lines", {"sku_id": str(tea.skus[0]), "quantity": "2"})
    assert (added.status_code, added.headers["location"]) == (303, "/cart")
    token = added.cookies.get(CART_COOKIE)
    assert token
    assert "httponly" in added.headers["set-cookie"].lower()
    assert SESSION_COOKIE not in added.cookies  # still no session for the guest
    assert await lines(db, CartOwner.guest(token)) == [(tea.skus[0], 2)]

    again = await post_form(client, "/cart/lines", {"sku_id": str(tea.skus[0]), "quantity": "1"})
    assert again.status_code == 303
    assert CART_COOKIE not in again.cookies  # the cookie is set once
    page = await client.get("/cart", headers={"Accept-Language": "en"})
    assert "Jasmine tea" in page.text
    assert "Maison Lune" in page.text  # grouped under the shop's name
    assert 'value="3"' in page.text


async def test_a_guest_cart_joins_the_shoppers_when_signing_in(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    tea = await make_goods(db, clock.now(), shops.live)
    user_id = await shopper(db, clock, email="merge@example.com")
    await add_to_cart(
        db, owner=CartOwner.user(user_id), sku_id=tea.skus[1], quantity=1, now=clock.now()
    )
    await post_form(client, "/cart/lines", {"sku_id": str(tea.skus[0]), "quantity": "4"})
    token = client.cookies.get(CART_COOKIE)
    assert token

    await sign_in(client, "merge@example.com")

    assert sorted(await lines(db, CartOwner.user(user_id))) == sorted(
        [(tea.skus[0], 4), (tea.skus[1], 1)]
    )
    assert await lines(db, CartOwner.guest(token)) == []
    page = await client.get("/cart")
    assert len(line_ids(page.text)) == 2
    assert f'{CART_COOKIE}=""' in page.headers.get("set-cookie", "") or "max-age=0" in (
        page.headers.get("set-cookie", "").lower()
    )


@pytest.mark.parametrize("quantity", ["0", "-1", "1.5", "abc", "", "100", "1e3"])
async def test_bad_quantities_answer_4xx_and_change_nothing(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops,
    quantity: str,
) -> None:  # fmt: skip
    tea = await make_goods(db, clock.now(), shops.live)
    user = (await make_user(db, now=clock.now())).user_id
    owner = CartOwner.user(user)
    line = await add_to_cart(db, owner=owner, sku_id=tea.skus[0], quantity=2, now=clock.now())
    await sign_in_as(client, app, user)
    headers = {"Accept-Language": "en"}
    added = await post_form(
        client, "/cart/lines", {"sku_id": str(tea.skus[0]), "quantity": quantity}, headers=headers
    )
    changed = await post_form(
        client, f"/cart/lines/{line}/quantity", {"quantity": quantity}, headers=headers
    )
    assert (added.status_code, changed.status_code) == (422, 422)
    assert 'id="cart-error"' in changed.text
    assert await lines(db, owner) == [(tea.skus[0], 2)]


async def test_another_shoppers_line_is_404_on_every_route(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    tea = await make_goods(db, clock.now(), shops.live)
    alice = CartOwner.user((await make_user(db, now=clock.now())).user_id)
    line = await add_to_cart(db, owner=alice, sku_id=tea.skus[0], quantity=2, now=clock.now())
    answers = {}
    for who in ("guest", "bob"):
        client.cookies.clear()
        if who == "bob":
            await sign_in_as(client, app, (await make_user(db, now=clock.now())).user_id)
        else:
            client.cookies.set(CART_COOKIE, "g" * 32)
        changed = await post_form(client, f"/cart/lines/{line}/quantity", {"quantity": "1"})
        removed = await post_form(client, f"/cart/lines/{line}/remove", {})
        answers[who] = (changed.status_code, removed.status_code)
        assert line_ids((await client.get("/cart")).text) == []
    assert answers == {"guest": (404, 404), "bob": (404, 404)}
    assert await lines(db, alice) == [(tea.skus[0], 2)]


async def test_warnings_and_totals_per_shop(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    tea = await make_goods(db, clock.now(), shops.live, title="Tea")
    cups = await make_goods(db, clock.now(), shops.live, title="Cups")
    user = (await make_user(db, now=clock.now())).user_id
    owner = CartOwner.user(user)
    await add_to_cart(db, owner=owner, sku_id=tea.skus[0], quantity=2, now=clock.now())
    await add_to_cart(db, owner=owner, sku_id=cups.skus[0], quantity=1, now=clock.now())
    await change_product(db, cups.product_id, status="delisted")
    await sign_in_as(client, app, user)

    page = await client.get("/cart", headers={"Accept-Language": "en"})

    assert page.status_code == 200
    assert "This item is no longer for sale." in page.text
    assert "Total for this shop: CN¥39.98" in page.text  # the delisted line does not count
    assert "Some items cannot be ordered as they are" in page.text
    client.cookies.clear()  # a signed-in person's own language wins over the header
    french = await client.get("/cart", headers={"Accept-Language": "fr"})
    assert "Votre panier" in french.text


@pytest.mark.parametrize("size", [1, 12])
async def test_the_cart_page_issues_at_most_three_statements(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops,
    size: int,
) -> None:  # fmt: skip
    user = (await make_user(db, now=clock.now())).user_id
    guest = "t" * 32
    owners = (CartOwner.user(user), CartOwner.guest(guest))
    await change_shop(db, shops.suspended, status="live")
    for n in range(size):
        shop = shops.live if n % 2 else shops.suspended
        item = await make_goods(db, clock.now(), shop, title=f"Item {n}", images=n % 2)
        for owner in owners:
            await add_to_cart(db, owner=owner, sku_id=item.skus[0], quantity=1, now=clock.now())
    await change_shop(db, shops.suspended, status="suspended")  # its lines now carry a warning
    await sign_in_as(client, app, user)
    async with counting_statements(db) as signed_in:
        page = await client.get("/cart")
    client.cookies.clear()
    client.cookies.set(CART_COOKIE, guest)
    async with counting_statements(db) as anonymous:
        guest_page = await client.get("/cart")
    assert len(line_ids(page.text)) == size
    assert len(line_ids(guest_page.text)) == size
    assert signed_in.count <= 3, signed_in.seen  # 2 of them resolve who is signed in
    assert anonymous.count == 1, anonymous.seen


async def test_the_product_page_offers_add_to_cart(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    tea = await make_goods(db, clock.now(), shops.live, stock=(0, 5))
    page = await client.get(f"/products/{tea.product_id}", headers={"Accept-Language": "en"})
    assert 'action="/cart/lines"' in page.text
    assert f'<option value="{tea.skus[0]}" disabled>' in page.text
    assert f'<option value="{tea.skus[1]}">' in page.text
    hidden = await make_goods(db, clock.now(), shops.live)
    await change_product(db, hidden.product_id, status="delisted")
    refused = await post_form(
        client, "/cart/lines", {"sku_id": str(hidden.skus[0]), "quantity": "1"}
    )
    assert refused.status_code == 404
    assert CART_COOKIE not in refused.cookies


async def test_adding_to_the_cart_is_three_statements(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    tea = await make_goods(db, clock.now(), shops.live)
    await post_form(client, "/cart/lines", {"sku_id": str(tea.skus[0]), "quantity": "1"})
    token = client.cookies.get(CART_COOKIE)
    assert token
    form = {"sku_id": str(tea.skus[1]), "quantity": "2", "_csrf_token": await csrf_token(client)}
    async with counting_statements(db) as statements:
        again = await client.post("/cart/lines", data=form)
    assert again.status_code == 303
    assert statements.count == 3, statements.seen  # the SKU's facts, the cart, the line
    assert sorted(await lines(db, CartOwner.guest(token))) == sorted(
        [(tea.skus[0], 1), (tea.skus[1], 2)]
    )
