"""The console's catalog endpoints: the moderation queue and decisions on listings
(CONSOLE_MODERATION; reject and delist need a reason; each decision is audited once), and
category attributes and terms (CONSOLE_CATEGORIES, audited)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from galerie.catalog import (
    ListingStatus,
    approve_listing,
    category_attributes,
    define_category_attribute,
    delist_product,
    moderation_queue,
    product_detail,
    product_shop_id,
    reject_listing,
    set_category_terms,
)
from galerie.identity import Permission
from galerie.kernel import NotFound, PageRequest
from galerie.web.api.v1.seller_catalog_wire import (
    AttributeBody,
    AttributeOut,
    CategoryTermsBody,
    ProductOut,
    ProductPage,
    StatusOut,
    attribute_out,
    product_out,
    product_page,
)
from galerie.web.api.v1.wire import ReasonBody
from galerie.web.auth import galerie_of, requires
from galerie.web.rendering import audit_context, current_principal

MODERATION = requires(Permission.CONSOLE_MODERATION)
CATEGORIES = requires(Permission.CONSOLE_CATEGORIES)
PageNumber = Annotated[int, Parameter(ge=1, le=100_000)]
PageSize = Annotated[int, Parameter(ge=1, le=100)]
AttributeCode = Annotated[str, Parameter(max_length=30)]


class ConsoleListingsController(Controller):
    path = "/console/listings"
    tags = ["console: moderation"]  # noqa: RUF012 - Litestar's API

    @get(
        "",
        opt=MODERATION,
        summary="Listings in a status (pending by default, the longest waiting first)",
    )
    async def queue(
        self,
        request: Request[Any, Any, Any],
        status: FromQuery[ListingStatus] = ListingStatus.PENDING,
        page: PageNumber = 1,
        size: PageSize = 24,
    ) -> ProductPage:
        async with galerie_of(request).db.reading() as session:
            found = await moderation_queue(
                session,
                status=status,
                page=PageRequest(page, size),
                language=current_principal(request).language,
            )
        return product_page(found)

    @get("/{product_id:int}", opt=MODERATION, summary="A listing in full, with its history")
    async def read(self, request: Request[Any, Any, Any], product_id: FromPath[int]) -> ProductOut:
        async with galerie_of(request).db.reading() as session:
            shop_id = await product_shop_id(session, product_id)
            if shop_id is None:
                raise NotFound("No such product.", code="product_not_found")
            return product_out(
                await product_detail(session, shop_id=shop_id, product_id=product_id)
            )

    @post("/{product_id:int}/approve", opt=MODERATION, status_code=200, summary="Approve")
    async def approve(
        self, request: Request[Any, Any, Any], product_id: FromPath[int]
    ) -> StatusOut:
        galerie = galerie_of(request)
        status = await approve_listing(
            galerie.db,
            actor=current_principal(request),
            product_id=product_id,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return StatusOut(product_id, status)

    @post(
        "/{product_id:int}/reject", opt=MODERATION, status_code=200, summary="Reject, with a reason"
    )
    async def reject(
        self, request: Request[Any, Any, Any], product_id: FromPath[int], data: JSONBody[ReasonBody]
    ) -> StatusOut:
        galerie = galerie_of(request)
        status = await reject_listing(
            galerie.db,
            actor=current_principal(request),
            product_id=product_id,
            reason=data.reason,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return StatusOut(product_id, status)

    @post(
        "/{product_id:int}/delist", opt=MODERATION, status_code=200, summary="Delist, with a reason"
    )
    async def delist(
        self, request: Request[Any, Any, Any], product_id: FromPath[int], data: JSONBody[ReasonBody]
    ) -> StatusOut:
        galerie = galerie_of(request)
        status = await delist_product(
            galerie.db,
            actor=current_principal(request),
            product_id=product_id,
            reason=data.reason,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return StatusOut(product_id, status)


class ConsoleCategoriesController(Controller):
    path = "/console/categories/{category_id:int}"
    tags = ["console: categories"]  # noqa: RUF012 - Litestar's API

    @get("/attributes", opt=CATEGORIES, summary="The attributes of a category and its ancestors")
    async def attributes(
        self, request: Request[Any, Any, Any], category_id: FromPath[int]
    ) -> list[AttributeOut]:
        async with galerie_of(request).db.reading() as session:
            found = await category_attributes(session, category_id)
        return [attribute_out(a) for a in found]

    @put("/attributes/{code:str}", opt=CATEGORIES, summary="Define or edit a category attribute")
    async def define(
        self,
        request: Request[Any, Any, Any],
        category_id: FromPath[int],
        code: FromPath[str],
        data: JSONBody[AttributeBody],
    ) -> list[AttributeOut]:
        galerie = galerie_of(request)
        await define_category_attribute(
            galerie.db,
            actor=current_principal(request),
            category_id=category_id,
            form=data.form(code),
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        async with galerie.db.reading() as session:
            found = await category_attributes(session, category_id)
        return [attribute_out(a) for a in found]

    @put("/terms", opt=CATEGORIES, status_code=204, summary="Set commission and listing review")
    async def terms(
        self,
        request: Request[Any, Any, Any],
        category_id: FromPath[int],
        data: JSONBody[CategoryTermsBody],
    ) -> None:
        galerie = galerie_of(request)
        await set_category_terms(
            galerie.db,
            actor=current_principal(request),
            category_id=category_id,
            commission_rate_bp=data.commission_rate_bp,
            listing_review=data.listing_review,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )


CATALOG_CONSOLE_CONTROLLERS = (ConsoleListingsController, ConsoleCategoriesController)
