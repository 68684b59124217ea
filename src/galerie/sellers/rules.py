"""The automatic checks of a submitted application: pure functions of the application, its
documents, brands, authorisations and categories and `today`. Each finding has a stable
code; a blocking finding sends the application back to the seller."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any


class ApplicantKind(StrEnum):
    BUSINESS = "business"
    INDIVIDUAL = "individual"


class ShopType(StrEnum):
    FLAGSHIP = "flagship"
    AUTHORISED = "authorised"
    MULTI_BRAND = "multi_brand"
    INDIVIDUAL = "individual"


class ApplicationKind(StrEnum):
    OPENING = "opening"  # opens a new shop
    EXTENSION = "extension"  # adds categories or brands to an existing shop


class DocumentKind(StrEnum):
    BUSINESS_LICENCE = "business_licence"
    TAX_REGISTRATION = "tax_registration"
    LEGAL_REPRESENTATIVE_ID = "legal_representative_id"
    BANK_ACCOUNT_PROOF = "bank_account_proof"
    TRADEMARK_CERTIFICATE = "trademark_certificate"
    BRAND_AUTHORISATION = "brand_authorisation"
    CATEGORY_QUALIFICATION = "category_qualification"


class Severity(StrEnum):
    BLOCKING = "blocking"
    WARNING = "warning"


REQUIRED_DOCUMENTS: dict[ApplicantKind, tuple[DocumentKind, ...]] = {
    ApplicantKind.BUSINESS: (
        DocumentKind.BUSINESS_LICENCE,
        DocumentKind.TAX_REGISTRATION,
        DocumentKind.LEGAL_REPRESENTATIVE_ID,
        DocumentKind.BANK_ACCOUNT_PROOF,
    ),
    ApplicantKind.INDIVIDUAL: (
        DocumentKind.LEGAL_REPRESENTATIVE_ID,
        DocumentKind.BANK_ACCOUNT_PROOF,
    ),
}
BRANDED_SHOPS = frozenset({ShopType.FLAGSHIP, ShopType.AUTHORISED, ShopType.MULTI_BRAND})
MIN_AUTHORISATION = timedelta(days=365)
EXPIRY_WARNING = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.BLOCKING


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    kind: str
    valid_until: date | None = None
    qualification: str | None = None
    brand_id: int | None = None


@dataclass(frozen=True, slots=True)
class AuthorisationFacts:
    brand_id: int
    organisation_id: int  # the licensee
    exclusive: bool
    valid_from: date
    valid_to: date
    parent_valid_to: date | None = None  # the licensor's own authorisation, if sub-licensed


@dataclass(frozen=True, slots=True)
class BrandFacts:
    id: int
    owner_organisation_id: int | None
    trademark_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CategoryFacts:
    id: int
    top_level_id: int
    required_qualification: str | None = None


@dataclass(frozen=True, slots=True)
class ShopFacts:
    """What an existing shop already holds, for an extension's checks."""

    brand_ids: frozenset[int]
    top_level_ids: frozenset[int]
    qualifications: frozenset[str]


@dataclass(frozen=True, slots=True)
class CheckInput:
    organisation_id: int
    applicant_kind: ApplicantKind
    shop_type: ShopType
    documents: Sequence[DocumentFacts]
    brands: Sequence[BrandFacts]
    authorisations: Sequence[AuthorisationFacts]
    categories: Sequence[CategoryFacts]
    registration_number_in_use: bool
    today: date
    # Set for an extension: `brands` and `categories` are then only the ones it adds.
    shop: ShopFacts | None = None


def _blocking(code: str, message: str, **details: Any) -> Finding:
    return Finding(code, Severity.BLOCKING, message, details)


def check_application(facts: CheckInput) -> list[Finding]:
    """Every finding for `facts`, in a stable order."""
    findings: list[Finding] = []
    if facts.shop is not None:
        return check_extension(facts)
    findings += missing_documents(facts)
    findings += document_expiry(facts.documents, facts.today)
    findings += missing_qualifications(facts)
    findings += shop_type_findings(facts)
    findings += authorisation_findings(facts)
    if facts.registration_number_in_use:
        findings.append(
            _blocking(
                "registration_number_in_use",
                "Another seller already uses this registration number.",
            )
        )
    return findings


def check_extension(facts: CheckInput) -> list[Finding]:
    """An extension of a vetted shop: the legal entity's documents are not asked again; the
    added brands need their trademark certificates and authorisations, the added categories
    their qualifications (unless the shop holds them), and the shop type's rules must hold
    for the shop as it would be afterwards."""
    findings: list[Finding] = []
    findings += brand_documents(facts)
    findings += document_expiry(facts.documents, facts.today)
    findings += missing_qualifications(facts)
    findings += shop_type_findings(facts)
    findings += authorisation_findings(facts)
    return findings


def missing_documents(facts: CheckInput) -> list[Finding]:
    kinds = {d.kind for d in facts.documents}
    found = [
        _blocking("missing_document", f"Upload the {kind.value.replace('_', ' ')}.", kind=kind)
        for kind in REQUIRED_DOCUMENTS[facts.applicant_kind]
        if kind not in kinds
    ]
    return found + brand_documents(facts)


def brand_documents(facts: CheckInput) -> list[Finding]:
    """A trademark certificate for each brand, and an authorisation letter for each brand
    the seller does not own (branded shops only)."""
    found: list[Finding] = []
    if facts.shop_type not in BRANDED_SHOPS:
        return found
    by_brand = {(d.kind, d.brand_id) for d in facts.documents}
    for brand in facts.brands:
        wanted = [DocumentKind.TRADEMARK_CERTIFICATE]
        if brand.owner_organisation_id != facts.organisation_id:
            wanted.append(DocumentKind.BRAND_AUTHORISATION)
        found += [
            _blocking(
                "missing_document",
                f"Upload the {kind.value.replace('_', ' ')} for this brand.",
                kind=kind,
                brand_id=brand.id,
            )
            for kind in wanted
            if (kind, brand.id) not in by_brand
        ]
    return found


def document_expiry(documents: Iterable[DocumentFacts], today: date) -> list[Finding]:
    found: list[Finding] = []
    for doc in documents:
        if doc.valid_until is None:
            continue
        until = doc.valid_until.isoformat()
        if doc.valid_until < today:
            found.append(
                _blocking("document_expired", "A document has expired.", kind=doc.kind, until=until)
            )
        elif doc.valid_until < today + EXPIRY_WARNING:
            found.append(
                Finding(
                    "document_expiring",
                    Severity.WARNING,
                    "A document expires within 30 days.",
                    {"kind": doc.kind, "until": until},
                )
            )
    return found


def missing_qualifications(facts: CheckInput) -> list[Finding]:
    supplied = {
        d.qualification
        for d in facts.documents
        if d.kind == DocumentKind.CATEGORY_QUALIFICATION
        and (d.valid_until is None or d.valid_until >= facts.today)
    }
    if facts.shop is not None:
        supplied |= facts.shop.qualifications
    return [
        _blocking(
            "qualification_missing",
            "This category needs a qualification you have not supplied.",
            category_id=c.id,
            qualification=c.required_qualification,
        )
        for c in facts.categories
        if c.required_qualification and c.required_qualification not in supplied
    ]


def shop_type_findings(facts: CheckInput) -> list[Finding]:
    brands, shop_type = facts.brands, facts.shop_type
    brand_count = len({b.id for b in brands} | (facts.shop.brand_ids if facts.shop else set()))
    tops = {c.top_level_id for c in facts.categories}
    tops |= facts.shop.top_level_ids if facts.shop else set()
    found: list[Finding] = []
    if shop_type is ShopType.MULTI_BRAND:
        if brand_count < 2:
            found.append(
                _blocking(
                    "multi_brand_too_few_brands", "A multi-brand store sells two or more brands."
                )
            )
        if len(tops) > 1:
            found.append(
                _blocking(
                    "multi_brand_across_categories",
                    "A multi-brand store stays within one top-level category.",
                )
            )
    if shop_type is ShopType.AUTHORISED and brand_count != 1:
        found.append(
            _blocking("authorised_needs_one_brand", "An authorised store sells exactly one brand.")
        )
    if shop_type is ShopType.FLAGSHIP:
        if not brand_count:
            found.append(
                _blocking("flagship_needs_a_brand", "A flagship store sells its own brand.")
            )
        exclusive = {a.brand_id for a in _current(facts) if a.exclusive}
        found += [
            _blocking(
                "flagship_brand_not_exclusive",
                "A flagship store sells only brands it owns or holds exclusively.",
                brand_id=b.id,
            )
            for b in brands
            if b.owner_organisation_id != facts.organisation_id and b.id not in exclusive
        ]
    return found


def _current(facts: CheckInput) -> list[AuthorisationFacts]:
    return [
        a
        for a in facts.authorisations
        if a.organisation_id == facts.organisation_id and a.valid_from <= facts.today <= a.valid_to
    ]


def authorisation_findings(facts: CheckInput) -> list[Finding]:
    """Each brand the seller does not own needs a current authorisation (and its parent, if
    sub-licensed) valid at least one more year."""
    if facts.shop_type not in BRANDED_SHOPS:
        return []
    current = _current(facts)
    horizon = facts.today + MIN_AUTHORISATION
    found: list[Finding] = []
    for brand in facts.brands:
        if brand.owner_organisation_id == facts.organisation_id:
            continue
        links = [a for a in current if a.brand_id == brand.id]
        if not links:
            found.append(
                _blocking(
                    "brand_not_authorised",
                    "No current authorisation for this brand.",
                    brand_id=brand.id,
                )
            )
        elif not any(_lasts(a, horizon) for a in links):
            found.append(
                _blocking(
                    "authorisation_too_short",
                    "The brand authorisation must be valid for at least one more year.",
                    brand_id=brand.id,
                )
            )
    return found


def _lasts(link: AuthorisationFacts, horizon: date) -> bool:
    ends = min(link.valid_to, link.parent_valid_to or link.valid_to)
    return ends >= horizon
