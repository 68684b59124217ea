"""Review, operator moderation (audited once each), seller submit and withdraw, category
attributes and terms, and the seller and console lists."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import event, select

from galerie.audit import AuditContext, AuditRecord
from galerie.catalog import (
    AttributeForm,
    InvalidProduct,
    ProductFilter,
    approve_listing,
    category_attributes,
    define_category_attribute,
    delist_product,
    moderation_queue,
    product_detail,
    reject_listing,
    save_product,
    set_category_terms,
    shop_products,
    submit_listing,
    withdraw_listing,
)
from galerie.catalog.models import Category
from galerie.db import Database
from galerie.kernel import Conflict, FixedClock, Forbidden, NotFound, PageRequest, ValidationFailed
from tests.integration.catalog_products.factories import (
    APPAREL,
    CLOTHING,
    HOME,
    World,
    counts,
    home_draft,
    shirt_draft,
)


async def _review_apparel(
    db: Database, world: World, clock: FixedClock, audit: AuditContext
) -> None:
    await set_category_terms(
        db,
        actor=world.people["admin"],
        category_id=APPAREL,
        commission_rate_bp=500,
        listing_review=True,
        now=clock.now(),
        audit=audit,
    )


async def test_a_reviewed_category_holds_listings_for_an_operator(
    db: Database, world: World, clock: FixedClock, audit: AuditContext
) -> None:
    await _review_apparel(db, world, clock, audit)
    saved = await save_product(
        db,
        actor_user_id=None,
        shop_id=world.flagship,
        draft=shirt_draft(world.brand),
        now=clock.now(),
    )
    assert saved.status == "pending"
    async with db.reading() as session:
        queue = await moderation_queue(session)
    assert [p.id for p in queue.items] == [saved.product_id]
    before = await counts(db)
    status = await approve_listing(
        db,
        actor=world.people["moderation"],
        product_id=saved.product_id,
        now=clock.now(),
        audit=audit,
    )
    assert status == "live"
    after = await counts(db)
    assert {k: after[k] - before[k] for k in ("history", "outbox", "audit")} == {
        "history": 1,
        "outbox": 1,
        "audit": 1,
    }
    async with db.reading() as session:
        record = (
            await session.scalars(select(AuditRecord).order_by(AuditRecord.id.desc()))
        ).first()
    assert record is not None
    assert (record.action, record.target_id, record.actor_user_id) == (
        "catalog.listing.approve",
        str(saved.product_id),
        world.people["moderation"].user_id,
    )
    # A change to the live listing goes back to review.
    changed = shirt_draft(world.brand, titles={"zh-CN": "亚麻衬衫（新）"})
    again = await save_product(
        db, actor_user_id=None, shop_id=world.flagship, draft=changed, now=clock.now()
    )
    assert (again.outcome, again.status) == ("updated", "pending")


async def test_reject_and_delist_need_a_reason_and_are_audited_once(
    db: Database, world: World, clock: FixedClock, audit: AuditContext
) -> None:
    await _review_apparel(db, world, clock, audit)
    saved = await save_product(
        db,
        actor_user_id=None,
        shop_id=world.flagship,
        draft=shirt_draft(world.brand),
        now=clock.now(),
    )
    moderator = world.people["moderation"]
    before = await counts(db)
    with pytest.raises(ValidationFailed) as caught:
        await reject_listing(
            db,
            actor=moderator,
            product_id=saved.product_id,
            reason="  ",
            now=clock.now(),
            audit=audit,
        )
    assert caught.value.code == "reason_required"
    assert await counts(db) == before
    with pytest.raises(Conflict) as stale:
        await delist_product(
            db,
            actor=moderator,
            product_id=saved.product_id,
            reason="x",
            now=clock.now(),
            audit=audit,
        )
    assert stale.value.code == "transition_not_allowed"
    assert await counts(db) == before
    assert (
        await reject_listing(
            db,
            actor=moderator,
            product_id=saved.product_id,
            reason="Blurry photos",
            now=clock.now(),
            audit=audit,
        )
        == "rejected"
    )
    async with db.reading() as session:
        detail = await product_detail(session, shop_id=world.flagship, product_id=saved.product_id)
    assert (detail.status, detail.status_reason) == ("rejected", "Blurry photos")
    # The seller resubmits; the operator approves; then delists it.
    assert (
        await submit_listing(
            db,
            actor_user_id=None,
            shop_id=world.flagship,
            product_id=saved.product_id,
            now=clock.now(),
        )
        == "pending"
    )
    await approve_listing(
        db, actor=moderator, product_id=saved.product_id, now=clock.now(), audit=audit
    )
    middle = await counts(db)
    assert (
        await delist_product(
            db,
            actor=moderator,
            product_id=saved.product_id,
            reason="Trademark complaint",
            now=clock.now(),
            audit=audit,
        )
        == "delisted"
    )
    after = await counts(db)
    assert {k: after[k] - middle[k] for k in ("history", "outbox", "audit")} == {
        "history": 1,
        "outbox": 1,
        "audit": 1,
    }
    assert after["audit"] - before["audit"] == 3


@pytest.mark.parametrize("role", ["owner", "vetting", "shopper", "rival"])
async def test_only_moderators_moderate(
    db: Database, world: World, clock: FixedClock, audit: AuditContext, role: str
) -> None:
    await _review_apparel(db, world, clock, audit)
    saved = await save_product(
        db,
        actor_user_id=None,
        shop_id=world.flagship,
        draft=shirt_draft(world.brand),
        now=clock.now(),
    )
    before = await counts(db)
    with pytest.raises(Forbidden):
        await approve_listing(
            db, actor=world.people[role], product_id=saved.product_id, now=clock.now(), audit=audit
        )
    after = await counts(db)
    assert {k: after[k] - before[k] for k in after} == {
        "products": 0,
        "texts": 0,
        "skus": 0,
        "images": 0,
        "history": 0,
        "outbox": 0,
        "audit": 1,
    }


async def test_moderating_an_unknown_product_is_not_found(
    db: Database, world: World, clock: FixedClock, audit: AuditContext
) -> None:
    with pytest.raises(NotFound):
        await approve_listing(
            db, actor=world.people["moderation"], product_id=987_654, now=clock.now(), audit=audit
        )


async def test_sellers_withdraw_and_resubmit_only_their_own(
    db: Database, world: World, clock: FixedClock
) -> None:
    saved = await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
    )
    before = await counts(db)
    with pytest.raises(NotFound):
        await withdraw_listing(
            db,
            actor_user_id=None,
            shop_id=world.rival_shop,
            product_id=saved.product_id,
            now=clock.now(),
        )
    assert await counts(db) == before
    assert (
        await withdraw_listing(
            db, actor_user_id=None, shop_id=world.shop, product_id=saved.product_id, now=clock.now()
        )
        == "draft"
    )
    with pytest.raises(Conflict):
        await withdraw_listing(
            db, actor_user_id=None, shop_id=world.shop, product_id=saved.product_id, now=clock.now()
        )
    assert (
        await submit_listing(
            db, actor_user_id=None, shop_id=world.shop, product_id=saved.product_id, now=clock.now()
        )
        == "live"
    )


async def test_required_and_enum_attributes_of_ancestors_apply(
    db: Database, world: World, clock: FixedClock, audit: AuditContext
) -> None:
    admin = world.people["admin"]
    form = AttributeForm(
        code="colour_family",
        name_en="Colour family",
        value_type="enum",
        required=True,
        options=("light", "dark"),
    )
    await define_category_attribute(
        db, actor=admin, category_id=APPAREL, form=form, now=clock.now(), audit=audit
    )
    await define_category_attribute(
        db,
        actor=admin,
        category_id=CLOTHING,
        form=AttributeForm(code="fabric", name_en="Fabric", value_type="text"),
        now=clock.now(),
        audit=audit,
    )
    async with db.reading() as session:
        attributes = await category_attributes(session, CLOTHING)
    assert [(a.code, a.category_id) for a in attributes] == [
        ("colour_family", APPAREL),
        ("fabric", CLOTHING),
    ]
    before = await counts(db)
    with pytest.raises(InvalidProduct) as caught:
        await save_product(
            db,
            actor_user_id=None,
            shop_id=world.flagship,
            draft=shirt_draft(world.brand),
            now=clock.now(),
        )
    assert [p.code for p in caught.value.problems] == ["attribute_missing"]
    wrong = shirt_draft(world.brand, attributes={"colour_family": "neon"})
    with pytest.raises(InvalidProduct) as caught:
        await save_product(
            db, actor_user_id=None, shop_id=world.flagship, draft=wrong, now=clock.now()
        )
    assert [p.code for p in caught.value.problems] == ["attribute_not_allowed"]
    assert await counts(db) == before
    right = shirt_draft(world.brand, attributes={"colour_family": "light", "fabric": "linen"})
    saved = await save_product(
        db, actor_user_id=None, shop_id=world.flagship, draft=right, now=clock.now()
    )
    assert saved.status == "live"
    # Editing the attribute: optional now.
    await define_category_attribute(
        db,
        actor=admin,
        category_id=APPAREL,
        form=replace(form, required=False),
        now=clock.now(),
        audit=audit,
    )
    async with db.reading() as session:
        assert [a.required for a in await category_attributes(session, CLOTHING)] == [False, False]


async def test_category_terms_are_for_category_operators_and_audited(
    db: Database, world: World, clock: FixedClock, audit: AuditContext
) -> None:
    before = await counts(db)
    with pytest.raises(Forbidden):
        await set_category_terms(
            db,
            actor=world.people["moderation"],
            category_id=HOME,
            commission_rate_bp=300,
            listing_review=None,
            now=clock.now(),
            audit=audit,
        )
    with pytest.raises(ValidationFailed):
        await set_category_terms(
            db,
            actor=world.people["admin"],
            category_id=HOME,
            commission_rate_bp=10_001,
            listing_review=None,
            now=clock.now(),
            audit=audit,
        )
    await set_category_terms(
        db,
        actor=world.people["admin"],
        category_id=HOME,
        commission_rate_bp=300,
        listing_review=False,
        now=clock.now(),
        audit=audit,
    )
    assert (await counts(db))["audit"] - before["audit"] == 2  # the refusal and the change
    async with db.reading() as session:
        category = await session.get(Category, HOME)
    assert category is not None
    assert (category.commission_rate_bp, category.listing_review) == (300, False)


async def test_the_seller_list_filters_and_pages_in_three_queries(
    db: Database, world: World, clock: FixedClock
) -> None:
    for n in range(5):
        await save_product(
            db,
            actor_user_id=None,
            shop_id=world.shop,
            draft=home_draft(f"VASE-{n}", titles={"en": f"Vase {n}"}),
            now=clock.now(),
            submit=n % 2 == 0,
        )
    await save_product(
        db,
        actor_user_id=None,
        shop_id=world.rival_shop,
        draft=home_draft("VASE-9"),
        now=clock.now(),
    )
    async with db.reading() as session:
        statements: list[str] = []
        connection = await session.connection()
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(connection.sync_connection, "before_cursor_execute", listener)
        page = await shop_products(session, shop_id=world.shop, page=PageRequest(1, 2))
        event.remove(connection.sync_connection, "before_cursor_execute", listener)
        drafts = await shop_products(
            session, shop_id=world.shop, filters=ProductFilter(status="draft")
        )
        by_sku = await shop_products(
            session, shop_id=world.shop, filters=ProductFilter(search="vase-3-s")
        )
        by_title = await shop_products(
            session, shop_id=world.shop, filters=ProductFilter(search="VASE 4", category_id=HOME)
        )
        none = await shop_products(
            session, shop_id=world.shop, filters=ProductFilter(category_id=CLOTHING)
        )
    assert len(statements) == 3
    assert (page.total, len(page.items), page.pages) == (5, 2, 3)
    assert sorted(p.seller_ref for p in drafts.items) == ["VASE-1", "VASE-3"]
    assert [p.seller_ref for p in by_sku.items] == ["VASE-3"]
    assert [(p.seller_ref, p.title) for p in by_title.items] == [("VASE-4", "Vase 4")]
    assert none.total == 0
