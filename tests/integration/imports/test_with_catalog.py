"""The same journeys through the real catalog (validate_product_draft and save_product):
the demo feed's 500 articles import, a second import changes nothing, and the export imports
back unchanged.

The first import (the whole Google taxonomy, a shop and the 500 articles) is done once per
backend for the module, on a database of its own, committed; each test then works on it in a
transaction rolled back at its end (tests/integration/demo_support.rolled_back)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from galerie.catalog import import_google_taxonomy
from galerie.catalog.product_models import Product
from galerie.db import Database
from galerie.demo.catalog import nordhavn_feed
from galerie.imports import (
    ImportFormat,
    ImportMode,
    ImportRunner,
    catalog_writer,
    export_shop_catalog,
    job_errors,
    job_view,
    request_import,
)
from galerie.kernel import FixedClock
from galerie.sellers.models import Brand, ShopBrand, ShopQualification
from galerie.storage import InMemoryStorage
from tests.conftest import BACKENDS, drop_at_the_end, migrated_database
from tests.integration.demo_support import rolled_back
from tests.integration.sellers.factories import People, insert_shop, make_people

NORDHAVN_TOP_LEVELS = (412, 166, 1239, 536)
SEEDED_AT = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)  # the `clock` fixture's time
Counts = tuple[str, int, int, int, int, int]  # status, total, created, updated, unchanged, failed


async def _nordhavn(db: Database, clock: FixedClock) -> tuple[People, int, str]:
    await import_google_taxonomy(db, now=clock.now())
    people = await make_people(db, clock.now())
    shop_id = await insert_shop(db, clock.now(), organisation_id=people.org, shop_type="flagship",
                                top_levels=NORDHAVN_TOP_LEVELS)  # fmt: skip
    name = f"Nordhavn {shop_id}"
    async with db.transaction() as session:
        brand = Brand(name=name, owner_organisation_id=people.org, created_at=clock.now())
        session.add(brand)
        await session.flush()
        session.add(ShopBrand(shop_id=shop_id, brand_id=brand.id, organisation_id=people.org))
        session.add(ShopQualification(shop_id=shop_id, qualification="food_business_licence",
                                      organisation_id=people.org))  # fmt: skip
    return people, shop_id, name


async def _import(db: Database, clock: FixedClock, people: People, shop_id: int, name: str,
                  data: bytes) -> tuple[Counts, list[str]]:  # fmt: skip
    storage = InMemoryStorage()
    job_id = await request_import(
        db, actor=people["owner"], shop_id=shop_id, filename=name, data=data,
        import_format=None, mode=ImportMode.APPLY, storage=storage, now=clock.now(),
    )  # fmt: skip
    await ImportRunner(db, storage, catalog_writer(), clock).run_pending()
    async with db.reading() as session:
        view = await job_view(session, job_id)
        errors = await job_errors(session, job_id)
    assert view is not None
    counts = (view.status, view.total, view.created, view.updated, view.unchanged, view.failed)
    return counts, [f"{e.row_number} {e.field} {e.code} {e.message}" for e in errors]


@dataclass(frozen=True, slots=True)
class Imported:
    """The module's database after the first import of the feed, and what that import did."""

    url: str
    people: People
    shop_id: int
    brand: str
    first: Counts
    errors: list[str]


@pytest.fixture(scope="module", params=BACKENDS)
async def imported(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    database_urls: dict[str, str],
) -> Imported:
    backend: str = request.param
    if backend not in database_urls:
        pytest.skip("no PostgreSQL server (set GALERIE_REQUIRE_POSTGRES=1 to make this fail)")
    url = await migrated_database(backend, tmp_path_factory.mktemp(f"nordhavn-{backend}"))
    if backend == "postgresql":
        drop_at_the_end(url)
    clock = FixedClock(SEEDED_AT)
    database = Database.from_url(url)
    engine = database.engine
    assert engine is not None
    try:
        async with engine.connect() as connection:
            outer = await connection.begin()
            db = Database.bound_to(connection)  # one commit for the seed, as in every test
            people, shop_id, brand = await _nordhavn(db, clock)
            feed = nordhavn_feed(brand)
            first, errors = await _import(db, clock, people, shop_id, "nordhavn-feed.tsv", feed)
            await outer.commit()
    finally:
        await database.dispose()
    return Imported(url, people, shop_id, brand, first, errors)


@pytest.fixture
async def nordhavn_db(imported: Imported) -> AsyncIterator[Database]:
    """The imported database, every change rolled back after the test."""
    async for database in rolled_back(imported.url):
        yield database


async def test_the_demo_feed_imports_through_the_catalog_and_again_changes_nothing(
    imported: Imported, nordhavn_db: Database, clock: FixedClock
) -> None:
    assert imported.errors == []
    assert imported.first == ("done", 500, 500, 0, 0, 0)
    feed = nordhavn_feed(imported.brand)
    people, shop_id, db = imported.people, imported.shop_id, nordhavn_db
    again, _ = await _import(db, clock, people, shop_id, "nordhavn-feed.tsv", feed)
    assert again == ("done", 500, 0, 0, 500, 0)
    async with db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(Product)) == 500


@pytest.mark.parametrize("import_format", list(ImportFormat))
async def test_an_export_imports_back_unchanged_through_the_catalog(
    imported: Imported, nordhavn_db: Database, clock: FixedClock, import_format: ImportFormat
) -> None:
    assert imported.errors == []
    people, shop_id, db = imported.people, imported.shop_id, nordhavn_db
    exported = await export_shop_catalog(
        db, actor=people["owner"], shop_id=shop_id, import_format=import_format
    )
    counts, errors = await _import(db, clock, people, shop_id, exported.filename, exported.data)
    assert errors == []
    assert counts == ("done", 500, 0, 0, 500, 0)
