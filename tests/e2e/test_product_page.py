"""The product page in a real browser: thumbnails switch the main picture, the variant picker
shows the chosen variant's price and stock; without JavaScript the thumbnails are links and
the variants a table. The server is a real `galerie serve` on its own SQLite file, with one
live shop and one product inserted before it starts (there is no catalog page for sellers
in this branch)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from galerie.db import Database
from galerie.demo.documents import png_image
from galerie.identity import SellerRole
from galerie.storage import LocalDiskStorage
from tests.e2e.conftest import (
    ARTIFACTS,
    free_port,
    migrated_sqlite,
    wait_until_healthy,
)
from tests.e2e.shop_fixtures import run_async
from tests.factories import make_user
from tests.integration.catalog.storefront_factories import (
    ProductSpec,
    Variation,
    insert_product,
    insert_warehouse,
)
from tests.integration.sellers.factories import CLOTHING, insert_shop, load_categories


@dataclass(frozen=True, slots=True)
class Served:
    base_url: str
    product_id: int


async def _seed(url: str, var: Path) -> int:
    db = Database.from_url(url)
    now = datetime.now(UTC)
    try:
        await load_categories(db, now, var)
        owner = await make_user(db, now=now, seller_role=SellerRole.OWNER)
        assert owner.organisation_id is not None
        shop = await insert_shop(db, now, organisation_id=owner.organisation_id, status="live")
        warehouse = await insert_warehouse(db, now, shop)
        spec = ProductSpec(
            titles={"en": "Linen shirt"}, category_id=CLOTHING, option_axes=["size", "colour"],
            images=2,
            variants=[
                Variation({"size": "S", "colour": "white"}, 3900, stock=(2,)),
                Variation({"size": "M", "colour": "white"}, 4200, stock=(0,)),
                Variation({"size": "M", "colour": "blue"}, 4500, stock=(50,)),
            ],
        )  # fmt: skip
        product = await insert_product(db, now, shop_id=shop, warehouses=(warehouse,), spec=spec)
    finally:
        await db.dispose()
    storage = LocalDiskStorage(var / "files")
    for n, colour in enumerate([(200, 40, 40), (40, 40, 200)]):
        for key in (f"products/{product}/{n}.png", f"products/{product}/{n}-thumb.png"):
            await storage.put(key, png_image(8, 8, colour), content_type="image/png")
    return product


@pytest.fixture(scope="module")
def served(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    var = tmp_path_factory.mktemp("e2e-product")
    port = free_port()
    url = f"sqlite+aiosqlite:///{var / 'e2e-product.sqlite3'}"
    env = {
        **os.environ, "GALERIE_ENV": "test", "GALERIE_VAR_DIR": str(var),
        "GALERIE_DATABASE_URL": url, "GALERIE_SECRET_KEY": "e2e-product-" + "k" * 40,
    }  # fmt: skip
    env.pop("GALERIE_REDIS_URL", None)
    galerie = [sys.executable, "-m", "galerie.cli"]
    migrated_sqlite(var / "e2e-product.sqlite3")
    product = run_async(lambda: _seed(url, var))
    log_path = var / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*galerie, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, process, log_path)
            yield Served(base, product)
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_the_picker_and_the_gallery_work_with_javascript(browser: Browser, served: Served) -> None:
    context = browser.new_context(base_url=served.base_url, locale="en-GB")
    page = context.new_page()
    page.goto(f"/products/{served.product_id}")
    main = page.locator("#product-main-image")
    expect(main).to_have_attribute("src", f"/images/products/{_image(page, 0)}/full")
    expect(page.locator("#variant-picker")).to_be_visible()
    expect(page.locator("#product-price")).to_have_text("CN¥39.00")
    expect(page.locator("#product-stock")).to_have_text("Only 2 left")

    page.get_by_label("M", exact=True).check()
    expect(page.locator("#product-price")).to_have_text("CN¥42.00")
    expect(page.locator("#product-stock")).to_have_text("Out of stock")
    page.get_by_label("blue", exact=True).check()
    expect(page.locator("#product-price")).to_have_text("CN¥45.00")
    expect(page.locator("#product-stock")).to_have_text("In stock")
    page.get_by_label("S", exact=True).check()
    expect(page.locator("#product-stock")).to_have_text("This combination is not available.")
    expect(page.locator("#product-price")).to_have_text("CN¥39.00 – CN¥45.00")

    page.get_by_role("img", name="Picture 2 of 2").click()
    expect(main).to_have_attribute("src", f"/images/products/{_image(page, 1)}/full")
    assert page.url.endswith(f"/products/{served.product_id}")  # no navigation
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "product-page.png"), full_page=True)
    context.close()


def test_without_javascript_thumbnails_are_links_and_variants_a_table(
    browser: Browser, served: Served
) -> None:
    context = browser.new_context(
        base_url=served.base_url, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"/products/{served.product_id}")
    expect(page.locator("#variant-picker")).to_be_hidden()
    rows = page.locator(".variant-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("M / white")
    expect(rows.nth(1)).to_contain_text("Out of stock")

    page.get_by_role("img", name="Picture 2 of 2").click()
    page.wait_for_url(f"**/products/{served.product_id}?image=1#gallery")
    second = f"/images/products/{_image(page, 1)}/full"
    expect(page.locator("#product-main-image")).to_have_attribute("src", second)
    context.close()


def _image(page: object, index: int) -> str:
    """The id of the product's index-th image, read from its thumbnail link."""
    link = page.locator(".product-thumbnails a").nth(index)  # type: ignore[attr-defined]
    full: str = link.get_attribute("data-full")
    return full.split("/")[3]
