"""Wire types of the seller catalog API and the console's moderation endpoints, and the
mapping from the catalog's read models. Bodies forbid unknown fields (a body naming
`status`, `shop_id` or anything else the caller may not set is refused, never applied).
Prices travel as decimal strings with their currency ("129.00", "CNY")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar.datastructures import UploadFile

from galerie.catalog import (
    AttributeForm,
    AttributeView,
    ProductDetail,
    ProductDraft,
    ProductSummary,
    SavedProduct,
    VariantDraft,
)
from galerie.kernel import Money, Page

Code = Annotated[str, msgspec.Meta(max_length=64)]
Short = Annotated[str, msgspec.Meta(max_length=100)]
Title = Annotated[str, msgspec.Meta(max_length=300)]
Description = Annotated[str, msgspec.Meta(max_length=5000)]
Language = Annotated[str, msgspec.Meta(max_length=5)]
Id = Annotated[int, msgspec.Meta(ge=1)]


class VariantBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    seller_sku: Code
    price: Annotated[str, msgspec.Meta(max_length=24)]
    currency: Annotated[str, msgspec.Meta(min_length=3, max_length=3)]
    options: Annotated[dict[str, Short], msgspec.Meta(max_length=3)] = {}
    gtin: Annotated[str, msgspec.Meta(max_length=14)] | None = None
    weight_grams: int | None = None

    def draft(self) -> VariantDraft:
        return VariantDraft(
            seller_sku=self.seller_sku,
            price=Money.parse(self.price, self.currency),
            options=dict(self.options),
            gtin=self.gtin or None,
            weight_grams=self.weight_grams,
        )


class ProductBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A whole product; saving it again unchanged changes nothing."""

    seller_ref: Code
    category_id: Id
    default_language: Language
    titles: Annotated[dict[Language, Title], msgspec.Meta(max_length=3)]
    variants: Annotated[list[VariantBody], msgspec.Meta(min_length=1, max_length=100)]
    descriptions: Annotated[dict[Language, Description], msgspec.Meta(max_length=3)] = {}
    brand_id: Id | None = None
    option_axes: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=30)]], msgspec.Meta(max_length=3)
    ] = []
    attributes: Annotated[dict[str, Short], msgspec.Meta(max_length=50)] = {}
    return_exclusion: Annotated[str, msgspec.Meta(max_length=20)] | None = None

    def draft(self) -> ProductDraft:
        return ProductDraft(
            seller_ref=self.seller_ref,
            category_id=self.category_id,
            default_language=self.default_language,
            titles=dict(self.titles),
            variants=tuple(v.draft() for v in self.variants),
            descriptions=dict(self.descriptions),
            brand_id=self.brand_id,
            option_axes=tuple(self.option_axes),
            attributes=dict(self.attributes),
            images=(),
            return_exclusion=self.return_exclusion,
        )


class ImageUpload(msgspec.Struct, forbid_unknown_fields=True):
    """multipart/form-data: the image file (JPEG, PNG or WebP)."""

    file: UploadFile


class ImageOrderBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    image_ids: Annotated[list[Id], msgspec.Meta(max_length=12)]


class AttributeBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name_en: Short
    value_type: Annotated[str, msgspec.Meta(max_length=10)]
    name_zh_cn: Short | None = None
    name_fr: Short | None = None
    unit: Annotated[str, msgspec.Meta(max_length=10)] | None = None
    required: bool = False
    options: Annotated[list[Short], msgspec.Meta(max_length=100)] = []
    position: Annotated[int, msgspec.Meta(ge=0, le=1000)] = 0

    def form(self, code: str) -> AttributeForm:
        return AttributeForm(
            code=code,
            name_en=self.name_en,
            value_type=self.value_type,
            name_zh_cn=self.name_zh_cn,
            name_fr=self.name_fr,
            unit=self.unit,
            required=self.required,
            options=tuple(self.options),
            position=self.position,
        )


class CategoryTermsBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """None inherits from the nearest ancestor."""

    commission_rate_bp: Annotated[int, msgspec.Meta(ge=0, le=10_000)] | None = None
    listing_review: bool | None = None


class ProblemOut(msgspec.Struct, frozen=True):
    field: str
    code: str
    message: str


class SavedOut(msgspec.Struct, frozen=True):
    product_id: int
    outcome: str
    status: str


class StatusOut(msgspec.Struct, frozen=True):
    product_id: int
    status: str


class VariantOut(msgspec.Struct, frozen=True):
    id: int
    seller_sku: str
    options: dict[str, str]
    price: str
    currency: str
    gtin: str | None
    weight_grams: int | None
    is_active: bool


class ImageOut(msgspec.Struct, frozen=True):
    id: int
    position: int
    width: int | None
    height: int | None
    source_url: str | None


class HistoryOut(msgspec.Struct, frozen=True):
    from_status: str | None
    to_status: str
    action: str
    reason: str | None
    at: datetime


class ProductOut(msgspec.Struct, frozen=True):
    id: int
    shop_id: int
    seller_ref: str
    status: str
    status_reason: str | None
    findings: list[dict[str, Any]]
    category_id: int
    brand_id: int | None
    default_language: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    option_axes: list[str]
    attributes: dict[str, str]
    return_exclusion: str | None
    variants: list[VariantOut]
    images: list[ImageOut]
    history: list[HistoryOut]


class ProductSummaryOut(msgspec.Struct, frozen=True):
    id: int
    shop_id: int
    seller_ref: str
    title: str
    category_id: int
    status: str
    price_from: str
    price_to: str
    currency: str
    updated_at: datetime


class ProductPage(msgspec.Struct, frozen=True):
    items: list[ProductSummaryOut]
    page: int
    size: int
    total: int
    pages: int


class AttributeOut(msgspec.Struct, frozen=True):
    id: int
    category_id: int
    code: str
    names: dict[str, str]
    value_type: str
    unit: str | None
    required: bool
    options: list[str]
    position: int


def _amount(money: Money) -> str:
    return str(money.to_decimal())


def saved_out(saved: SavedProduct) -> SavedOut:
    return SavedOut(saved.product_id, saved.outcome, saved.status)


def product_out(detail: ProductDetail) -> ProductOut:
    draft = detail.draft
    return ProductOut(
        id=detail.id,
        shop_id=detail.shop_id,
        seller_ref=draft.seller_ref,
        status=detail.status,
        status_reason=detail.status_reason,
        findings=detail.findings,
        category_id=draft.category_id,
        brand_id=draft.brand_id,
        default_language=draft.default_language,
        titles=dict(draft.titles),
        descriptions=dict(draft.descriptions),
        option_axes=list(draft.option_axes),
        attributes=dict(draft.attributes),
        return_exclusion=draft.return_exclusion,
        variants=[
            VariantOut(
                s.id,
                s.seller_sku,
                s.options,
                _amount(s.price),
                s.price.currency,
                s.gtin,
                s.weight_grams,
                s.is_active,
            )
            for s in detail.skus
        ],
        images=[ImageOut(i.id, i.position, i.width, i.height, i.source_url) for i in detail.images],
        history=[
            HistoryOut(h.from_status, h.to_status, h.action, h.reason, h.at) for h in detail.history
        ],
    )


def product_page(found: Page[ProductSummary]) -> ProductPage:
    return ProductPage(
        items=[
            ProductSummaryOut(
                id=p.id,
                shop_id=p.shop_id,
                seller_ref=p.seller_ref,
                title=p.title,
                category_id=p.category_id,
                status=p.status,
                price_from=_amount(p.price_from),
                price_to=_amount(p.price_to),
                currency=p.price_from.currency,
                updated_at=p.updated_at,
            )
            for p in found.items
        ],
        page=found.request.number,
        size=found.request.size,
        total=found.total,
        pages=found.pages,
    )


def attribute_out(a: AttributeView) -> AttributeOut:
    return AttributeOut(
        a.id,
        a.category_id,
        a.code,
        a.names,
        a.value_type,
        a.unit,
        a.required,
        list(a.options),
        a.position,
    )
