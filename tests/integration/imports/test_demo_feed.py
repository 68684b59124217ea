"""The demo's Nordhavn feed: deterministic, shipped as generated, and importable whole (500
articles, no row refused) in well under a minute; a second import changes nothing. The
other shops' products are seeded through the catalog port, idempotently."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from galerie.catalog import import_google_taxonomy
from galerie.db import Database
from galerie.demo.catalog import FEED_FILE, nordhavn_feed, nordhavn_products
from galerie.demo.catalog_seed import OTHER_SHOPS, seed_demo_catalog
from galerie.imports import (
    ImportFormat,
    ImportMode,
    ImportRunner,
    gtin_valid,
    job_view,
    parse_feed,
    request_import,
)
from galerie.kernel import FixedClock
from galerie.sellers.models import Brand, ShopBrand
from galerie.storage import InMemoryStorage
from tests.integration.imports.support import RecordingWriter
from tests.integration.sellers.factories import insert_shop, make_people

NORDHAVN_TOP_LEVELS = (412, 166, 1239, 536)  # food, apparel (shoes), toys & games, home


def test_the_feed_is_deterministic_and_shipped_as_generated() -> None:
    data = nordhavn_feed()
    assert FEED_FILE.read_bytes() == data
    products = nordhavn_products()
    assert len(products) == 500
    assert Counter(p.family for p in products) == {
        "food": 150,
        "shoes": 100,
        "toys": 125,
        "kitchen": 125,
    }
    assert all(set(p.titles) == {"en", "zh-CN", "fr"} for p in products)
    assert len({p.titles["en"] for p in products}) == 500
    gtins = [v.gtin for p in products for v in p.variants]
    assert len(set(gtins)) == len(gtins)
    assert all(gtin_valid(g) for g in gtins)
    shoes = [p for p in products if p.family == "shoes"]
    assert all(p.option_axes == ("size", "colour") and len(p.variants) >= 4 for p in shoes)
    feed = parse_feed(data, ImportFormat.GOOGLE_TSV)
    assert len(feed.rows) == sum(len(p.variants) for p in products)
    assert all(row.problems == () for row in feed.rows)


async def test_the_500_articles_import_in_well_under_a_minute_and_again_change_nothing(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    await import_google_taxonomy(db, now=clock.now())
    people = await make_people(db, clock.now())
    shop_id = await insert_shop(db, clock.now(), organisation_id=people.org, shop_type="flagship",
                                top_levels=NORDHAVN_TOP_LEVELS)  # fmt: skip
    async with db.transaction() as session:
        brand = Brand(
            name=f"Nordhavn {shop_id}", owner_organisation_id=people.org, created_at=clock.now()
        )
        session.add(brand)
        await session.flush()
        session.add(ShopBrand(shop_id=shop_id, brand_id=brand.id, organisation_id=people.org))
    storage, writer = InMemoryStorage(), RecordingWriter()
    runner = ImportRunner(db, storage, writer, clock)
    outcomes = []
    for _ in range(2):
        job_id = await request_import(
            db, actor=people["owner"], shop_id=shop_id, filename="nordhavn-feed.tsv",
            data=nordhavn_feed(f"Nordhavn {shop_id}"), import_format=None, mode=ImportMode.APPLY,
            storage=storage, now=clock.now(),
        )  # fmt: skip
        await runner.run_pending()
        async with db.reading() as session:
            view = await job_view(session, job_id)
        assert view is not None
        outcomes.append((view.status, view.total, view.created, view.unchanged, view.failed))
    assert outcomes == [("done", 500, 500, 0, 0), ("done", 500, 0, 500, 0)]


async def test_the_demo_seeds_the_other_shops_products_once(
    base_db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    """On the run's seeded base demo (its shops), the catalog part that seed_demo runs with a
    var_dir (test_demo_orders sees seed_demo run it)."""
    db, writer, storage = base_db, RecordingWriter(), InMemoryStorage()
    first = await seed_demo_catalog(db, clock, storage=storage, var_dir=tmp_path, writer=writer)
    assert (tmp_path / "demo" / "nordhavn-feed.tsv").read_bytes() == FEED_FILE.read_bytes()
    expected = sum(count for plan in OTHER_SHOPS for _, count in plan.families)
    assert len(writer.saved) == expected == first.products_saved == 3210
    pictures = [key for key in storage._files if key.startswith("demo/products/")]
    assert len(pictures) == 2 * expected  # a picture and a thumbnail each
    drafts = list(writer.saved.values())
    assert all(d.images[0].storage_key for d in drafts)
    assert not any(d.seller_ref.startswith("NH-") for d in drafts)  # Nordhavn imports its own
    before = dict(writer.saved)
    report = await seed_demo_catalog(db, clock, storage=storage, var_dir=tmp_path, writer=writer)
    assert report.products_saved == expected
    assert writer.saved == before
