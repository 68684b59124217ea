"""The pure product rules: GTIN checksums, draft problems, content hashes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galerie.catalog import AttributeSpec, ProductDraft, VariantDraft, check_draft, content_hash
from galerie.catalog.product_rules import gtin_check_digit, gtin_valid, prohibited_words_in
from galerie.kernel import Money

EUR = "EUR"


def variant(sku: str = "SKU-1", minor: int = 1999, **options: str) -> VariantDraft:
    return VariantDraft(seller_sku=sku, price=Money(minor, EUR), options=options)


def draft(**changes: object) -> ProductDraft:
    base = ProductDraft(
        seller_ref="TEE-1",
        category_id=1604,
        default_language="en",
        titles={"en": "Linen shirt", "fr": "Chemise en lin"},
        variants=(variant("TEE-1-S", size="S"), variant("TEE-1-M", size="M")),
        option_axes=("size",),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def codes(d: ProductDraft, specs: tuple[AttributeSpec, ...] = ()) -> list[str]:
    return [p.code for p in check_draft(d, specs)]


@pytest.mark.parametrize(
    "code", ["96385074", "036000291452", "4006381333931", "10012345678902", "5901234123457"]
)
def test_real_gtins_are_valid(code: str) -> None:
    assert gtin_valid(code)


@pytest.mark.parametrize(
    "code",
    [
        "96385075",
        "4006381333932",
        "400638133393",
        "40063813339311",
        "",
        "abcdefgh",
        "٤٠٠٦٣٨١٣٣٣٩٣١",
    ],
)
def test_bad_gtins_are_refused(code: str) -> None:
    assert not gtin_valid(code)


@given(
    st.sampled_from([8, 12, 13, 14]).flatmap(
        lambda n: st.text("0123456789", min_size=n - 1, max_size=n - 1)
    )
)
def test_the_check_digit_completes_any_body(body: str) -> None:
    good = gtin_check_digit(body)
    assert gtin_valid(body + str(good))
    assert all(not gtin_valid(body + str(d)) for d in range(10) if d != good)


@given(st.text("0123456789", min_size=7, max_size=13), st.integers(0, 12), st.integers(1, 9))
def test_a_single_changed_digit_is_always_caught(body: str, where: int, delta: int) -> None:
    code = body + str(gtin_check_digit(body))
    if len(code) not in (8, 12, 13, 14):
        return
    i = where % len(code)
    changed = code[:i] + str((int(code[i]) + delta) % 10) + code[i + 1 :]
    assert not gtin_valid(changed)


def test_a_good_draft_has_no_problems() -> None:
    assert check_draft(draft()) == ()


def test_titles() -> None:
    assert codes(draft(titles={"fr": "Chemise"})) == ["title_missing"]
    assert codes(draft(default_language="de")) == ["unknown_language"]
    assert codes(draft(titles={"en": "x" * 201})) == ["title_too_long"]
    assert codes(draft(titles={"en": "Shirt", "es": "Camisa"})) == ["unknown_language"]


def test_codes() -> None:
    assert codes(draft(seller_ref="bad ref")) == ["bad_seller_ref"]
    assert codes(draft(seller_ref="")) == ["bad_seller_ref"]
    twice = (variant("A", size="S"), variant("A", size="M"))
    assert codes(draft(variants=twice)) == ["duplicate_seller_sku"]


def test_variants_match_their_axes() -> None:
    assert codes(draft(variants=())) == ["no_variants"]
    missing = (variant("A", size="S"), variant("B"))
    assert codes(draft(variants=missing)) == ["options_mismatch"]
    extra = (variant("A", size="S", colour="red"),)
    assert codes(draft(variants=extra)) == ["options_mismatch"]
    same = (variant("A", size="S"), variant("B", size="s "))
    assert codes(draft(variants=same)) == ["duplicate_options"]
    assert codes(draft(option_axes=("size", "size"))) == ["bad_option_axes"]
    no_axes = (variant("A"), variant("B"))
    assert codes(draft(option_axes=(), variants=no_axes)) == ["duplicate_options"]


def test_prices() -> None:
    mixed = (variant("A", size="S"), VariantDraft("B", Money(100, "CNY"), {"size": "M"}))
    assert codes(draft(variants=mixed)) == ["mixed_currencies"]
    assert codes(draft(variants=(variant("A", 0, size="S"),))) == ["price_not_positive"]
    assert codes(draft(variants=(variant("A", 100_000_001, size="S"),))) == ["price_too_high"]
    spread = (variant("A", 100, size="S"), variant("B", 10_001, size="M"))
    assert codes(draft(variants=spread)) == ["price_spread"]
    within = (variant("A", 100, size="S"), variant("B", 10_000, size="M"))
    assert codes(draft(variants=within)) == []


def test_gtin_and_weight_per_variant() -> None:
    bad = (VariantDraft("A", Money(100, EUR), {"size": "S"}, gtin="4006381333932", weight_grams=0),)
    problems = check_draft(draft(variants=bad))
    assert [(p.field, p.code) for p in problems] == [
        ("variants[0].gtin", "bad_gtin"),
        ("variants[0].weight_grams", "bad_weight"),
    ]


def test_return_exclusion() -> None:
    assert codes(draft(return_exclusion="perishable")) == []
    assert codes(draft(return_exclusion="sale")) == ["unknown_return_exclusion"]


SPECS = (
    AttributeSpec("colour", "enum", required=True, options=("red", "blue")),
    AttributeSpec("net_weight", "number"),
    AttributeSpec("organic", "boolean"),
)


def test_attributes() -> None:
    assert codes(draft(), SPECS) == ["attribute_missing"]
    assert codes(draft(attributes={"colour": "red"}), SPECS) == []
    assert codes(draft(attributes={"colour": "green"}), SPECS) == ["attribute_not_allowed"]
    wrong = {"colour": "red", "net_weight": "heavy", "organic": "maybe", "shape": "x"}
    assert codes(draft(attributes=wrong), SPECS) == [
        "unknown_attribute",
        "attribute_not_number",
        "attribute_not_boolean",
    ]


def test_prohibited_words_in_three_languages() -> None:
    assert prohibited_words_in("Replica watch, contrefaçon, 高仿手表") == [
        "replica",
        "contrefaçon",
        "高仿",
    ]
    assert prohibited_words_in("Replicable results") == []
    found = check_draft(draft(descriptions={"en": "A counterfeit"}))
    assert [(p.field, p.code) for p in found] == [("descriptions.en", "prohibited_word")]


def test_content_hash_ignores_order_of_mappings_and_blank_attributes() -> None:
    one = draft(
        titles={"en": "Linen shirt", "fr": "Chemise en lin"}, attributes={"a": "1", "b": " "}
    )
    two = draft(titles={"fr": "Chemise en lin", "en": "Linen shirt "}, attributes={"a": "1"})
    assert content_hash(one) == content_hash(two)
    assert content_hash(one) != content_hash(draft(titles={"en": "Linen shirts"}))


@given(st.integers(1, 10**8), st.integers(1, 10**8))
def test_hash_changes_with_any_price(a: int, b: int) -> None:
    first = draft(variants=(variant("A", a, size="S"),))
    second = draft(variants=(variant("A", b, size="S"),))
    assert (content_hash(first) == content_hash(second)) == (a == b)
