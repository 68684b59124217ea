"""The shoppers' catalog reads on both databases: category listings (descendants, live only,
language fallback, sorts, pages), shop listings and the product page."""

from __future__ import annotations

from pathlib import Path

import pytest

from galerie.catalog import (
    ProductSort,
    category_listing,
    live_shop_products,
    product_image_file,
    product_page,
)
from galerie.db import Database
from galerie.identity import SellerRole
from galerie.kernel import FixedClock
from tests.factories import make_user
from tests.integration.catalog.storefront_factories import (
    ProductSpec,
    Variation,
    insert_brand,
    insert_product,
    insert_warehouse,
)
from tests.integration.sellers.factories import (
    APPAREL,
    CLOTHING,
    HOME,
    insert_shop,
    load_categories,
)


@pytest.fixture
async def shops(db: Database, clock: FixedClock, tmp_path: Path) -> dict[str, int]:
    await load_categories(db, clock.now(), tmp_path)
    owner = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    assert owner.organisation_id is not None
    result = {}
    for status in ("live", "suspended", "preparing"):
        result[status] = await insert_shop(
            db, clock.now(), organisation_id=owner.organisation_id, status=status,
            top_levels=(HOME, APPAREL),
        )  # fmt: skip
    return result


async def test_a_category_lists_live_products_of_live_shops_below_it(
    db: Database, clock: FixedClock, shops: dict[str, int]
) -> None:
    now = clock.now()
    live = shops["live"]
    coat = await insert_product(
        db, now, shop_id=live, spec=ProductSpec(titles={"en": "Coat"}, category_id=CLOTHING)
    )
    scarf = await insert_product(
        db, now, shop_id=live,
        spec=ProductSpec(titles={"en": "Scarf"}, category_id=APPAREL, listed_minutes_ago=5),
    )  # fmt: skip
    for status in ("draft", "pending", "rejected", "delisted"):
        await insert_product(
            db, now, shop_id=live, spec=ProductSpec(status=status, category_id=CLOTHING)
        )
    for hidden_shop in (shops["suspended"], shops["preparing"]):
        await insert_product(db, now, shop_id=hidden_shop, spec=ProductSpec(category_id=CLOTHING))
    await insert_product(db, now, shop_id=live, spec=ProductSpec(category_id=HOME))

    listing = await category_listing(db, category_id=APPAREL, language="en")

    assert listing is not None
    assert [c.id for c in listing.page.cards] == [coat, scarf]
    assert [(c.id, c.name, c.count) for c in listing.children] == [(CLOTHING, "Clothing", 1)]
    assert listing.total == 2
    assert [c.name for c in listing.breadcrumb] == ["Apparel & Accessories"]
    assert listing.page.has_more is False
    leaf = await category_listing(db, category_id=CLOTHING, language="en")
    assert leaf is not None
    assert [c.id for c in leaf.page.cards] == [coat]
    assert [c.id for c in leaf.breadcrumb] == [APPAREL, CLOTHING]
    assert await category_listing(db, category_id=999_999, language="en") is None


async def test_titles_fall_back_to_the_default_language(
    db: Database, clock: FixedClock, shops: dict[str, int]
) -> None:
    spec = ProductSpec(
        titles={"zh-CN": "茉莉花茶", "fr": "Thé au jasmin"}, default_language="zh-CN"
    )
    await insert_product(db, clock.now(), shop_id=shops["live"], spec=spec)
    titles = {}
    for language in ("en", "fr", "zh-CN"):
        listing = await category_listing(db, category_id=HOME, language=language)
        assert listing is not None
        titles[language] = listing.page.cards[0].title
    assert titles == {"en": "茉莉花茶", "fr": "Thé au jasmin", "zh-CN": "茉莉花茶"}


async def test_sorts_and_pages(db: Database, clock: FixedClock, shops: dict[str, int]) -> None:
    ids = []
    for n, (price, sales) in enumerate([(300, 5), (100, 50), (200, 1)]):
        spec = ProductSpec(
            variants=[Variation({}, price)], sales_count=sales, listed_minutes_ago=10 - n
        )
        ids.append(await insert_product(db, clock.now(), shop_id=shops["live"], spec=spec))
    a, b, c = ids
    expected = {
        ProductSort.NEWEST: [c, b, a],
        ProductSort.PRICE_ASC: [b, c, a],
        ProductSort.PRICE_DESC: [a, c, b],
        ProductSort.SALES: [b, a, c],
    }
    for sort, order in expected.items():
        listing = await category_listing(db, category_id=HOME, language="en", sort=sort)
        assert listing is not None
        assert [card.id for card in listing.page.cards] == order, sort
    first = await live_shop_products(db, shop_id=shops["live"], language="en", per_page=2)
    second = await live_shop_products(
        db, shop_id=shops["live"], language="en", per_page=2, number=2
    )
    far = await live_shop_products(db, shop_id=shops["live"], language="en", number=10_000)
    assert ([c.id for c in first.cards], first.has_more) == ([c, b], True)
    assert ([c.id for c in second.cards], second.has_more) == ([a], False)
    assert (far.cards, far.has_more) == ([], False)
    hidden = await live_shop_products(db, shop_id=shops["suspended"], language="en")
    assert hidden.cards == []
    with pytest.raises(ValueError, match="page"):
        await live_shop_products(db, shop_id=shops["live"], language="en", number=0)
    with pytest.raises(ValueError, match="page"):
        await live_shop_products(db, shop_id=shops["live"], language="en", per_page=61)


async def test_the_product_page_has_variants_stock_images_and_the_shop(
    db: Database, clock: FixedClock, shops: dict[str, int]
) -> None:
    now = clock.now()
    live = shops["live"]
    main, second = await insert_warehouse(db, now, live), await insert_warehouse(db, now, live)
    closed = await insert_warehouse(db, now, live, active=False)
    brand = await insert_brand(db, now)
    spec = ProductSpec(
        titles={"en": "Sneaker", "fr": "Basket"}, category_id=CLOTHING, brand_id=brand,
        option_axes=["size", "colour"], attributes={"material": "canvas"}, images=2,
        return_exclusion="perishable",
        variants=[
            Variation({"size": "40", "colour": "red"}, 5000, stock=(2, 1, 100)),
            Variation({"size": "41", "colour": "red"}, 5500, stock=(0, 0)),
            Variation({"size": "42", "colour": "red"}, 5500, stock=(9, 9)),
            Variation({"size": "43", "colour": "red"}, 9900, is_active=False),
        ],
    )  # fmt: skip
    product = await insert_product(
        db, now, shop_id=live, warehouses=(main, second, closed), spec=spec
    )

    page = await product_page(db, product_id=product, language="fr")

    assert page is not None
    assert page.public
    assert (page.title, page.text_language, page.currency) == ("Basket", "fr", "CNY")
    assert (page.min_price_minor, page.max_price_minor) == (5000, 5500)
    assert [(v.options["size"], v.available, v.availability) for v in page.variants] == [
        ("40", 3, "low"),
        ("41", 0, "out_of_stock"),
        ("42", 18, "in_stock"),
    ]
    assert [i.has_thumbnail for i in page.images] == [True, True]
    assert [c.id for c in page.breadcrumb] == [APPAREL, CLOTHING]
    assert (page.shop.id, page.shop.status, page.brand is not None) == (live, "live", True)
    assert [(a.code, a.value) for a in page.attributes] == [("material", "canvas")]
    assert page.option_axes == ["size", "colour"]
    image = await product_image_file(db, image_id=page.images[0].id)
    assert image is not None
    assert image.public
    assert image.thumbnail_key == f"products/{product}/0-thumb.png"
    assert await product_page(db, product_id=product + 1000, language="en") is None


async def test_hidden_products_are_returned_as_not_public(
    db: Database, clock: FixedClock, shops: dict[str, int]
) -> None:
    draft = await insert_product(
        db, clock.now(), shop_id=shops["live"], spec=ProductSpec(status="draft", images=1)
    )
    suspended = await insert_product(
        db, clock.now(), shop_id=shops["suspended"], spec=ProductSpec()
    )
    for product_id in (draft, suspended):
        page = await product_page(db, product_id=product_id, language="en")
        assert page is not None
        assert not page.public
    page = await product_page(db, product_id=draft, language="en")
    assert page is not None
    image = await product_image_file(db, image_id=page.images[0].id)
    assert image is not None
    assert not image.public
