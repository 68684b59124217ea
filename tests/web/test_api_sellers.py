"""The sellers API end to end, with bearer tokens only: the whole journey from a draft to a
live shop that is suspended and reinstated; refused bodies and uploads change nothing;
the OpenAPI schema lists the routes."""

from __future__ import annotations

import httpx
from litestar import Litestar
from sqlalchemy import func, select

from galerie.audit import AuditRecord
from galerie.db import Database
from galerie.storage import InMemoryStorage
from galerie.web.auth import galerie_of_app
from tests.web.test_api_sellers_support import (
    PDF,
    SCRIPT,
    Callers,
    application_body,
    callers,
    state,
    upload_files,
)

__all__ = ["callers"]  # the fixture, used by name


async def _audits(db: Database, action: str) -> int:
    async with db.reading() as session:
        found = await session.scalar(
            select(func.count()).select_from(AuditRecord).where(AuditRecord.action == action)
        )
    return found or 0


async def _start(client: httpx.AsyncClient, callers: Callers) -> tuple[str, int]:
    base = f"/api/v1/organisations/{callers.org}/applications"
    created = await client.post(base, json=application_body(), headers=callers["owner"])
    assert created.status_code == 201, created.text
    return base, created.json()["summary"]["id"]


async def _apply_and_review(client: httpx.AsyncClient, callers: Callers) -> int:
    """Create, upload, submit; the operator asks for changes; update and resubmit."""
    base, app_id = await _start(client, callers)
    owner, vetting = callers["owner"], callers["vetting"]
    for kind in ("legal_representative_id", "bank_account_proof"):
        files = upload_files(kind=kind)
        uploaded = await client.post(f"{base}/{app_id}/documents", headers=owner, **files)
        assert uploaded.status_code == 201, uploaded.text
        assert (uploaded.json()["kind"], uploaded.json()["size"]) == (kind, len(PDF))
    listed = await client.get(f"{base}/{app_id}/documents", headers=owner)
    doc_id = listed.json()[0]["id"]
    download = await client.get(f"{base}/{app_id}/documents/{doc_id}", headers=owner)
    assert (download.status_code, download.content) == (200, PDF)
    assert download.headers["content-type"] == "application/pdf"
    submitted = await client.post(f"{base}/{app_id}/submit", headers=owner)
    assert submitted.json()["summary"]["status"] == "under_review"
    queue = await client.get("/api/v1/console/applications", headers=vetting)
    assert [a["id"] for a in queue.json()["items"]] == [app_id]
    console = f"/api/v1/console/applications/{app_id}"
    seen = await client.get(f"{console}/documents/{doc_id}", headers=vetting)
    assert seen.content == PDF
    assigned = await client.post(
        f"{console}/assign",
        json={"reviewer_user_id": callers.people["vetting"].user_id},
        headers=vetting,
    )
    assert assigned.json()["summary"]["assigned_reviewer_id"] == callers.people["vetting"].user_id
    asked = await client.post(
        f"{console}/request-changes", json={"reason": "Address is incomplete."}, headers=vetting
    )
    assert asked.json()["summary"]["status"] == "changes_requested"
    fixed = application_body(address="1 Nanjing Road, Huangpu, Shanghai 200001")
    updated = await client.put(f"{base}/{app_id}", json=fixed, headers=owner)
    assert updated.json()["address"] == "1 Nanjing Road, Huangpu, Shanghai 200001"
    resubmitted = await client.post(f"{base}/{app_id}/submit", headers=owner)
    assert resubmitted.json()["summary"]["status"] == "under_review"
    assert resubmitted.json()["submissions"] == 2
    return app_id


async def test_the_whole_journey_through_the_api(
    client: httpx.AsyncClient, db: Database, callers: Callers
) -> None:
    app_id = await _apply_and_review(client, callers)
    owner, anonymous = callers["owner"], callers["anonymous"]
    approved = await client.post(
        f"/api/v1/console/applications/{app_id}/approve",
        json={"reason": "All documents check out."},
        headers=callers["vetting"],
    )
    assert approved.status_code == 200, approved.text
    shop_id = approved.json()["shop_id"]
    assert approved.json() == {"application_id": app_id, "status": "approved", "shop_id": shop_id}
    shops = f"/api/v1/organisations/{callers.org}/shops"
    prepared = await client.get(f"{shops}/shop-{app_id}", headers=owner)
    assert prepared.json()["status"] == "preparing"
    assert prepared.json()["deposit_required"]["currency"] == "CNY"
    assert (await client.get(f"/api/v1/shops/shop-{app_id}", headers=anonymous)).status_code == 404
    decoration = {
        "name": "Maison Lune",
        "slug": "maison-lune",
        "descriptions": {"fr": "Linge de maison", "zh-CN": "家居用品"},
        "navigation": ["Linge", "Cuisine"],
    }
    decorated = await client.put(
        f"{shops}/shop-{app_id}/decoration", json=decoration, headers=owner
    )
    assert decorated.status_code == 200, decorated.text
    assert (decorated.json()["slug"], decorated.json()["navigation"]) == (
        "maison-lune",
        ["Linge", "Cuisine"],
    )
    early = await client.post(f"{shops}/maison-lune/publish", headers=owner)
    assert (early.status_code, early.json()["code"]) == (409, "deposit_not_paid")
    paid = await client.post(
        f"/api/v1/console/shops/{shop_id}/deposit-paid", headers=callers["finance"]
    )
    assert paid.json() == {"shop_id": shop_id, "deposit_paid": True}
    published = await client.post(f"{shops}/maison-lune/publish", headers=owner)
    assert published.json() == {"shop_id": shop_id, "status": "live"}
    await _moderate(client, db, callers, shop_id)


async def _moderate(
    client: httpx.AsyncClient, db: Database, callers: Callers, shop_id: int
) -> None:
    anonymous, moderation = callers["anonymous"], callers["moderation"]
    public = await client.get("/api/v1/shops/maison-lune", headers=anonymous)
    assert (public.status_code, public.json()["name"]) == (200, "Maison Lune")
    assert "deposit_required" not in public.json()
    directory = await client.get("/api/v1/shops", headers=anonymous)
    assert [s["slug"] for s in directory.json()["items"]] == ["maison-lune"]
    console = f"/api/v1/console/shops/{shop_id}"
    suspended = await client.post(
        f"{console}/suspend", json={"reason": "Counterfeit reports."}, headers=moderation
    )
    assert suspended.json() == {"shop_id": shop_id, "status": "suspended"}
    assert (await client.get("/api/v1/shops/maison-lune", headers=anonymous)).status_code == 404
    hidden = await client.get("/api/v1/shops/maison-lune", headers=callers["shopper"])
    assert hidden.status_code == 404
    assert (await client.get("/api/v1/shops", headers=anonymous)).json()["items"] == []
    own = await client.get("/api/v1/shops/maison-lune", headers=callers["owner"])
    assert own.json()["status"] == "suspended"
    reinstated = await client.post(
        f"{console}/reinstate", json={"reason": "Reports unfounded."}, headers=moderation
    )
    assert reinstated.json() == {"shop_id": shop_id, "status": "live"}
    assert (await client.get("/api/v1/shops/maison-lune", headers=anonymous)).status_code == 200
    assert [await _audits(db, f"sellers.shop.{a}") for a in ("suspend", "reinstate")] == [1, 1]
    assert await _audits(db, "sellers.seller_application.approve") == 1


async def test_a_reason_is_required_for_every_decision(
    client: httpx.AsyncClient, db: Database, callers: Callers
) -> None:
    app_id = await _apply_and_review(client, callers)
    before = await state(db)
    console = f"/api/v1/console/applications/{app_id}"
    for action in ("approve", "reject", "request-changes"):
        missing = await client.post(f"{console}/{action}", json={}, headers=callers["vetting"])
        blank = await client.post(
            f"{console}/{action}", json={"reason": "   "}, headers=callers["vetting"]
        )
        assert (missing.status_code, missing.json()["code"]) == (400, "bad_request")
        assert (blank.status_code, blank.json()["code"]) == (422, "reason_required")
    assert await state(db) == before


async def test_bodies_with_unknown_fields_are_refused_and_change_nothing(
    client: httpx.AsyncClient, db: Database, callers: Callers
) -> None:
    base, app_id = await _start(client, callers)
    owner = callers["owner"]
    before = await state(db)
    attempts = [
        ("POST", base, application_body(status="approved")),
        ("POST", base, application_body(organisation_id=callers.rival_org)),
        ("PUT", f"{base}/{app_id}", application_body(status="approved")),
        ("PUT", f"{base}/{app_id}", application_body(submissions=5, shop_id=1)),
        (
            "POST",
            f"/api/v1/organisations/{callers.org}/brands",
            {"name": "X", "owned": True, "owner_organisation_id": 9},
        ),
    ]
    for method, path, body in attempts:
        response = await client.request(method, path, json=body, headers=owner)
        assert response.status_code == 400, (path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "bad_request"
    assert await state(db) == before
    detail = await client.get(f"{base}/{app_id}", headers=owner)
    assert detail.json()["summary"]["status"] == "draft"


async def test_bad_uploads_are_refused_and_store_nothing(
    app: Litestar, client: httpx.AsyncClient, db: Database, callers: Callers
) -> None:
    base, app_id = await _start(client, callers)
    storage = galerie_of_app(app).storage
    assert isinstance(storage, InMemoryStorage)
    before = await state(db)
    path = f"{base}/{app_id}/documents"
    refusals = [
        (upload_files(SCRIPT, "licence.pdf"), 422, "unsupported_file_type"),
        (upload_files(b"", "licence.pdf"), 422, "empty_file"),
        (upload_files(PDF, "licence.png"), 422, "file_type_mismatch"),
        (upload_files(PDF, kind="passport"), 400, "bad_request"),
        (upload_files(PDF * 40_000, "big.pdf"), 413, "body_too_large"),
    ]
    seen = []
    for files, _status, _code in refusals:
        response = await client.post(path, headers=callers["owner"], **files)
        seen.append((response.status_code, response.json()["code"]))
    assert seen == [(status, code) for _files, status, code in refusals]
    assert await state(db) == before
    assert storage._data == {}


async def test_openapi_lists_the_sellers_routes(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/openapi.json")).json()
    paths = schema["paths"]
    expected = {
        "/api/v1/organisations/{organisation_id}/applications": {"get", "post"},
        "/api/v1/organisations/{organisation_id}/applications/{application_id}": {"get", "put"},
        "/api/v1/organisations/{organisation_id}/applications/{application_id}/submit": {"post"},
        "/api/v1/organisations/{organisation_id}/applications/{application_id}/documents": {
            "get",
            "post",
        },
        "/api/v1/organisations/{organisation_id}/shops/{slug}/decoration": {"put"},
        "/api/v1/organisations/{organisation_id}/shops/{slug}/publish": {"post"},
        "/api/v1/organisations/{organisation_id}/shops/{slug}/extensions": {"post"},
        "/api/v1/organisations/{organisation_id}/brands": {"post"},
        "/api/v1/organisations/{organisation_id}/brand-authorisations": {"post"},
        "/api/v1/console/applications": {"get"},
        "/api/v1/console/applications/{application_id}/approve": {"post"},
        "/api/v1/console/applications/{application_id}/reject": {"post"},
        "/api/v1/console/applications/{application_id}/request-changes": {"post"},
        "/api/v1/console/applications/{application_id}/assign": {"post"},
        "/api/v1/console/shops/{shop_id}/suspend": {"post"},
        "/api/v1/console/shops/{shop_id}/reinstate": {"post"},
        "/api/v1/console/shops/{shop_id}/close": {"post"},
        "/api/v1/console/shops/{shop_id}/deposit-paid": {"post"},
        "/api/v1/shops": {"get"},
        "/api/v1/shops/{slug}": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) >= methods, path
        for method in methods:
            assert paths[path][method]["summary"], (path, method)
            assert len(paths[path][method]["tags"]) == 2, (path, method)
    upload = paths[
        "/api/v1/organisations/{organisation_id}/applications/{application_id}/documents"
    ]
    assert list(upload["post"]["requestBody"]["content"]) == ["multipart/form-data"]
