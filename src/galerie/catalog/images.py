"""Product images: checked by decoding them with Pillow (a real JPEG, PNG or WebP, not a
decompression bomb, not truncated), stored with a WebP thumbnail through the storage port,
removed and reordered. Each change bumps the product and emits ProductChanged."""

from __future__ import annotations

import asyncio
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.events import ProductChanged
from galerie.catalog.product_models import Product, ProductImage
from galerie.catalog.products import shop_product
from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.kernel import NotFound, ValidationFailed, new_token
from galerie.storage import FileStorage

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # about 6300 x 6300; Pillow's own bomb limit is higher
MAX_SIDE = 10_000
MIN_SIDE = 50
THUMBNAIL_SIDE = 400
MAX_IMAGES = 12
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


@dataclass(frozen=True, slots=True)
class CheckedImage:
    content_type: str
    extension: str
    width: int
    height: int
    thumbnail: bytes


def _refuse(message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, field="file")


def check_image(data: bytes) -> CheckedImage:
    """Decode `data` fully and make its thumbnail, or refuse it: "empty_file",
    "file_too_large", "unsupported_image" (not a JPEG/PNG/WebP), "image_too_large" (too
    many pixels: a decompression bomb), "image_too_small", "image_damaged" (truncated)."""
    if not data:
        raise _refuse("The file is empty.", "empty_file")
    if len(data) > MAX_IMAGE_BYTES:
        raise _refuse("The image is larger than 10 MB.", "file_too_large")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as probe:
                fmt, (width, height) = probe.format or "", probe.size
                _check_size(width, height)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
                image.load()
                thumbnail = _thumbnail(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _refuse("The image has too many pixels.", "image_too_large") from exc
        except UnidentifiedImageError as exc:
            raise _refuse(
                "Only JPEG, PNG and WebP images are accepted.", "unsupported_image"
            ) from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise _refuse("The image is damaged or truncated.", "image_damaged") from exc
    content_type, extension = FORMATS[fmt]
    return CheckedImage(content_type, extension, width, height, thumbnail)


def _check_size(width: int, height: int) -> None:
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise _refuse("The image has too many pixels.", "image_too_large")
    if min(width, height) < MIN_SIDE:
        raise _refuse(f"The image is smaller than {MIN_SIDE} pixels.", "image_too_small")


def _thumbnail(image: Image.Image) -> bytes:
    small = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    out = io.BytesIO()
    small.save(out, format="WEBP", quality=80)
    return out.getvalue()


async def _touch(session: AsyncSession, product: Product, now: datetime) -> None:
    product.version = product.version + 1
    product.updated_at = now
    await session.flush()
    record_event(
        session,
        ProductChanged(product_id=product.id, shop_id=product.shop_id, status=product.status),
        now=now,
    )


async def add_product_image(
    db: Database,
    storage: FileStorage,
    *,
    actor_user_id: int | None,
    shop_id: int,
    product_id: int,
    data: bytes,
    filename: str,
    now: datetime,
) -> int:
    """Check, store (with a thumbnail) and append an image to the shop's product; returns
    the image id. `filename` is kept for nothing but logs: the type comes from the bytes."""
    del actor_user_id, filename
    async with db.reading() as session:
        await shop_product(session, shop_id, product_id)
    checked = await asyncio.to_thread(check_image, data)
    base = f"products/{shop_id}/{product_id}/{new_token(12)}"
    key, thumb_key = f"{base}.{checked.extension}", f"{base}-thumb.webp"
    await storage.put(key, data, content_type=checked.content_type)
    await storage.put(thumb_key, checked.thumbnail, content_type="image/webp")
    try:
        async with db.transaction() as session:
            product = await shop_product(session, shop_id, product_id)
            count = await session.scalar(
                select(func.count()).where(ProductImage.product_id == product_id)
            )
            if (count or 0) >= MAX_IMAGES:
                raise _refuse(f"At most {MAX_IMAGES} images per product.", "too_many_images")
            image = ProductImage(
                product_id=product_id,
                shop_id=shop_id,
                position=count or 0,
                storage_key=key,
                thumbnail_key=thumb_key,
                content_type=checked.content_type,
                width=checked.width,
                height=checked.height,
                created_at=now,
            )
            session.add(image)
            await _touch(session, product, now)
            return image.id
    except BaseException:
        await storage.delete(key)
        await storage.delete(thumb_key)
        raise


async def _images(session: AsyncSession, product_id: int) -> list[ProductImage]:
    return list(
        await session.scalars(
            select(ProductImage)
            .where(ProductImage.product_id == product_id)
            .order_by(ProductImage.position, ProductImage.id)
        )
    )


async def remove_product_image(
    db: Database,
    storage: FileStorage,
    *,
    actor_user_id: int | None,
    shop_id: int,
    product_id: int,
    image_id: int,
    now: datetime,
) -> None:
    """Remove one image of the shop's product (its files after the commit)."""
    del actor_user_id
    async with db.transaction() as session:
        product = await shop_product(session, shop_id, product_id)
        images = await _images(session, product_id)
        gone = next((i for i in images if i.id == image_id), None)
        if gone is None:
            raise NotFound("No such image.", code="image_not_found")
        keys = [k for k in (gone.storage_key, gone.thumbnail_key) if k]
        await session.delete(gone)
        for position, image in enumerate(i for i in images if i.id != image_id):
            image.position = position
        await _touch(session, product, now)
    for key in keys:
        await storage.delete(key)


async def reorder_product_images(
    db: Database,
    *,
    actor_user_id: int | None,
    shop_id: int,
    product_id: int,
    image_ids: Sequence[int],
    now: datetime,
) -> None:
    """Put the product's images in the order of `image_ids` (all of them, each once)."""
    del actor_user_id
    async with db.transaction() as session:
        product = await shop_product(session, shop_id, product_id)
        images = {i.id: i for i in await _images(session, product_id)}
        if sorted(image_ids) != sorted(images):
            raise ValidationFailed(
                "Give every image of the product once.", code="bad_image_order", field="images"
            )
        for position, image_id in enumerate(image_ids):
            images[image_id].position = position
        await _touch(session, product, now)
