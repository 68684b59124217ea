"""The other live shops' demo catalog: a few thousand products, each titled in the three
languages, spread over several categories per shop, and every one of them a product its shop
may list (the catalog's own checks, against the seeded shops)."""

from __future__ import annotations

import re
from collections import Counter

from galerie.catalog import validate_product_draft
from galerie.catalog.drafts import ImageDraft
from galerie.db import Database
from galerie.demo.catalog import DemoProduct, nordhavn_products
from galerie.demo.catalog_seed import OTHER_SHOPS, _shops, draft_of, plan_products
from galerie.imports import gtin_valid

EXPECTED = 3210
IMAGE = ImageDraft(storage_key="demo/x.png", thumbnail_key="demo/x.thumb.png",
                   content_type="image/png", width=160, height=160)  # fmt: skip
FILLER = re.compile(r"\{|\}|\bproduct \d|  |\( |None")


def _all() -> dict[str, list[DemoProduct]]:
    return {plan.slug: plan_products(plan) for plan in OTHER_SHOPS}


def test_the_other_shops_carry_a_few_thousand_distinct_products() -> None:
    shops = _all()
    products = [p for ps in shops.values() for p in ps]
    assert len(products) == EXPECTED >= 3200
    for slug, items in shops.items():
        for language in ("en", "zh-CN", "fr"):  # no two products of a shop share a title
            titles = [p.titles[language] for p in items]
            assert len(set(titles)) == len(titles), (slug, language)
        assert len({p.seller_ref for p in items}) == len(items)
    for product in products:
        texts = [*product.titles.values(), *product.descriptions.values()]
        assert set(product.titles) == set(product.descriptions) == {"en", "zh-CN", "fr"}
        assert all(text.strip() and not FILLER.search(text) for text in texts), texts
        assert product.titles["en"][0].isupper()
        assert product.titles["fr"][0].isupper()
        assert re.search(r"[\u4e00-\u9fff]", product.titles["zh-CN"]), product.titles
        assert all(v.price.minor > 0 for v in product.variants)
    gtins = [v.gtin for p in products for v in p.variants]
    assert len(set(gtins)) == len(gtins)
    assert all(gtin_valid(g) for g in gtins)
    assert not {g for p in nordhavn_products() for g in (v.gtin for v in p.variants)} & set(gtins)


def test_facets_have_something_to_show() -> None:
    """Several categories in every shop but the tea shop, and a spread of prices."""
    for slug, items in _all().items():
        categories = Counter(p.category_id for p in items)
        assert len(categories) >= (1 if slug == "zhang-wei-tea" else 3), (slug, categories)
        prices = {v.price.minor // 10_000 for p in items for v in p.variants}  # 100-yuan bands
        assert len(prices) >= 2, slug


async def test_every_demo_product_is_one_its_shop_may_list(base_db: Database) -> None:
    """One draft per shop, category and brand the demo uses, through the catalog's checks
    against the shops as seeded (approved categories, qualifications, brands)."""
    db = base_db
    shops = await _shops(db)
    checked = 0
    for plan in OTHER_SHOPS:
        shop_id, brands = shops[plan.slug]
        seen: set[tuple[int, str | None]] = set()
        for n, product in enumerate(plan_products(plan)):
            brand = plan.brands[n % len(plan.brands)] if plan.brands else None
            if (product.category_id, brand) in seen:
                continue
            seen.add((product.category_id, brand))
            draft = draft_of(product, brand_id=brands.get(brand) if brand else None, image=IMAGE)
            problems = await validate_product_draft(db, shop_id=shop_id, draft=draft)
            assert problems == (), (plan.slug, product.seller_ref, problems)
            checked += 1
    assert checked > 100
