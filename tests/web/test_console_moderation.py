"""The console's listing moderation and category pages: the queue, a decision with and
without its mandatory reason, the attribute editor and the terms; and who is refused."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import select

from galerie.audit import AuditContext, AuditRecord
from galerie.catalog import save_product, set_category_terms
from galerie.catalog.models import Category
from galerie.catalog.product_models import CategoryAttribute, Product
from galerie.db import Database
from galerie.kernel import FixedClock
from tests.integration.catalog_products.factories import HOME, World, counts, home_draft, make_world
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import post_form


@pytest.fixture
async def world(db: Database, clock: FixedClock, tmp_path: Path) -> World:
    made = await make_world(db, clock.now(), tmp_path)
    await set_category_terms(
        db,
        actor=made.people["admin"],
        category_id=HOME,
        commission_rate_bp=None,
        listing_review=True,
        now=clock.now(),
        audit=AuditContext(),
    )
    return made


async def _status(db: Database, product_id: int) -> str:
    async with db.reading() as session:
        product = await session.get(Product, product_id)
    assert product is not None
    return product.status


async def test_a_moderator_works_the_queue(
    app: Litestar, client: httpx.AsyncClient, db: Database, world: World, clock: FixedClock
) -> None:
    saved = await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
    )
    assert saved.status == "pending"
    await sign_in_as(client, app, world.people["moderation"].user_id)
    queue = await client.get("/console/listings")
    assert f'href="/console/listings/{saved.product_id}"' in queue.text
    url = f"/console/listings/{saved.product_id}"
    assert (await client.get(url)).status_code == 200
    before = await counts(db)
    no_reason = await post_form(client, f"{url}/decision", {"decision": "reject", "reason": ""})
    assert no_reason.status_code == 422
    assert 'id="reason-error"' in no_reason.text
    assert await counts(db) == before
    approved = await post_form(client, f"{url}/decision", {"decision": "approve", "reason": ""})
    assert approved.status_code == 303
    assert "Done: the change is recorded." in (await client.get(approved.headers["location"])).text
    assert await _status(db, saved.product_id) == "live"
    delisted = await post_form(
        client, f"{url}/decision", {"decision": "delist", "reason": "Complaint"}
    )
    assert delisted.status_code == 303
    assert await _status(db, saved.product_id) == "delisted"
    async with db.reading() as session:
        actions = list(
            await session.scalars(
                select(AuditRecord.action)
                .where(AuditRecord.target_id == str(saved.product_id))
                .order_by(AuditRecord.id)
            )
        )
    assert actions == ["catalog.listing.approve", "catalog.listing.delist"]
    assert "Delisted" in (await client.get("/console/listings?status=delisted")).text


@pytest.mark.parametrize(("role", "status"), [("owner", 403), ("shopper", 403), ("vetting", 403)])
async def test_others_are_refused_the_moderation_pages(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    world: World,
    clock: FixedClock,
    role: str,
    status: int,
) -> None:
    saved = await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
    )
    await sign_in_as(client, app, world.people[role].user_id)
    assert (await client.get("/console/listings")).status_code == status
    decided = await post_form(
        client,
        f"/console/listings/{saved.product_id}/decision",
        {"decision": "approve", "reason": ""},
    )
    assert decided.status_code == status
    assert await _status(db, saved.product_id) == "pending"
    assert (await client.get(f"/console/categories/{HOME}")).status_code == status


async def test_an_admin_edits_attributes_and_terms(
    app: Litestar, client: httpx.AsyncClient, db: Database, world: World
) -> None:
    await sign_in_as(client, app, world.people["admin"].user_id)
    assert (await client.get("/console/categories")).status_code == 200
    page = await client.get(f"/console/categories/{HOME}")
    assert page.status_code == 200
    bad = await post_form(
        client,
        f"/console/categories/{HOME}/attributes",
        {"code": "Bad Code", "name_en": "Material", "value_type": "text"},
    )
    assert bad.status_code == 422
    defined = await post_form(
        client,
        f"/console/categories/{HOME}/attributes",
        {
            "code": "material",
            "name_en": "Material",
            "name_fr": "Matière",
            "value_type": "enum",
            "required": "yes",
            "options": "porcelain\nglass",
        },
    )
    assert defined.status_code == 303, defined.text
    terms = await post_form(
        client,
        f"/console/categories/{HOME}/terms",
        {"commission_rate_bp": "450", "listing_review": "no"},
    )
    assert terms.status_code == 303
    async with db.reading() as session:
        attribute = await session.scalar(
            select(CategoryAttribute).where(CategoryAttribute.category_id == HOME)
        )
        category = await session.get(Category, HOME)
    assert attribute is not None
    assert (attribute.code, attribute.required, attribute.options) == (
        "material",
        True,
        ["porcelain", "glass"],
    )
    assert category is not None
    assert (category.commission_rate_bp, category.listing_review) == (450, False)
    shown = await client.get(f"/console/categories/{HOME}")
    assert "porcelain, glass" in shown.text
    assert 'id="commission">4.50 %' in shown.text
