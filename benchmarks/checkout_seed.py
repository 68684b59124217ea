"""A shop to check out from, seeded by plain SQL inserts (Core) in seconds: one category, one
live shop with a warehouse and a shipping template (a flat fee to CN, charged per order), N
live products with one SKU each and STOCK units of it, two more SKUs for the hot-SKU runs
(one for Galerie, one for the floor, so each run's units can be counted apart), and a shopper
with a saved address and a personal API token (`account.view`, `account.manage`: what the
cart and orders API ask of shoppers).

Every SKU costs PRICE_MINOR CNY and product n has exactly one SKU, whose id is n: the raw
floors rely on that to write valid order lines without reading the catalog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from benchmarks.catalog_seed import product_row, seed_shop

PRICE_MINOR = 1990
FEE_MINOR = 800  # the template's flat fee to CN, per shop order
STOCK = 1_000_000
CATEGORY_ID = 1
ADDRESS: dict[str, Any] = {
    "recipient": "Bench Shopper",
    "phone": "+86 138 0000 0000",
    "country": "CN",
    "province": "CN-SH",
    "city": "Shanghai",
    "district": "Pudong",
    "line1": "1 Century Avenue",
    "line2": "",
    "postcode": "200120",
}
PERMISSIONS = ["account.view", "account.manage"]


@dataclass(frozen=True, slots=True)
class CheckoutSeed:
    shop_id: int
    warehouse_id: int
    user_id: int
    address_id: int
    token: str
    skus: int  # SKUs 1..skus, one per product, uncontended runs
    hot_sku: int  # Galerie's hot SKU
    hot_floor_sku: int  # the floor's hot SKU

    def floor_env(self, database: str) -> dict[str, str]:
        return {
            "BENCH_DATABASE": database,
            "BENCH_BUYER": str(self.user_id),
            "BENCH_PRICE": str(PRICE_MINOR),
            "BENCH_FEE": str(FEE_MINOR),
        }


def _sku_rows(n: int, shop: int, warehouse: int, now: datetime) -> tuple[dict[str, Any], ...]:
    product = product_row(n, shop, CATEGORY_ID, now)
    product.update(min_price_minor=PRICE_MINOR, max_price_minor=PRICE_MINOR, option_axes=[])
    text = {"product_id": n, "language": "en", "shop_id": shop, "title": f"Bench item {n}",
            "description": "A fine thing."}  # fmt: skip
    sku = {"id": n, "product_id": n, "shop_id": shop, "seller_sku": f"B{n}", "options": {},
           "price_minor": PRICE_MINOR, "currency": "CNY", "position": 0, "is_active": True,
           "created_at": now, "updated_at": now}  # fmt: skip
    stock = {"shop_id": shop, "warehouse_id": warehouse, "sku_id": n, "on_hand": STOCK,
             "available": STOCK, "reserved": 0, "committed": 0, "updated_at": now}  # fmt: skip
    return product, text, sku, stock


async def _shopper(
    connection: Any, now: datetime, email: str = "shopper@bench.invalid"
) -> tuple[int, int, str]:
    from sqlalchemy import insert

    from galerie.db import metadata
    from galerie.kernel import new_token, token_digest

    t = metadata.tables
    user = (
        await connection.execute(
            insert(t["users"]).values(
                email=email, display_name="Bench shopper",
                password_hash="!bench", preferred_language="en", is_active=True,
                created_at=now,
            )
        )
    ).inserted_primary_key[0]  # fmt: skip
    address = (
        await connection.execute(
            insert(t["shopper_addresses"]).values(
                user_id=user, is_default=True, created_at=now, updated_at=now, **ADDRESS
            )
        )
    ).inserted_primary_key[0]
    token = "gal_" + new_token(32)
    await connection.execute(
        insert(t["api_tokens"]).values(
            user_id=user, name="bench", digest=token_digest(token), prefix=token[:12],
            audience="shopper", permissions=PERMISSIONS, created_at=now,
        )
    )  # fmt: skip
    return int(user), int(address), token


async def _template(connection: Any, shop: int, now: datetime) -> None:
    from sqlalchemy import insert

    from galerie.db import metadata

    rates = [{"countries": ["CN"], "provinces": [], "first": FEE_MINOR, "additional": 0}]
    await connection.execute(
        insert(metadata.tables["shipping_templates"]).values(
            shop_id=shop, name="Flat CN", method="express", charge_by="count", currency="CNY",
            rates=rates, rest_of_world=None, free_above_minor=None, created_at=now,
            updated_at=now,
        )
    )  # fmt: skip


async def seed_checkout(url: str, products: int) -> CheckoutSeed:
    """Migrate the empty database at `url` and add the shop, `products` products, the two
    hot SKUs and the shopper."""
    from sqlalchemy import insert, text
    from sqlalchemy.ext.asyncio import create_async_engine

    import galerie.models  # noqa: F401 - registers every table
    from galerie.db import metadata
    from galerie.schema import upgrade_database

    await upgrade_database(url)
    now = datetime.now(UTC)
    t = metadata.tables
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(t["categories"]).values(
                    id=CATEGORY_ID, name_en="Bench", path="Bench", depth=0,
                    top_level_id=CATEGORY_ID, created_at=now, updated_at=now,
                )
            )  # fmt: skip
            shop, warehouse = await seed_shop(connection, now)
            await _template(connection, shop, now)
            rows = [_sku_rows(n, shop, warehouse, now) for n in range(1, products + 3)]
            for i, table in enumerate(("products", "product_texts", "skus", "stock_levels")):
                await connection.execute(insert(t[table]), [row[i] for row in rows])
            if connection.dialect.name == "postgresql":
                for table in ("products", "skus"):
                    await connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT MAX(id) FROM {table}))"
                        )
                    )
            user, address, token = await _shopper(connection, now)
            await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()
    return CheckoutSeed(shop, warehouse, user, address, token, products, products + 1, products + 2)


async def add_shoppers(url: str, count: int) -> list[tuple[int, int, str]]:
    """`count` more shoppers like the seed's, each with its address and API token: (user id,
    address id, token) each."""
    from sqlalchemy.ext.asyncio import create_async_engine

    now = datetime.now(UTC)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            return [
                await _shopper(connection, now, f"shopper{n}@bench.invalid") for n in range(count)
            ]
    finally:
        await engine.dispose()


async def stock_of(url: str, sku_id: int) -> tuple[int, int, int, int, int]:
    """(on_hand, available, reserved, committed, units in order lines) of the SKU."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            level = (
                await connection.execute(
                    text(
                        "SELECT on_hand, available, reserved, committed FROM stock_levels "
                        "WHERE sku_id = :sku"
                    ),
                    {"sku": sku_id},
                )
            ).one()
            lines = await connection.scalar(
                text("SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE sku_id = :sku"),
                {"sku": sku_id},
            )
    finally:
        await engine.dispose()
    return int(level[0]), int(level[1]), int(level[2]), int(level[3]), int(lines or 0)
