"""Writing a validated draft's content: the product row, its texts, SKUs (matched on the
seller's SKU code; those no longer in the draft become inactive) and, when the draft carries
images, its images. Helpers of save_product: they never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.drafts import ProductDraft, VariantDraft
from galerie.catalog.listing import ListingStatus
from galerie.catalog.product_models import Product, ProductImage, ProductText, Sku
from galerie.kernel import Conflict


def _product_values(draft: ProductDraft, digest: str) -> dict[str, object]:
    prices = [v.price.minor for v in draft.variants]
    return {
        "category_id": draft.category_id,
        "brand_id": draft.brand_id,
        "default_language": draft.default_language,
        "return_exclusion": draft.return_exclusion,
        "option_axes": list(draft.option_axes),
        "attributes": {k: v.strip() for k, v in sorted(draft.attributes.items()) if v.strip()},
        "currency": draft.variants[0].price.currency,
        "min_price_minor": min(prices),
        "max_price_minor": max(prices),
        "content_hash": digest,
    }


async def write_content(
    session: AsyncSession,
    shop_id: int,
    existing: Product | None,
    draft: ProductDraft,
    digest: str,
    now: datetime,
) -> Product:
    values = _product_values(draft, digest)
    if existing is None:
        product = Product(
            shop_id=shop_id,
            seller_ref=draft.seller_ref,
            status=ListingStatus.DRAFT.value,
            findings=[],
            version=1,
            created_at=now,
            updated_at=now,
            **values,
        )
        session.add(product)
        await session.flush()
    else:
        product = existing
        result = await session.execute(
            update(Product)
            .where(Product.id == existing.id, Product.version == existing.version)
            .values(**values, version=existing.version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        assert isinstance(result, CursorResult)
        if result.rowcount != 1:  # another save of this product committed first
            raise Conflict("Someone else changed this first; reload and retry.", code="stale_state")
    await _write_texts(session, product, draft)
    await _write_skus(session, product, draft.variants, now)
    if draft.images:
        await _write_images(session, product, draft, now)
    return product


async def _write_texts(session: AsyncSession, product: Product, draft: ProductDraft) -> None:
    await session.execute(delete(ProductText).where(ProductText.product_id == product.id))
    for language in sorted({*draft.titles, *draft.descriptions}):
        title = draft.titles.get(language, "").strip()
        if not title:
            continue
        session.add(
            ProductText(
                product_id=product.id,
                language=language,
                shop_id=product.shop_id,
                title=title,
                description=draft.descriptions.get(language, ""),
            )
        )


def _sku_values(variant: VariantDraft, position: int, now: datetime) -> dict[str, object]:
    return {
        "options": {k: v.strip() for k, v in variant.options.items()},
        "price_minor": variant.price.minor,
        "currency": variant.price.currency,
        "gtin": variant.gtin,
        "weight_grams": variant.weight_grams,
        "position": position,
        "is_active": True,
        "updated_at": now,
    }


async def _write_skus(
    session: AsyncSession, product: Product, variants: tuple[VariantDraft, ...], now: datetime
) -> None:
    rows = await session.scalars(select(Sku).where(Sku.product_id == product.id))
    existing = {sku.seller_sku: sku for sku in rows}
    wanted = {v.seller_sku for v in variants}
    for position, variant in enumerate(variants):
        values = _sku_values(variant, position, now)
        sku = existing.get(variant.seller_sku)
        if sku is None:
            session.add(
                Sku(
                    product_id=product.id,
                    shop_id=product.shop_id,
                    seller_sku=variant.seller_sku,
                    created_at=now,
                    **values,
                )
            )
        else:
            for name, value in values.items():
                setattr(sku, name, value)
    gone = [sku.id for code, sku in existing.items() if code not in wanted and sku.is_active]
    if gone:
        await session.execute(
            update(Sku)
            .where(Sku.id.in_(gone))
            .values(is_active=False, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    await session.flush()


async def _write_images(
    session: AsyncSession, product: Product, draft: ProductDraft, now: datetime
) -> None:
    await session.execute(delete(ProductImage).where(ProductImage.product_id == product.id))
    for position, image in enumerate(draft.images):
        session.add(
            ProductImage(
                product_id=product.id,
                shop_id=product.shop_id,
                position=position,
                storage_key=image.storage_key,
                thumbnail_key=image.thumbnail_key,
                source_url=image.source_url,
                content_type=image.content_type,
                width=image.width,
                height=image.height,
                created_at=now,
            )
        )
