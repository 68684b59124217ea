"""The public shop directory: live shops only. A preparing, suspended or closed shop is 404
for everyone but its own staff and operators (the discreet launch)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery, Parameter

from galerie.kernel import NotFound, PageRequest
from galerie.sellers import ShopType, shop_by_slug, shop_directory
from galerie.web.api.v1.wire import PublicShopOut, ShopPage, public_shop_out, shop_page
from galerie.web.auth import galerie_of, principal_of, public


class ShopDirectoryController(Controller):
    path = "/shops"
    tags = ["shops"]  # noqa: RUF012 - Litestar's API

    @get("", opt=public(), summary="The directory of live shops, by name")
    async def directory(
        self,
        request: Request[Any, Any, Any],
        shop_type: FromQuery[ShopType | None] = None,
        category_id: Annotated[
            int | None, Parameter(ge=1, description="A top-level category")
        ] = None,
        page: Annotated[int, Parameter(ge=1, le=100_000)] = 1,
        size: Annotated[int, Parameter(ge=1, le=100)] = 24,
    ) -> ShopPage:
        galerie = galerie_of(request)
        async with galerie.db.reading() as session:
            found = await shop_directory(
                session,
                shop_type=shop_type,
                top_level_id=category_id,
                page=PageRequest(page, size),
            )
        return shop_page(found)

    @get("/{slug:str}", opt=public(), summary="A live shop (or one's own, in any state)")
    async def read(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> PublicShopOut:
        galerie = galerie_of(request)
        async with galerie.db.reading() as session:
            shop = await shop_by_slug(session, slug=slug, viewer=principal_of(request))
        if shop is None:
            raise NotFound("No such shop.", code="shop_not_found")
        return public_shop_out(shop)
