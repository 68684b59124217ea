"""Import use cases: upload a file (checked whole, stored, queued as a job), apply a dry
run's file, and edit the shop's category mappings. The job itself runs in imports.runner."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from galerie.catalog.models import Category
from galerie.db import Database
from galerie.identity import Principal
from galerie.imports.export import EXTENSIONS, MEDIA_TYPES, export_catalog
from galerie.imports.export_queries import shop_catalog
from galerie.imports.models import CategoryMapping, ImportJob
from galerie.imports.parsing import detect_format, parse_feed
from galerie.imports.queries import own_job, own_shop
from galerie.imports.rows import MAX_NAME, ImportFormat, ImportMode
from galerie.kernel import Conflict, NotFound, ValidationFailed
from galerie.storage import FileStorage

CONTENT_TYPES = {
    ImportFormat.GOOGLE_TSV: "text/tab-separated-values",
    ImportFormat.GOOGLE_XML: "application/xml",
    ImportFormat.SHOPIFY_CSV: "text/csv",
    ImportFormat.JSON: "application/json",
}


def _clean_filename(filename: str, import_format: ImportFormat) -> str:
    name = "".join(c for c in filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] if c.isprintable())
    return name.strip()[:200] or f"catalog.{import_format.value}"


async def request_import(
    db: Database,
    *,
    actor: Principal,
    shop_id: int,
    filename: str,
    data: bytes,
    import_format: ImportFormat | None,
    mode: ImportMode,
    storage: FileStorage,
    now: datetime,
) -> int:
    """Check the file as a whole (size, encoding, format, header: a FileRefused stores
    nothing), store it and queue a job; returns the job's id."""
    async with db.reading() as session:
        shop = await own_shop(session, actor, shop_id)
        organisation_id = shop.organisation_id
    chosen = import_format or detect_format(filename, data)
    parse_feed(data, chosen)  # refuses a malformed file before anything is written
    digest = hashlib.sha256(data).hexdigest()
    key = f"imports/{shop_id}/{now:%Y%m%d}-{secrets.token_hex(8)}.{chosen.value}"
    await storage.put(key, data, content_type=CONTENT_TYPES[chosen])
    async with db.transaction() as session:
        job = _job(
            shop_id, organisation_id, actor.user_id, chosen, filename, key, data, digest, mode, now
        )
        session.add(job)
        await session.flush()
        return job.id


def _job(
    shop_id: int, organisation_id: int, user_id: int | None, chosen: ImportFormat,
    filename: str, key: str, data: bytes, digest: str, mode: ImportMode, now: datetime,
) -> ImportJob:  # fmt: skip
    return ImportJob(
        shop_id=shop_id, organisation_id=organisation_id, created_by=user_id,
        format=chosen.value, filename=_clean_filename(filename, chosen), storage_key=key,
        file_size=len(data), file_sha256=digest, mode=mode.value, status="queued", total=0,
        processed=0, created=0, updated=0, unchanged=0, failed=0, created_at=now,
    )  # fmt: skip


async def apply_import(db: Database, *, actor: Principal, job_id: int, now: datetime) -> int:
    """Queue the file of a finished dry run for real; returns the new job's id."""
    async with db.transaction() as session:
        view = await own_job(session, actor, job_id)
        if view.mode != ImportMode.DRY_RUN or view.status != "done":
            raise Conflict("Only a finished dry run can be applied.", code="import_not_applicable")
        source = await session.get(ImportJob, job_id)
        assert source is not None
        job = ImportJob(
            shop_id=source.shop_id, organisation_id=source.organisation_id,
            created_by=actor.user_id, format=source.format, filename=source.filename,
            storage_key=source.storage_key, file_size=source.file_size,
            file_sha256=source.file_sha256, mode=ImportMode.APPLY.value, status="queued",
            total=0, processed=0, created=0, updated=0, unchanged=0, failed=0, created_at=now,
        )  # fmt: skip
        session.add(job)
        await session.flush()
        return job.id


def mapping_key(source_text: str) -> str:
    key = " ".join(source_text.split()).lower()
    if not key or len(key) > MAX_NAME:
        raise ValidationFailed(
            f"The category text is 1 to {MAX_NAME} characters.",
            code="bad_category_text",
            field="source_text",
        )
    return key


async def map_category(
    db: Database,
    *,
    actor: Principal,
    shop_id: int,
    source_text: str,
    category_id: int,
    now: datetime,
) -> None:
    """Map the shop's own category text to one of ours (replacing an earlier mapping)."""
    key = mapping_key(source_text)
    async with db.transaction() as session:
        await own_shop(session, actor, shop_id)
        if await session.get(Category, category_id) is None:
            raise NotFound("No such category.", code="category_not_found")
        existing = await session.scalar(
            select(CategoryMapping).where(
                CategoryMapping.shop_id == shop_id, CategoryMapping.source_text == key
            )
        )
        if existing is None:
            session.add(CategoryMapping(shop_id=shop_id, source_text=key,
                                        category_id=category_id, created_at=now, updated_at=now))  # fmt: skip
        else:
            existing.category_id, existing.updated_at = category_id, now


async def unmap_category(db: Database, *, actor: Principal, shop_id: int, source_text: str) -> None:
    key = mapping_key(source_text)
    async with db.transaction() as session:
        await own_shop(session, actor, shop_id)
        await session.execute(
            delete(CategoryMapping).where(
                CategoryMapping.shop_id == shop_id, CategoryMapping.source_text == key
            )
        )


@dataclass(frozen=True, slots=True)
class ExportFile:
    data: bytes
    media_type: str
    filename: str


async def export_shop_catalog(
    db: Database, *, actor: Principal, shop_id: int, import_format: ImportFormat
) -> ExportFile:
    """The shop's whole catalog in `import_format` (read-only)."""
    async with db.reading() as session:
        shop = await own_shop(session, actor, shop_id)
        products = await shop_catalog(session, shop_id)
        slug = shop.slug
    data = export_catalog(products, import_format, title=slug)
    return ExportFile(
        data, MEDIA_TYPES[import_format], f"{slug}-catalog.{EXTENSIONS[import_format]}"
    )
