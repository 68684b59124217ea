"""Rows to drafts: grouping, categories, brands, exact prices, GTINs, problems by row."""

from __future__ import annotations

import pytest

from galerie.imports import ImportFormat, Lookups, build_groups, gtin_valid, parse_feed, parse_price
from galerie.kernel import DomainError, Money

LOOKUPS = Lookups(
    currency="CNY",
    category_ids=frozenset({187, 422}),
    category_paths={"food, beverages & tobacco > food items": 422},
    mappings={"clogs": 187},
    brands={"nordhavn": 7},
)
HEADER = (
    "id\titem_group_id\ttitle\tprice\tgtin\tbrand\tgoogle_product_category\tproduct_type\tsize\n"
)


def _groups(body: str) -> list:  # type: ignore[type-arg]
    return build_groups(parse_feed((HEADER + body).encode(), ImportFormat.GOOGLE_TSV).rows, LOOKUPS)


def test_variants_of_a_group_make_one_draft() -> None:
    (group,) = _groups(
        "B-38\tB\tBoot\t499.00 CNY\t5701234000013\tNordhavn\t187\t\t38\n"
        "B-39\tB\tBoot\t499.50 CNY\t\tNordhavn\t187\t\t39\n"
    )
    assert group.problems == ()
    assert group.row_numbers == (2, 3)
    draft = group.draft
    assert draft is not None
    assert (draft.seller_ref, draft.category_id, draft.brand_id, draft.option_axes) == (
        "B",
        187,
        7,
        ("size",),
    )
    assert [(v.seller_sku, v.price, v.gtin, dict(v.options)) for v in draft.variants] == [
        ("B-38", Money(49900, "CNY"), "5701234000013", {"size": "38"}),
        ("B-39", Money(49950, "CNY"), None, {"size": "39"}),
    ]


def test_categories_resolve_by_id_path_then_the_shops_mapping() -> None:
    groups = _groups(
        "A\t\tA\t1 CNY\t\t\tFood, Beverages & Tobacco > Food Items\t\t\n"
        "B\t\tB\t1 CNY\t\t\t\tclogs\t\n"
        "C\t\tC\t1 CNY\t\t\t999999\t\t\n"
        "D\t\tD\t1 CNY\t\t\tMy own shelf\t\t\n"
    )
    assert [g.draft.category_id if g.draft else None for g in groups] == [422, 187, None, None]
    assert [(p.row_number, p.code) for g in groups for p in g.problems] == [
        (4, "unknown_category"),
        (5, "unknown_category"),
    ]


def test_every_bad_field_is_reported_on_its_row() -> None:
    groups = _groups(
        "A\t\tA\t-1 CNY\t\t\t187\t\t\n"
        "B\t\tB\t12.345 CNY\t\t\t187\t\t\n"
        "C\t\tC\t12 XYZ\t\t\t187\t\t\n"
        "D\t\tD\t12 EUR\t\t\t187\t\t\n"
        "E\t\tE\t12 CNY\t5701234000019\t\t187\t\t\n"
        "F\t\tF\t12 CNY\t\tAcme\t187\t\t\n"
        "G\t\t\t12 CNY\t\t\t187\t\t\n"
        "H\tX\tH\t12 CNY\t\t\t187\t\t38\n"
        "I\tX\tI\t12 CNY\t\t\t187\t\t\n"
        "A\t\tA2\t12 CNY\t\t\t187\t\t\n"
    )
    found = [(p.row_number, p.field, p.code) for g in groups for p in g.problems]
    assert found == [
        (2, "price", "bad_price"),
        (11, "seller_sku", "duplicate_sku"),
        (3, "price", "bad_price"),
        (4, "price", "unsupported_currency"),
        (5, "price", "wrong_currency"),
        (6, "gtin", "invalid_gtin"),
        (7, "brand", "brand_not_authorised"),
        (8, "title", "required"),
        (10, "size", "missing_option"),
    ]
    assert all(g.draft is None for g in groups)


def test_prices_parse_exactly() -> None:
    assert parse_price("12.50 EUR", "CNY") == Money(1250, "EUR")
    assert parse_price("EUR 12.5", "CNY") == Money(1250, "EUR")
    assert parse_price("1500", "JPY") == Money(1500, "JPY")
    for bad in ("0 CNY", "1.005 CNY", "abc", "", "1 2 3", "NaN CNY"):
        with pytest.raises(DomainError):
            parse_price(bad, "CNY")


def test_gtin_check_digits() -> None:
    assert gtin_valid("5701234000013")
    assert gtin_valid("96385074")
    assert gtin_valid("036000291452")
    assert not gtin_valid("5701234000019")
    assert not gtin_valid("123")
    assert not gtin_valid("５７０１２３４００００１９")
