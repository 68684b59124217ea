"""The same journeys through the real catalog (validate_product_draft and save_product),
skipped until galerie.catalog provides them: the demo feed's 500 articles import, a second
import changes nothing, and the export imports back unchanged."""

from __future__ import annotations

from pathlib import Path

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
from tests.integration.sellers.factories import People, insert_shop, make_people

NORDHAVN_TOP_LEVELS = (412, 166, 1239, 536)


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
                  data: bytes) -> tuple[tuple[str, int, int, int, int, int], list[str]]:  # fmt: skip
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


async def test_the_demo_feed_imports_through_the_catalog_and_again_changes_nothing(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    people, shop_id, brand = await _nordhavn(db, clock)
    feed = nordhavn_feed(brand)
    first, errors = await _import(db, clock, people, shop_id, "nordhavn-feed.tsv", feed)
    assert errors == []
    assert first == ("done", 500, 500, 0, 0, 0)
    again, _ = await _import(db, clock, people, shop_id, "nordhavn-feed.tsv", feed)
    assert again == ("done", 500, 0, 0, 500, 0)
    async with db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(Product)) == 500


@pytest.mark.parametrize("import_format", list(ImportFormat))
async def test_an_export_imports_back_unchanged_through_the_catalog(
    db: Database, clock: FixedClock, tmp_path: Path, import_format: ImportFormat
) -> None:
    people, shop_id, brand = await _nordhavn(db, clock)
    feed = nordhavn_feed(brand)
    await _import(db, clock, people, shop_id, "nordhavn-feed.tsv", feed)
    exported = await export_shop_catalog(
        db, actor=people["owner"], shop_id=shop_id, import_format=import_format
    )
    counts, errors = await _import(db, clock, people, shop_id, exported.filename, exported.data)
    assert errors == []
    assert counts == ("done", 500, 0, 0, 500, 0)
