"""Import jobs end to end on both databases: upload, dry run with a row-numbered report,
apply product by product, re-upload changing nothing, refusals that leave nothing behind."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from galerie.db import Database
from galerie.imports import (
    FileRefused,
    ImportFormat,
    ImportMode,
    ImportRunner,
    apply_import,
    job_errors,
    job_view,
    map_category,
    request_import,
    unmap_category,
)
from galerie.imports.models import ImportJob
from galerie.kernel import Conflict, FixedClock, NotFound
from galerie.storage import InMemoryStorage
from tests.integration.imports.support import (
    SHOES,
    ImportShop,
    Problem,
    RecordingWriter,
    import_counts,
    import_shop,
)


@pytest.fixture
async def setup(db: Database, clock: FixedClock, tmp_path: Path) -> ImportShop:
    return await import_shop(db, clock.now(), tmp_path)


def feed(brand: str) -> bytes:
    header = "id\titem_group_id\ttitle\ttitle_fr\tprice\tgtin\tbrand\tgoogle_product_category\tproduct_type\tsize\n"
    rows = [
        f"B-38\tB\tBoot\tBotte\t499.00 CNY\t5701234000013\t{brand}\t187\t\t38",
        f"B-39\tB\tBoot\tBotte\t499.00 CNY\t\t{brand}\t187\t\t39",
        f"JAM\t\tJam\t\t38.00 CNY\t\t{brand}\tFood, Beverages & Tobacco > Food Items\t\t",
        f"BAD\t\tBad\t\t-3 CNY\t\t{brand}\t187\t\t",
        f"CLOG\t\tClog\t\t99.00 CNY\t\t{brand}\t\tWooden clogs\t",
        f"REF\t\tRefused\t\t9.00 CNY\t\t{brand}\t187\t\t",
    ]
    return (header + "\n".join(rows) + "\n").encode()


async def upload(db: Database, setup: ImportShop, clock: FixedClock, storage: InMemoryStorage,
                 data: bytes, mode: ImportMode, role: str = "owner") -> int:  # fmt: skip
    return await request_import(
        db, actor=setup.people[role], shop_id=setup.shop_id, filename="feed.tsv", data=data,
        import_format=None, mode=mode, storage=storage, now=clock.now(),
    )  # fmt: skip


def brand_of(setup: ImportShop) -> str:
    return f"Nordhavn {setup.shop_id}"


async def test_dry_run_reports_rows_and_saves_nothing(
    db: Database, setup: ImportShop, clock: FixedClock
) -> None:
    storage, writer = (
        InMemoryStorage(),
        RecordingWriter(refuse={"REF": Problem("variants[0].price", "price_absurd", "too cheap")}),
    )
    job_id = await upload(db, setup, clock, storage, feed(brand_of(setup)), ImportMode.DRY_RUN)
    runner = ImportRunner(db, storage, writer, clock)
    assert await runner.run_pending() == 1
    async with db.reading() as session:
        view = await job_view(session, job_id)
        errors = await job_errors(session, job_id)
    assert view is not None
    assert (view.status, view.total, view.processed, view.failed, view.valid) == (
        "done",
        5,
        5,
        3,
        2,
    )
    assert (view.created, view.updated, view.unchanged) == (0, 0, 0)
    assert [(e.row_number, e.field, e.code) for e in errors] == [
        (5, "price", "bad_price"),
        (6, "category", "unknown_category"),
        (7, "variants[0].price", "price_absurd"),
    ]
    assert writer.saved == {}
    assert writer.validated == 3


async def test_apply_saves_good_products_and_a_reupload_changes_nothing(
    db: Database, setup: ImportShop, clock: FixedClock
) -> None:
    storage, writer = InMemoryStorage(), RecordingWriter(fail_on_save={"REF"})
    await map_category(db, actor=setup.people["manager"], shop_id=setup.shop_id,
                       source_text="  Wooden CLOGS ", category_id=SHOES, now=clock.now())  # fmt: skip
    dry = await upload(db, setup, clock, storage, feed(brand_of(setup)), ImportMode.DRY_RUN)
    runner = ImportRunner(db, storage, writer, clock)
    await runner.run_pending()
    job_id = await apply_import(db, actor=setup.people["staff"], job_id=dry, now=clock.now())
    await runner.run_pending()
    async with db.reading() as session:
        view = await job_view(session, job_id)
        errors = await job_errors(session, job_id)
    assert view is not None
    assert (view.status, view.created, view.updated, view.unchanged, view.failed) == (
        "done",
        3,
        0,
        0,
        2,
    )
    assert [(e.row_number, e.code) for e in errors] == [(5, "bad_price"), (7, "listing_refused")]
    assert sorted(ref for _, ref in writer.saved) == ["B", "CLOG", "JAM"]
    boot = writer.saved[(setup.shop_id, "B")]
    assert boot.titles == {"en": "Boot", "fr": "Botte"}
    assert boot.brand_id == setup.brand_id
    assert [v.seller_sku for v in boot.variants] == ["B-38", "B-39"]
    assert writer.saved[(setup.shop_id, "CLOG")].category_id == SHOES

    again = await upload(db, setup, clock, storage, feed(brand_of(setup)), ImportMode.APPLY)
    await runner.run_pending()
    async with db.reading() as session:
        view = await job_view(session, again)
    assert view is not None
    assert (view.created, view.updated, view.unchanged, view.failed) == (0, 0, 3, 2)


async def test_a_bad_file_is_refused_whole_and_nothing_is_kept(
    db: Database, setup: ImportShop, clock: FixedClock
) -> None:
    storage = InMemoryStorage()
    before = await import_counts(db)
    with pytest.raises(FileRefused) as refused:
        await upload(db, setup, clock, storage, b"id\ttitle\tprice\n\xff\n", ImportMode.APPLY)
    assert refused.value.code == "file_not_utf8"
    assert await import_counts(db) == before
    assert storage._files == {}  # the fake's own record: nothing was stored


async def test_another_organisation_sees_nothing_and_changes_nothing(
    db: Database, setup: ImportShop, clock: FixedClock
) -> None:
    storage = InMemoryStorage()
    dry = await upload(db, setup, clock, storage, feed(brand_of(setup)), ImportMode.DRY_RUN)
    await ImportRunner(db, storage, RecordingWriter(), clock).run_pending()
    before = await import_counts(db)
    rival = setup.people["rival"]
    with pytest.raises(NotFound):
        await request_import(db, actor=rival, shop_id=setup.shop_id, filename="f.tsv",
                             data=feed("x"), import_format=ImportFormat.GOOGLE_TSV,
                             mode=ImportMode.APPLY, storage=storage, now=clock.now())  # fmt: skip
    with pytest.raises(NotFound):
        await apply_import(db, actor=rival, job_id=dry, now=clock.now())
    with pytest.raises(NotFound):
        await map_category(db, actor=rival, shop_id=setup.shop_id, source_text="x",
                           category_id=SHOES, now=clock.now())  # fmt: skip
    with pytest.raises(NotFound):
        await unmap_category(
            db, actor=setup.people["shopper"], shop_id=setup.shop_id, source_text="x"
        )
    assert await import_counts(db) == before


async def test_only_a_finished_dry_run_can_be_applied(
    db: Database, setup: ImportShop, clock: FixedClock
) -> None:
    storage = InMemoryStorage()
    queued = await upload(db, setup, clock, storage, feed(brand_of(setup)), ImportMode.DRY_RUN)
    with pytest.raises(Conflict):
        await apply_import(db, actor=setup.people["owner"], job_id=queued, now=clock.now())
    applied = await upload(db, setup, clock, storage, feed(brand_of(setup)), ImportMode.APPLY)
    await ImportRunner(db, storage, RecordingWriter(), clock).run_pending()
    with pytest.raises(Conflict):
        await apply_import(db, actor=setup.people["owner"], job_id=applied, now=clock.now())


async def test_a_job_whose_file_vanished_fails_with_one_error(
    db: Database, setup: ImportShop, clock: FixedClock
) -> None:
    storage = InMemoryStorage()
    job_id = await upload(db, setup, clock, storage, feed("x"), ImportMode.APPLY)
    async with db.reading() as session:
        job = await session.scalar(select(ImportJob).where(ImportJob.id == job_id))
        assert job is not None
        key = job.storage_key
    await storage.delete(key)
    await ImportRunner(db, storage, RecordingWriter(), clock).run_pending()
    async with db.reading() as session:
        view = await job_view(session, job_id)
        errors = await job_errors(session, job_id)
    assert view is not None
    assert (view.status, view.error_code) == ("failed", "file_not_found")
    assert [(e.row_number, e.code) for e in errors] == [(0, "file_not_found")]


async def test_the_agency_may_import_but_a_shopper_may_not(
    db: Database, setup: ImportShop, clock: FixedClock
) -> None:
    storage = InMemoryStorage()
    assert await upload(db, setup, clock, storage, feed("x"), ImportMode.DRY_RUN, role="agency")
    with pytest.raises(NotFound):
        await upload(db, setup, clock, storage, feed("x"), ImportMode.DRY_RUN, role="shopper")


async def test_a_running_job_is_claimed_again_only_when_its_heartbeat_stopped(
    db: Database, setup: ImportShop, clock: FixedClock
) -> None:
    storage, writer = InMemoryStorage(), RecordingWriter()
    job_id = await upload(db, setup, clock, storage, feed(brand_of(setup)), ImportMode.APPLY)
    runner = ImportRunner(db, storage, writer, clock, lease_seconds=300)
    assert await runner.claim() == job_id  # now running, heartbeat now
    assert await runner.claim() is None  # a live runner owns it
    clock.advance(timedelta(seconds=301))
    assert await runner.claim() == job_id  # the runner died: claimed again
    await runner.run_job(job_id)
    async with db.reading() as session:
        view = await job_view(session, job_id)
    assert view is not None
    assert (view.status, view.created, view.failed) == ("done", 3, 2)
    assert await runner.claim() is None


async def test_an_unexpected_failure_stops_the_job_and_says_so(
    db: Database, setup: ImportShop, clock: FixedClock
) -> None:
    storage, writer = InMemoryStorage(), RecordingWriter(crash_on_save={"JAM"})
    job_id = await upload(db, setup, clock, storage, feed(brand_of(setup)), ImportMode.APPLY)
    await ImportRunner(db, storage, writer, clock).run_pending()
    async with db.reading() as session:
        view = await job_view(session, job_id)
        errors = await job_errors(session, job_id)
    assert view is not None
    assert (view.status, view.error_code) == ("failed", "internal_error")
    assert (0, "internal_error") in [(e.row_number, e.code) for e in errors]
    assert list(writer.saved) == [(setup.shop_id, "B")]  # saved before the failure, whole


async def test_a_refused_save_reports_each_problem_on_its_row(
    db: Database, setup: ImportShop, clock: FixedClock
) -> None:
    refused = Problem("variants[1].gtin", "gtin_taken", "another product has this GTIN")
    storage, writer = InMemoryStorage(), RecordingWriter(refuse={"B": refused})
    job_id = await upload(db, setup, clock, storage, feed(brand_of(setup)), ImportMode.APPLY)
    await ImportRunner(db, storage, writer, clock).run_pending()
    async with db.reading() as session:
        view = await job_view(session, job_id)
        errors = await job_errors(session, job_id)
    assert view is not None
    assert (view.created, view.failed) == (2, 3)  # JAM and REF saved
    assert [(e.row_number, e.field, e.code) for e in errors] == [
        (3, "variants[1].gtin", "gtin_taken"),  # B's second variant is on row 3
        (5, "price", "bad_price"),
        (6, "category", "unknown_category"),
    ]
    assert sorted(ref for _, ref in writer.saved) == ["JAM", "REF"]
    assert writer.validated == 0  # apply checks each product once, inside save_product
