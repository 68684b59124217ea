"""Deactivating a category takes it and its subtree out of use: no new listing, save,
submission or approval there, gone from the seller's choices and the storefront's category
pages; live products stay live; reactivating restores it. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from galerie.audit import AuditContext
from galerie.catalog import (
    InvalidProduct,
    approve_listing,
    category_listing,
    get_category,
    save_product,
    set_category_active,
    set_category_terms,
    shop_category_choices,
)
from galerie.catalog.product_models import Product
from galerie.db import Database
from galerie.kernel import Conflict, FixedClock, Forbidden
from tests.integration.catalog_products.factories import (
    APPAREL,
    CLOTHING,
    HOME,
    World,
    home_draft,
    shirt_draft,
)
from tests.integration.catalog_tree.support import audits, tree


async def _switch(db: Database, world: World, clock: FixedClock, category: int, on: bool) -> bool:
    return await set_category_active(
        db, actor=world.people["admin"], category_id=category, active=on, now=clock.now(),
        audit=AuditContext(request_id="test"),
    )  # fmt: skip


async def _status(db: Database, product_id: int) -> str:
    async with db.reading() as session:
        return str(await session.scalar(select(Product.status).where(Product.id == product_id)))


async def test_an_inactive_parent_blocks_listings_below_it_until_reactivated(
    db: Database, clock: FixedClock, world: World
) -> None:
    assert await _switch(db, world, clock, APPAREL, False) is True
    async with db.reading() as session:
        clothing = await get_category(session, CLOTHING)
        apparel = await get_category(session, APPAREL)
        offered = await shop_category_choices(session, world.flagship)
    assert clothing is not None
    assert apparel is not None
    assert (clothing.is_active, clothing.own_active) == (False, True)
    assert (apparel.is_active, apparel.own_active) == (False, False)
    assert offered == []
    with pytest.raises(InvalidProduct) as refused:
        await save_product(
            db, actor_user_id=None, shop_id=world.flagship, draft=shirt_draft(world.brand),
            now=clock.now(),
        )  # fmt: skip
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("category_id", "unknown_category")
    ]
    assert await category_listing(db, category_id=CLOTHING, language="en") is None
    assert await _switch(db, world, clock, APPAREL, True) is True
    saved = await save_product(
        db, actor_user_id=None, shop_id=world.flagship, draft=shirt_draft(world.brand),
        now=clock.now(),
    )  # fmt: skip
    assert saved.status == "live"
    listing = await category_listing(db, category_id=CLOTHING, language="en")
    assert listing is not None
    assert listing.total == 1
    async with db.reading() as session:
        assert [c for c, _ in await shop_category_choices(session, world.flagship)] == [
            APPAREL,
            CLOTHING,
        ]


async def test_live_products_stay_live_and_pending_ones_are_not_approved(
    db: Database, clock: FixedClock, world: World
) -> None:
    live = await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
    )
    await set_category_terms(
        db, actor=world.people["admin"], category_id=APPAREL, commission_rate_bp=None,
        listing_review=True, now=clock.now(), audit=AuditContext(request_id="test"),
    )  # fmt: skip
    pending = await save_product(
        db, actor_user_id=None, shop_id=world.flagship, draft=shirt_draft(world.brand),
        now=clock.now(),
    )  # fmt: skip
    assert (live.status, pending.status) == ("live", "pending")
    await _switch(db, world, clock, HOME, False)
    await _switch(db, world, clock, CLOTHING, False)
    with pytest.raises(Conflict) as refused:
        await approve_listing(
            db, actor=world.people["moderation"], product_id=pending.product_id, now=clock.now(),
            audit=AuditContext(request_id="test"),
        )  # fmt: skip
    assert refused.value.code == "category_inactive"
    assert await _status(db, pending.product_id) == "pending"
    assert await _status(db, live.product_id) == "live"


async def test_switching_to_the_current_state_changes_nothing_but_is_audited(
    db: Database, clock: FixedClock, world: World
) -> None:
    before = await tree(db)
    assert await _switch(db, world, clock, HOME, True) is False
    assert await tree(db) == before
    [record] = await audits(db, "catalog.category.activate")
    assert record.details == {"active": True, "changed": False}


@pytest.mark.parametrize("role", ["moderation", "owner", "support"])
async def test_others_cannot_deactivate(
    db: Database, clock: FixedClock, world: World, role: str
) -> None:
    before = await tree(db)
    with pytest.raises(Forbidden):
        await set_category_active(
            db, actor=world.people[role], category_id=HOME, active=False, now=clock.now(),
            audit=AuditContext(request_id="test"),
        )  # fmt: skip
    assert await tree(db) == before
    [record] = await audits(db, "catalog.category.deactivate")
    assert record.outcome == "refused"
