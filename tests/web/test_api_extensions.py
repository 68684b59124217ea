"""Extensions through the API: the seller applies to add a category to a live shop, uploads
the qualification and submits; the operator finds it in the queue (filter kind=extension),
approves it with one audit record, and the shop's categories grow. A rejected extension
changes nothing on the shop."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from galerie.audit import AuditRecord
from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.sellers.models import ShopCategory
from tests.integration.sellers.factories import FOOD, HOME, insert_shop
from tests.web.test_api_sellers_support import Callers, callers, state

__all__ = ["callers"]  # the fixture, used by name


async def _decisions(db: Database, action: str) -> int:
    async with db.reading() as session:
        found = await session.scalar(
            select(func.count()).select_from(AuditRecord).where(AuditRecord.action == action)
        )
    return found or 0


async def _tops(db: Database, shop_id: int) -> list[int]:
    async with db.reading() as session:
        found = await session.scalars(
            select(ShopCategory.category_id)
            .where(ShopCategory.shop_id == shop_id)
            .order_by(ShopCategory.category_id)
        )
        return list(found)


async def _submitted_extension(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> tuple[int, int]:
    shop_id = await insert_shop(db, clock.now(), organisation_id=callers.org, status="live")
    base = f"/api/v1/organisations/{callers.org}"
    owner = callers["owner"]
    slug = (await client.get(f"{base}/shops", headers=owner)).json()[0]["slug"]
    created = await client.post(
        f"{base}/shops/{slug}/extensions", json={"category_ids": [FOOD]}, headers=owner
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["summary"]["kind"], body["summary"]["shop_id"], body["category_ids"]) == (
        "extension",
        shop_id,
        [FOOD],
    )
    app = body["summary"]["id"]
    uploaded = await client.post(
        f"{base}/applications/{app}/documents",
        headers=owner,
        files={"file": ("food.pdf", b"%PDF-1.4\n%%EOF\n", "application/octet-stream")},
        data={"kind": "category_qualification", "qualification": "food_business_licence"},
    )
    assert uploaded.status_code == 201, uploaded.text
    submitted = await client.post(f"{base}/applications/{app}/submit", headers=owner)
    assert submitted.json()["summary"]["status"] == "under_review", submitted.text
    return shop_id, app


async def test_an_extension_through_the_api_grows_the_shop_once_approved(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> None:
    shop_id, app = await _submitted_extension(client, db, clock, callers)
    vetting = callers["vetting"]
    queue = await client.get("/api/v1/console/applications?kind=extension", headers=vetting)
    assert [(a["id"], a["kind"], a["shop_id"]) for a in queue.json()["items"]] == [
        (app, "extension", shop_id)
    ]
    openings = await client.get("/api/v1/console/applications?kind=opening", headers=vetting)
    assert openings.json()["items"] == []
    assert await _tops(db, shop_id) == [HOME]
    approved = await client.post(
        f"/api/v1/console/applications/{app}/approve",
        json={"reason": "Licence verified."},
        headers=vetting,
    )
    assert approved.status_code == 200, approved.text
    assert approved.json() == {"application_id": app, "status": "approved", "shop_id": shop_id}
    assert await _tops(db, shop_id) == [FOOD, HOME]
    assert await _decisions(db, "sellers.seller_application.approve") == 1


async def test_a_rejected_extension_leaves_the_shop_as_it_was(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> None:
    shop_id, app = await _submitted_extension(client, db, clock, callers)
    rejected = await client.post(
        f"/api/v1/console/applications/{app}/reject",
        json={"reason": "The licence is for another company."},
        headers=callers["vetting"],
    )
    assert rejected.json()["summary"]["status"] == "rejected"
    assert await _tops(db, shop_id) == [HOME]
    assert await _decisions(db, "sellers.seller_application.reject") == 1


async def test_bad_extension_bodies_are_refused_and_change_nothing(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> None:
    await insert_shop(db, clock.now(), organisation_id=callers.org, status="live")
    base = f"/api/v1/organisations/{callers.org}"
    owner = callers["owner"]
    slug = (await client.get(f"{base}/shops", headers=owner)).json()[0]["slug"]
    before = await state(db)
    for body, status, code in (
        ({"category_ids": [HOME]}, 422, "already_allowed"),
        ({}, 422, "nothing_to_add"),
        ({"category_ids": [FOOD], "shop_id": 1}, 400, None),
        ({"category_ids": [0]}, 400, None),
    ):
        refused = await client.post(f"{base}/shops/{slug}/extensions", json=body, headers=owner)
        assert refused.status_code == status, (body, refused.text)
        if code:
            assert refused.json()["code"] == code
    assert await state(db) == before
