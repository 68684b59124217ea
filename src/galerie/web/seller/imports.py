"""The seller centre's imports: upload a catalog file for a dry run or an import, follow the
job's progress (HTMX polling every second while it runs), read and download the
row-numbered error report, apply a dry run's file, map the shop's own category texts to
ours, and download the catalog in every format. Another organisation's shop or job is 404."""

from __future__ import annotations

import csv
import io
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.identity import Permission
from galerie.imports import (
    MAX_FILE_BYTES,
    FileRefused,
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
    shop_jobs,
    shop_mappings,
    unmap_category,
)
from galerie.kernel import Conflict, NotFound, ValidationFailed
from galerie.web.auth import galerie_of, requires
from galerie.web.context import IMPORT_RUNNER
from galerie.web.forms import NOT_A_CHOICE, REQUIRED, BoundForm, Field, Form, read_form
from galerie.web.rendering import current_principal, render, see_other
from galerie.web.seller.imports_labels import FORMATS, MODES, STATUSES, import_message

IMPORT = requires(Permission.SELLER_CATALOG_IMPORT)
UPLOAD_BODY_LIMIT = MAX_FILE_BYTES + 64 * 1024
UPLOAD_FORM = Form(
    (
        Field("format", max_length=20, required=False, choices=("", *FORMATS)),
        Field("mode", max_length=10, choices=tuple(MODES)),
        Field("file", required=False),
    )
)
MAPPING_FORM = Form((Field("source_text", max_length=200), Field("category_id", max_length=12)))
REMOVE_FORM = Form((Field("source_text", max_length=200),))
LABELS = {"formats": FORMATS, "modes": MODES, "statuses": STATUSES}


def _kick(request: Request[Any, Any, Any]) -> None:
    runner = galerie_of(request).extras.get(IMPORT_RUNNER)
    if runner is not None:
        runner.kick()


async def _imports_page(
    request: Request[Any, Any, Any],
    shop_id: int,
    *,
    upload: BoundForm | None = None,
    mapping: BoundForm | None = None,
    status: int = 200,
) -> Template:
    galerie, actor = galerie_of(request), current_principal(request)
    async with galerie.db.reading() as session:
        shop = await own_shop(session, actor, shop_id)
        jobs = await shop_jobs(session, shop_id)
        mappings = await shop_mappings(session, shop_id)
    return render(
        "seller/imports.html", status=status, shop=shop, jobs=jobs, mappings=mappings,
        upload=upload or UPLOAD_FORM.bind({"mode": "dry_run"}),
        mapping=mapping or MAPPING_FORM.empty(), import_labels=LABELS,
        max_mb=MAX_FILE_BYTES // (1024 * 1024),
    )  # fmt: skip


@get("/seller/shops/{shop_id:int}/imports", opt=IMPORT, include_in_schema=False)
async def imports_page(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template:
    return await _imports_page(request, shop_id)


@post(
    "/seller/shops/{shop_id:int}/imports",
    opt=IMPORT,
    include_in_schema=False,
    status_code=303,
    request_max_body_size=UPLOAD_BODY_LIMIT,
)
async def upload_import(
    request: Request[Any, Any, Any], shop_id: FromPath[int]
) -> Template | Redirect:
    galerie, actor = galerie_of(request), current_principal(request)
    async with galerie.db.reading() as session:
        await own_shop(session, actor, shop_id)
    bound = await read_form(request, UPLOAD_FORM)
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile):
        bound.add_error("file", REQUIRED)
    if bound.valid and isinstance(upload, UploadFile):
        try:
            job_id = await request_import(
                galerie.db, actor=actor, shop_id=shop_id, filename=upload.filename or "",
                data=await upload.read(),
                import_format=ImportFormat(bound["format"]) if bound["format"] else None,
                mode=ImportMode(bound["mode"]), storage=galerie.storage, now=galerie.clock.now(),
            )  # fmt: skip
        except FileRefused as error:
            bound.add_error("file", import_message(error.code))
        else:
            _kick(request)
            return see_other(f"/seller/imports/{job_id}")
    return await _imports_page(request, shop_id, upload=bound, status=422)


async def _job(request: Request[Any, Any, Any], job_id: int) -> ImportJobView:
    async with galerie_of(request).db.reading() as session:
        return await own_job(session, current_principal(request), job_id)


@get("/seller/imports/{job_id:int}", opt=IMPORT, include_in_schema=False)
async def import_job_page(request: Request[Any, Any, Any], job_id: FromPath[int]) -> Template:
    job = await _job(request, job_id)
    async with galerie_of(request).db.reading() as session:
        errors = await job_errors(session, job_id) if job.finished else []
    return render("seller/import_job.html", job=job, errors=errors, import_labels=LABELS,
                  message=import_message)  # fmt: skip


@get("/seller/imports/{job_id:int}/progress", opt=IMPORT, include_in_schema=False)
async def import_progress(request: Request[Any, Any, Any], job_id: FromPath[int]) -> Template:
    """The progress bar alone (HTMX). Once the job has finished the page reloads itself, so
    the report appears."""
    job = await _job(request, job_id)
    headers = {"HX-Refresh": "true"} if job.finished else None
    return render("seller/_import_progress.html", job=job, import_labels=LABELS, headers=headers)


@post("/seller/imports/{job_id:int}/apply", opt=IMPORT, include_in_schema=False, status_code=303)
async def apply_dry_run(request: Request[Any, Any, Any], job_id: FromPath[int]) -> Redirect:
    galerie = galerie_of(request)
    try:
        new_id = await apply_import(
            galerie.db, actor=current_principal(request), job_id=job_id, now=galerie.clock.now()
        )
    except Conflict:
        return see_other(f"/seller/imports/{job_id}")
    _kick(request)
    return see_other(f"/seller/imports/{new_id}")


@get("/seller/imports/{job_id:int}/errors.csv", opt=IMPORT, include_in_schema=False)
async def import_errors_csv(
    request: Request[Any, Any, Any], job_id: FromPath[int]
) -> Response[bytes]:
    job = await _job(request, job_id)
    async with galerie_of(request).db.reading() as session:
        errors = await job_errors(session, job_id, limit=None)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["row", "field", "code", "message"])
    writer.writerows([e.row_number, _inert(e.field), e.code, _inert(e.message)] for e in errors)
    return Response(
        ("\ufeff" + out.getvalue()).encode(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="import-{job.id}-errors.csv"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


def _inert(text: str) -> str:
    """No spreadsheet formula: a cell starting with = + - @ is prefixed with a quote."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@post(
    "/seller/shops/{shop_id:int}/category-mappings", opt=IMPORT, include_in_schema=False,
    status_code=303,
)  # fmt: skip
async def add_mapping(
    request: Request[Any, Any, Any], shop_id: FromPath[int]
) -> Template | Redirect:
    galerie, actor = galerie_of(request), current_principal(request)
    async with galerie.db.reading() as session:
        await own_shop(session, actor, shop_id)
    bound = await read_form(request, MAPPING_FORM)
    if bound.valid and not bound["category_id"].isdigit():
        bound.add_error("category_id", NOT_A_CHOICE)
    if bound.valid:
        try:
            await map_category(
                galerie.db, actor=actor, shop_id=shop_id, source_text=bound["source_text"],
                category_id=int(bound["category_id"]), now=galerie.clock.now(),
            )  # fmt: skip
        except (ValidationFailed, NotFound) as error:
            field = "category_id" if error.code == "category_not_found" else "source_text"
            bound.add_error(field, import_message(error.code))
        else:
            return see_other(f"/seller/shops/{shop_id}/imports#mappings")
    return await _imports_page(request, shop_id, mapping=bound, status=422)


@post(
    "/seller/shops/{shop_id:int}/category-mappings/remove", opt=IMPORT, include_in_schema=False,
    status_code=303,
)  # fmt: skip
async def remove_mapping(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Redirect:
    galerie = galerie_of(request)
    bound = await read_form(request, REMOVE_FORM)
    if bound.valid:
        await unmap_category(galerie.db, actor=current_principal(request), shop_id=shop_id,
                             source_text=bound["source_text"])  # fmt: skip
    else:
        async with galerie.db.reading() as session:
            await own_shop(session, current_principal(request), shop_id)
    return see_other(f"/seller/shops/{shop_id}/imports#mappings")


@get("/seller/shops/{shop_id:int}/export/{export_format:str}", opt=IMPORT, include_in_schema=False)
async def export_download(
    request: Request[Any, Any, Any], shop_id: FromPath[int], export_format: FromPath[str]
) -> Response[bytes]:
    if export_format not in FORMATS:
        raise NotFound("No such export format.", code="export_format_not_found")
    exported = await export_shop_catalog(
        galerie_of(request).db, actor=current_principal(request), shop_id=shop_id,
        import_format=ImportFormat(export_format),
    )  # fmt: skip
    return Response(
        exported.data,
        media_type=exported.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{exported.filename}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


IMPORT_PAGES = [
    imports_page, upload_import, import_job_page, import_progress, apply_dry_run,
    import_errors_csv, add_mapping, remove_mapping, export_download,
]  # fmt: skip
