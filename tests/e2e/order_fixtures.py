"""The order journey's own server: a real `galerie serve` on a free port with its own SQLite
file, prepared before it starts with what the journey needs and has no page of its own in
this branch: two live shops of two organisations (each with a warehouse, stock received
through the inventory service and shipping templates to China), a product with two variants
in the first and a plain one in the second, all in the search index; a shopper with a
default address in China and another in Japan (where nobody ships); the first shop's owner.
Both people get a password so that they sign in through the sign-in page. Afterwards the
journey reads the outcome from the same SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from galerie.cart import AddressForm, add_address
from galerie.catalog.product_models import Sku
from galerie.db import Database
from galerie.identity import SellerRole, hash_password
from galerie.identity.models import User
from galerie.inventory import create_warehouse, receive_stock
from galerie.orders.models import Order, PaymentGroup
from galerie.search import rebuild_index
from galerie.sellers.models import Shop
from galerie.shipping import create_shipping_template
from tests.e2e.conftest import free_port, migrated_sqlite, wait_until_healthy
from tests.e2e.shop_fixtures import run_async
from tests.factories import make_user
from tests.integration.catalog.storefront_factories import ProductSpec, Variation, insert_product
from tests.integration.checkout.factories import template
from tests.integration.inventory.factories import warehouse_form
from tests.integration.orders.factories import levels
from tests.integration.sellers.factories import insert_shop, load_categories

PASSWORD = "celadon-harbour-3318"
SHOP_A, SLUG_A = "Atelier Céladon", "atelier-celadon"
SHOP_B, SLUG_B = "Papeterie Lune", "papeterie-lune"
TEAPOT, NOTEBOOK = "Celadon teapot", "Lune notebook"


@dataclass(frozen=True, slots=True)
class Seeded:
    shopper_email: str
    seller_email: str
    shop_a: int
    shop_b: int
    teapot: int  # product ids
    notebook: int
    large: int  # SKU ids: the teapot's large variant, the notebook's only one
    notebook_sku: int
    china: int  # the shopper's addresses
    japan: int


@dataclass(frozen=True, slots=True)
class OrderServer:
    base_url: str
    database_url: str
    seeded: Seeded


async def _shop(db: Database, now: datetime, name: str, slug: str) -> tuple[int, int, int]:
    """A live shop of a new organisation: (shop id, its warehouse, its owner's user id)."""
    owner = await make_user(db, now=now, seller_role=SellerRole.OWNER, display_name=f"{name} owner")
    assert owner.organisation_id is not None
    shop = await insert_shop(db, now, organisation_id=owner.organisation_id, status="live")
    async with db.transaction() as session:
        await session.execute(update(Shop).where(Shop.id == shop).values(name=name, slug=slug))
    warehouse = await create_warehouse(db, shop_id=shop, form=warehouse_form(), now=now)
    for method, first in (("express", 800), ("surface", 300)):
        await create_shipping_template(db, shop_id=shop, spec=template(method, first), now=now)
    return shop, warehouse, owner.user_id


async def _product(
    db: Database, now: datetime, shop: int, warehouse: int, spec: ProductSpec, stock: list[int]
) -> tuple[int, list[int]]:
    """A live product of `spec` and its SKU ids, each SKU's stock received in `warehouse`."""
    product = await insert_product(db, now, shop_id=shop, spec=spec)
    async with db.reading() as session:
        skus = list(
            await session.scalars(
                select(Sku.id).where(Sku.product_id == product).order_by(Sku.position)
            )
        )
    for sku, quantity in zip(skus, stock, strict=True):
        await receive_stock(
            db, shop_id=shop, warehouse_id=warehouse, sku_id=sku, quantity=quantity, now=now
        )
    return product, skus


async def _address(db: Database, now: datetime, user_id: int, country: str, city: str) -> int:
    form = AddressForm(
        recipient="Chen Wei", phone="+86 21 5555 0101", country=country, city=city,
        line1="88 Century Avenue" if country == "CN" else "1-1 Marunouchi", postcode="200120",
    )  # fmt: skip
    return await add_address(db, user_id=user_id, form=form, make_default=country == "CN", now=now)


async def _seed(url: str, var: Path) -> Seeded:
    db = Database.from_url(url)
    now = datetime.now(UTC)
    try:
        await load_categories(db, now, var)
        shop_a, warehouse_a, seller = await _shop(db, now, SHOP_A, SLUG_A)
        shop_b, warehouse_b, _ = await _shop(db, now, SHOP_B, SLUG_B)
        teapot_spec = ProductSpec(
            titles={"en": TEAPOT}, option_axes=["size"],
            variants=[Variation({"size": "Small"}, 12800), Variation({"size": "Large"}, 16800)],
        )  # fmt: skip
        teapot, (_, large) = await _product(db, now, shop_a, warehouse_a, teapot_spec, [4, 3])
        notebook_spec = ProductSpec(titles={"en": NOTEBOOK}, variants=[Variation({}, 4500)])
        notebook, (notebook_sku,) = await _product(
            db, now, shop_b, warehouse_b, notebook_spec, [10]
        )
        shopper = await make_user(db, now=now, display_name="Chen Wei")
        china = await _address(db, now, shopper.user_id, "CN", "Shanghai")
        japan = await _address(db, now, shopper.user_id, "JP", "Tokyo")
        async with db.transaction() as session:
            await session.execute(
                update(User)
                .where(User.id.in_([shopper.user_id, seller]))
                .values(password_hash=hash_password(PASSWORD))
            )
            seller_email = await session.scalar(select(User.email).where(User.id == seller))
        assert seller_email is not None
        await rebuild_index(db)
    finally:
        await db.dispose()
    return Seeded(
        shopper.email, seller_email, shop_a, shop_b, teapot, notebook, large, notebook_sku,
        china, japan,
    )  # fmt: skip


@pytest.fixture(scope="module")
def order_server(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OrderServer]:
    """Asks for `chromium` first, so that without a browser nothing is started."""
    var = tmp_path_factory.mktemp("e2e-orders")
    port = free_port()
    url = f"sqlite+aiosqlite:///{var / 'e2e-orders.sqlite3'}"
    env = {
        **os.environ, "GALERIE_ENV": "test", "GALERIE_VAR_DIR": str(var),
        "GALERIE_DATABASE_URL": url, "GALERIE_SECRET_KEY": "e2e-orders-" + "k" * 40,
        # the sandbox provider sends the shopper, and its webhooks, back to this server
        "GALERIE_BASE_URL": f"http://127.0.0.1:{port}",
    }  # fmt: skip
    env.pop("GALERIE_REDIS_URL", None)
    galerie = [sys.executable, "-m", "galerie.cli"]
    migrated_sqlite(var / "e2e-orders.sqlite3")
    seeded = run_async(lambda: _seed(url, var))
    log_path = var / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*galerie, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, process, log_path)
            yield OrderServer(base, url, seeded)
        finally:
            process.terminate()
            process.wait(timeout=10)


@dataclass(frozen=True, slots=True)
class Outcome:
    groups: int
    orders: dict[int, tuple[int, str]]  # shop id -> (payment group id, status)
    stock: dict[int, tuple[int, int, int, int]]  # SKU id -> on hand, available, reserved, committed


async def _outcome(url: str, skus: list[int]) -> Outcome:
    db = Database.from_url(url)
    try:
        async with db.reading() as session:
            groups = len(list(await session.scalars(select(PaymentGroup.id))))
            rows = await session.execute(
                select(Order.shop_id, Order.payment_group_id, Order.status)
            )
            orders = {shop: (group, status) for shop, group, status in rows}
        return Outcome(groups, orders, await levels(db, skus))
    finally:
        await db.dispose()


def outcome(server: OrderServer) -> Outcome:
    """What the journey left in the database: payment groups, orders per shop, stock."""
    skus = [server.seeded.large, server.seeded.notebook_sku]
    return run_async(lambda: _outcome(server.database_url, skus))
