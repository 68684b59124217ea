"""The seller import API: upload (multipart, dry run flag), job status, errors, apply,
category mapping, export; and for every id-bearing route: another organisation 404 on its
own path and 403 on the owner's, a shopper 403, anonymous 401, nothing changed."""

from __future__ import annotations

from typing import Any

import httpx
from litestar import Litestar
from sqlalchemy import select

from galerie.db import Database
from galerie.imports import ImportRunner
from galerie.imports.models import CategoryMapping, ImportJob
from galerie.kernel import FixedClock
from galerie.web.auth import galerie_of_app
from tests.integration.imports.support import RecordingWriter
from tests.integration.sellers.factories import HOME, insert_shop
from tests.web.test_api_sellers_support import Callers, call, callers

__all__ = ["callers"]  # the fixture, used by name
FEED = (
    b"id\ttitle\tprice\tgoogle_product_category\n"
    b"LAMP\tLamp\t120.00 CNY\t536\n"
    b"VASE\tVase\t0 CNY\t536\n"
)


def files(data: bytes = FEED, **fields: str) -> dict[str, Any]:
    return {"files": {"file": ("feed.tsv", data, "text/plain")}, "data": fields}


async def _shop(db: Database, clock: FixedClock, callers: Callers) -> int:
    return await insert_shop(db, clock.now(), organisation_id=callers.org, top_levels=(HOME,))


async def _run(app: Litestar, db: Database, clock: FixedClock, writer: RecordingWriter) -> None:
    await ImportRunner(db, galerie_of_app(app).storage, writer, clock).run_pending()


async def test_upload_follow_errors_apply(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> None:
    shop_id = await _shop(db, clock, callers)
    base = f"/api/v1/organisations/{callers.org}"
    created = await client.post(
        f"{base}/shops/{shop_id}/imports", headers=callers["staff"], **files()
    )
    assert created.status_code == 202, created.text
    job = created.json()
    assert (job["status"], job["mode"], job["format"], job["filename"]) == (
        "queued",
        "dry_run",
        "google_tsv",
        "feed.tsv",
    )
    writer = RecordingWriter()
    await _run(app, db, clock, writer)
    status = (await client.get(f"{base}/imports/{job['id']}", headers=callers["staff"])).json()
    assert (status["status"], status["total"], status["failed"], status["percent"]) == (
        "done",
        2,
        1,
        100,
    )
    errors = (
        await client.get(f"{base}/imports/{job['id']}/errors", headers=callers["staff"])
    ).json()
    assert errors == [
        {
            "row_number": 3,
            "field": "price",
            "code": "bad_price",
            "message": "VASE: the price must be more than zero",
        }
    ]
    applied = await client.post(f"{base}/imports/{job['id']}/apply", headers=callers["owner"])
    assert applied.status_code == 202
    await _run(app, db, clock, writer)
    final = (
        await client.get(f"{base}/imports/{applied.json()['id']}", headers=callers["owner"])
    ).json()
    assert (final["mode"], final["created"], final["failed"]) == ("apply", 1, 1)
    assert list(writer.saved) == [(shop_id, "LAMP")]


async def test_a_malformed_file_is_a_clear_422_and_nothing_is_created(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> None:
    shop_id = await _shop(db, clock, callers)
    path = f"/api/v1/organisations/{callers.org}/shops/{shop_id}/imports"
    for data, fields, code in (
        (b"\xff\xfe\x00bad", {}, "file_not_utf8"),
        (b"<rss><channel>", {"format": "google_xml"}, "malformed_file"),
        (b"name,price\nx,1\n", {"format": "shopify_csv", "dry_run": "false"}, "bad_header"),
    ):
        response = await client.post(path, headers=callers["owner"], **files(data, **fields))
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == code
    async with db.reading() as session:
        assert list(await session.scalars(select(ImportJob.id))) == []


async def test_mapping_and_export(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> None:
    shop_id = await _shop(db, clock, callers)
    base = f"/api/v1/organisations/{callers.org}/shops/{shop_id}"
    mapped = await client.put(f"{base}/category-mappings", headers=callers["manager"],
                              json={"source_text": "Lamps & Lights", "category_id": HOME})  # fmt: skip
    assert mapped.status_code == 200
    assert mapped.json() == [
        {"source_text": "lamps & lights", "category_id": HOME, "category_path": "Home & Garden"}
    ]
    exported = await client.get(f"{base}/export?format=json", headers=callers["manager"])
    assert exported.status_code == 200
    assert exported.json() == []
    assert (
        await client.get(f"{base}/export?format=xlsx", headers=callers["manager"])
    ).status_code == 400


async def _state(db: Database) -> list[tuple[object, ...]]:
    async with db.reading() as session:
        jobs = (
            await session.execute(select(ImportJob.id, ImportJob.status, ImportJob.mode))
        ).tuples()
        maps = (await session.execute(select(CategoryMapping.source_text))).tuples()
        return [*jobs, *maps]


async def test_no_one_else_gets_a_2xx_or_changes_anything(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> None:
    shop_id = await _shop(db, clock, callers)
    own, rival = (
        f"/api/v1/organisations/{callers.org}",
        f"/api/v1/organisations/{callers.rival_org}",
    )
    job = (
        await client.post(f"{own}/shops/{shop_id}/imports", headers=callers["owner"], **files())
    ).json()
    await _run(app, db, clock, RecordingWriter())
    routes: list[tuple[str, str, dict[str, Any] | None, bool]] = [
        ("POST", f"/shops/{shop_id}/imports", files(), True),
        ("GET", f"/shops/{shop_id}/category-mappings", None, False),
        (
            "PUT",
            f"/shops/{shop_id}/category-mappings",
            {"source_text": "x", "category_id": HOME},
            False,
        ),
        ("GET", f"/shops/{shop_id}/export", None, False),
        ("GET", f"/imports/{job['id']}", None, False),
        ("GET", f"/imports/{job['id']}/errors", None, False),
        ("POST", f"/imports/{job['id']}/apply", None, False),
    ]
    before = await _state(db)
    expected, seen = [], []
    for method, path, body, multipart in routes:
        json_body, upload = (None, body) if multipart else (body, None)
        for role, url, status in (
            ("rival", rival + path, 404), ("rival", own + path, 403),
            ("shopper", own + path, 403), ("anonymous", own + path, 401),
        ):  # fmt: skip
            response = await call(client, method, url, callers[role], json_body, upload)
            expected.append((role, method, url, status))
            seen.append((role, method, url, response.status_code))
    assert seen == expected
    assert await _state(db) == before
