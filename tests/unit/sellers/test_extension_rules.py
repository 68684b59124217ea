"""The automatic checks of an extension (adding categories or brands to a shop): the legal
entity's documents are not asked again; the shop type's rules hold for the shop as it would
be afterwards; qualifications the shop holds count as supplied."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from galerie.sellers.rules import (
    ApplicantKind,
    AuthorisationFacts,
    BrandFacts,
    CategoryFacts,
    CheckInput,
    DocumentFacts,
    ShopFacts,
    ShopType,
    check_application,
)

TODAY = date(2026, 11, 11)
ORG, OTHER = 1, 2
APPAREL, HOME, HEALTH, MEDICINE = 166, 536, 469, 518


def licence(brand: int, *, exclusive: bool = False, days: int = 800) -> AuthorisationFacts:
    return AuthorisationFacts(
        brand, ORG, exclusive, TODAY - timedelta(days=30), TODAY + timedelta(days=days)
    )


def extension(
    shop_type: ShopType,
    *,
    held_brands: frozenset[int] = frozenset(),
    held_tops: frozenset[int] = frozenset({APPAREL}),
    held_quals: frozenset[str] = frozenset(),
    brands: tuple[BrandFacts, ...] = (),
    categories: tuple[CategoryFacts, ...] = (),
    documents: tuple[DocumentFacts, ...] = (),
    authorisations: tuple[AuthorisationFacts, ...] = (),
) -> CheckInput:
    return CheckInput(
        organisation_id=ORG,
        applicant_kind=ApplicantKind.BUSINESS,
        shop_type=shop_type,
        documents=documents,
        brands=brands,
        authorisations=authorisations,
        categories=categories,
        registration_number_in_use=False,
        today=TODAY,
        shop=ShopFacts(held_brands, held_tops, held_quals),
    )


def codes(facts: CheckInput) -> list[str]:
    return [f.code for f in check_application(facts) if f.blocking]


LICENSED = BrandFacts(20, OTHER, frozenset({"R"}))
LICENSED_DOCS = (
    DocumentFacts("trademark_certificate", brand_id=20),
    DocumentFacts("brand_authorisation", brand_id=20),
)


def test_a_clean_brand_extension_of_a_multi_brand_store_finds_nothing() -> None:
    facts = extension(
        ShopType.MULTI_BRAND,
        held_brands=frozenset({10, 11}),
        brands=(LICENSED,),
        documents=LICENSED_DOCS,
        authorisations=(licence(20),),
    )
    assert check_application(facts) == []


def test_the_legal_entity_documents_are_not_asked_again_but_brand_documents_are() -> None:
    facts = extension(
        ShopType.MULTI_BRAND,
        held_brands=frozenset({10, 11}),
        brands=(LICENSED,),
        authorisations=(licence(20),),
    )
    found = [(f.code, f.details) for f in check_application(facts)]
    assert found == [
        ("missing_document", {"kind": "trademark_certificate", "brand_id": 20}),
        ("missing_document", {"kind": "brand_authorisation", "brand_id": 20}),
    ]


def test_a_multi_brand_store_may_not_reach_into_a_second_top_level_category() -> None:
    facts = extension(
        ShopType.MULTI_BRAND,
        held_brands=frozenset({10, 11}),
        categories=(CategoryFacts(HOME, HOME),),
    )
    assert codes(facts) == ["multi_brand_across_categories"]
    inside = replace(facts, categories=(CategoryFacts(1604, APPAREL),))
    assert codes(inside) == []


def test_the_shops_brands_count_towards_the_multi_brand_minimum() -> None:
    one_held = extension(ShopType.MULTI_BRAND, held_brands=frozenset({10}))
    assert codes(one_held) == ["multi_brand_too_few_brands"]
    adding = replace(
        one_held, brands=(LICENSED,), documents=LICENSED_DOCS, authorisations=(licence(20),)
    )
    assert codes(adding) == []


def test_an_authorised_store_cannot_add_a_second_brand() -> None:
    facts = extension(
        ShopType.AUTHORISED,
        held_brands=frozenset({10}),
        brands=(LICENSED,),
        documents=LICENSED_DOCS,
        authorisations=(licence(20),),
    )
    assert codes(facts) == ["authorised_needs_one_brand"]


def test_a_flagship_adds_only_brands_it_owns_or_holds_exclusively() -> None:
    facts = extension(
        ShopType.FLAGSHIP,
        held_brands=frozenset({10}),
        brands=(LICENSED,),
        documents=LICENSED_DOCS,
        authorisations=(licence(20),),
    )
    assert codes(facts) == ["flagship_brand_not_exclusive"]
    exclusive = replace(facts, authorisations=(licence(20, exclusive=True),))
    assert codes(exclusive) == []
    owned = replace(
        facts,
        brands=(BrandFacts(21, ORG, frozenset({"R"})),),
        documents=(DocumentFacts("trademark_certificate", brand_id=21),),
        authorisations=(),
    )
    assert codes(owned) == []


def test_an_added_brand_needs_an_authorisation_of_at_least_a_year() -> None:
    facts = extension(
        ShopType.MULTI_BRAND,
        held_brands=frozenset({10, 11}),
        brands=(LICENSED,),
        documents=LICENSED_DOCS,
        authorisations=(licence(20, days=200),),
    )
    assert codes(facts) == ["authorisation_too_short"]
    assert codes(replace(facts, authorisations=())) == ["brand_not_authorised"]


def test_a_qualification_the_shop_holds_counts_as_supplied() -> None:
    medicine = CategoryFacts(MEDICINE, HEALTH, "medicine_licence")
    facts = extension(ShopType.INDIVIDUAL, held_tops=frozenset({HEALTH}), categories=(medicine,))
    assert codes(facts) == ["qualification_missing"]
    assert (
        codes(
            replace(
                facts,
                shop=ShopFacts(frozenset(), frozenset({HEALTH}), frozenset({"medicine_licence"})),
            )
        )
        == []
    )
    supplied = replace(
        facts,
        documents=(DocumentFacts("category_qualification", qualification="medicine_licence"),),
    )
    assert codes(supplied) == []
    expired = replace(
        facts,
        documents=(
            DocumentFacts(
                "category_qualification",
                valid_until=TODAY - timedelta(days=1),
                qualification="medicine_licence",
            ),
        ),
    )
    assert codes(expired) == ["document_expired", "qualification_missing"]
