"""Reads for imports: the lookups a file's rows resolve against, jobs and their errors, a
shop's category mappings. A job or shop of another organisation is NotFound."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.models import Category
from galerie.identity import Permission, Principal
from galerie.imports.mapping import Lookups
from galerie.imports.models import CategoryMapping, ImportJob, ImportRowError
from galerie.imports.rows import FeedRow
from galerie.kernel import Forbidden, NotFound
from galerie.sellers.models import Brand, Shop, ShopBrand

MAX_ERRORS_SHOWN = 500


@dataclass(frozen=True, slots=True)
class ImportJobView:
    id: int
    shop_id: int
    organisation_id: int
    format: str
    filename: str
    mode: str
    status: str
    total: int
    processed: int
    created: int
    updated: int
    unchanged: int
    failed: int
    error_code: str | None
    error_message: str | None
    created_at: datetime
    finished_at: datetime | None

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return 0 if self.total == 0 else min(100, self.processed * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def valid(self) -> int:
        return self.processed - self.failed


@dataclass(frozen=True, slots=True)
class RowErrorView:
    row_number: int
    field: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class MappingView:
    source_text: str
    category_id: int
    category_path: str


def _view(job: ImportJob) -> ImportJobView:
    return ImportJobView(
        id=job.id, shop_id=job.shop_id, organisation_id=job.organisation_id, format=job.format,
        filename=job.filename, mode=job.mode, status=job.status, total=job.total,
        processed=job.processed, created=job.created, updated=job.updated,
        unchanged=job.unchanged, failed=job.failed, error_code=job.error_code,
        error_message=job.error_message, created_at=job.created_at, finished_at=job.finished_at,
    )  # fmt: skip


def check_access(actor: Principal, organisation_id: int, what: str) -> None:
    """NotFound for another organisation's row, Forbidden without the import permission."""
    if not any(m.organisation_id == organisation_id for m in actor.memberships):
        raise NotFound(f"No such {what}.", code=f"{what.replace(' ', '_')}_not_found")
    if not actor.can(Permission.SELLER_CATALOG_IMPORT, organisation_id=organisation_id):
        raise Forbidden("You may not import into this shop.", code="forbidden")


async def own_shop(session: AsyncSession, actor: Principal, shop_id: int) -> Shop:
    shop = await session.get(Shop, shop_id)
    if shop is None:
        raise NotFound("No such shop.", code="shop_not_found")
    check_access(actor, shop.organisation_id, "shop")
    return shop


async def own_job(session: AsyncSession, actor: Principal, job_id: int) -> ImportJobView:
    job = await session.get(ImportJob, job_id)
    if job is None:
        raise NotFound("No such import.", code="import_not_found")
    check_access(actor, job.organisation_id, "import")
    return _view(job)


async def job_view(session: AsyncSession, job_id: int) -> ImportJobView | None:
    job = await session.get(ImportJob, job_id)
    return None if job is None else _view(job)


async def shop_jobs(session: AsyncSession, shop_id: int, *, limit: int = 20) -> list[ImportJobView]:
    rows = await session.scalars(
        select(ImportJob)
        .where(ImportJob.shop_id == shop_id)
        .order_by(ImportJob.id.desc())
        .limit(limit)
    )
    return [_view(job) for job in rows]


async def job_errors(
    session: AsyncSession, job_id: int, *, limit: int | None = MAX_ERRORS_SHOWN
) -> list[RowErrorView]:
    statement = (
        select(ImportRowError)
        .where(ImportRowError.job_id == job_id)
        .order_by(ImportRowError.row_number, ImportRowError.id)
    )
    if limit is not None:
        statement = statement.limit(limit)
    return [
        RowErrorView(e.row_number, e.field, e.code, e.message)
        for e in await session.scalars(statement)
    ]


async def shop_mappings(session: AsyncSession, shop_id: int) -> list[MappingView]:
    rows = await session.execute(
        select(CategoryMapping.source_text, CategoryMapping.category_id, Category.path)
        .join(Category, Category.id == CategoryMapping.category_id)
        .where(CategoryMapping.shop_id == shop_id)
        .order_by(CategoryMapping.source_text)
    )
    return [MappingView(text, category_id, path) for text, category_id, path in rows.tuples()]


async def lookups_for(
    session: AsyncSession, *, shop_id: int, rows: Iterable[FeedRow], currency: str
) -> Lookups:
    """Everything the rows' categories and brands resolve against, in four queries."""
    texts = {t for row in rows for t in (row.category.strip(), row.product_type.strip()) if t}
    ids = {int(t) for t in texts if t.isdigit() and len(t) < 15}
    paths = {t.lower() for t in texts if not t.isdigit()}
    known: set[int] = set()
    if ids:
        known = set(await session.scalars(select(Category.id).where(Category.id.in_(ids))))
    by_path: dict[str, int] = {}
    if paths:
        found = await session.execute(
            select(func.lower(Category.path), Category.id).where(
                func.lower(Category.path).in_(paths)
            )
        )
        by_path = dict(found.tuples().all())
    mapped = await session.execute(
        select(CategoryMapping.source_text, CategoryMapping.category_id).where(
            CategoryMapping.shop_id == shop_id
        )
    )
    brands = await session.execute(
        select(func.lower(Brand.name), Brand.id)
        .join(ShopBrand, ShopBrand.brand_id == Brand.id)
        .where(ShopBrand.shop_id == shop_id)
    )
    return Lookups(
        currency=currency,
        category_ids=frozenset(known),
        category_paths=by_path,
        mappings=dict(mapped.tuples().all()),
        brands=dict(brands.tuples().all()),
    )
