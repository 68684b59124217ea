"""Reading a shop's catalog for export, read-only, in five queries whatever its size:
products, texts, active SKUs, images and brand names."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.product_models import Product, ProductImage, ProductText, Sku
from galerie.kernel import Money
from galerie.sellers.models import Brand


@dataclass(frozen=True, slots=True)
class ExportVariant:
    seller_sku: str
    price: Money
    options: dict[str, str]
    gtin: str | None
    weight_grams: int | None


@dataclass(frozen=True, slots=True)
class ExportProduct:
    seller_ref: str
    category_id: int
    brand: str
    default_language: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    option_axes: tuple[str, ...]
    attributes: dict[str, str]
    images: tuple[str, ...]
    return_exclusion: str | None
    variants: tuple[ExportVariant, ...] = field(default=())


async def shop_catalog(session: AsyncSession, shop_id: int) -> list[ExportProduct]:
    products = list(
        await session.scalars(
            select(Product).where(Product.shop_id == shop_id).order_by(Product.id)
        )
    )
    texts: dict[int, list[ProductText]] = defaultdict(list)
    for text in await session.scalars(select(ProductText).where(ProductText.shop_id == shop_id)):
        texts[text.product_id].append(text)
    skus: dict[int, list[Sku]] = defaultdict(list)
    sku_rows = await session.scalars(
        select(Sku)
        .where(Sku.shop_id == shop_id, Sku.is_active.is_(True))
        .order_by(Sku.position, Sku.id)
    )
    for sku in sku_rows:
        skus[sku.product_id].append(sku)
    images: dict[int, list[str]] = defaultdict(list)
    image_rows = await session.scalars(
        select(ProductImage)
        .where(ProductImage.shop_id == shop_id, ProductImage.source_url.is_not(None))
        .order_by(ProductImage.position, ProductImage.id)
    )
    for image in image_rows:
        images[image.product_id].append(image.source_url or "")
    brand_ids = {p.brand_id for p in products if p.brand_id is not None}
    brands: dict[int, str] = {}
    if brand_ids:
        found = await session.execute(select(Brand.id, Brand.name).where(Brand.id.in_(brand_ids)))
        brands = dict(found.tuples().all())
    return [_product(p, texts[p.id], skus[p.id], images[p.id], brands) for p in products]


def _product(
    product: Product,
    texts: list[ProductText],
    skus: list[Sku],
    images: list[str],
    brands: dict[int, str],
) -> ExportProduct:
    return ExportProduct(
        seller_ref=product.seller_ref,
        category_id=product.category_id,
        brand=brands.get(product.brand_id, "") if product.brand_id is not None else "",
        default_language=product.default_language,
        titles={t.language: t.title for t in texts},
        descriptions={t.language: t.description for t in texts if t.description},
        option_axes=tuple(product.option_axes or ()),
        attributes={str(k): str(v) for k, v in (product.attributes or {}).items()},
        images=tuple(images),
        return_exclusion=product.return_exclusion,
        variants=tuple(
            ExportVariant(
                s.seller_sku,
                Money(s.price_minor, s.currency),
                dict(s.options or {}),
                s.gtin,
                s.weight_grams,
            )
            for s in skus
        ),
    )
