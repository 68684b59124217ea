"""The seeded demo, once per backend for the whole run (seeding takes seconds): the demo
tests read it through a connection whose transaction is rolled back at the end of each
test, so a test that seeds again or signs in leaves it as it was.

`demo_base` is seed_demo without var_dir (accounts, shops, brands, applications, shipping);
`demo_full` adds the catalog (the real catalog writer for each shop's first PER_SHOP
products), stock and the shoppers' orders in every state."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from galerie.catalog.drafts import ProductDraft
from galerie.db import Database
from galerie.demo import seed_demo
from galerie.demo.catalog_seed import OTHER_SHOPS, plan_products
from galerie.imports import catalog_writer
from galerie.imports.ports import DraftProblemLike, SavedProductLike
from galerie.kernel import FixedClock
from galerie.storage import FileStorage, InMemoryStorage, LocalDiskStorage
from tests.conftest import drop_postgres_database, migrated_database

PER_SHOP = 8  # products each shop really saves; the others are skipped
SEEDED_AT = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)  # the `clock` fixture's time


@dataclass(frozen=True, slots=True)
class Skipped:
    product_id: int
    outcome: str
    status: str


class FewProducts:
    """The real catalog writer for each shop's first PER_SHOP products (the orders need
    live SKUs in the database); the rest are skipped, to keep the seed short."""

    def __init__(self) -> None:
        self.real = catalog_writer()
        self.seen: Counter[int] = Counter()

    async def validate_product_draft(
        self, db: Database, *, shop_id: int, draft: ProductDraft
    ) -> tuple[DraftProblemLike, ...]:
        return await self.real.validate_product_draft(db, shop_id=shop_id, draft=draft)

    async def save_product(
        self,
        db: Database,
        *,
        actor_user_id: int | None,
        shop_id: int,
        draft: ProductDraft,
        now: datetime,
        submit: bool = True,
    ) -> SavedProductLike:
        self.seen[shop_id] += 1
        if self.seen[shop_id] > PER_SHOP:
            return Skipped(0, "unchanged", "draft")
        return await self.real.save_product(
            db, actor_user_id=actor_user_id, shop_id=shop_id, draft=draft, now=now, submit=submit
        )


async def thumbnails_stored() -> InMemoryStorage:
    """Thumbnails already stored: the seed draws no pictures."""
    storage = InMemoryStorage()
    for plan in OTHER_SHOPS:
        for product in plan_products(plan):
            key = f"demo/products/{plan.slug}/{product.seller_ref}.thumb.png"
            await storage.put(key, b"png", content_type="image/png")
    return storage


@dataclass(frozen=True, slots=True)
class SeededDemo:
    url: str
    storage: FileStorage
    files: Path  # LocalDiskStorage's root (demo_base), else the var dir
    var_dir: Path | None
    first_seed: bool  # what the one real seed_demo call returned


async def seeded_demo(backend: str, directory: Path, *, full: bool) -> AsyncIterator[SeededDemo]:
    """A migrated database of its own with the demo seeded once, committed as one
    transaction (the seed's own transactions are savepoints in it, as in every test:
    one commit instead of thousands)."""
    url = await migrated_database(backend, directory, "demo")
    clock = FixedClock(SEEDED_AT)
    database = Database.from_url(url)
    engine = database.engine
    assert engine is not None
    try:
        async with engine.connect() as connection:
            outer = await connection.begin()
            bound = Database.bound_to(connection)
            if full:
                storage: FileStorage = await thumbnails_stored()
                first = await seed_demo(
                    bound, clock, storage=storage, var_dir=directory, catalog=FewProducts()
                )
                demo = SeededDemo(url, storage, directory, directory, first)
            else:
                storage = LocalDiskStorage(directory / "files")
                first = await seed_demo(bound, clock, storage=storage)
                demo = SeededDemo(url, storage, directory / "files", None, first)
            await outer.commit()
        await database.dispose()
        yield demo
    finally:
        await database.dispose()
        if backend == "postgresql":
            await drop_postgres_database(url)


async def rolled_back(url: str) -> AsyncIterator[Database]:
    """A Database whose transactions are savepoints in one transaction rolled back at the
    end: the test sees the seeded demo and leaves it unchanged."""
    database = Database.from_url(url)
    engine = database.engine
    assert engine is not None
    try:
        async with engine.connect() as connection:
            outer = await connection.begin()
            yield Database.bound_to(connection)
            if outer.is_active:
                await outer.rollback()
    finally:
        await database.dispose()
