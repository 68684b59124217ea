"""The settlement journey's own server: a real `galerie serve` on a free port with its own
SQLite file (a copy of the run's migrated template) and the sandbox payment provider, whose
webhooks the server's in-process worker delivers to its own /webhooks/payments/sandbox.

Seeded before it starts with what has no page of its own: two live shops of two
organisations (each opened by an approved application naming a bank account, each with a
warehouse, received stock and one shipping template to China), a teapot under Home & Garden
in the first and a notebook under Apparel & Accessories > Clothing in the second, in the
search index; a shopper with a default address in China; both shops' owners; an operator
who sets the categories' commission rates and reads the payout runs in the console. Every
person gets a password and signs in through the sign-in page.

The server runs no scheduled payout run (GALERIE_PAYOUT_EVERY_DAYS=0): the journey's run is
the `galerie payout-run` command against the same database, as an operator runs it (in the
test's process: another would take seconds to start); the payout minimum is CN¥50 so that
both shops' balances reach it. The factory's shops pay an annual fee per category (CN¥30,000,
which the server's settlement timer would charge at once): these pay none."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from galerie.audit import AuditContext
from galerie.cart import AddressForm, add_address
from galerie.catalog.product_models import Sku
from galerie.cli import main
from galerie.db import Database
from galerie.fulfilment.models import ReceiptTimer
from galerie.identity import OperatorRole, SellerRole, create_operator, hash_password
from galerie.identity.models import User
from galerie.inventory import create_warehouse, receive_stock
from galerie.kernel import SystemClock
from galerie.orders.models import Order
from galerie.search import rebuild_index
from galerie.sellers.models import Shop, ShopCategory
from galerie.shipping import create_shipping_template
from galerie.workers.timers import run_timers
from tests.e2e.conftest import free_port, migrated_sqlite, wait_until_healthy
from tests.e2e.shop_fixtures import run_async
from tests.factories import make_user
from tests.integration.catalog.storefront_factories import ProductSpec, Variation, insert_product
from tests.integration.checkout.factories import template
from tests.integration.inventory.factories import warehouse_form
from tests.integration.sellers.factories import (
    APPAREL,
    CLOTHING,
    HOME,
    insert_shop,
    load_categories,
)

PASSWORD = "lantern-quay-5127"
OPERATOR_EMAIL = "finance@example.test"
SHOP_A, SLUG_A = "Atelier Céladon", "atelier-celadon"
SHOP_B, SLUG_B = "Papeterie Lune", "papeterie-lune"
TEAPOT, NOTEBOOK = "Celadon teapot", "Lune notebook"
PAYOUT_MINIMUM = 5_000  # CN¥50.00


@dataclass(frozen=True, slots=True)
class Seeded:
    shopper_email: str
    seller_a_email: str
    seller_b_email: str
    shop_a: int
    shop_b: int
    teapot: int  # product ids
    notebook: int


@dataclass(frozen=True, slots=True)
class SettlementServer:
    base_url: str
    database_url: str
    env: dict[str, str]  # the server's environment, for `galerie` commands against it
    seeded: Seeded


async def _shop(
    db: Database, now: datetime, name: str, slug: str, category: int, shipping: tuple[str, int]
) -> tuple[int, int, int]:
    """A live shop of a new organisation selling in `category`, with one shipping template
    (method, first unit's fee): (shop id, its warehouse, its owner's user id)."""
    owner = await make_user(db, now=now, seller_role=SellerRole.OWNER, display_name=f"{name} owner")
    assert owner.organisation_id is not None
    shop = await insert_shop(
        db, now, organisation_id=owner.organisation_id, status="live", top_levels=(category,)
    )
    async with db.transaction() as session:
        await session.execute(update(Shop).where(Shop.id == shop).values(name=name, slug=slug))
        # no annual fee for the category (the factory's CN¥30,000 would take every sale)
        await session.execute(
            update(ShopCategory).where(ShopCategory.shop_id == shop).values(annual_fee_minor=0)
        )
    warehouse = await create_warehouse(db, shop_id=shop, form=warehouse_form(), now=now)
    await create_shipping_template(db, shop_id=shop, spec=template(*shipping), now=now)
    return shop, warehouse, owner.user_id


async def _product(
    db: Database, now: datetime, shop: int, warehouse: int, spec: ProductSpec, stock: int
) -> int:
    """A live product of `spec` with one SKU, `stock` of it received in `warehouse`."""
    product = await insert_product(db, now, shop_id=shop, spec=spec)
    async with db.reading() as session:
        sku = await session.scalar(select(Sku.id).where(Sku.product_id == product))
    assert sku is not None
    await receive_stock(
        db, shop_id=shop, warehouse_id=warehouse, sku_id=sku, quantity=stock, now=now
    )
    return product


async def _people(db: Database, now: datetime, users: list[int]) -> list[str]:
    """The users' e-mail addresses, each given the journey's password; and the operator."""
    await create_operator(
        db, email=OPERATOR_EMAIL, password=PASSWORD, display_name="Fen Finance",
        roles=[OperatorRole.ADMIN, OperatorRole.FINANCE], language="en", now=now,
        audit=AuditContext(extra={"source": "e2e"}),
    )  # fmt: skip
    async with db.transaction() as session:
        await session.execute(
            update(User).where(User.id.in_(users)).values(password_hash=hash_password(PASSWORD))
        )
        emails = dict((await session.execute(select(User.id, User.email))).tuples().all())
    return [emails[user] for user in users]


async def _seed(url: str, var: Path) -> Seeded:
    db = Database.from_url(url)
    now = datetime.now(UTC)
    try:
        await load_categories(db, now, var)
        shop_a, warehouse_a, seller_a = await _shop(db, now, SHOP_A, SLUG_A, HOME, ("express", 800))
        shop_b, warehouse_b, seller_b = await _shop(
            db, now, SHOP_B, SLUG_B, APPAREL, ("surface", 300)
        )
        teapot_spec = ProductSpec(
            titles={"en": TEAPOT}, variants=[Variation({}, 16800)], category_id=HOME
        )
        teapot = await _product(db, now, shop_a, warehouse_a, teapot_spec, 3)
        notebook_spec = ProductSpec(
            titles={"en": NOTEBOOK}, variants=[Variation({}, 4500)], category_id=CLOTHING
        )
        notebook = await _product(db, now, shop_b, warehouse_b, notebook_spec, 10)
        shopper = await make_user(db, now=now, display_name="Chen Wei")
        form = AddressForm(
            recipient="Chen Wei", phone="+86 21 5555 0101", country="CN", city="Shanghai",
            line1="88 Century Avenue", postcode="200120",
        )  # fmt: skip
        await add_address(db, user_id=shopper.user_id, form=form, make_default=True, now=now)
        shopper_email, seller_a_email, seller_b_email = await _people(
            db, now, [shopper.user_id, seller_a, seller_b]
        )
        await rebuild_index(db)
    finally:
        await db.dispose()
    return Seeded(shopper_email, seller_a_email, seller_b_email, shop_a, shop_b, teapot, notebook)


@pytest.fixture(scope="module")
def settlement_server(
    chromium: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SettlementServer]:
    """Asks for `chromium` first, so that without a browser nothing is started."""
    var = tmp_path_factory.mktemp("e2e-settlement")
    port = free_port()
    url = f"sqlite+aiosqlite:///{var / 'e2e-settlement.sqlite3'}"
    env = {
        **os.environ, "GALERIE_ENV": "test", "GALERIE_VAR_DIR": str(var),
        "GALERIE_DATABASE_URL": url, "GALERIE_SECRET_KEY": "e2e-settlement-" + "k" * 40,
        # the sandbox provider sends the shopper, and its webhooks, back to this server
        "GALERIE_BASE_URL": f"http://127.0.0.1:{port}", "GALERIE_PAYMENT_PROVIDER": "sandbox",
        "GALERIE_PAYOUT_EVERY_DAYS": "0", "GALERIE_PAYOUT_MINIMUM_MINOR": str(PAYOUT_MINIMUM),
    }  # fmt: skip
    env.pop("GALERIE_REDIS_URL", None)
    env.pop("GALERIE_SANDBOX_CHAOS", None)
    migrated_sqlite(var / "e2e-settlement.sqlite3")
    seeded = run_async(lambda: _seed(url, var))
    log_path = var / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "galerie.cli", "serve", "--host", "127.0.0.1", "--port",
             str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, process, log_path)
            yield SettlementServer(base, url, env, seeded)
        finally:
            process.terminate()
            process.wait(timeout=10)


def galerie_command(server: SettlementServer, *args: str) -> str:
    """`galerie ARGS` against the server's database, in this process (a process of its own
    takes seconds to start); its output (it must succeed)."""
    runner = partial(CliRunner().invoke, main, list(args), env=server.env)
    # asyncio.run inside the command needs a thread without a running loop
    with ThreadPoolExecutor(max_workers=1) as pool:
        done = pool.submit(runner).result()
    assert done.exit_code == 0, done.output
    return done.output


async def _due_now(url: str, number: str, now: datetime) -> None:
    db = Database.from_url(url)
    try:
        async with db.transaction() as session:
            order = await session.scalar(select(Order.id).where(Order.number == number))
            await session.execute(
                update(ReceiptTimer)
                .where(ReceiptTimer.order_id == order, ReceiptTimer.confirmed_at.is_(None))
                .values(confirm_by=now)
            )
            moved = await session.scalar(
                select(ReceiptTimer.confirm_by).where(ReceiptTimer.order_id == order)
            )
            assert moved == now, f"order {number} has no running receipt timer"
    finally:
        await db.dispose()


async def _timers(url: str) -> dict[str, int]:
    db = Database.from_url(url)
    try:
        return await run_timers(db, SystemClock())
    finally:
        await db.dispose()


def run_receipt_timer(server: SettlementServer, *, number: str) -> int:
    """The automatic confirmation of order `number` as its deadline passes: its deadline
    moved to a minute ago (time cannot be moved in a running server), then one pass of the
    worker's timers (`galerie worker --once` runs the same pass, in a process that takes
    seconds to start); how many orders the automatic confirmation confirmed. The server's
    in-process worker then delivers the order's events (the escrow release)."""
    past = datetime.now(UTC) - timedelta(minutes=1)
    run_async(lambda: _due_now(server.database_url, number, past))
    return run_async(lambda: _timers(server.database_url))["overdue_receipts"]
