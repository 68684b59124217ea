"""Export in each format, then import the export: every product comes back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from galerie.db import Database
from galerie.imports import (
    ImportFormat,
    ImportMode,
    ImportRunner,
    export_shop_catalog,
    job_errors,
    job_view,
    request_import,
)
from galerie.kernel import FixedClock, NotFound
from galerie.storage import InMemoryStorage
from tests.integration.imports.support import (
    FOOD_ITEMS,
    SHOES,
    ImportShop,
    RecordingWriter,
    import_shop,
    store_drafts,
)


def catalog(brand: str) -> bytes:
    products = [
        {
            "seller_ref": "BOOT", "category": SHOES, "brand": brand, "default_language": "en",
            "titles": {"en": "Rain boot", "zh-CN": "雨靴", "fr": "Botte de pluie"},
            "descriptions": {"en": "Warm & dry.\nLined with wool.", "fr": "Chaude et sèche."},
            "option_axes": ["size", "colour"], "attributes": {"material": "rubber"},
            "images": ["https://img.test/boot.png", "https://img.test/boot-2.png"],
            "variants": [
                {"seller_sku": "BOOT-38-BK", "price": "499.00 CNY", "gtin": "5701234000013",
                 "options": {"size": "38", "colour": "Black"}, "weight_grams": 900},
                {"seller_sku": "BOOT-39-BK", "price": "509.50 CNY",
                 "options": {"size": "39", "colour": "Black"}, "weight_grams": 950},
            ],
        },
        {
            "seller_ref": "JAM", "category": FOOD_ITEMS, "brand": brand,
            "default_language": "zh-CN", "titles": {"zh-CN": "有机蓝莓果酱", "en": "Organic blueberry jam"},
            "return_exclusion": "perishable",
            "variants": [{"seller_sku": "JAM-250", "price": "38.00 CNY"}],
        },
    ]  # fmt: skip
    return json.dumps(products, ensure_ascii=False).encode()


@pytest.fixture
async def setup(db: Database, clock: FixedClock, tmp_path: Path) -> ImportShop:
    return await import_shop(db, clock.now(), tmp_path)


async def _apply(db: Database, setup: ImportShop, clock: FixedClock, writer: RecordingWriter,
                 name: str, data: bytes) -> tuple[int, int, int, int]:  # fmt: skip
    storage = InMemoryStorage()
    job_id = await request_import(
        db, actor=setup.people["owner"], shop_id=setup.shop_id, filename=name, data=data,
        import_format=None, mode=ImportMode.APPLY, storage=storage, now=clock.now(),
    )  # fmt: skip
    await ImportRunner(db, storage, writer, clock).run_pending()
    async with db.reading() as session:
        view = await job_view(session, job_id)
        errors = await job_errors(session, job_id)
    assert view is not None
    assert errors == []
    return view.created, view.updated, view.unchanged, view.failed


@pytest.mark.parametrize("import_format", list(ImportFormat))
async def test_an_export_imports_back_unchanged(
    db: Database, setup: ImportShop, clock: FixedClock, import_format: ImportFormat
) -> None:
    writer = RecordingWriter()
    brand = f"Nordhavn {setup.shop_id}"
    assert await _apply(db, setup, clock, writer, "catalog.json", catalog(brand)) == (2, 0, 0, 0)
    await store_drafts(db, setup.shop_id, list(writer.saved.values()), clock.now())
    exported = await export_shop_catalog(
        db, actor=setup.people["staff"], shop_id=setup.shop_id, import_format=import_format
    )
    assert exported.filename.endswith(import_format.value.rsplit("_", 1)[-1])
    assert await _apply(db, setup, clock, writer, exported.filename, exported.data) == (0, 0, 2, 0)


async def test_another_organisation_cannot_export(
    db: Database, setup: ImportShop, clock: FixedClock
) -> None:
    with pytest.raises(NotFound):
        await export_shop_catalog(
            db, actor=setup.people["rival"], shop_id=setup.shop_id, import_format=ImportFormat.JSON
        )
