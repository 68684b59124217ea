"""The shop's logo and banner uploads (multipart); a refused file is reported on the shop
page and nothing is stored."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.catalog import MAX_IMAGE_BYTES
from galerie.identity import Permission
from galerie.kernel import Conflict, NotFound, ValidationFailed
from galerie.sellers import PICTURE_KINDS, set_shop_picture
from galerie.web.auth import galerie_of, requires
from galerie.web.i18n import N_
from galerie.web.rendering import audit_context, current_principal
from galerie.web.seller.labels import seller_message
from galerie.web.seller.shops import shop_page_with_error

PICTURE_MESSAGES = {
    "empty_file": N_("Choose a picture to upload."),
    "file_too_large": N_("The picture is larger than 10 MB."),
    "unsupported_image": N_("The picture must be a PNG or JPEG image."),
    "image_too_large": N_("The picture has too many pixels."),
    "image_too_small": N_("The picture is too small."),
    "image_damaged": N_("The picture is damaged or truncated."),
}


@post(
    "/seller/shops/{shop_id:int}/pictures/{kind:str}",
    opt=requires(Permission.SELLER_CATALOG_MANAGE),
    include_in_schema=False,
    status_code=303,
    request_max_body_size=MAX_IMAGE_BYTES + 64 * 1024,
)
async def upload_shop_picture(
    request: Request[Any, Any, Any], shop_id: FromPath[int], kind: FromPath[str]
) -> Template | Redirect:
    if kind not in PICTURE_KINDS:
        raise NotFound("No such picture.", code="not_found")
    upload = (await request.form()).get("file")
    galerie = galerie_of(request)
    try:
        if not isinstance(upload, UploadFile):
            raise ValidationFailed("Choose a file.", code="empty_file", field="file")
        await set_shop_picture(
            galerie.db,
            galerie.storage,
            actor=current_principal(request),
            shop_id=shop_id,
            kind=kind,
            data=await upload.read(),
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    except (ValidationFailed, Conflict) as error:
        status = 409 if isinstance(error, Conflict) else 422
        return await shop_page_with_error(
            request,
            shop_id,
            PICTURE_MESSAGES.get(error.code) or seller_message(error),
            status=status,
        )
    return Redirect(f"/seller/shops/{shop_id}", status_code=303)
