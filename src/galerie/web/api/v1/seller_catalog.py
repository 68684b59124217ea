"""The seller catalog API: a shop's products, their listing (submit, withdraw) and images.

Every route acts for the organisation of its path (the access middleware checks
SELLER_CATALOG_EDIT within it) and for a shop of that organisation: a shop or product of
another organisation is 404 and nothing changes. Handlers translate; galerie.catalog decides."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post, put
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody, Parameter

from galerie.catalog import (
    ListingStatus,
    ProductFilter,
    add_product_image,
    product_detail,
    remove_product_image,
    reorder_product_images,
    save_product,
    shop_facts,
    shop_products,
    submit_listing,
    validate_product_draft,
    withdraw_listing,
)
from galerie.identity import Permission
from galerie.kernel import NotFound, PageRequest, ValidationFailed
from galerie.web.api.v1.seller_catalog_wire import (
    ImageOrderBody,
    ImageUpload,
    ProblemOut,
    ProductBody,
    ProductOut,
    ProductPage,
    SavedOut,
    StatusOut,
    product_out,
    product_page,
    saved_out,
)
from galerie.web.auth import galerie_of, requires
from galerie.web.rendering import current_principal

EDIT = requires(Permission.SELLER_CATALOG_EDIT)
PRODUCT = "/{product_id:int}"
MultipartImage = Annotated[ImageUpload, Body(media_type=RequestEncodingType.MULTI_PART)]
PageNumber = Annotated[int, Parameter(ge=1, le=100_000)]
PageSize = Annotated[int, Parameter(ge=1, le=100)]


async def own_shop(request: Request[Any, Any, Any], organisation_id: int, shop_id: int) -> int:
    """The shop's id when it belongs to the organisation of the path; NotFound otherwise."""
    async with galerie_of(request).db.reading() as session:
        facts = await shop_facts(session, shop_id)
    if facts is None or facts.organisation_id != organisation_id:
        raise NotFound("No such shop.", code="shop_not_found")
    return shop_id


async def read_product(
    request: Request[Any, Any, Any], shop_id: int, product_id: int
) -> ProductOut:
    async with galerie_of(request).db.reading() as session:
        return product_out(await product_detail(session, shop_id=shop_id, product_id=product_id))


class SellerProductsController(Controller):
    path = "/organisations/{organisation_id:int}/shops/{shop_id:int}/products"
    tags = ["seller: catalog"]  # noqa: RUF012 - Litestar's API

    @get("", opt=EDIT, summary="The shop's products, newest change first, with filters")
    async def list_products(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        status: FromQuery[ListingStatus | None] = None,
        category_id: Annotated[int | None, Parameter(ge=1)] = None,
        q: Annotated[str | None, Parameter(max_length=100, description="Title or SKU code")] = None,
        page: PageNumber = 1,
        size: PageSize = 24,
    ) -> ProductPage:
        await own_shop(request, organisation_id, shop_id)
        async with galerie_of(request).db.reading() as session:
            found = await shop_products(
                session,
                shop_id=shop_id,
                filters=ProductFilter(status, category_id, q),
                page=PageRequest(page, size),
                language=current_principal(request).language,
            )
        return product_page(found)

    @post(
        "",
        opt=EDIT,
        status_code=200,
        summary="Create or update the product with this seller_ref (unchanged: nothing written)",
    )
    async def upsert(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        data: JSONBody[ProductBody],
        submit: FromQuery[bool] = True,
    ) -> SavedOut:
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        saved = await save_product(
            galerie.db,
            actor_user_id=current_principal(request).user_id,
            shop_id=shop_id,
            draft=data.draft(),
            now=galerie.clock.now(),
            submit=submit,
        )
        return saved_out(saved)

    @post(
        "/validate",
        opt=EDIT,
        status_code=200,
        summary="Every problem of a product body for this shop, without saving (a dry run)",
    )
    async def validate(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        data: JSONBody[ProductBody],
    ) -> list[ProblemOut]:
        await own_shop(request, organisation_id, shop_id)
        problems = await validate_product_draft(
            galerie_of(request).db, shop_id=shop_id, draft=data.draft()
        )
        return [ProblemOut(p.field, p.code, p.message) for p in problems]

    @get(PRODUCT, opt=EDIT, summary="A product with its variants, images and listing history")
    async def read(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        product_id: FromPath[int],
    ) -> ProductOut:
        await own_shop(request, organisation_id, shop_id)
        return await read_product(request, shop_id, product_id)

    @put(PRODUCT, opt=EDIT, summary="Replace a product's content (its seller_ref stays)")
    async def update(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        product_id: FromPath[int],
        data: JSONBody[ProductBody],
        submit: FromQuery[bool] = False,
    ) -> SavedOut:
        await own_shop(request, organisation_id, shop_id)
        current = await read_product(request, shop_id, product_id)
        if current.seller_ref != data.seller_ref:
            raise ValidationFailed(
                "The product code cannot change.", code="seller_ref_mismatch", field="seller_ref"
            )
        galerie = galerie_of(request)
        saved = await save_product(
            galerie.db,
            actor_user_id=current_principal(request).user_id,
            shop_id=shop_id,
            draft=data.draft(),
            now=galerie.clock.now(),
            submit=submit,
        )
        return saved_out(saved)

    @post(PRODUCT + "/submit", opt=EDIT, status_code=200, summary="Submit the listing")
    async def submit(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        product_id: FromPath[int],
    ) -> StatusOut:
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        status = await submit_listing(
            galerie.db,
            actor_user_id=current_principal(request).user_id,
            shop_id=shop_id,
            product_id=product_id,
            now=galerie.clock.now(),
        )
        return StatusOut(product_id, status)

    @post(PRODUCT + "/withdraw", opt=EDIT, status_code=200, summary="Withdraw the listing")
    async def withdraw(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        product_id: FromPath[int],
    ) -> StatusOut:
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        status = await withdraw_listing(
            galerie.db,
            actor_user_id=current_principal(request).user_id,
            shop_id=shop_id,
            product_id=product_id,
            now=galerie.clock.now(),
        )
        return StatusOut(product_id, status)

    @post(
        PRODUCT + "/images",
        opt=EDIT,
        status_code=201,
        summary="Add an image (JPEG, PNG or WebP) as multipart/form-data",
    )
    async def add_image(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        product_id: FromPath[int],
        data: MultipartImage,
    ) -> ProductOut:
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        await add_product_image(
            galerie.db,
            galerie.storage,
            actor_user_id=current_principal(request).user_id,
            shop_id=shop_id,
            product_id=product_id,
            data=await data.file.read(),
            filename=data.file.filename,
            now=galerie.clock.now(),
        )
        return await read_product(request, shop_id, product_id)

    @put(PRODUCT + "/images", opt=EDIT, summary="Reorder the product's images")
    async def reorder_images(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        product_id: FromPath[int],
        data: JSONBody[ImageOrderBody],
    ) -> ProductOut:
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        await reorder_product_images(
            galerie.db,
            actor_user_id=current_principal(request).user_id,
            shop_id=shop_id,
            product_id=product_id,
            image_ids=data.image_ids,
            now=galerie.clock.now(),
        )
        return await read_product(request, shop_id, product_id)

    @delete(
        PRODUCT + "/images/{image_id:int}", opt=EDIT, status_code=200, summary="Remove an image"
    )
    async def remove_image(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        product_id: FromPath[int],
        image_id: FromPath[int],
    ) -> ProductOut:
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        await remove_product_image(
            galerie.db,
            galerie.storage,
            actor_user_id=current_principal(request).user_id,
            shop_id=shop_id,
            product_id=product_id,
            image_id=image_id,
            now=galerie.clock.now(),
        )
        return await read_product(request, shop_id, product_id)
