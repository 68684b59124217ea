"""Autosave of the application wizard (HTMX posts on change): a complete, valid step of an
existing application is saved; an incomplete one is not (and says so); the first step of a
new application is kept in the session and fills the form again; nothing else is written."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.sellers.models import SellerApplication
from tests.integration.sellers.factories import APPAREL, HOME, counts, insert_application
from tests.web.test_pages_support import post_form
from tests.web.test_seller_centre import ENTITY, owner

__all__ = ["owner"]  # the fixture, used by name


async def _row(db: Database, app_id: int) -> SellerApplication:
    async with db.reading() as session:
        row = await session.scalar(select(SellerApplication).where(SellerApplication.id == app_id))
    assert row is not None
    return row


async def test_a_new_applications_first_step_is_kept_in_the_session(
    client: httpx.AsyncClient, db: Database, owner: int
) -> None:
    page = await client.get("/seller/applications/new")
    assert 'hx-post="/seller/applications/new/autosave"' in page.text
    before = await counts(db)
    partial = {"legal_name": "Atelier Lune", "country": "not a country"}
    kept = await post_form(client, "/seller/applications/new/autosave", partial)
    assert kept.status_code == 200
    assert "Your answers are kept (12:00 UTC)" in kept.text
    assert await counts(db) == before
    again = await client.get("/seller/applications/new")
    assert 'value="Atelier Lune"' in again.text
    assert "not a country" not in again.text  # a value over the field's bound is not kept


async def test_a_complete_step_saves_itself_and_an_incomplete_one_does_not(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, owner: int
) -> None:
    app_id = await insert_application(db, clock.now(), organisation_id=owner)
    page = await client.get(f"/seller/applications/{app_id}/entity")
    assert f'hx-post="/seller/applications/{app_id}/entity/autosave"' in page.text
    moved = {**ENTITY, "address": "2 Nanjing Road, Shanghai"}
    saved = await post_form(client, f"/seller/applications/{app_id}/entity/autosave", moved)
    assert saved.status_code == 200
    assert "Saved automatically at 12:00 (UTC)." in saved.text
    assert (await _row(db, app_id)).address == "2 Nanjing Road, Shanghai"

    before = await counts(db)
    broken = {**ENTITY, "legal_name": "", "address": "3 Nanjing Road"}
    refused = await post_form(client, f"/seller/applications/{app_id}/entity/autosave", broken)
    assert "Not saved yet" in refused.text
    assert (await _row(db, app_id)).address == "2 Nanjing Road, Shanghai"
    assert await counts(db) == before

    shop = [("shop_type", "individual"), ("category_ids", str(APPAREL))]
    stepped = await post_form(client, f"/seller/applications/{app_id}/shop/autosave", shop)
    assert "Saved automatically" in stepped.text
    assert (await _row(db, app_id)).category_ids == [APPAREL]
    unknown = [("shop_type", "individual"), ("category_ids", "999999")]
    kept_out = await post_form(client, f"/seller/applications/{app_id}/shop/autosave", unknown)
    assert "Not saved yet" in kept_out.text
    assert (await _row(db, app_id)).category_ids == [APPAREL]


async def test_a_submitted_application_is_not_saved_by_autosave(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, owner: int
) -> None:
    app_id = await insert_application(db, clock.now(), organisation_id=owner, status="under_review")
    shop = [("shop_type", "individual"), ("category_ids", str(APPAREL))]
    response = await post_form(client, f"/seller/applications/{app_id}/shop/autosave", shop)
    assert "Not saved yet" in response.text
    assert (await _row(db, app_id)).category_ids == [HOME]
