"""The product page and its API: what shoppers see (live products of live shops only; every
other state is a plain 404), previews for the shop's team and operators, variants and stock,
languages, images, inert seller text, and the query budget."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.storage import InMemoryStorage
from galerie.web.auth import galerie_of_app
from tests.factories import make_token
from tests.integration.catalog.storefront_factories import (
    ProductSpec,
    Variation,
    insert_brand,
    insert_product,
    insert_warehouse,
)
from tests.integration.sellers.factories import APPAREL, CLOTHING
from tests.web.sessions import sign_in_as
from tests.web.statement_counter import counting_statements
from tests.web.storefront_catalog_factories import Shops, make_shops
from tests.web.test_shop_pages import same_page

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HIDDEN_CASES = ("draft", "pending", "rejected", "delisted", "suspended_shop", "preparing_shop")


@pytest.fixture
async def shops(db: Database, clock: FixedClock, tmp_path: Path) -> Shops:
    return await make_shops(db, clock, tmp_path)


async def sneaker(db: Database, clock: FixedClock, shops: Shops, **changes: object) -> int:
    now = clock.now()
    warehouse = await insert_warehouse(db, now, shops.live)
    spec = ProductSpec(
        titles={"en": "Canvas sneaker", "fr": "Basket en toile"}, category_id=CLOTHING,
        brand_id=await insert_brand(db, now, "Pas"), option_axes=["size"],
        attributes={"material": "canvas"}, return_exclusion="perishable", images=2,
        variants=[
            Variation({"size": "40"}, 5000, stock=(3,)),
            Variation({"size": "41"}, 5500, stock=(0,)),
            Variation({"size": "42"}, 5500, stock=(40,)),
        ],
    )  # fmt: skip
    for key, value in changes.items():
        setattr(spec, key, value)
    shop_id = int(changes.pop("shop_id", shops.live))  # type: ignore[call-overload]
    return await insert_product(db, now, shop_id=shop_id, warehouses=(warehouse,), spec=spec)


async def hidden_product(db: Database, clock: FixedClock, shops: Shops, case: str) -> int:
    if case.endswith("_shop"):
        shop_id = shops.suspended if case == "suspended_shop" else shops.preparing
        return await insert_product(db, clock.now(), shop_id=shop_id, spec=ProductSpec(images=1))
    spec = ProductSpec(status=case, images=1)
    return await insert_product(db, clock.now(), shop_id=shops.live, spec=spec)


async def test_a_live_product_page_shows_price_variants_stock_and_the_shop(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    product = await sneaker(db, clock, shops)

    response = await client.get(f"/products/{product}", headers={"Accept-Language": "en"})

    assert response.status_code == 200
    html = response.text
    assert '<h1 id="product-title">Canvas sneaker</h1>' in html
    assert "CN¥50.00 – CN¥55.00" in html
    assert "<td>40</td><td>CN¥50.00</td><td>Only 3 left</td>" in html
    assert "<td>41</td><td>CN¥55.00</td><td>Out of stock</td>" in html
    assert "<td>42</td><td>CN¥55.00</td><td>In stock</td>" in html
    assert "No 7-day no-reason returns: perishable goods." in html
    assert f'href="/shops/{shops.slugs[shops.live]}"' in html
    assert f'href="/categories/{APPAREL}">Apparel &amp; Accessories</a>' in html
    assert "<dt>Material</dt><dd>canvas</dd>" in html
    assert 'name="size" value="41"' in html
    assert html.count('src="/images/products/') == 3  # the main picture and two thumbnails


async def test_the_page_speaks_the_shoppers_language_with_a_fallback(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    product = await sneaker(db, clock, shops)
    french = await client.get(f"/products/{product}", headers={"Accept-Language": "fr"})
    chinese = await client.get(f"/products/{product}", headers={"Accept-Language": "zh-CN"})
    api = await client.get(f"/api/v1/products/{product}?lang=fr")

    assert '<h1 id="product-title">Basket en toile</h1>' in french.text
    assert "Plus que 3" in french.text
    assert '<h1 id="product-title">Canvas sneaker</h1>' in chinese.text
    assert 'lang="en"' in chinese.text
    assert (api.json()["title"], api.json()["language"]) == ("Basket en toile", "fr")


@pytest.mark.parametrize("case", HIDDEN_CASES)
async def test_hidden_products_are_a_plain_404_for_shoppers(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock, shops: Shops,
    case: str,
) -> None:  # fmt: skip
    product = await hidden_product(db, clock, shops, case)
    for who in (None, "shopper", "rival"):
        if who is not None:
            await sign_in_as(client, app, shops.people[who].user_id)
        page = await client.get(f"/products/{product}")
        api = await client.get(f"/api/v1/products/{product}")
        image = await client.get(f"/images/products/{await _first_image(db, product)}/full")
        cover = await client.get(f"/images/product-covers/{product}/thumb")
        assert (page.status_code, api.status_code, image.status_code) == (404, 404, 404), who
        assert cover.status_code == 404, who
        never = await client.get("/products/999999999")
        hidden_text = same_page(page.text, f"/products/{product}")
        assert hidden_text == same_page(never.text, "/products/999999999")


@pytest.mark.parametrize("who", ["owner", "staff", "moderation"])
async def test_the_shops_team_and_operators_may_preview(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock, shops: Shops,
    who: str,
) -> None:  # fmt: skip
    product = await hidden_product(db, clock, shops, "draft")
    await sign_in_as(client, app, shops.people[who].user_id)
    storage = galerie_of_app(app).storage
    assert isinstance(storage, InMemoryStorage)
    await storage.put(f"products/{product}/0.png", PNG, content_type="image/png")

    page = await client.get(f"/products/{product}")
    image = await client.get(f"/images/products/{await _first_image(db, product)}/full")

    assert page.status_code == 200
    assert "Preview: not visible to shoppers." in page.text
    assert (image.status_code, image.headers["cache-control"]) == (200, "private, no-store")


async def _first_image(db: Database, product: int) -> int:
    async with db.hot_reads() as reader:
        row = await reader.fetchrow(
            "SELECT MIN(id) FROM product_images WHERE product_id = $1", product
        )
    assert row is not None
    return int(row[0])


async def test_public_images_are_cacheable_and_missing_ones_are_placeholders(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock, shops: Shops
) -> None:
    product = await sneaker(db, clock, shops)
    bare = await sneaker(db, clock, shops, images=0)
    storage = galerie_of_app(app).storage
    assert isinstance(storage, InMemoryStorage)
    await storage.put(f"products/{product}/0-thumb.png", PNG, content_type="image/png")
    await storage.put(f"products/{product}/1.png", b"not an image", content_type="image/png")
    first = await _first_image(db, product)

    thumb = await client.get(f"/images/products/{first}/thumb")
    missing = await client.get(f"/images/products/{first}/full")
    not_image = await client.get(f"/images/products/{first + 1}/full")
    bad_size = await client.get(f"/images/products/{first}/huge")
    placeholder = await client.get(f"/products/{bare}")

    assert (thumb.status_code, thumb.content) == (200, PNG)
    assert thumb.headers["cache-control"] == "public, max-age=86400"
    assert "set-cookie" not in thumb.headers
    assert thumb.headers["content-type"] == "image/png"
    assert [missing.status_code, not_image.status_code, bad_size.status_code] == [404, 404, 404]
    assert 'class="product-placeholder" role="img" aria-label="No picture yet"' in placeholder.text
    cover = await client.get(f"/images/product-covers/{product}/thumb")
    assert (cover.status_code, cover.content) == (200, PNG)
    assert cover.headers["cache-control"] == "public, max-age=86400"
    no_cover = await client.get(f"/images/product-covers/{bare}/thumb")
    assert no_cover.status_code == 404


async def test_seller_text_is_inert(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    evil = '<script>alert("x")</script>'
    product = await sneaker(
        db, clock, shops, titles={"en": evil}, option_axes=["size"],
        variants=[Variation({"size": evil}, 100), Variation({"size": "M"}, 200)],
        attributes={"material": evil},
    )  # fmt: skip

    response = await client.get(f"/products/{product}")

    assert response.status_code == 200
    assert evil not in response.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in response.text
    assert "\\u003cscript\\u003e" in response.text  # the picker's JSON


async def test_the_api_gives_the_product_with_its_variants(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    product = await sneaker(db, clock, shops)

    body = (await client.get(f"/api/v1/products/{product}")).json()

    assert body["min_price"] == {"minor": 5000, "currency": "CNY"}
    assert [(v["options"], v["availability"], v["left"]) for v in body["variants"]] == [
        ({"size": "40"}, "low", 3),
        ({"size": "41"}, "out_of_stock", None),
        ({"size": "42"}, "in_stock", None),
    ]
    assert body["shop"]["slug"] == shops.slugs[shops.live]
    assert [c["id"] for c in body["breadcrumb"]] == [APPAREL, CLOTHING]
    assert body["public"] is True
    bad = await client.get(f"/api/v1/products/{product}?lang=de")
    assert (bad.status_code, bad.json()["code"]) == (400, "bad_language")


@pytest.mark.parametrize("size", [1, 30])
async def test_the_product_page_spends_at_most_three_statements(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops,
    size: int,
) -> None:  # fmt: skip
    variants = [Variation({"size": str(n)}, 100 + n, stock=(n,)) for n in range(size)]
    product = await sneaker(db, clock, shops, variants=variants, images=size)

    async with counting_statements(db) as cold:
        first = await client.get(f"/products/{product}")
    async with counting_statements(db) as warm:
        again = await client.get(f"/products/{product}")

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.text.count("<tr><td>") == (size if size > 1 else 0)
    assert cold.count == 3, cold.seen
    assert warm.count == 1, warm.seen  # the state only: the rendered content is kept


async def test_the_api_lets_the_shops_team_preview_and_no_one_else(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    product = await hidden_product(db, clock, shops, "pending")
    answers = {}
    for who in ("owner", "rival", "shopper"):
        token = await make_token(
            db, user_id=shops.people[who].user_id, now=clock.now(), permissions=[]
        )
        response = await client.get(
            f"/api/v1/products/{product}", headers={"Authorization": f"Bearer {token}"}
        )
        answers[who] = (response.status_code, response.json().get("public"))
    assert answers == {"owner": (200, False), "rival": (404, None), "shopper": (404, None)}
