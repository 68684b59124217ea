"""Product images through Pillow and the storage port (the in-memory fake)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import select

from galerie.catalog import (
    add_product_image,
    product_detail,
    remove_product_image,
    reorder_product_images,
    save_product,
)
from galerie.catalog.product_models import ProductImage
from galerie.db import Database
from galerie.kernel import FixedClock, NotFound, ValidationFailed
from galerie.storage import InMemoryStorage
from tests.integration.catalog_products.factories import World, counts, home_draft


def picture(fmt: str = "PNG", size: tuple[int, int] = (800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=fmt)
    return out.getvalue()


def bomb() -> bytes:
    """A small PNG whose header claims 30000 x 30000 pixels (with a correct CRC)."""
    data = bytearray(picture(size=(60, 60)))
    ihdr = struct.pack(">II", 30_000, 30_000) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


@pytest.fixture
async def product(db: Database, world: World, clock: FixedClock) -> int:
    saved = await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
    )
    return saved.product_id


async def test_an_image_is_stored_with_a_thumbnail(
    db: Database, world: World, clock: FixedClock, product: int
) -> None:
    storage = InMemoryStorage()
    before = await counts(db)
    image_id = await add_product_image(
        db,
        storage,
        actor_user_id=None,
        shop_id=world.shop,
        product_id=product,
        data=picture("JPEG"),
        filename="a.jpg",
        now=clock.now(),
    )
    after = await counts(db)
    assert (after["images"] - before["images"], after["outbox"] - before["outbox"]) == (1, 1)
    async with db.reading() as session:
        row = await session.get(ProductImage, image_id)
    assert row is not None
    assert (row.content_type, row.width, row.height, row.position) == ("image/jpeg", 800, 600, 0)
    assert row.storage_key is not None
    assert row.thumbnail_key is not None
    with Image.open(io.BytesIO(await storage.get(row.thumbnail_key))) as thumb:
        assert (thumb.format, thumb.size) == ("WEBP", (400, 300))
    assert await storage.get(row.storage_key) == picture("JPEG")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"%PDF-1.4 not an image", "unsupported_image"),
        (picture("GIF"), "unsupported_image"),
        (bomb(), "image_too_large"),
        (picture("JPEG")[:2000], "image_damaged"),
        (picture("PNG", (20, 20)), "image_too_small"),
    ],
)
async def test_bad_images_are_refused_and_nothing_is_written(
    db: Database, world: World, clock: FixedClock, product: int, data: bytes, code: str
) -> None:
    storage = InMemoryStorage()
    before = await counts(db)
    with pytest.raises(ValidationFailed) as caught:
        await add_product_image(
            db,
            storage,
            actor_user_id=None,
            shop_id=world.shop,
            product_id=product,
            data=data,
            filename="x.png",
            now=clock.now(),
        )
    assert caught.value.code == code
    assert await counts(db) == before


async def test_images_of_another_shop_are_not_found(
    db: Database, world: World, clock: FixedClock, product: int
) -> None:
    storage = InMemoryStorage()
    with pytest.raises(NotFound):
        await add_product_image(
            db,
            storage,
            actor_user_id=None,
            shop_id=world.rival_shop,
            product_id=product,
            data=picture(),
            filename="a.png",
            now=clock.now(),
        )


async def test_images_are_reordered_and_removed(
    db: Database, world: World, clock: FixedClock, product: int
) -> None:
    storage = InMemoryStorage()
    ids = [
        await add_product_image(
            db,
            storage,
            actor_user_id=None,
            shop_id=world.shop,
            product_id=product,
            data=picture(fmt),
            filename="",
            now=clock.now(),
        )
        for fmt in ("PNG", "JPEG", "WEBP")
    ]
    with pytest.raises(ValidationFailed):
        await reorder_product_images(
            db,
            actor_user_id=None,
            shop_id=world.shop,
            product_id=product,
            image_ids=ids[:2],
            now=clock.now(),
        )
    await reorder_product_images(
        db,
        actor_user_id=None,
        shop_id=world.shop,
        product_id=product,
        image_ids=[ids[2], ids[0], ids[1]],
        now=clock.now(),
    )
    async with db.reading() as session:
        detail = await product_detail(session, shop_id=world.shop, product_id=product)
    assert [i.id for i in detail.images] == [ids[2], ids[0], ids[1]]
    gone = detail.images[0]
    await remove_product_image(
        db,
        storage,
        actor_user_id=None,
        shop_id=world.shop,
        product_id=product,
        image_id=ids[2],
        now=clock.now(),
    )
    async with db.reading() as session:
        rows = list(
            await session.scalars(
                select(ProductImage)
                .where(ProductImage.product_id == product)
                .order_by(ProductImage.position)
            )
        )
    assert [(r.id, r.position) for r in rows] == [(ids[0], 0), (ids[1], 1)]
    assert gone.storage_key is not None
    assert not await storage.exists(gone.storage_key)
    # Saving the same draft afterwards leaves the uploaded images alone.
    again = await save_product(
        db, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
    )
    assert again.outcome == "unchanged"
