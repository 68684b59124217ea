"""The seller centre's extension page: a live shop's owner asks to add a category; the
request becomes an application of kind "extension" that goes on to its documents; a
category the shop already holds is refused inline and nothing is written."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.sellers.models import SellerApplication
from tests.integration.sellers.factories import FOOD, HOME, counts, insert_shop
from tests.web.test_pages_support import post_form
from tests.web.test_seller_centre import owner

__all__ = ["owner"]  # the fixture, used by name


async def test_an_owner_applies_to_add_a_category_to_a_live_shop(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, owner: int
) -> None:
    shop_id = await insert_shop(db, clock.now(), organisation_id=owner, status="live")
    shop_page = await client.get(f"/seller/shops/{shop_id}")
    assert f'href="/seller/shops/{shop_id}/extend"' in shop_page.text
    page = await client.get(f"/seller/shops/{shop_id}/extend")
    assert page.status_code == 200
    assert '<dd id="held-categories">Home &amp; Garden</dd>' in page.text
    assert f'value="{HOME}"' not in page.text  # held already: not offered
    assert f'value="{FOOD}"' in page.text

    created = await post_form(
        client, f"/seller/shops/{shop_id}/extend", [("category_ids", str(FOOD))]
    )
    assert created.status_code == 303
    async with db.reading() as session:
        app = await session.scalar(
            select(SellerApplication).where(SellerApplication.kind == "extension")
        )
    assert app is not None
    assert (app.shop_id, app.category_ids, app.organisation_id) == (shop_id, [FOOD], owner)
    assert created.headers["location"] == f"/seller/applications/{app.id}/documents"

    review = await client.get(f"/seller/applications/{app.id}")
    assert "Categories or brands for a shop" in review.text
    assert f'href="/seller/applications/{app.id}/entity"' not in review.text  # fixed fields
    listing = await client.get("/seller/applications")
    assert "Categories or brands for a shop" in listing.text


async def test_a_held_category_or_an_empty_request_is_refused_inline(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, owner: int
) -> None:
    shop_id = await insert_shop(db, clock.now(), organisation_id=owner, status="live")
    before = await counts(db)
    held = await post_form(client, f"/seller/shops/{shop_id}/extend", [("category_ids", str(HOME))])
    assert held.status_code == 422
    assert "The shop is already approved for one of these." in held.text
    empty = await post_form(client, f"/seller/shops/{shop_id}/extend", [])
    assert empty.status_code == 422
    assert "Choose a category or a brand to add." in empty.text
    junk = await post_form(client, f"/seller/shops/{shop_id}/extend", [("category_ids", "x")])
    assert junk.status_code == 422
    assert await counts(db) == before


async def test_a_suspended_shop_cannot_be_extended(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, owner: int
) -> None:
    shop_id = await insert_shop(db, clock.now(), organisation_id=owner, status="suspended")
    page = await client.get(f"/seller/shops/{shop_id}")
    assert f"/seller/shops/{shop_id}/extend" not in page.text
    before = await counts(db)
    refused = await post_form(
        client, f"/seller/shops/{shop_id}/extend", [("category_ids", str(FOOD))]
    )
    assert refused.status_code == 409
    assert "Only a preparing or live shop can add categories or brands." in refused.text
    assert await counts(db) == before
