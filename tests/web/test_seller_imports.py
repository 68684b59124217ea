"""The seller centre's imports pages: upload, dry run report with row numbers, progress by
HTMX polling, apply, the CSV error report, category mappings, exports; and the walls
(another organisation 404 and nothing changed, a shopper 403, anonymous to sign-in)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import select

from galerie.db import Database
from galerie.imports import ImportRunner
from galerie.imports.models import CategoryMapping, ImportJob
from galerie.kernel import FixedClock
from galerie.web.app import all_handlers
from galerie.web.auth import galerie_of_app
from tests.integration.imports.support import (
    SHOES,
    ImportShop,
    RecordingWriter,
    import_counts,
    import_shop,
)
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import csrf_token, post_form

HEADER = "id\titem_group_id\ttitle\tprice\tbrand\tgoogle_product_category\tproduct_type\tsize\n"


def feed(brand: str) -> bytes:
    return (
        HEADER
        + f"B-38\tB\tBoot\t499.00 CNY\t{brand}\t187\t\t38\n"
        + f"B-39\tB\tBoot\t499.00 CNY\t{brand}\t187\t\t39\n"
        + f"CLOG\t\tClog\t-1 CNY\t{brand}\t\tWooden clogs\t\n"
    ).encode()


@pytest.fixture
async def shop(db: Database, clock: FixedClock, tmp_path: Path) -> ImportShop:
    return await import_shop(db, clock.now(), tmp_path)


async def _upload(client: httpx.AsyncClient, shop_id: int, data: bytes, mode: str = "dry_run",
                  name: str = "feed.tsv") -> httpx.Response:  # fmt: skip
    return await client.post(
        f"/seller/shops/{shop_id}/imports",
        data={"mode": mode, "format": "", "_csrf_token": await csrf_token(client)},
        files={"file": (name, data, "text/tab-separated-values")},
    )


async def _run(app: Litestar, db: Database, clock: FixedClock, writer: RecordingWriter) -> None:
    await ImportRunner(db, galerie_of_app(app).storage, writer, clock).run_pending()


async def test_upload_dry_run_report_apply_and_csv(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, shop: ImportShop
) -> None:
    await sign_in_as(client, app, shop.people["owner"].user_id)
    page = await client.get(f"/seller/shops/{shop.shop_id}/imports")
    assert page.status_code == 200
    assert "Import a catalog" in page.text
    response = await _upload(client, shop.shop_id, feed(f"Nordhavn {shop.shop_id}"))
    assert response.status_code == 303
    job_path = response.headers["location"]
    job_id = int(job_path.rsplit("/", 1)[1])
    waiting = await client.get(f"{job_path}/progress")
    assert 'hx-trigger="every 1s"' in waiting.text
    assert "HX-Refresh" not in waiting.headers
    writer = RecordingWriter()
    await _run(app, db, clock, writer)
    finished = await client.get(f"{job_path}/progress")
    assert finished.headers["HX-Refresh"] == "true"
    assert "every 1s" not in finished.text
    report = await client.get(job_path)
    assert "The price is not a positive amount." in report.text
    assert "<td>4</td>" in report.text  # the row number of CLOG
    csv_text = (await client.get(f"{job_path}/errors.csv")).content.decode("utf-8-sig")
    assert csv_text.splitlines() == [
        "row,field,code,message",
        "4,category,unknown_category,unknown category 'Wooden clogs': map it to one of ours",
        "4,price,bad_price,CLOG: the price must be more than zero",
    ]
    assert writer.saved == {}
    applied = await post_form(client, f"{job_path}/apply", {})
    assert applied.status_code == 303
    await _run(app, db, clock, writer)
    async with db.reading() as session:
        new = await session.scalar(select(ImportJob).where(ImportJob.id > job_id))
    assert new is not None
    assert (new.mode, new.status, new.created, new.failed) == ("apply", "done", 1, 1)
    assert list(writer.saved) == [(shop.shop_id, "B")]


async def test_a_bad_file_is_refused_inline_and_nothing_is_created(
    app: Litestar, client: httpx.AsyncClient, db: Database, shop: ImportShop
) -> None:
    await sign_in_as(client, app, shop.people["staff"].user_id)
    before = await import_counts(db)
    response = await _upload(client, shop.shop_id, b"id\ttitle\tprice\n\xff\xfe\n")
    assert response.status_code == 422
    assert "The file is not UTF-8 text." in response.text
    response = await _upload(client, shop.shop_id, b"<rss><channel><item>", name="feed.xml")
    assert response.status_code == 422
    assert "The file is malformed or cut short." in response.text
    assert await import_counts(db) == before


async def test_category_mappings_and_exports(
    app: Litestar, client: httpx.AsyncClient, db: Database, shop: ImportShop
) -> None:
    await sign_in_as(client, app, shop.people["manager"].user_id)
    path = f"/seller/shops/{shop.shop_id}/category-mappings"
    saved = await post_form(
        client, path, {"source_text": "Wooden Clogs", "category_id": str(SHOES)}
    )
    assert saved.status_code == 303
    bad = await post_form(client, path, {"source_text": "x", "category_id": "999999"})
    assert bad.status_code == 422
    assert "No category has this id." in bad.text
    async with db.reading() as session:
        rows = list(
            (
                await session.execute(
                    select(CategoryMapping.source_text, CategoryMapping.category_id)
                )
            ).tuples()
        )
    assert rows == [("wooden clogs", SHOES)]
    page = await client.get(f"/seller/shops/{shop.shop_id}/imports")
    assert "wooden clogs" in page.text
    removed = await post_form(client, f"{path}/remove", {"source_text": "wooden clogs"})
    assert removed.status_code == 303
    assert (await import_counts(db))["mappings"] == 0
    for code in ("google_tsv", "google_xml", "shopify_csv", "json"):
        exported = await client.get(f"/seller/shops/{shop.shop_id}/export/{code}")
        assert exported.status_code == 200, code
        assert "attachment" in exported.headers["content-disposition"]
    assert (await client.get(f"/seller/shops/{shop.shop_id}/export/xlsx")).status_code == 404


ID_ROUTES = [
    ("GET", "/seller/shops/{shop}/imports"),
    ("POST", "/seller/shops/{shop}/imports"),
    ("GET", "/seller/imports/{job}"),
    ("GET", "/seller/imports/{job}/progress"),
    ("POST", "/seller/imports/{job}/apply"),
    ("GET", "/seller/imports/{job}/errors.csv"),
    ("POST", "/seller/shops/{shop}/category-mappings"),
    ("POST", "/seller/shops/{shop}/category-mappings/remove"),
    ("GET", "/seller/shops/{shop}/export/google_tsv"),
]


def test_every_id_bearing_import_page_is_tried(app: Litestar) -> None:
    mine = {
        (method, path)
        for path, handler in all_handlers(app)
        for method in getattr(handler, "http_methods", ())
        if handler.fn.__module__ == "galerie.web.seller.imports" and "{" in path
    }
    tried = {
        (m, p.replace("{shop}", "{shop_id:int}").replace("{job}", "{job_id:int}")
         .replace("google_tsv", "{export_format:str}"))
        for m, p in ID_ROUTES
    }  # fmt: skip
    assert mine == tried


async def _victim_job(app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock,
                      shop: ImportShop) -> int:  # fmt: skip
    await sign_in_as(client, app, shop.people["owner"].user_id)
    response = await _upload(client, shop.shop_id, feed("x"))
    await _run(app, db, clock, RecordingWriter())
    client.cookies.clear()
    return int(response.headers["location"].rsplit("/", 1)[1])


async def _snapshot(db: Database) -> list[tuple[object, ...]]:
    async with db.reading() as session:
        jobs = (
            await session.execute(select(ImportJob.id, ImportJob.status, ImportJob.mode))
        ).tuples()
        maps = (await session.execute(select(CategoryMapping.source_text))).tuples()
        return [*jobs, *maps]


async def _call(client: httpx.AsyncClient, method: str, path: str) -> httpx.Response:
    if method == "GET":
        return await client.get(path)
    return await client.post(
        path,
        data={"mode": "apply", "source_text": "x", "category_id": str(SHOES),
              "_csrf_token": await csrf_token(client)},
        files={"file": ("f.tsv", feed("x"), "text/plain")} if path.endswith("/imports") else None,
    )  # fmt: skip


@pytest.mark.parametrize(("method", "template"), ID_ROUTES)
@pytest.mark.parametrize("who", ["rival", "shopper", "anonymous"])
async def test_outsiders_get_nothing_and_change_nothing(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, shop: ImportShop,
    method: str, template: str, who: str,
) -> None:  # fmt: skip
    job_id = await _victim_job(app, client, db, clock, shop)
    if who != "anonymous":
        await sign_in_as(client, app, shop.people[who].user_id)
    before = await _snapshot(db)
    response = await _call(client, method, template.format(shop=shop.shop_id, job=job_id))
    expected = {"rival": 404, "shopper": 403, "anonymous": 302}[who]
    assert response.status_code == expected, response.text[:300]
    assert await _snapshot(db) == before
