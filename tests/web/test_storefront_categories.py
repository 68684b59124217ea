"""Category pages, the shop page's product list and the catalog list API: live products of
live shops only, the tree with counts, sorts, page bounds, inert text, the query budget."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from galerie.db import Database
from galerie.kernel import FixedClock
from tests.integration.catalog.storefront_factories import ProductSpec, Variation, insert_product
from tests.integration.sellers.factories import APPAREL, CLOTHING, HOME
from tests.web.statement_counter import counting_statements
from tests.web.storefront_catalog_factories import Shops, make_shops

PRODUCT_LINK = re.compile(r'<a href="/products/(\d+)">')


@pytest.fixture
async def shops(db: Database, clock: FixedClock, tmp_path: Path) -> Shops:
    return await make_shops(db, clock, tmp_path)


def listed(html: str) -> list[int]:
    return [int(found) for found in PRODUCT_LINK.findall(html)]


async def add(db: Database, clock: FixedClock, shop_id: int, **fields: object) -> int:
    spec = ProductSpec(**fields)  # type: ignore[arg-type]
    return await insert_product(db, clock.now(), shop_id=shop_id, spec=spec)


async def test_a_category_page_lists_live_products_below_it_with_the_tree(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    coat = await add(db, clock, shops.live, titles={"en": "Wool coat"}, category_id=CLOTHING)
    belt = await add(
        db, clock, shops.live, titles={"en": "Belt"}, category_id=APPAREL, listed_minutes_ago=3
    )
    for status in ("draft", "pending", "rejected", "delisted"):
        await add(db, clock, shops.live, status=status, category_id=CLOTHING)
    for hidden_shop in (shops.suspended, shops.preparing):
        await add(db, clock, hidden_shop, category_id=CLOTHING)

    page = await client.get(f"/categories/{APPAREL}", headers={"Accept-Language": "en"})
    api = await client.get(f"/api/v1/categories/{APPAREL}/products")

    assert page.status_code == 200
    assert listed(page.text) == [coat, belt]
    assert '<a href="/categories/1604">Clothing</a> <span class="muted">(1)</span>' in page.text
    assert "2 products" in page.text
    assert "CN¥19.99" in page.text
    assert [p["id"] for p in api.json()["products"]["items"]] == [coat, belt]
    assert api.json()["children"] == [{"id": CLOTHING, "name": "Clothing"}]
    roots = await client.get("/categories")
    assert f'<a href="/categories/{HOME}">Home &amp; Garden</a>' in roots.text


async def test_unknown_categories_are_404(client: httpx.AsyncClient, shops: Shops) -> None:
    for path in ("/categories/4242", "/api/v1/categories/4242/products", "/categories/x"):
        assert (await client.get(path)).status_code == 404, path


async def test_sorts_and_pages(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    made = []
    for n, (price, sales) in enumerate([(300, 5), (100, 50), (200, 1)]):
        made.append(
            await add(
                db,
                clock,
                shops.live,
                variants=[Variation({}, price)],
                sales_count=sales,
                listed_minutes_ago=10 - n,
            )
        )
    a, b, c = made
    expected = {"newest": [c, b, a], "price_asc": [b, c, a], "price_desc": [a, c, b]}
    expected["sales"] = [b, a, c]
    slug = shops.slugs[shops.live]
    for sort, order in expected.items():
        page = await client.get(f"/categories/{HOME}?sort={sort}")
        shop = await client.get(f"/shops/{slug}?sort={sort}")
        api = await client.get(f"/api/v1/shops/{slug}/products?sort={sort}&per_page=2&page=2")
        assert listed(page.text) == order, sort
        assert listed(shop.text) == order, sort
        assert [p["id"] for p in api.json()["items"]] == order[2:], sort
        assert api.json()["has_more"] is False
    first = (await client.get(f"/api/v1/categories/{HOME}/products?per_page=2")).json()
    assert (first["products"]["has_more"], first["products"]["per_page"]) == (True, 2)
    far = await client.get(f"/categories/{HOME}?page=10000")
    assert (far.status_code, listed(far.text)) == (200, [])
    assert "No products here yet." in far.text


@pytest.mark.parametrize("page", ["0", "-1", "1000000000", "abc", "1.5"])
async def test_pages_out_of_bounds_are_a_clean_400(
    client: httpx.AsyncClient, shops: Shops, page: str
) -> None:
    slug = shops.slugs[shops.live]
    for path in (f"/categories/{HOME}", f"/shops/{slug}"):
        response = await client.get(f"{path}?page={page}")
        assert response.status_code == 400, path
    api = await client.get(f"/api/v1/categories/{HOME}/products?page={page}")
    assert api.status_code == 400


async def test_bad_sorts_and_page_sizes_are_a_clean_400(
    client: httpx.AsyncClient, shops: Shops
) -> None:
    slug = shops.slugs[shops.live]
    for path in (
        f"/categories/{HOME}?sort=cheapest",
        f"/api/v1/categories/{HOME}/products?sort=cheapest",
        f"/api/v1/categories/{HOME}/products?per_page=61",
        f"/api/v1/shops/{slug}/products?per_page=0",
        f"/api/v1/categories/{HOME}/products?lang=xx",
    ):
        assert (await client.get(path)).status_code == 400, path


async def test_hidden_shops_list_nothing_to_shoppers(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    await add(db, clock, shops.suspended)
    slug = shops.slugs[shops.suspended]
    assert (await client.get(f"/shops/{slug}")).status_code == 404
    assert (await client.get(f"/api/v1/shops/{slug}/products")).status_code == 404


async def test_titles_fall_back_and_seller_text_is_inert(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    await add(db, clock, shops.live, titles={"zh-CN": "茉莉花茶"}, default_language="zh-CN")
    evil = "<script>alert(1)</script>"
    await add(db, clock, shops.live, titles={"en": evil, "fr": "Thé"}, listed_minutes_ago=1)
    slug = shops.slugs[shops.live]

    english = await client.get(f"/categories/{HOME}", headers={"Accept-Language": "en"})
    shop = await client.get(f"/shops/{slug}", headers={"Accept-Language": "en"})
    french = await client.get(f"/categories/{HOME}", headers={"Accept-Language": "fr"})

    for html in (english.text, shop.text):
        assert evil not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "茉莉花茶" in html
    assert "Thé" in french.text
    assert "茉莉花茶" in french.text


@pytest.mark.parametrize("size", [1, 30])
async def test_listings_spend_at_most_three_statements(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops, size: int
) -> None:
    for n in range(size):
        await add(db, clock, shops.live, category_id=CLOTHING, images=n % 3)

    async with counting_statements(db) as cold:
        first = await client.get(f"/categories/{APPAREL}")
    async with counting_statements(db) as warm:
        again = await client.get(f"/categories/{APPAREL}?page=2")
    async with counting_statements(db) as api:
        listing = await client.get(f"/api/v1/categories/{APPAREL}/products")

    assert len(listed(first.text)) == min(size, 24)
    assert (again.status_code, listing.status_code) == (200, 200)
    assert cold.count == 3, cold.seen  # the tree, the page of cards, the counts
    assert warm.count == 1, warm.seen  # the page of cards (tree and counts are cached)
    assert api.count == 1, api.seen


async def test_the_openapi_schema_lists_the_public_catalog(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/api/openapi.json")).json()["paths"]
    for path in (
        "/api/v1/products/{product_id}",
        "/api/v1/categories/{category_id}/products",
        "/api/v1/shops/{slug}/products",
    ):
        assert "get" in paths[path], path
