"""Wire types of the sellers API (seller centre, console, shop directory) and the mapping
from the domain's read models to them.

Request bodies forbid unknown fields: a body naming `status`, `organisation_id`, `shop_id`,
a deposit or anything else the caller may not set is refused with 400, never applied.
Strings and lists are bounded here; the services validate their content."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar.datastructures import UploadFile

from galerie.kernel import Page
from galerie.sellers import (
    ApplicantKind,
    ApplicationDetail,
    ApplicationForm,
    ApplicationSummary,
    AuthorisationForm,
    DocumentKind,
    ShopType,
    ShopView,
    TrademarkForm,
)

Text60 = Annotated[str, msgspec.Meta(max_length=60)]
Text120 = Annotated[str, msgspec.Meta(max_length=120)]
Text200 = Annotated[str, msgspec.Meta(max_length=200)]
Id = Annotated[int, msgspec.Meta(ge=1)]


class ApplicationBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a seller fills in on an application (the whole of it, on create and update)."""

    applicant_kind: ApplicantKind
    legal_name: Text200
    registration_number: Text60
    country: Annotated[str, msgspec.Meta(max_length=8)]
    address: Annotated[str, msgspec.Meta(max_length=500)]
    legal_representative: Text200
    contact_email: Annotated[str, msgspec.Meta(max_length=254)]
    contact_phone: Annotated[str, msgspec.Meta(max_length=40)]
    bank_account_holder: Text200
    bank_account_number: Text60
    shop_type: ShopType
    category_ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=10)]
    brand_ids: Annotated[list[Id], msgspec.Meta(max_length=20)] = []

    def form(self) -> ApplicationForm:
        return ApplicationForm(
            applicant_kind=self.applicant_kind,
            legal_name=self.legal_name,
            registration_number=self.registration_number,
            country=self.country,
            address=self.address,
            legal_representative=self.legal_representative,
            contact_email=self.contact_email,
            contact_phone=self.contact_phone,
            bank_account_holder=self.bank_account_holder,
            bank_account_number=self.bank_account_number,
            shop_type=self.shop_type,
            category_ids=tuple(self.category_ids),
            brand_ids=tuple(self.brand_ids),
        )


class ExtensionBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What an extension adds to a shop: categories and/or brands."""

    category_ids: Annotated[list[Id], msgspec.Meta(max_length=10)] = []
    brand_ids: Annotated[list[Id], msgspec.Meta(max_length=20)] = []


class DocumentUpload(msgspec.Struct, forbid_unknown_fields=True):
    """multipart/form-data: the file and what it is."""

    file: UploadFile
    kind: DocumentKind
    valid_until: date | None = None
    qualification: Text60 | None = None
    brand_id: Id | None = None


class DecorationBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The shop's name, address (slug), descriptions by language and navigation."""

    name: Text120
    slug: Text60
    descriptions: Annotated[
        dict[
            Annotated[str, msgspec.Meta(max_length=8)],
            Annotated[str, msgspec.Meta(max_length=5000)],
        ],
        msgspec.Meta(max_length=3),
    ] = {}
    navigation: Annotated[list[Text60], msgspec.Meta(max_length=20)] = []


class TrademarkBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    number: Text60
    kind: Literal["R", "TM"]
    owner_name: Text200
    filed_on: date
    country: Annotated[str, msgspec.Meta(max_length=2)]
    valid_until: date | None = None

    def form(self) -> TrademarkForm:
        return TrademarkForm(
            self.number, self.kind, self.owner_name, self.filed_on, self.valid_until, self.country
        )


class BrandBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: Text120
    owned: bool
    trademarks: Annotated[list[TrademarkBody], msgspec.Meta(max_length=20)] = []


class AuthorisationBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A licence the organisation holds for a brand, from its letter."""

    brand_id: Id
    exclusive: bool
    valid_from: date
    valid_to: date
    licensor_organisation_id: Id | None = None
    parent_authorisation_id: Id | None = None

    def form(self) -> AuthorisationForm:
        return AuthorisationForm(
            brand_id=self.brand_id,
            licensor_organisation_id=self.licensor_organisation_id,
            exclusive=self.exclusive,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            parent_authorisation_id=self.parent_authorisation_id,
        )


class ReasonBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A decision's reason, mandatory."""

    reason: Annotated[str, msgspec.Meta(max_length=2000)]


class AssignBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The reviewer to assign; null unassigns."""

    reviewer_user_id: Id | None


class Created(msgspec.Struct, frozen=True):
    id: int


class Money(msgspec.Struct, frozen=True):
    minor: int
    currency: str


class ApplicationSummaryOut(msgspec.Struct, frozen=True):
    id: int
    organisation_id: int
    legal_name: str
    shop_type: str
    status: str
    submitted_at: datetime | None
    assigned_reviewer_id: int | None
    waiting_seconds: int | None
    overdue: bool
    kind: str  # "opening" (a new shop) or "extension" (categories or brands for shop_id)
    shop_id: int | None


class DocumentOut(msgspec.Struct, frozen=True):
    id: int
    application_id: int
    kind: str
    qualification: str | None
    brand_id: int | None
    filename: str
    content_type: str
    size: int
    sha256: str
    valid_until: date | None
    uploaded_at: datetime


class FindingOut(msgspec.Struct, frozen=True):
    code: str
    severity: str
    message: str
    details: dict[str, Any]


class HistoryOut(msgspec.Struct, frozen=True):
    from_status: str | None
    to_status: str
    action: str
    actor_user_id: int | None
    reason: str | None
    at: datetime


class ApplicationOut(msgspec.Struct, frozen=True):
    summary: ApplicationSummaryOut
    applicant_kind: str
    registration_number: str
    country: str
    address: str
    legal_representative: str
    contact_email: str
    contact_phone: str
    bank_account_holder: str
    bank_account_number: str
    category_ids: list[int]
    brand_ids: list[int]
    submissions: int
    documents: list[DocumentOut]
    findings: list[FindingOut]
    history: list[HistoryOut]


class ApplicationPage(msgspec.Struct, frozen=True):
    items: list[ApplicationSummaryOut]
    page: int
    size: int
    total: int
    pages: int


class Approved(msgspec.Struct, frozen=True):
    application_id: int
    status: str
    shop_id: int


class ShopStatusOut(msgspec.Struct, frozen=True):
    shop_id: int
    status: str


class PublicShopOut(msgspec.Struct, frozen=True):
    """A shop as anyone may see it."""

    id: int
    slug: str
    name: str
    shop_type: str
    status: str
    descriptions: dict[str, str]
    navigation: list[str]


class ShopOut(msgspec.Struct, frozen=True):
    """A shop as its own staff and operators see it."""

    id: int
    organisation_id: int
    slug: str
    name: str
    shop_type: str
    status: str
    descriptions: dict[str, str]
    navigation: list[str]
    deposit_required: Money
    deposit_paid: bool


class DepositOut(msgspec.Struct, frozen=True):
    shop_id: int
    deposit_paid: bool


class ShopPage(msgspec.Struct, frozen=True):
    items: list[PublicShopOut]
    page: int
    size: int
    total: int
    pages: int


def summary_out(summary: ApplicationSummary) -> ApplicationSummaryOut:
    waiting = None if summary.age is None else int(summary.age.total_seconds())
    return ApplicationSummaryOut(
        id=summary.id,
        organisation_id=summary.organisation_id,
        legal_name=summary.legal_name,
        shop_type=summary.shop_type,
        status=summary.status,
        submitted_at=summary.submitted_at,
        assigned_reviewer_id=summary.assigned_reviewer_id,
        waiting_seconds=waiting,
        overdue=summary.overdue,
        kind=summary.kind,
        shop_id=summary.shop_id,
    )


def application_out(detail: ApplicationDetail) -> ApplicationOut:
    app = detail.application
    return ApplicationOut(
        summary=summary_out(detail.summary),
        applicant_kind=app.applicant_kind,
        registration_number=app.registration_number,
        country=app.country,
        address=app.address,
        legal_representative=app.legal_representative,
        contact_email=app.contact_email,
        contact_phone=app.contact_phone,
        bank_account_holder=app.bank_account_holder,
        bank_account_number=app.bank_account_number,
        category_ids=list(app.category_ids),
        brand_ids=list(app.brand_ids),
        submissions=app.submissions,
        documents=documents_out(detail),
        findings=[
            FindingOut(f.code, f.severity, f.message, dict(f.details)) for f in detail.findings
        ],
        history=[
            HistoryOut(h.from_status, h.to_status, h.action, h.actor_user_id, h.reason, h.at)
            for h in detail.history
        ],
    )


def documents_out(detail: ApplicationDetail) -> list[DocumentOut]:
    return [
        DocumentOut(
            id=d.id,
            application_id=d.application_id,
            kind=d.kind,
            qualification=d.qualification,
            brand_id=d.brand_id,
            filename=d.filename,
            content_type=d.content_type,
            size=d.size,
            sha256=d.sha256,
            valid_until=d.valid_until,
            uploaded_at=d.uploaded_at,
        )
        for d in detail.documents
    ]


def application_page(page: Page[ApplicationSummary]) -> ApplicationPage:
    return ApplicationPage(
        items=[summary_out(s) for s in page.items],
        page=page.request.number,
        size=page.request.size,
        total=page.total,
        pages=page.pages,
    )


def public_shop_out(shop: ShopView) -> PublicShopOut:
    return PublicShopOut(
        id=shop.id,
        slug=shop.slug,
        name=shop.name,
        shop_type=shop.shop_type,
        status=shop.status,
        descriptions=dict(shop.descriptions),
        navigation=[str(n) for n in shop.navigation],
    )


def shop_out(shop: ShopView) -> ShopOut:
    return ShopOut(
        id=shop.id,
        organisation_id=shop.organisation_id,
        slug=shop.slug,
        name=shop.name,
        shop_type=shop.shop_type,
        status=shop.status,
        descriptions=dict(shop.descriptions),
        navigation=[str(n) for n in shop.navigation],
        deposit_required=Money(shop.deposit_required_minor, shop.deposit_currency),
        deposit_paid=shop.deposit_paid,
    )


def shop_page(page: Page[ShopView]) -> ShopPage:
    return ShopPage(
        items=[public_shop_out(s) for s in page.items],
        page=page.request.number,
        size=page.request.size,
        total=page.total,
        pages=page.pages,
    )
