"""The seller import API: upload a catalog file (multipart, as a dry run or for real),
follow the job, read its row-numbered errors, apply a dry run, edit the category mapping,
export the catalog. Every route acts for the organisation of its path (the access
middleware checks the permission there); a shop or job of another organisation is 404."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody

from galerie.identity import Permission
from galerie.imports import (
    MAX_FILE_BYTES,
    ImportFormat,
    ImportJobView,
    ImportMode,
    apply_import,
    export_shop_catalog,
    job_errors,
    map_category,
    own_job,
    own_shop,
    request_import,
    shop_mappings,
)
from galerie.kernel import NotFound
from galerie.web.auth import galerie_of, requires
from galerie.web.context import IMPORT_RUNNER
from galerie.web.rendering import current_principal

IMPORT = requires(Permission.SELLER_CATALOG_IMPORT)
FormatName = Literal["google_tsv", "google_xml", "shopify_csv", "json"]


class ImportUpload(msgspec.Struct, forbid_unknown_fields=True):
    """multipart/form-data: the file, its format (recognised from the file when left out)
    and whether this is a dry run (the default) or the import itself."""

    file: UploadFile
    format: FormatName | None = None
    dry_run: bool = True


class ImportJobOut(msgspec.Struct, frozen=True):
    id: int
    shop_id: int
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
    percent: int
    error_code: str | None
    error_message: str | None
    created_at: datetime
    finished_at: datetime | None


class RowErrorOut(msgspec.Struct, frozen=True):
    row_number: int
    field: str
    code: str
    message: str


class MappingBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    source_text: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    category_id: Annotated[int, msgspec.Meta(ge=1)]


class MappingOut(msgspec.Struct, frozen=True):
    source_text: str
    category_id: int
    category_path: str


def job_out(job: ImportJobView) -> ImportJobOut:
    return ImportJobOut(
        id=job.id, shop_id=job.shop_id, format=job.format, filename=job.filename, mode=job.mode,
        status=job.status, total=job.total, processed=job.processed, created=job.created,
        updated=job.updated, unchanged=job.unchanged, failed=job.failed, percent=job.percent,
        error_code=job.error_code, error_message=job.error_message, created_at=job.created_at,
        finished_at=job.finished_at,
    )  # fmt: skip


async def _shop(request: Request[Any, Any, Any], organisation_id: int, shop_id: int) -> None:
    async with galerie_of(request).db.reading() as session:
        shop = await own_shop(session, current_principal(request), shop_id)
    if shop.organisation_id != organisation_id:
        raise NotFound("No such shop.", code="shop_not_found")


async def _job(request: Request[Any, Any, Any], organisation_id: int, job_id: int) -> ImportJobView:
    async with galerie_of(request).db.reading() as session:
        job = await own_job(session, current_principal(request), job_id)
    if job.organisation_id != organisation_id:
        raise NotFound("No such import.", code="import_not_found")
    return job


async def _mappings(request: Request[Any, Any, Any], shop_id: int) -> list[MappingOut]:
    async with galerie_of(request).db.reading() as session:
        found = await shop_mappings(session, shop_id)
    return [MappingOut(m.source_text, m.category_id, m.category_path) for m in found]


def _kick(request: Request[Any, Any, Any]) -> None:
    runner = galerie_of(request).extras.get(IMPORT_RUNNER)
    if runner is not None:
        runner.kick()


class SellerShopImportsController(Controller):
    path = "/organisations/{organisation_id:int}/shops/{shop_id:int}"
    tags = ["seller: imports"]  # noqa: RUF012 - Litestar's API

    @post(
        "/imports", opt=IMPORT, status_code=202, summary="Upload a catalog file",
        request_max_body_size=MAX_FILE_BYTES + 64 * 1024,
    )  # fmt: skip
    async def upload(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        data: Annotated[ImportUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> ImportJobOut:
        await _shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        job_id = await request_import(
            galerie.db, actor=current_principal(request), shop_id=shop_id,
            filename=data.file.filename or "", data=await data.file.read(),
            import_format=ImportFormat(data.format) if data.format else None,
            mode=ImportMode.DRY_RUN if data.dry_run else ImportMode.APPLY,
            storage=galerie.storage, now=galerie.clock.now(),
        )  # fmt: skip
        _kick(request)
        return job_out(await _job(request, organisation_id, job_id))

    @get("/category-mappings", opt=IMPORT, summary="The shop's category mapping")
    async def mappings(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
    ) -> list[MappingOut]:
        await _shop(request, organisation_id, shop_id)
        return await _mappings(request, shop_id)

    @put("/category-mappings", opt=IMPORT, summary="Map one of the shop's category texts")
    async def map(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        data: JSONBody[MappingBody],
    ) -> list[MappingOut]:
        await _shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        await map_category(
            galerie.db, actor=current_principal(request), shop_id=shop_id,
            source_text=data.source_text, category_id=data.category_id, now=galerie.clock.now(),
        )  # fmt: skip
        return await _mappings(request, shop_id)

    @get(
        "/export",
        opt=IMPORT,
        summary="The shop's catalog as a file",
        media_type="application/octet-stream",
    )
    async def export(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        format: FromQuery[FormatName] = "json",
    ) -> Response[bytes]:
        await _shop(request, organisation_id, shop_id)
        exported = await export_shop_catalog(
            galerie_of(request).db, actor=current_principal(request), shop_id=shop_id,
            import_format=ImportFormat(format),
        )  # fmt: skip
        return Response(
            exported.data, media_type=exported.media_type,
            headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
        )  # fmt: skip


class SellerImportJobsController(Controller):
    path = "/organisations/{organisation_id:int}/imports/{job_id:int}"
    tags = ["seller: imports"]  # noqa: RUF012 - Litestar's API

    @get("", opt=IMPORT, summary="An import job and its progress")
    async def status(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int], job_id: FromPath[int]
    ) -> ImportJobOut:
        return job_out(await _job(request, organisation_id, job_id))

    @get("/errors", opt=IMPORT, summary="The job's errors by row number")
    async def errors(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int], job_id: FromPath[int]
    ) -> list[RowErrorOut]:
        await _job(request, organisation_id, job_id)
        async with galerie_of(request).db.reading() as session:
            found = await job_errors(session, job_id, limit=None)
        return [RowErrorOut(e.row_number, e.field, e.code, e.message) for e in found]

    @post("/apply", opt=IMPORT, status_code=202, summary="Import the file of a finished dry run")
    async def apply(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int], job_id: FromPath[int]
    ) -> ImportJobOut:
        await _job(request, organisation_id, job_id)
        galerie = galerie_of(request)
        new_id = await apply_import(
            galerie.db, actor=current_principal(request), job_id=job_id, now=galerie.clock.now()
        )
        _kick(request)
        return job_out(await _job(request, organisation_id, new_id))


IMPORT_CONTROLLERS = (SellerShopImportsController, SellerImportJobsController)
