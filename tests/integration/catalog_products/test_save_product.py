"""save_product and validate_product_draft on both databases: created, updated, unchanged
(nothing written), refused (nothing written), the shop's rights, SKU clashes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from galerie.catalog import (
    InvalidProduct,
    VariantDraft,
    content_hash,
    is_product_visible,
    load_draft,
    product_detail,
    save_product,
    validate_product_draft,
)
from galerie.catalog.product_models import Product, Sku
from galerie.catalog.shop_rights import listing_rights_problems
from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.sellers import may_sell
from galerie.sellers.models import Shop
from tests.integration.catalog_products.factories import (
    APPAREL,
    CLOTHING,
    HOME,
    World,
    counts,
    home_draft,
    shirt_draft,
)


async def test_a_new_product_is_created_and_goes_live(
    db: Database, world: World, clock: FixedClock
) -> None:
    before = await counts(db)
    saved = await save_product(
        db,
        actor_user_id=world.people["owner"].user_id,
        shop_id=world.shop,
        draft=home_draft(),
        now=clock.now(),
    )
    assert (saved.outcome, saved.status) == ("created", "live")
    after = await counts(db)
    assert {k: after[k] - before[k] for k in after} == {
        "products": 1,
        "texts": 3,
        "skus": 1,
        "images": 0,
        "history": 3,  # created, submitted, checks passed
        "outbox": 2,  # one per transition
        "audit": 0,
    }
    async with db.reading() as session:
        detail = await product_detail(session, shop_id=world.shop, product_id=saved.product_id)
        assert await is_product_visible(session, saved.product_id)
    assert [(h.from_status, h.to_status, h.action) for h in detail.history] == [
        (None, "draft", "create"),
        ("draft", "pending", "submit"),
        ("pending", "live", "pass_checks"),
    ]
    assert detail.listed_at == clock.now()


async def test_saving_the_same_draft_twice_writes_nothing(
    db: Database, world: World, clock: FixedClock
) -> None:
    first = await save_product(
        db,
        actor_user_id=None,
        shop_id=world.flagship,
        draft=shirt_draft(world.brand),
        now=clock.now(),
    )
    before = await counts(db)
    created_at = clock.now()
    clock.advance(timedelta(minutes=1))
    again = await save_product(
        db,
        actor_user_id=None,
        shop_id=world.flagship,
        draft=shirt_draft(world.brand),
        now=clock.now(),
    )
    assert again == replace(first, outcome="unchanged")
    assert await counts(db) == before
    async with db.reading() as session:
        product = await session.get(Product, first.product_id)
        assert product is not None
        assert (product.version, product.updated_at) == (1, created_at)


async def test_an_update_changes_skus_and_keeps_a_live_listing_live(
    db: Database, world: World, clock: FixedClock
) -> None:
    first = await save_product(
        db,
        actor_user_id=None,
        shop_id=world.flagship,
        draft=shirt_draft(world.brand),
        now=clock.now(),
    )
    draft = shirt_draft(world.brand)
    cheaper = replace(draft.variants[0], price=Money(19_900, "CNY"))
    changed = replace(draft, variants=(cheaper, *draft.variants[1:3]))
    before = await counts(db)
    saved = await save_product(
        db, actor_user_id=None, shop_id=world.flagship, draft=changed, now=clock.now()
    )
    assert (saved.product_id, saved.outcome, saved.status) == (first.product_id, "updated", "live")
    after = await counts(db)
    assert {k: after[k] - before[k] for k in after} == {
        "products": 0,
        "texts": 0,
        "skus": 0,
        "images": 0,
        "history": 0,
        "outbox": 1,
        "audit": 0,
    }
    async with db.reading() as session:
        skus = {
            s.seller_sku: (s.price_minor, s.is_active)
            for s in await session.scalars(select(Sku).where(Sku.product_id == saved.product_id))
        }
        product = await session.get(Product, saved.product_id)
        assert product is not None
        assert (product.min_price_minor, product.max_price_minor, product.version) == (
            19_900,
            31_900,
            2,
        )
    assert skus == {
        "SHIRT-1-S-white": (19_900, True),
        "SHIRT-1-M-white": (30_900, True),
        "SHIRT-1-S-blue": (31_900, True),
        "SHIRT-1-M-blue": (32_900, False),
    }


async def test_an_invalid_draft_writes_nothing(
    db: Database, world: World, clock: FixedClock
) -> None:
    bad = home_draft(
        titles={"fr": "Vase"},
        variants=(VariantDraft("VASE-1-S", Money(0, "CNY"), gtin="123"),),
    )
    before = await counts(db)
    with pytest.raises(InvalidProduct) as caught:
        await save_product(db, actor_user_id=None, shop_id=world.shop, draft=bad, now=clock.now())
    assert caught.value.code == "invalid_product"
    assert [(p.field, p.code) for p in caught.value.problems] == [
        ("titles.en", "title_missing"),
        ("variants[0].gtin", "bad_gtin"),
        ("variants[0].price", "price_not_positive"),
    ]
    assert await counts(db) == before
    assert await validate_product_draft(db, shop_id=world.shop, draft=bad) == caught.value.problems


@pytest.mark.parametrize(
    ("shop", "category", "brand", "expected"),
    [
        ("shop", CLOTHING, None, [("category_id", "category_not_allowed")]),
        ("shop", 999_999, None, [("category_id", "unknown_category")]),
        ("flagship", CLOTHING, "other_brand", [("brand_id", "brand_not_allowed")]),
        ("flagship", CLOTHING, None, [("brand_id", "brand_not_allowed")]),
        ("flagship", HOME, "brand", [("category_id", "category_not_allowed")]),
        ("flagship", APPAREL, "brand", []),
    ],
)
async def test_categories_and_brands_the_shop_may_not_sell_are_refused(
    db: Database,
    world: World,
    clock: FixedClock,
    shop: str,
    category: int,
    brand: str | None,
    expected: list[tuple[str, str]],
) -> None:
    shop_id = getattr(world, shop)
    brand_id = None if brand is None else getattr(world, brand)
    draft = home_draft(category_id=category, brand_id=brand_id)
    problems = await validate_product_draft(db, shop_id=shop_id, draft=draft)
    assert [(p.field, p.code) for p in problems] == expected
    async with db.reading() as session:
        agrees = await may_sell(session, shop_id=shop_id, category_id=category, brand_id=brand_id)
        rights = await listing_rights_problems(
            session, shop_id=shop_id, category_id=category, brand_id=brand_id
        )
    assert agrees == (not rights)
    if expected:
        before = await counts(db)
        with pytest.raises(InvalidProduct):
            await save_product(
                db, actor_user_id=None, shop_id=shop_id, draft=draft, now=clock.now()
            )
        assert await counts(db) == before


async def test_a_suspended_shop_cannot_save_and_its_listings_disappear(
    db: Database, world: World, clock: FixedClock
) -> None:
    saved = await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
    )
    async with db.transaction() as session:
        shop = await session.get(Shop, world.shop)
        assert shop is not None
        shop.status = "suspended"
    async with db.reading() as session:
        assert not await is_product_visible(session, saved.product_id)
    problems = await validate_product_draft(db, shop_id=world.shop, draft=home_draft("VASE-2"))
    assert [p.code for p in problems] == ["shop_not_selling"]


async def test_a_sku_code_of_another_product_is_a_problem(
    db: Database, world: World, clock: FixedClock
) -> None:
    await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
    )
    clash = home_draft("VASE-2", variants=(VariantDraft("VASE-1-S", Money(100, "CNY")),))
    before = await counts(db)
    with pytest.raises(InvalidProduct) as caught:
        await save_product(db, actor_user_id=None, shop_id=world.shop, draft=clash, now=clock.now())
    assert [(p.field, p.code) for p in caught.value.problems] == [
        ("variants[0].seller_sku", "seller_sku_taken")
    ]
    assert await counts(db) == before
    # The same code in another shop is fine.
    other = await save_product(
        db, actor_user_id=None, shop_id=world.rival_shop, draft=clash, now=clock.now()
    )
    assert other.outcome == "created"


async def test_prohibited_words_save_the_product_but_reject_the_listing(
    db: Database, world: World, clock: FixedClock
) -> None:
    draft = home_draft(descriptions={"en": "Not a replica."})
    saved = await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=draft, now=clock.now()
    )
    assert (saved.outcome, saved.status) == ("created", "rejected")
    async with db.reading() as session:
        detail = await product_detail(session, shop_id=world.shop, product_id=saved.product_id)
    assert detail.findings == [
        {
            "field": "descriptions.en",
            "code": "prohibited_word",
            "message": "Prohibited word: replica.",
        }
    ]
    fixed = await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
    )
    assert (fixed.outcome, fixed.status) == ("updated", "live")


async def test_a_draft_saved_without_submitting_stays_draft_until_submitted(
    db: Database, world: World, clock: FixedClock
) -> None:
    saved = await save_product(
        db,
        actor_user_id=None,
        shop_id=world.shop,
        draft=home_draft(),
        now=clock.now(),
        submit=False,
    )
    assert (saved.outcome, saved.status) == ("created", "draft")
    again = await save_product(
        db,
        actor_user_id=None,
        shop_id=world.shop,
        draft=home_draft(),
        now=clock.now(),
        submit=False,
    )
    assert again.outcome == "unchanged"
    before = await counts(db)
    submitted = await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
    )
    assert (submitted.outcome, submitted.status) == ("updated", "live")
    after = await counts(db)
    assert (after["history"] - before["history"], after["skus"] - before["skus"]) == (2, 0)


async def test_a_stored_product_loads_back_as_the_same_draft(
    db: Database, world: World, clock: FixedClock
) -> None:
    draft = shirt_draft(
        world.brand, descriptions={"en": "Washed linen."}, return_exclusion="custom_made"
    )
    saved = await save_product(
        db, actor_user_id=None, shop_id=world.flagship, draft=draft, now=clock.now()
    )
    async with db.reading() as session:
        loaded = await load_draft(session, saved.product_id)
    assert content_hash(loaded) == content_hash(draft)
    again = await save_product(
        db, actor_user_id=None, shop_id=world.flagship, draft=loaded, now=clock.now()
    )
    assert again.outcome == "unchanged"


async def test_only_live_products_of_live_shops_are_visible(
    db: Database, world: World, clock: FixedClock
) -> None:
    live = await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
    )
    draft = await save_product(
        db,
        actor_user_id=None,
        shop_id=world.shop,
        draft=home_draft("VASE-2"),
        now=clock.now(),
        submit=False,
    )
    rejected = await save_product(
        db,
        actor_user_id=None,
        shop_id=world.shop,
        draft=home_draft("VASE-3", titles={"en": "Replica vase"}),
        now=clock.now(),
    )
    async with db.reading() as session:
        seen = [await is_product_visible(session, p.product_id) for p in (live, draft, rejected)]
        assert not await is_product_visible(session, 987_654)
    assert seen == [True, False, False]
    assert (draft.status, rejected.status) == ("draft", "rejected")
