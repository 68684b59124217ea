"""What the seller and console API handlers share: reading an application (checked against
the organisation of the path), fetching a document, answering with a file."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request, Response

from galerie.identity import Principal
from galerie.kernel import NotFound
from galerie.sellers import ShopView, application_detail, document_file, shop_by_slug
from galerie.web.api.v1.wire import ApplicationOut, application_out
from galerie.web.auth import galerie_of
from galerie.web.rendering import current_principal


def no_application() -> NotFound:
    return NotFound("No such seller application.", code="seller_application_not_found")


async def read_application(
    request: Request[Any, Any, Any], application_id: int, organisation_id: int | None = None
) -> ApplicationOut:
    """The application as the caller may see it; with `organisation_id` (a seller route),
    one of another organisation is NotFound even to someone who belongs to both."""
    galerie, actor = galerie_of(request), current_principal(request)
    async with galerie.db.reading() as session:
        detail = await application_detail(
            session, actor=actor, application_id=application_id, now=galerie.clock.now()
        )
        if organisation_id is not None and detail.application.organisation_id != organisation_id:
            raise no_application()
        return application_out(detail)


async def read_shop(request: Request[Any, Any, Any], slug: str, organisation_id: int) -> ShopView:
    """The organisation's shop with this slug, whatever its status; NotFound otherwise."""
    galerie, actor = galerie_of(request), current_principal(request)
    async with galerie.db.reading() as session:
        shop = await shop_by_slug(session, slug=slug, viewer=actor)
    if shop is None or shop.organisation_id != organisation_id:
        raise NotFound("No such shop.", code="shop_not_found")
    return shop


async def document_download(
    request: Request[Any, Any, Any],
    *,
    application_id: int,
    document_id: int,
    organisation_id: int | None = None,
) -> Response[bytes]:
    """The document's bytes, when it belongs to this application (and organisation)."""
    galerie = galerie_of(request)
    actor: Principal = current_principal(request)
    doc, content = await document_file(
        galerie.db, actor=actor, document_id=document_id, storage=galerie.storage
    )
    wrong_org = organisation_id is not None and doc.organisation_id != organisation_id
    if doc.application_id != application_id or wrong_org:
        raise NotFound("No such application document.", code="application_document_not_found")
    return Response(
        content,
        media_type=doc.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(doc.filename, safe='')}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
