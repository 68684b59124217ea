"""Reads of products for the seller centre, the console and the catalog's own use cases.
Lists take at most three queries whatever the page size (count, page, texts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.drafts import ImageDraft, ProductDraft, VariantDraft
from galerie.catalog.listing import ListingStatus
from galerie.catalog.product_models import ListingHistory, Product, ProductImage, ProductText, Sku
from galerie.catalog.shop_rights import SHOPS, VISIBLE_SHOP_STATUS
from galerie.kernel import Money, NotFound, Page, PageRequest


@dataclass(frozen=True, slots=True)
class ProductSummary:
    id: int
    shop_id: int
    seller_ref: str
    title: str
    category_id: int
    status: str
    price_from: Money
    price_to: Money
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    from_status: str | None
    to_status: str
    action: str
    actor_user_id: int | None
    reason: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class ImageView:
    id: int
    position: int
    storage_key: str | None
    thumbnail_key: str | None
    source_url: str | None
    width: int | None
    height: int | None


@dataclass(frozen=True, slots=True)
class SkuView:
    id: int
    seller_sku: str
    options: dict[str, str]
    price: Money
    gtin: str | None
    weight_grams: int | None
    is_active: bool


@dataclass(frozen=True, slots=True)
class ProductDetail:
    id: int
    shop_id: int
    status: str
    status_reason: str | None
    findings: list[dict[str, Any]]
    draft: ProductDraft
    skus: tuple[SkuView, ...]
    images: tuple[ImageView, ...]
    history: tuple[HistoryEntry, ...] = field(default=())
    listed_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ProductFilter:
    status: str | None = None
    category_id: int | None = None
    search: str | None = None


ALL_PRODUCTS = ProductFilter()
FIRST_PAGE = PageRequest()


def _title(texts: dict[str, str], default: str, language: str | None) -> str:
    if language and language in texts:
        return texts[language]
    return texts.get(default) or next(iter(texts.values()), "")


async def _summaries(
    session: AsyncSession, statement: Select[Any], request: PageRequest, language: str | None
) -> Page[ProductSummary]:
    total = await session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = list(await session.scalars(statement.limit(request.size).offset(request.offset)))
    texts: dict[int, dict[str, str]] = {p.id: {} for p in rows}
    if rows:
        found = await session.execute(
            select(ProductText.product_id, ProductText.language, ProductText.title).where(
                ProductText.product_id.in_(list(texts))
            )
        )
        for product_id, lang, title in found.tuples():
            texts[product_id][lang] = title
    items = [
        ProductSummary(
            id=p.id,
            shop_id=p.shop_id,
            seller_ref=p.seller_ref,
            title=_title(texts[p.id], p.default_language, language),
            category_id=p.category_id,
            status=p.status,
            price_from=Money(p.min_price_minor, p.currency),
            price_to=Money(p.max_price_minor, p.currency),
            updated_at=p.updated_at,
        )
        for p in rows
    ]
    return Page(items=items, request=request, total=total)


async def shop_products(
    session: AsyncSession,
    *,
    shop_id: int,
    filters: ProductFilter = ALL_PRODUCTS,
    page: PageRequest = FIRST_PAGE,
    language: str | None = None,
) -> Page[ProductSummary]:
    """The shop's products, newest change first, filtered by status, category and a search
    on title or SKU code (three queries)."""
    statement = select(Product).where(Product.shop_id == shop_id)
    if filters.status:
        statement = statement.where(Product.status == filters.status)
    if filters.category_id is not None:
        statement = statement.where(Product.category_id == filters.category_id)
    if filters.search and filters.search.strip():
        like = f"%{filters.search.strip().lower()}%"
        statement = statement.where(
            or_(
                func.lower(Product.seller_ref).like(like),
                Product.id.in_(
                    select(ProductText.product_id).where(
                        ProductText.shop_id == shop_id, func.lower(ProductText.title).like(like)
                    )
                ),
                Product.id.in_(
                    select(Sku.product_id).where(
                        Sku.shop_id == shop_id, func.lower(Sku.seller_sku).like(like)
                    )
                ),
            )
        )
    statement = statement.order_by(Product.updated_at.desc(), Product.id.desc())
    return await _summaries(session, statement, page, language)


async def moderation_queue(
    session: AsyncSession,
    *,
    page: PageRequest = FIRST_PAGE,
    language: str | None = None,
    status: str = ListingStatus.PENDING,
) -> Page[ProductSummary]:
    """Listings in `status` across shops: pending ones the longest waiting first, others
    the most recently changed first (three queries)."""
    statement = select(Product).where(Product.status == status)
    if status == ListingStatus.PENDING:
        statement = statement.order_by(Product.updated_at, Product.id)
    else:
        statement = statement.order_by(Product.updated_at.desc(), Product.id.desc())
    return await _summaries(session, statement, page, language)


def _variant(sku: Sku) -> VariantDraft:
    return VariantDraft(
        seller_sku=sku.seller_sku,
        price=Money(sku.price_minor, sku.currency),
        options=dict(sku.options),
        gtin=sku.gtin,
        weight_grams=sku.weight_grams,
    )


def _draft(
    product: Product, texts: Sequence[ProductText], skus: Sequence[Sku], images: Sequence[Any]
) -> ProductDraft:
    return ProductDraft(
        seller_ref=product.seller_ref,
        category_id=product.category_id,
        default_language=product.default_language,
        titles={t.language: t.title for t in texts},
        descriptions={t.language: t.description for t in texts if t.description},
        variants=tuple(_variant(s) for s in skus if s.is_active),
        brand_id=product.brand_id,
        option_axes=tuple(product.option_axes),
        attributes=dict(product.attributes),
        images=tuple(
            ImageDraft(
                storage_key=i.storage_key,
                thumbnail_key=i.thumbnail_key,
                source_url=i.source_url,
                content_type=i.content_type,
                width=i.width,
                height=i.height,
            )
            for i in images
        ),
        return_exclusion=product.return_exclusion,
    )


async def _parts(
    session: AsyncSession, product_id: int
) -> tuple[list[ProductText], list[Sku], list[ProductImage]]:
    texts = list(
        await session.scalars(select(ProductText).where(ProductText.product_id == product_id))
    )
    skus = list(
        await session.scalars(
            select(Sku).where(Sku.product_id == product_id).order_by(Sku.position, Sku.id)
        )
    )
    images = list(
        await session.scalars(
            select(ProductImage)
            .where(ProductImage.product_id == product_id)
            .order_by(ProductImage.position, ProductImage.id)
        )
    )
    return texts, skus, images


async def load_draft(session: AsyncSession, product_id: int) -> ProductDraft:
    """The stored product as a draft (active SKUs only): saving it back changes nothing."""
    product = await session.get(Product, product_id)
    if product is None:
        raise NotFound("No such product.", code="product_not_found")
    return _draft(product, *await _parts(session, product_id))


async def product_detail(session: AsyncSession, *, shop_id: int, product_id: int) -> ProductDetail:
    """The shop's product with its variants (inactive too), images and listing history;
    NotFound for a product of another shop."""
    product = await session.get(Product, product_id)
    if product is None or product.shop_id != shop_id:
        raise NotFound("No such product.", code="product_not_found")
    texts, skus, images = await _parts(session, product_id)
    history = await session.scalars(
        select(ListingHistory)
        .where(ListingHistory.product_id == product_id)
        .order_by(ListingHistory.at, ListingHistory.id)
    )
    return ProductDetail(
        id=product.id,
        shop_id=product.shop_id,
        status=product.status,
        status_reason=product.status_reason,
        findings=list(product.findings or []),
        draft=_draft(product, texts, skus, images),
        skus=tuple(
            SkuView(
                s.id,
                s.seller_sku,
                dict(s.options),
                Money(s.price_minor, s.currency),
                s.gtin,
                s.weight_grams,
                s.is_active,
            )
            for s in skus
        ),
        images=tuple(
            ImageView(
                i.id, i.position, i.storage_key, i.thumbnail_key, i.source_url, i.width, i.height
            )
            for i in images
        ),
        history=tuple(
            HistoryEntry(h.from_status, h.to_status, h.action, h.actor_user_id, h.reason, h.at)
            for h in history
        ),
        listed_at=product.listed_at,
        updated_at=product.updated_at,
    )


async def product_shop_id(session: AsyncSession, product_id: int) -> int | None:
    found: int | None = await session.scalar(
        select(Product.shop_id).where(Product.id == product_id)
    )
    return found


def shop_is_visible(shop_status: str) -> bool:
    """Shoppers see a shop (and may buy from it) only while it is live."""
    return shop_status == VISIBLE_SHOP_STATUS


def visible_to_shoppers(product_status: str, shop_status: str) -> bool:
    """The storefront's rule: shoppers see (and may buy) a live product of a live shop."""
    return product_status == ListingStatus.LIVE and shop_is_visible(shop_status)


async def is_product_visible(session: AsyncSession, product_id: int) -> bool:
    """Whether shoppers may see the product (`visible_to_shoppers`: a suspended or closed
    shop's products disappear). One query."""
    found = (
        await session.execute(
            select(Product.status, SHOPS.c.status)
            .join(SHOPS, SHOPS.c.id == Product.shop_id)
            .where(Product.id == product_id)
        )
    ).one_or_none()
    return found is not None and visible_to_shoppers(found[0], found[1])
