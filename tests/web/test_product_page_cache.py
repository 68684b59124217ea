"""The product page's rendered content is kept per process and used only while the
product's state is unchanged: stock, prices, status, the shop and edits show at once;
every visitor gets their own CSRF input; signed-in and anonymous visitors their own forms;
previews are never kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import text

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.web.auth import galerie_of_app
from galerie.web.storefront.page_cache import configure_product_pages, product_pages_of
from tests.web.sessions import sign_in_as
from tests.web.statement_counter import counting_statements
from tests.web.storefront_catalog_factories import Shops, make_shops
from tests.web.test_pages_support import CSRF_COOKIE
from tests.web.test_storefront_products import hidden_product, sneaker


@pytest.fixture
async def shops(db: Database, clock: FixedClock, tmp_path: Path) -> Shops:
    return await make_shops(db, clock, tmp_path)


async def change(db: Database, sql: str, **values: Any) -> None:
    async with db.transaction() as session:
        await session.execute(text(sql), values)


async def page(client: httpx.AsyncClient, product: int) -> str:
    response = await client.get(f"/products/{product}")
    assert response.status_code == 200
    return response.text


async def test_stock_and_prices_show_at_once(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    product = await sneaker(db, clock, shops)
    assert "Only 3 left" in await page(client, product)
    await change(
        db,
        "UPDATE stock_levels SET available = 2, on_hand = on_hand - 1 WHERE sku_id = "
        "(SELECT id FROM skus WHERE product_id = :p ORDER BY position, id LIMIT 1)",
        p=product,
    )
    shown = await page(client, product)
    assert "Only 2 left" in shown
    assert "Only 3 left" not in shown
    await change(db, "UPDATE skus SET price_minor = 4200 WHERE product_id = :p", p=product)
    assert "42.00" in await page(client, product)


async def test_an_edit_shows_at_once(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    product = await sneaker(db, clock, shops)
    assert "Canvas sneaker" in await page(client, product)
    # what every catalog edit does: the texts change and the version goes up
    await change(
        db, "UPDATE product_texts SET title = 'Linen sneaker' WHERE product_id = :p", p=product
    )
    await change(db, "UPDATE products SET version = version + 1 WHERE id = :p", p=product)
    assert "Linen sneaker" in await page(client, product)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE products SET status = 'delisted' WHERE id = :p",
        "UPDATE shops SET status = 'suspended' WHERE id = (SELECT shop_id FROM products "
        "WHERE id = :p)",
    ],
)
async def test_a_product_that_leaves_is_gone_at_once(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops, sql: str
) -> None:
    product = await sneaker(db, clock, shops)
    await page(client, product)
    await change(db, sql, p=product)
    assert (await client.get(f"/products/{product}")).status_code == 404


def csrf_value(html: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


async def test_each_visitor_gets_their_own_csrf_input(
    app: Litestar, db: Database, clock: FixedClock, shops: Shops
) -> None:
    product = await sneaker(db, clock, shops)
    tokens = []
    for _ in range(2):
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as one:
            await one.get("/")  # the CSRF cookie
            shown = await page(one, product)
            assert csrf_value(shown) == one.cookies.get(CSRF_COOKIE)
            tokens.append(csrf_value(shown))
    assert tokens[0] != tokens[1]
    assert len(product_pages_of(galerie_of_app(app).db).entries) == 1  # rendered once


async def test_signed_in_and_anonymous_visitors_get_their_own_forms(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock, shops: Shops
) -> None:
    product = await sneaker(db, clock, shops)
    assert "Sign in to follow this shop" in await page(client, product)
    await sign_in_as(client, app, shops.people["shopper"].user_id)
    shown = await page(client, product)
    assert "Signed in as" in shown
    assert "Follow this shop" in shown
    assert "Sign in to follow this shop" not in shown


async def test_previews_are_never_kept(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock, shops: Shops
) -> None:
    product = await hidden_product(db, clock, shops, "draft")
    await sign_in_as(client, app, shops.people["owner"].user_id)
    assert "Preview: not visible to shoppers." in await page(client, product)
    assert product_pages_of(galerie_of_app(app).db).entries == {}


async def test_within_the_refresh_interval_a_view_sends_nothing(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock, shops: Shops
) -> None:
    db_of_app = galerie_of_app(app).db
    cache = configure_product_pages(db_of_app, refresh_seconds=1.0)
    now = [100.0]
    cache.clock = lambda: now[0]
    product = await sneaker(db, clock, shops)
    assert "Only 3 left" in await page(client, product)
    await change(
        db,
        "UPDATE stock_levels SET available = 2, on_hand = on_hand - 1 WHERE sku_id = "
        "(SELECT id FROM skus WHERE product_id = :p ORDER BY position, id LIMIT 1)",
        p=product,
    )
    async with counting_statements(db) as seen:
        assert "Only 3 left" in await page(client, product)  # within the second: as rendered
    assert seen.count == 0, seen.seen
    now[0] += 1.0
    assert "Only 2 left" in await page(client, product)
