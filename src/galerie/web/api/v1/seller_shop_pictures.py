"""The seller API's shop pictures: upload the logo or the banner (PNG or JPEG, checked by
content) as multipart/form-data."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, Request, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from galerie.catalog import MAX_IMAGE_BYTES
from galerie.identity import Permission
from galerie.sellers import set_shop_picture
from galerie.web.api.v1.seller_catalog_wire import ImageUpload
from galerie.web.api.v1.support import read_shop
from galerie.web.api.v1.wire import ShopOut, shop_out
from galerie.web.auth import galerie_of, requires
from galerie.web.rendering import audit_context, current_principal

MultipartPicture = Annotated[ImageUpload, Body(media_type=RequestEncodingType.MULTI_PART)]
PictureKind = Literal["logo", "banner"]


class SellerShopPicturesController(Controller):
    path = "/organisations/{organisation_id:int}/shops"
    tags = ["seller: shops"]  # noqa: RUF012 - Litestar's API

    @post(
        "/{slug:str}/pictures/{kind:str}",
        opt=requires(Permission.SELLER_CATALOG_MANAGE),
        status_code=200,
        summary="Upload the shop's logo or banner (PNG or JPEG, checked by content)",
        request_max_body_size=MAX_IMAGE_BYTES + 64 * 1024,
    )
    async def upload_picture(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        slug: FromPath[str],
        kind: FromPath[PictureKind],
        data: MultipartPicture,
    ) -> ShopOut:
        shop = await read_shop(request, slug, organisation_id)
        galerie = galerie_of(request)
        await set_shop_picture(
            galerie.db,
            galerie.storage,
            actor=current_principal(request),
            shop_id=shop.id,
            kind=kind,
            data=await data.file.read(),
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return shop_out(await read_shop(request, slug, organisation_id))
