"""Listing moderation in the console: the queue (pending listings, the longest waiting
first; other statuses on request), one listing in full with its history, and the
decisions (approve; reject and delist with a mandatory reason), each audited once."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, get, post
from litestar.exceptions import ClientException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from galerie.catalog import (
    ListingStatus,
    approve_listing,
    delist_product,
    moderation_queue,
    product_detail,
    product_shop_id,
    reject_listing,
)
from galerie.identity import Permission
from galerie.kernel import Conflict, NotFound, PageRequest, ValidationFailed
from galerie.web.auth import galerie_of, requires
from galerie.web.forms import BoundForm, Field, Form, read_form
from galerie.web.rendering import audit_context, current_principal, render, see_other
from galerie.web.seller.products_labels import PRODUCT_LABELS, product_message

MODERATION = requires(Permission.CONSOLE_MODERATION)
PAGE_SIZE: Final = 25
MAX_PAGE: Final = 10_000
DECISIONS: Final = ("approve", "reject", "delist")
DECISION_FORM: Final = Form(
    (
        Field("decision", max_length=10, choices=DECISIONS),
        Field("reason", max_length=2000, required=False),
    )
)


@get("/console/listings", opt=MODERATION, include_in_schema=False)
async def listings_page(
    request: Request[Any, Any, Any], status: FromQuery[str] = "pending", page: FromQuery[int] = 1
) -> Template:
    if status not in ListingStatus._value2member_map_ or not 1 <= page <= MAX_PAGE:
        raise ClientException("bad filter")
    async with galerie_of(request).db.reading() as session:
        found = await moderation_queue(
            session,
            status=status,
            page=PageRequest(page, PAGE_SIZE),
            language=current_principal(request).language,
        )
    return render(
        "console/listings.html",
        listings=found,
        chosen=status,
        statuses=list(ListingStatus),
        labels=PRODUCT_LABELS,
    )


async def _listing_page(
    request: Request[Any, Any, Any], product_id: int, form: BoundForm, status: int = 200
) -> Template:
    async with galerie_of(request).db.reading() as session:
        shop_id = await product_shop_id(session, product_id)
        if shop_id is None:
            raise NotFound("No such product.", code="product_not_found")
        detail = await product_detail(session, shop_id=shop_id, product_id=product_id)
    return render(
        "console/listing.html", status=status, detail=detail, form=form, labels=PRODUCT_LABELS
    )


@get("/console/listings/{product_id:int}", opt=MODERATION, include_in_schema=False)
async def listing_page(request: Request[Any, Any, Any], product_id: FromPath[int]) -> Template:
    return await _listing_page(request, product_id, DECISION_FORM.empty())


@post(
    "/console/listings/{product_id:int}/decision",
    opt=MODERATION,
    include_in_schema=False,
    status_code=303,
)
async def decide_listing(
    request: Request[Any, Any, Any], product_id: FromPath[int]
) -> Template | Redirect:
    form = await read_form(request, DECISION_FORM)
    if not form.valid:
        return await _listing_page(request, product_id, form, status=422)
    galerie = galerie_of(request)
    common: dict[str, Any] = {
        "actor": current_principal(request),
        "product_id": product_id,
        "now": galerie.clock.now(),
        "audit": audit_context(request),
    }
    try:
        if form["decision"] == "approve":
            await approve_listing(galerie.db, reason=form["reason"] or None, **common)
        elif form["decision"] == "reject":
            await reject_listing(galerie.db, reason=form["reason"], **common)
        else:
            await delist_product(galerie.db, reason=form["reason"], **common)
    except (ValidationFailed, Conflict) as error:
        form.add_error(
            "reason" if error.code == "reason_required" else "form", product_message(error)
        )
        return await _listing_page(
            request, product_id, form, status=422 if isinstance(error, ValidationFailed) else 409
        )
    return see_other(f"/console/listings/{product_id}?done=1")
