"""Search over the labelled catalog, on both databases: exact results for a table of
queries in Chinese, English and French, facet counts, filters, sorts, the query budget."""

from __future__ import annotations

import pytest

from galerie.db import Database
from galerie.kernel import ValidationFailed
from galerie.search import Facets, FacetValue, SearchFilters, SearchSort, search_products
from tests.integration.search.conftest import APPAREL, FOOD, JAMS, SHOES, Labelled
from tests.integration.search.counting import counted_statements

ALL_BY_SALES = ["strawberry", "blocks", "blueberry", "wok", "shoes", "cream"]

# (text, language, sort, expected labels in order)
QUERIES = [
    ("蓝莓果酱", "zh-CN", SearchSort.RELEVANCE, ["blueberry"]),
    ("果酱", "zh-CN", SearchSort.SALES, ["strawberry", "blueberry"]),
    ("运动鞋", "zh-CN", SearchSort.RELEVANCE, ["shoes"]),
    ("儿童运动鞋", "zh-CN", SearchSort.RELEVANCE, ["shoes"]),
    ("儿童鞋", "zh-CN", SearchSort.RELEVANCE, ["shoes"]),  # segmented 儿童 / 鞋
    ("积木玩具", "zh-CN", SearchSort.RELEVANCE, ["blocks"]),
    ("不锈钢炒锅", "zh-CN", SearchSort.RELEVANCE, ["wok"]),
    ("草莓", "zh-CN", SearchSort.RELEVANCE, ["strawberry"]),
    ("jam", "en", SearchSort.SALES, ["strawberry", "blueberry"]),
    ("Blueberry JAMS", "en", SearchSort.RELEVANCE, ["blueberry"]),  # case, plural
    ("running shoe", "en", SearchSort.RELEVANCE, ["shoes"]),
    ("kid shoes", "en", SearchSort.RELEVANCE, ["shoes"]),
    ("lune", "en", SearchSort.SALES, ["blocks", "blueberry"]),  # the brand's name
    ("jam", "en", SearchSort.PRICE_ASC, ["strawberry", "blueberry"]),
    ("jam", "en", SearchSort.PRICE_DESC, ["blueberry", "strawberry"]),
    ("jam", "en", SearchSort.NEWEST, ["strawberry", "blueberry"]),
    ("confiture", "fr", SearchSort.PRICE_ASC, ["strawberry", "blueberry"]),
    ("myrtilles", "fr", SearchSort.RELEVANCE, ["blueberry"]),
    ("creme", "fr", SearchSort.RELEVANCE, ["cream"]),  # accent folded
    ("CRÈME de marrons", "fr", SearchSort.RELEVANCE, ["cream"]),
    ("chaussures enfant", "fr", SearchSort.RELEVANCE, ["shoes"]),
    ("acier inoxydable", "fr", SearchSort.RELEVANCE, ["wok"]),
    ("bluebery", "en", SearchSort.RELEVANCE, ["blueberry"]),  # typo: a letter missing
    ("strawbery jam", "en", SearchSort.RELEVANCE, ["strawberry"]),
    ("confitur myrtille", "fr", SearchSort.RELEVANCE, ["blueberry"]),
    ("chausures", "fr", SearchSort.RELEVANCE, ["shoes"]),
    ("blueberry wok", "en", SearchSort.RELEVANCE, []),  # every term must match
    ("xylophone", "en", SearchSort.RELEVANCE, []),
    ("", "en", SearchSort.RELEVANCE, ALL_BY_SALES),  # browsing: best sellers first
    (
        "",
        "en",
        SearchSort.PRICE_ASC,
        ["cream", "strawberry", "blueberry", "blocks", "wok", "shoes"],
    ),
    ("", "en", SearchSort.NEWEST, ["blocks", "cream", "wok", "shoes", "strawberry", "blueberry"]),
]


def labels(found: list[int], labelled: Labelled) -> list[str]:
    by_id = {product_id: label for label, product_id in labelled.p.items()}
    return [by_id[product_id] for product_id in found]


@pytest.mark.parametrize(("text", "language", "sort", "expected"), QUERIES)
async def test_labelled_queries(
    db: Database,
    labelled: Labelled,
    text: str,
    language: str,
    sort: SearchSort,
    expected: list[str],
) -> None:
    result = await search_products(db, text=text, language=language, sort=sort)
    assert labels([card.product_id for card in result.items], labelled) == expected
    assert result.total == len(expected)


async def test_a_typo_reports_the_terms_used_instead(db: Database, labelled: Labelled) -> None:
    result = await search_products(db, text="bluebery jam", language="en")
    assert result.corrections == {"bluebery": ("blueberry",)}
    exact = await search_products(db, text="blueberry jam", language="en")
    assert exact.corrections == {}


async def test_facet_counts_of_a_query(db: Database, labelled: Labelled) -> None:
    result = await search_products(db, text="jam", language="en")
    assert result.facets == Facets(
        categories=(FacetValue(str(FOOD), "Food", 2),),
        brands=(FacetValue(str(labelled.lune), "Lune", 1),),
        shops=(
            FacetValue(str(labelled.flagship), "Lune Flagship", 1),
            FacetValue(str(labelled.market), "Petit Marché", 1),
        )
        if str(labelled.flagship) < str(labelled.market)  # ties by key
        else (
            FacetValue(str(labelled.market), "Petit Marché", 1),
            FacetValue(str(labelled.flagship), "Lune Flagship", 1),
        ),
        shop_types=(
            FacetValue("flagship", "flagship", 1),
            FacetValue("individual", "individual", 1),
        ),
        price_ranges=(FacetValue("1000-5000", "1000-5000", 2),),
        ratings=(
            FacetValue("4", "4", 1),
            FacetValue("3", "3", 2),
            FacetValue("2", "2", 2),
            FacetValue("1", "1", 2),
        ),
        in_stock=1,  # the strawberry jam is out of stock
    )


async def test_facet_counts_when_browsing_everything(db: Database, labelled: Labelled) -> None:
    facets = (await search_products(db, text="", language="fr")).facets
    assert [(v.label, v.count) for v in facets.categories] == [
        ("Alimentation", 3),  # most first, then by id
        ("Vêtements", 1),
        ("Jouets", 1),
        ("Cuisine", 1),
    ]
    assert [(v.label, v.count) for v in facets.brands] == [("Lune", 2), ("Sunny", 1)]
    assert [(v.key, v.count) for v in facets.price_ranges] == [
        ("0-1000", 1),
        ("1000-5000", 2),
        ("10000-50000", 3),
    ]
    assert [(v.key, v.count) for v in facets.ratings] == [("4", 3), ("3", 4), ("2", 4), ("1", 4)]
    assert [(v.key, v.count) for v in facets.shop_types] == [("flagship", 3), ("individual", 3)]
    assert facets.in_stock == 5


async def test_the_category_tree_facet_counts_children(db: Database, labelled: Labelled) -> None:
    apparel = await search_products(
        db, text="", language="zh-CN", filters=SearchFilters(category_id=APPAREL)
    )
    assert labels([c.product_id for c in apparel.items], labelled) == ["shoes"]
    assert apparel.facets.categories == (FacetValue(str(SHOES), "鞋", 1),)
    food = await search_products(
        db, text="", language="en", filters=SearchFilters(category_id=FOOD)
    )
    assert food.total == 3
    assert food.facets.categories == (FacetValue(str(JAMS), "Jams", 3),)


FILTERS = [
    (SearchFilters(category_id=JAMS), ["strawberry", "blueberry", "cream"]),
    (SearchFilters(category_id=SHOES), ["shoes"]),
    (SearchFilters(shop_types=("individual",)), ["strawberry", "wok", "cream"]),
    (SearchFilters(shop_types=("flagship", "individual")), ALL_BY_SALES),
    (SearchFilters(price_min=1000, price_max=5000), ["strawberry", "blueberry"]),
    (SearchFilters(price_min=15900), ["wok", "shoes"]),
    (SearchFilters(rating_min=4), ["blocks", "blueberry", "shoes"]),
    (SearchFilters(in_stock=True), ["blocks", "blueberry", "wok", "shoes", "cream"]),
    (SearchFilters(category_id=JAMS, in_stock=True, price_max=3000), ["cream"]),
]


@pytest.mark.parametrize(("filters", "expected"), FILTERS)
async def test_filters(
    db: Database, labelled: Labelled, filters: SearchFilters, expected: list[str]
) -> None:
    result = await search_products(db, text="", language="en", filters=filters)
    assert labels([c.product_id for c in result.items], labelled) == expected
    assert result.total == len(expected)


async def test_filter_by_brand(db: Database, labelled: Labelled) -> None:
    result = await search_products(
        db, text="", language="en", filters=SearchFilters(brand_ids=(labelled.sunny,))
    )
    assert labels([c.product_id for c in result.items], labelled) == ["shoes"]
    both = SearchFilters(brand_ids=(labelled.lune, labelled.sunny))
    result = await search_products(db, text="", language="en", filters=both)
    assert labels([c.product_id for c in result.items], labelled) == [
        "blocks",
        "blueberry",
        "shoes",
    ]


async def test_search_inside_one_shop(db: Database, labelled: Labelled) -> None:
    inside = SearchFilters(shop_id=labelled.flagship)
    jam = await search_products(db, text="果酱", language="zh-CN", filters=inside)
    assert labels([c.product_id for c in jam.items], labelled) == ["blueberry"]
    everything = await search_products(db, text="", language="en", filters=inside)
    assert labels([c.product_id for c in everything.items], labelled) == [
        "blocks",
        "blueberry",
        "shoes",
    ]
    assert everything.facets.shops == (FacetValue(str(labelled.flagship), "Lune Flagship", 3),)


@pytest.mark.parametrize(
    "text", ["蓝莓果酱", "蓝莓", "blueberry jam", "gift box", "confiture de myrtilles", ""]
)
async def test_pending_delisted_and_suspended_shop_products_never_appear(
    db: Database, labelled: Labelled, text: str
) -> None:
    hidden = {labelled.p["pending"], labelled.p["delisted"], labelled.p["suspended"]}
    for language in ("zh-CN", "en", "fr"):
        result = await search_products(db, text=text, language=language, per_page=100)
        assert hidden.isdisjoint(card.product_id for card in result.items)
    assert result.facets.shops == tuple(
        v for v in result.facets.shops if int(v.key) != labelled.suspended
    )


async def test_cards_carry_what_a_card_shows(db: Database, labelled: Labelled) -> None:
    result = await search_products(db, text="blocks", language="fr")
    (card,) = result.items
    assert (card.title, card.language) == ("益智积木玩具", "zh-CN")  # no French title
    assert (card.price_minor, card.currency, card.shop_name) == (12900, "CNY", "Lune Flagship")
    assert (card.rating, card.rating_count, card.in_stock) == (5.0, 1, True)
    zh = (await search_products(db, text="myrtilles", language="zh-CN")).items[0]
    assert (zh.title, zh.language, zh.rating, zh.shop_type) == (
        "蓝莓果酱",
        "zh-CN",
        4.5,
        "flagship",
    )


async def test_pages(db: Database, labelled: Labelled) -> None:
    second = await search_products(
        db, text="", language="en", sort=SearchSort.PRICE_ASC, page=2, per_page=2
    )
    assert labels([c.product_id for c in second.items], labelled) == ["blueberry", "blocks"]
    assert (second.total, second.pages) == (6, 3)
    beyond = await search_products(db, text="", language="en", page=9, per_page=2)
    assert (beyond.items, beyond.total) == ((), 6)


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({"text": "x" * 201}, "search_text_too_long"),
        ({"language": "de"}, "unknown_language"),
        ({"per_page": 101}, "bad_page"),
        ({"per_page": 0}, "bad_page"),
        ({"page": 0}, "bad_page"),
        ({"page": 1001}, "bad_page"),
        ({"filters": SearchFilters(price_min=500, price_max=100)}, "bad_price_range"),
        ({"filters": SearchFilters(price_min=-1)}, "bad_price_range"),
        ({"filters": SearchFilters(rating_min=6)}, "bad_rating"),
    ],
)
async def test_bad_input_is_refused(
    db: Database, labelled: Labelled, arguments: dict[str, object], code: str
) -> None:
    call: dict[str, object] = {"text": "jam", "language": "en", **arguments}
    with pytest.raises(ValidationFailed) as refused:
        await search_products(db, **call)  # type: ignore[arg-type]
    assert refused.value.code == code


@pytest.mark.parametrize("text", ["bluebery jam", "蓝莓果酱", ""])
async def test_a_search_is_the_generation_the_typo_lookup_and_one_statement(
    db: Database, labelled: Labelled, text: str
) -> None:
    filters = SearchFilters(category_id=FOOD, in_stock=True, rating_min=1)
    async with counted_statements(db) as statements:
        result = await search_products(db, text=text, language="en", filters=filters, per_page=100)
    assert result.total >= 1
    assert len(statements) <= 3, statements
    latin = any(c.isascii() and c.isalpha() for c in text)
    assert len(statements) == (3 if latin else 2)
    assert "search_state" in statements[0]


async def test_known_terms_skip_the_typo_lookup_next_time(db: Database, labelled: Labelled) -> None:
    # pages of different sizes, so that the result cache does not answer
    for expected, per_page in ((3, 24), (2, 12), (2, 6)):  # a known term stays known
        async with counted_statements(db) as statements:
            found = await search_products(
                db, text="blueberry jam", language="en", per_page=per_page
            )
        assert len(statements) == expected
        assert labels([c.product_id for c in found.items], labelled) == ["blueberry"]
    for per_page in (24, 12):  # an unknown term is looked up every time, and still corrected
        async with counted_statements(db) as statements:
            found = await search_products(db, text="bluebery", language="en", per_page=per_page)
        assert len(statements) == 3
        assert found.corrections == {"bluebery": ("blueberry",)}
