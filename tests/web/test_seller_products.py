"""The seller centre's product pages: list, create through the form (problems shown beside
their fields, nothing written), edit, submit and withdraw, images; and outsiders."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from PIL import Image

from galerie.catalog import add_product_image, save_product
from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.web.app import all_handlers
from galerie.web.auth import galerie_of_app
from tests.integration.catalog_products.factories import HOME, World, counts, home_draft, make_world
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import csrf_token, post_form

FORM = {
    "seller_ref": "TEA-1",
    "category_id": str(HOME),
    "brand_id": "",
    "default_language": "en",
    "title_en": "Celadon teapot",
    "title_zh": "青瓷茶壶",
    "title_fr": "",
    "description_en": "Hand thrown.",
    "option_axes": "size",
    "currency": "CNY",
    "return_exclusion": "",
    "v0_sku": "TEA-1-S",
    "v0_options": "S",
    "v0_price": "88.00",
    "v0_gtin": "4006381333931",
    "v1_sku": "TEA-1-L",
    "v1_options": "L",
    "v1_price": "128.00",
    "intent": "submit",
}


@pytest.fixture
async def world(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path
) -> World:
    made = await make_world(db, clock.now(), tmp_path)
    await sign_in_as(client, app, made.people["staff"].user_id)
    return made


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (1, 2, 3)).save(out, format="PNG")
    return out.getvalue()


async def test_a_seller_creates_edits_and_lists_a_product(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    base = f"/seller/shops/{world.shop}/products"
    assert 'id="shop-products"' in (await client.get(f"/seller/shops/{world.shop}")).text
    assert (await client.get(f"{base}/new")).status_code == 200
    created = await post_form(client, base, FORM)
    assert created.status_code == 303, created.text
    location = created.headers["location"]
    assert location.endswith("?saved=created")
    page = await client.get(location)
    assert page.status_code == 200
    assert 'id="listing-status">Live<' in page.text
    product_url = location.split("?")[0]
    unchanged = await post_form(client, product_url, FORM)
    assert unchanged.headers["location"].endswith("?saved=unchanged")
    listed = await client.get(base, params={"q": "teapot"})
    assert "TEA-1" in listed.text
    withdrawn = await post_form(client, f"{product_url}/withdraw", {})
    assert withdrawn.status_code == 303
    assert 'id="listing-status">Draft<' in (await client.get(product_url)).text
    token = await csrf_token(client)
    uploaded = await client.post(
        f"{product_url}/images",
        data={"_csrf_token": token},
        files={"file": ("a.png", png(), "image/png")},
    )
    assert uploaded.status_code == 303, uploaded.text
    shown = await client.get(product_url)
    assert "/thumbnail" in shown.text
    bad = await client.post(
        f"{product_url}/images",
        data={"_csrf_token": token},
        files={"file": ("a.png", b"nope", "image/png")},
    )
    assert bad.status_code == 422
    assert 'id="image-error"' in bad.text


async def test_problems_show_beside_their_fields_and_nothing_is_written(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    before = await counts(db)
    wrong = FORM | {"v0_gtin": "4006381333932", "title_en": "", "v1_price": "abc"}
    response = await post_form(client, f"/seller/shops/{world.shop}/products", wrong)
    assert response.status_code == 422
    assert 'id="v1_price-error"' in response.text
    assert await counts(db) == before
    fixed = await post_form(
        client,
        f"/seller/shops/{world.shop}/products",
        FORM | {"v0_gtin": "4006381333932", "title_en": ""},
    )
    assert fixed.status_code == 422
    assert 'id="v0_gtin-error"' in fixed.text
    assert 'id="title_en-error"' in fixed.text
    assert await counts(db) == before


async def test_outsiders_get_nothing(
    app: Litestar, client: httpx.AsyncClient, db: Database, world: World, clock: FixedClock
) -> None:
    saved = await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
    )
    url = f"/seller/shops/{world.shop}/products/{saved.product_id}"
    await sign_in_as(client, app, world.people["rival"].user_id)
    before = await counts(db)
    assert (await client.get(url)).status_code == 404
    assert (await client.get(f"/seller/shops/{world.shop}/products")).status_code == 404
    assert (await post_form(client, f"{url}/withdraw", {})).status_code == 404
    assert (await post_form(client, url, FORM | {"seller_ref": "VASE-1"})).status_code == 404
    # The rival's own shop does not reach the product either.
    assert (
        await client.get(f"/seller/shops/{world.rival_shop}/products/{saved.product_id}")
    ).status_code == 404
    client.cookies.clear()
    await sign_in_as(client, app, world.people["shopper"].user_id)
    refused = await client.get(url)
    assert refused.status_code == 403, refused.text[:3000]
    assert await counts(db) == {**before, "audit": (await counts(db))["audit"]}


PRODUCT_ROUTES = [
    ("GET", "/seller/shops/{shop}/products"),
    ("GET", "/seller/shops/{shop}/products/new"),
    ("POST", "/seller/shops/{shop}/products"),
    ("GET", "/seller/shops/{shop}/products/{product}"),
    ("POST", "/seller/shops/{shop}/products/{product}"),
    ("POST", "/seller/shops/{shop}/products/{product}/submit"),
    ("POST", "/seller/shops/{shop}/products/{product}/withdraw"),
    ("POST", "/seller/shops/{shop}/products/{product}/images"),
    ("POST", "/seller/shops/{shop}/products/{product}/images/{image}/remove"),
    ("POST", "/seller/shops/{shop}/products/{product}/images/{image}/first"),
    ("GET", "/seller/shops/{shop}/products/{product}/images/{image}/thumbnail"),
]


def test_every_id_bearing_product_route_is_tried(app: Litestar) -> None:
    mine = {
        (method, path)
        for path, handler in all_handlers(app)
        for method in getattr(handler, "http_methods", ())
        if handler.fn.__module__.startswith("galerie.web.seller.products") and "{" in path
    }
    names = {
        "{shop}": "{shop_id:int}",
        "{product}": "{product_id:int}",
        "{image}": "{image_id:int}",
    }
    tried = set()
    for method, template in PRODUCT_ROUTES:
        for short, full in names.items():
            template = template.replace(short, full)
        tried.add((method, template))
    assert mine == tried


@pytest.mark.parametrize(("method", "template"), PRODUCT_ROUTES)
async def test_another_organisation_gets_404_on_every_product_route(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    world: World,
    clock: FixedClock,
    method: str,
    template: str,
) -> None:
    saved = await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
    )
    image = await add_product_image(
        db,
        galerie_of_app(app).storage,
        actor_user_id=None,
        shop_id=world.shop,
        product_id=saved.product_id,
        data=png(),
        filename="a.png",
        now=clock.now(),
    )
    client.cookies.clear()
    await sign_in_as(client, app, world.people["rival"].user_id)
    path = template.format(shop=world.shop, product=saved.product_id, image=image)
    before = await counts(db)
    if method == "GET":
        response = await client.get(path)
    else:
        data = {**FORM, "seller_ref": "VASE-1", "_csrf_token": await csrf_token(client)}
        files = {"file": ("a.png", png(), "image/png")} if path.endswith("/images") else None
        response = await client.post(path, data=data, files=files)
    assert response.status_code == 404, response.text
    assert await counts(db) == before
