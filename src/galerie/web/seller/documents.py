"""The wizard's documents step: the list with expiry warnings, the upload form (a bad file is
refused inline and nothing is stored) and the download of one's own document."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.identity import Permission
from galerie.kernel import NotFound, ValidationFailed
from galerie.sellers import DocumentKind, add_application_document, document_file
from galerie.storage import MAX_UPLOAD_BYTES
from galerie.web.auth import galerie_of, requires
from galerie.web.forms import NOT_A_CHOICE, REQUIRED, BoundForm, Field, Form, read_form
from galerie.web.rendering import audit_context, current_principal, render
from galerie.web.seller.common import acting_org, may_manage, own_application
from galerie.web.seller.labels import LABELS, SELLER_MESSAGES, STEPS
from galerie.web.seller.wizard import expiry, inline_error, progress

# The body may hold the largest accepted file plus the form's other fields.
UPLOAD_BODY_LIMIT = MAX_UPLOAD_BYTES + 64 * 1024
BAD_DATE = SELLER_MESSAGES["bad_valid_until"]
UPLOAD_FORM = Form(
    (
        Field("kind", max_length=40, choices=tuple(k.value for k in DocumentKind)),
        Field("valid_until", max_length=10, required=False),
        Field("qualification", max_length=60, required=False),
        Field("brand_id", max_length=20, required=False),
        Field("file", required=False),  # the upload itself; here for its inline errors
    )
)


async def _documents_page(
    request: Request[Any, Any, Any],
    application_id: int,
    bound: BoundForm,
    status: int = 200,
) -> Template:
    detail = await own_application(request, application_id)
    app = detail.application
    today = galerie_of(request).clock.now().date()
    return render(
        "seller/application_documents.html",
        status=status,
        seller_labels=LABELS,
        steps=STEPS,
        detail=detail,
        app=app,
        form=bound,
        expiry={doc.id: expiry(doc, today) for doc in detail.documents},
        done=progress(app, len(detail.documents)),
        current="documents",
        editable=app.status in ("draft", "changes_requested"),
        can_manage=may_manage(request),
        kinds=[k.value for k in DocumentKind],
    )


@get(
    "/seller/applications/{application_id:int}/documents",
    opt=requires(Permission.SELLER_CENTRE_VIEW),
    include_in_schema=False,
)
async def documents_page(
    request: Request[Any, Any, Any], application_id: FromPath[int]
) -> Template:
    return await _documents_page(request, application_id, UPLOAD_FORM.empty())


def _date(bound: BoundForm) -> date | None:
    if not bound["valid_until"]:
        return None
    try:
        return date.fromisoformat(bound["valid_until"])
    except ValueError:
        bound.add_error("valid_until", BAD_DATE)
        return None


def _brand(bound: BoundForm) -> int | None:
    raw = bound["brand_id"]
    if raw and not raw.isdigit():
        bound.add_error("brand_id", NOT_A_CHOICE)
    return int(raw) if raw.isdigit() else None


@post(
    "/seller/applications/{application_id:int}/documents",
    opt=requires(Permission.SELLER_CATALOG_MANAGE),
    include_in_schema=False,
    status_code=303,
    request_max_body_size=UPLOAD_BODY_LIMIT,
)
async def upload_document(
    request: Request[Any, Any, Any], application_id: FromPath[int]
) -> Template | Redirect:
    await own_application(request, application_id)
    bound = await read_form(request, UPLOAD_FORM)
    valid_until, brand_id = _date(bound), _brand(bound)
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile):
        bound.add_error("file", REQUIRED)
    if bound.valid and isinstance(upload, UploadFile):
        galerie = galerie_of(request)
        try:
            await add_application_document(
                galerie.db,
                actor=current_principal(request),
                application_id=application_id,
                kind=bound["kind"],
                filename=upload.filename or "",
                data=await upload.read(),
                valid_until=valid_until,
                qualification=bound["qualification"] or None,
                brand_id=brand_id,
                storage=galerie.storage,
                now=galerie.clock.now(),
                audit=audit_context(request),
            )
        except ValidationFailed as error:
            inline_error(bound, error)
        else:
            return Redirect(f"/seller/applications/{application_id}/documents", status_code=303)
    return await _documents_page(request, application_id, bound, status=422)


@get(
    "/seller/documents/{document_id:int}",
    opt=requires(Permission.SELLER_CENTRE_VIEW),
    include_in_schema=False,
)
async def download_document(
    request: Request[Any, Any, Any], document_id: FromPath[int]
) -> Response[bytes]:
    galerie = galerie_of(request)
    doc, data = await document_file(
        galerie.db,
        actor=current_principal(request),
        document_id=document_id,
        storage=galerie.storage,
    )
    if doc.organisation_id != acting_org(request):
        raise NotFound("No such application document.", code="application_document_not_found")
    return Response(
        data,
        media_type=doc.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(doc.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
