"""The automatic checks: each with a case that finds it and one that does not."""

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
    ShopType,
    check_application,
)

TODAY = date(2026, 11, 11)
ORG, OTHER = 1, 2
BASE_DOCS = tuple(
    DocumentFacts(k)
    for k in (
        "business_licence",
        "tax_registration",
        "legal_representative_id",
        "bank_account_proof",
    )
)


def brand_docs(*brand_ids: int, authorised: bool = True) -> tuple[DocumentFacts, ...]:
    docs = [DocumentFacts("trademark_certificate", brand_id=b) for b in brand_ids]
    if authorised:
        docs += [DocumentFacts("brand_authorisation", brand_id=b) for b in brand_ids]
    return tuple(docs)


def licence(
    brand: int, *, exclusive: bool = False, years: int = 2, parent_days: int | None = None
) -> AuthorisationFacts:
    return AuthorisationFacts(
        brand,
        ORG,
        exclusive,
        TODAY - timedelta(days=30),
        TODAY + timedelta(days=365 * years),
        None if parent_days is None else TODAY + timedelta(days=parent_days),
    )


def clean_authorised() -> CheckInput:
    """An authorised store for one licensed brand that passes every check."""
    return CheckInput(
        organisation_id=ORG,
        applicant_kind=ApplicantKind.BUSINESS,
        shop_type=ShopType.AUTHORISED,
        documents=BASE_DOCS + brand_docs(10),
        brands=[BrandFacts(10, OTHER, frozenset({"R"}))],
        authorisations=[licence(10)],
        categories=[CategoryFacts(1604, 166)],
        registration_number_in_use=False,
        today=TODAY,
    )


def codes(facts: CheckInput) -> list[str]:
    return [f.code for f in check_application(facts)]


def test_a_complete_application_has_no_findings() -> None:
    assert codes(clean_authorised()) == []


def test_missing_documents_per_applicant_kind() -> None:
    facts = clean_authorised()
    assert codes(replace(facts, documents=facts.documents[1:])) == ["missing_document"]
    individual = replace(
        facts,
        applicant_kind=ApplicantKind.INDIVIDUAL,
        shop_type=ShopType.INDIVIDUAL,
        brands=[],
        documents=BASE_DOCS[2:],
    )
    assert codes(individual) == []
    assert codes(replace(individual, documents=BASE_DOCS[3:])) == ["missing_document"]


def test_a_licensed_brand_needs_its_letter_and_an_owned_one_does_not() -> None:
    facts = clean_authorised()
    assert codes(replace(facts, documents=BASE_DOCS + brand_docs(10, authorised=False))) == [
        "missing_document"
    ]
    owned = replace(facts, brands=[BrandFacts(10, ORG, frozenset({"R"}))], authorisations=[])
    assert codes(replace(owned, documents=BASE_DOCS + brand_docs(10, authorised=False))) == []


def test_expired_and_expiring_documents() -> None:
    facts = clean_authorised()
    expired = (
        DocumentFacts("business_licence", valid_until=TODAY - timedelta(days=1)),
        *facts.documents[1:],
    )
    assert codes(replace(facts, documents=expired)) == ["document_expired"]
    soon = (
        DocumentFacts("business_licence", valid_until=TODAY + timedelta(days=10)),
        *facts.documents[1:],
    )
    findings = check_application(replace(facts, documents=soon))
    assert [(f.code, f.blocking) for f in findings] == [("document_expiring", False)]
    later = (
        DocumentFacts("business_licence", valid_until=TODAY + timedelta(days=31)),
        *facts.documents[1:],
    )
    assert codes(replace(facts, documents=later)) == []


def test_an_authorisation_must_last_a_year() -> None:
    facts = clean_authorised()
    assert codes(replace(facts, authorisations=[licence(10, years=0)])) == [
        "authorisation_too_short"
    ]
    assert codes(replace(facts, authorisations=[licence(10, parent_days=200)])) == [
        "authorisation_too_short"
    ]
    assert codes(replace(facts, authorisations=[licence(10, parent_days=400)])) == []
    assert codes(replace(facts, authorisations=[])) == ["brand_not_authorised"]
    someone_elses = replace(licence(10), organisation_id=OTHER)
    assert codes(replace(facts, authorisations=[someone_elses])) == ["brand_not_authorised"]


def test_a_category_qualification() -> None:
    facts = replace(
        clean_authorised(), categories=[CategoryFacts(518, 469, "pharmaceutical_licence")]
    )
    assert codes(facts) == ["qualification_missing"]
    supplied = (
        *facts.documents,
        DocumentFacts("category_qualification", qualification="pharmaceutical_licence"),
    )
    assert codes(replace(facts, documents=supplied)) == []
    lapsed = (
        *facts.documents,
        DocumentFacts(
            "category_qualification", TODAY - timedelta(days=1), "pharmaceutical_licence"
        ),
    )
    assert "qualification_missing" in codes(replace(facts, documents=lapsed))


def test_multi_brand_rules() -> None:
    two = [BrandFacts(10, OTHER, frozenset({"R"})), BrandFacts(11, OTHER, frozenset({"R"}))]
    facts = replace(
        clean_authorised(),
        shop_type=ShopType.MULTI_BRAND,
        brands=two,
        documents=BASE_DOCS + brand_docs(10, 11),
        authorisations=[licence(10), licence(11)],
    )
    assert codes(facts) == []
    assert codes(replace(facts, brands=two[:1])) == ["multi_brand_too_few_brands"]
    across = [CategoryFacts(1604, 166), CategoryFacts(536, 536)]
    assert codes(replace(facts, categories=across)) == ["multi_brand_across_categories"]


def test_an_authorised_store_has_exactly_one_brand() -> None:
    facts = clean_authorised()
    second = [*facts.brands, BrandFacts(11, ORG, frozenset({"R"}))]
    assert codes(
        replace(
            facts, brands=second, documents=(*facts.documents, *brand_docs(11, authorised=False))
        )
    ) == ["authorised_needs_one_brand"]


def test_a_flagship_sells_only_owned_or_exclusive_brands() -> None:
    facts = replace(clean_authorised(), shop_type=ShopType.FLAGSHIP)
    assert codes(facts) == ["flagship_brand_not_exclusive"]
    assert codes(replace(facts, authorisations=[licence(10, exclusive=True)])) == []
    owned = replace(facts, brands=[BrandFacts(10, ORG, frozenset({"TM"}))], authorisations=[])
    assert codes(owned) == []
    assert codes(replace(owned, brands=[])) == ["flagship_needs_a_brand"]


def test_a_registration_number_used_by_another_seller() -> None:
    assert codes(replace(clean_authorised(), registration_number_in_use=True)) == [
        "registration_number_in_use"
    ]
