"""A catalog to benchmark the storefront on: the shipped Google taxonomy, one live shop and
PRODUCTS live products spread over the categories under "Apparel & Accessories" (166), each
with titles in three languages, three variants with stock and two images. Plain SQL inserts
(Core), so seeding takes seconds; the products are what the catalog services would write."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

ROOT_CATEGORY = 166
PRODUCTS = 3000
LANGUAGES = ("en", "fr", "zh-CN")


@dataclass(frozen=True, slots=True)
class Seeded:
    category_id: int
    category_ids: list[int]  # the category and every category below it
    product_id: int  # a product with three variants and two images, for the product page


async def _descendants(connection: object, root: int) -> list[int]:
    from sqlalchemy import text

    rows = await connection.execute(text("SELECT id, parent_id FROM categories"))  # type: ignore[attr-defined]
    children: dict[int, list[int]] = {}
    for row_id, parent in rows:
        if parent is not None:
            children.setdefault(int(parent), []).append(int(row_id))
    found, stack = [], [root]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


async def seed_shop(connection: object, now: datetime) -> tuple[int, int]:
    from sqlalchemy import insert

    import galerie.models  # noqa: F401 - registers every table
    from galerie.db import metadata

    t = metadata.tables
    run = connection.execute  # type: ignore[attr-defined]
    org = (
        await run(insert(t["seller_organisations"]).values(name="Bench org", created_at=now))
    ).inserted_primary_key[0]
    app = (
        await run(
            insert(t["seller_applications"]).values(
                organisation_id=org,
                applicant_kind="business",
                legal_name="Bench Ltd",
                registration_number="BENCH1",
                country="CN",
                address="1 Road",
                legal_representative="Bench",
                contact_email="b@example.invalid",
                contact_phone="+86 1",
                bank_account_holder="Bench",
                bank_account_number="1",
                shop_type="flagship",
                category_ids=[ROOT_CATEGORY],
                brand_ids=[],
                status="approved",
                submissions=1,
                created_at=now,
                updated_at=now,
            )
        )
    ).inserted_primary_key[0]
    shop = (
        await run(
            insert(t["shops"]).values(
                organisation_id=org,
                application_id=app,
                shop_type="flagship",
                name="Bench flagship",
                slug="bench-flagship",
                descriptions={},
                navigation=[],
                status="live",
                deposit_required_minor=0,
                deposit_currency="CNY",
                created_at=now,
                updated_at=now,
            )
        )
    ).inserted_primary_key[0]
    warehouse = (
        await run(
            insert(t["warehouses"]).values(
                shop_id=shop,
                code="MAIN",
                name="Main",
                country="CN",
                city="Shanghai",
                address_line="1 Road",
                is_active=True,
                created_at=now,
                updated_at=now,
            )
        )
    ).inserted_primary_key[0]
    return int(shop), int(warehouse)


def product_row(n: int, shop: int, category: int, now: datetime) -> dict[str, object]:
    return {
        "id": n, "shop_id": shop, "seller_ref": f"B{n}", "category_id": category,
        "default_language": "en", "status": "live", "findings": [], "option_axes": ["size"],
        "attributes": {"material": "cotton"}, "currency": "CNY",
        "min_price_minor": 1000 + n, "max_price_minor": 1200 + n, "sales_count": n % 97,
        "rating_count": 0, "rating_sum": 0, "content_hash": "0" * 64, "version": 1,
        "created_at": now, "updated_at": now, "listed_at": now - timedelta(minutes=n),
    }  # fmt: skip


async def seed_catalog(url: str) -> Seeded:
    """Migrate `url`, import the shipped taxonomy and add the catalog (once per database)."""
    from sqlalchemy import func, select
    from sqlalchemy.ext.asyncio import create_async_engine

    import galerie.models  # noqa: F401
    from galerie.catalog import import_google_taxonomy
    from galerie.db import Database, metadata
    from galerie.schema import upgrade_database

    await upgrade_database(url)
    now = datetime.now(UTC)
    db = Database.from_url(url)
    try:
        await import_google_taxonomy(db, now=now)
    finally:
        await db.dispose()
    t = metadata.tables
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            categories = await _descendants(connection, ROOT_CATEGORY)
            existing = await connection.scalar(select(func.count()).select_from(t["products"]))
            if existing:
                first = await connection.scalar(select(func.min(t["products"].c.id)))
                return Seeded(ROOT_CATEGORY, categories, int(first or 0))
            shop, warehouse = await seed_shop(connection, now)
            await _products(connection, shop, warehouse, categories, now)
            first = await connection.scalar(select(func.min(t["products"].c.id)))
    finally:
        await engine.dispose()
    return Seeded(ROOT_CATEGORY, categories, int(first or 0))


async def _products(
    connection: object, shop: int, warehouse: int, categories: list[int], now: datetime
) -> None:
    from sqlalchemy import insert

    from galerie.db import metadata

    t = metadata.tables
    run = connection.execute  # type: ignore[attr-defined]
    products, texts, skus, images, stock = [], [], [], [], []
    for n in range(1, PRODUCTS + 1):
        products.append(product_row(n, shop, categories[n % len(categories)], now))
        for language in LANGUAGES:
            title = f"{language} product {n} " + "word " * 8
            texts.append(
                {"product_id": n, "language": language, "shop_id": shop, "title": title,
                 "description": "A fine thing. " * 20}
            )  # fmt: skip
        for v in range(3):
            skus.append(
                {"id": n * 10 + v, "product_id": n, "shop_id": shop, "seller_sku": f"B{n}-{v}",
                 "options": {"size": str(38 + v)}, "price_minor": 1000 + n + 100 * v,
                 "currency": "CNY", "position": v, "is_active": True, "created_at": now,
                 "updated_at": now}
            )  # fmt: skip
            stock.append(
                {"shop_id": shop, "warehouse_id": warehouse, "sku_id": n * 10 + v,
                 "on_hand": v * 3, "available": v * 3, "reserved": 0, "committed": 0,
                 "updated_at": now}
            )  # fmt: skip
        for position in range(2):
            images.append(
                {"product_id": n, "shop_id": shop, "position": position,
                 "storage_key": f"bench/{n}/{position}.png",
                 "thumbnail_key": f"bench/{n}/{position}-t.png", "content_type": "image/png",
                 "created_at": now}
            )  # fmt: skip
    for table, rows in (
        ("products", products), ("product_texts", texts), ("skus", skus),
        ("stock_levels", stock), ("product_images", images),
    ):  # fmt: skip
        await run(insert(t[table]), rows)
    from sqlalchemy import text

    if connection.dialect.name == "postgresql":  # type: ignore[attr-defined]
        for table in ("products", "skus"):
            await run(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
            )
    await run(text("ANALYZE"))


def category_ids_json(seeded: Seeded) -> str:
    return json.dumps(seeded.category_ids)
