"""The images of a product in the seller centre: upload (checked by decoding; a bad file is
refused on the page and nothing is stored), remove, move to the front, and the thumbnail."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.catalog import (
    MAX_IMAGE_BYTES,
    add_product_image,
    remove_product_image,
    reorder_product_images,
)
from galerie.kernel import NotFound, ValidationFailed
from galerie.web.auth import galerie_of
from galerie.web.rendering import current_principal, see_other
from galerie.web.seller.products import BASE, EDIT, form_page, own_shop, product_of
from galerie.web.seller.products_form import values_of
from galerie.web.seller.products_labels import product_message

IMAGE = BASE + "/{product_id:int}/images"


@post(
    IMAGE,
    opt=EDIT,
    include_in_schema=False,
    status_code=303,
    request_max_body_size=MAX_IMAGE_BYTES + 64 * 1024,
)
async def upload_image(
    request: Request[Any, Any, Any], shop_id: FromPath[int], product_id: FromPath[int]
) -> Template | Redirect:
    await own_shop(request, shop_id)
    upload = (await request.form()).get("file")
    galerie = galerie_of(request)
    try:
        if not isinstance(upload, UploadFile):
            raise ValidationFailed("No file.", code="empty_file")
        await add_product_image(
            galerie.db,
            galerie.storage,
            actor_user_id=current_principal(request).user_id,
            shop_id=shop_id,
            product_id=product_id,
            data=await upload.read(),
            filename=upload.filename or "",
            now=galerie.clock.now(),
        )
    except ValidationFailed as error:
        detail = await product_of(request, shop_id, product_id)
        page = await form_page(request, shop_id, values_of(detail.draft), detail=detail, status=422)
        page.context["image_error"] = product_message(error)
        return page
    return see_other(f"/seller/shops/{shop_id}/products/{product_id}#images")


@post(IMAGE + "/{image_id:int}/remove", opt=EDIT, include_in_schema=False, status_code=303)
async def remove_image(
    request: Request[Any, Any, Any],
    shop_id: FromPath[int],
    product_id: FromPath[int],
    image_id: FromPath[int],
) -> Redirect:
    await own_shop(request, shop_id)
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
    return see_other(f"/seller/shops/{shop_id}/products/{product_id}#images")


@post(IMAGE + "/{image_id:int}/first", opt=EDIT, include_in_schema=False, status_code=303)
async def make_image_first(
    request: Request[Any, Any, Any],
    shop_id: FromPath[int],
    product_id: FromPath[int],
    image_id: FromPath[int],
) -> Redirect:
    await own_shop(request, shop_id)
    detail = await product_of(request, shop_id, product_id)
    ids = [i.id for i in detail.images]
    if image_id not in ids:
        raise NotFound("No such image.", code="image_not_found")
    galerie = galerie_of(request)
    await reorder_product_images(
        galerie.db,
        actor_user_id=current_principal(request).user_id,
        shop_id=shop_id,
        product_id=product_id,
        image_ids=[image_id, *(i for i in ids if i != image_id)],
        now=galerie.clock.now(),
    )
    return see_other(f"/seller/shops/{shop_id}/products/{product_id}#images")


@get(IMAGE + "/{image_id:int}/thumbnail", opt=EDIT, include_in_schema=False)
async def image_thumbnail(
    request: Request[Any, Any, Any],
    shop_id: FromPath[int],
    product_id: FromPath[int],
    image_id: FromPath[int],
) -> Response[bytes]:
    await own_shop(request, shop_id)
    detail = await product_of(request, shop_id, product_id)
    image = next((i for i in detail.images if i.id == image_id), None)
    if image is None or image.thumbnail_key is None:
        raise NotFound("No such image.", code="image_not_found")
    data = await galerie_of(request).storage.get(image.thumbnail_key)
    return Response(
        data,
        media_type="image/webp",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=300"},
    )
