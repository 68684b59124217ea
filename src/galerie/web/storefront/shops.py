"""The shops of the storefront: the directory, each shop's page with its branding, following
and unfollowing, and the shops a person follows.

A shop that is not live is shown only to its own members and to operators (the discreet
launch, galerie.sellers.shop_by_slug); anyone else gets the same 404 as for an address that
never existed, so the storefront never hints that a hidden shop exists."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from galerie.catalog import live_shop_products, localised_name, top_level_categories
from galerie.kernel import NotFound, PageRequest, ValidationFailed
from galerie.sellers import (
    ShopType,
    ShopView,
    follow_shop,
    followed_shops,
    follower_count,
    is_following,
    shop_by_slug,
    shop_directory,
    unfollow_shop,
)
from galerie.storage import sniff_content_type
from galerie.web.auth import galerie_of, principal_of, public, signed_in
from galerie.web.i18n import N_, language_of
from galerie.web.rendering import current_principal, render, see_other
from galerie.web.storefront.catalog_support import cards_context, page_number, sort_of

PAGE_SIZE: Final = 24
MAX_PAGE: Final = 10_000
FALLBACK_LANGUAGES: Final = ("en", "zh-CN", "fr")
IMAGE_TYPES: Final = frozenset({"image/png", "image/jpeg"})
SHOP_TYPE_LABELS: Final = {
    ShopType.FLAGSHIP.value: N_("Official flagship store"),
    ShopType.AUTHORISED.value: N_("Authorised reseller"),
    ShopType.MULTI_BRAND.value: N_("Multi-brand boutique"),
    ShopType.INDIVIDUAL.value: N_("Independent seller"),
}


def _not_found() -> NotFound:
    """The one answer for a shop that does not exist or that the caller may not see."""
    return NotFound("Page not found.", code="not_found")


def description_in(shop: ShopView, language: str) -> str:
    """The shop's description in `language`, else in the first language it has."""
    for lang in (language, *FALLBACK_LANGUAGES):
        if shop.descriptions.get(lang):
            return shop.descriptions[lang]
    return next(iter(shop.descriptions.values()), "")


def _shop_type(value: str | None) -> ShopType | None:
    if not value:
        return None
    try:
        return ShopType(value)
    except ValueError:
        raise ValidationFailed("Unknown shop type.", field="type", code="bad_filter") from None


def _number(value: str | None, *, field: str, default: int | None) -> int | None:
    if not value:
        return default
    if not value.isdigit() or not 0 < int(value) <= (MAX_PAGE if field == "page" else 10**12):
        raise ValidationFailed("Not a valid number.", field=field, code="bad_filter")
    return int(value)


@get("/shops", opt=public(), include_in_schema=False, name="shops")
async def shops_page(request: Request[Any, Any, Any]) -> Template:
    """Live shops, filterable by shop type and top-level category, one page at a time."""
    query = request.query_params
    shop_type = _shop_type(query.get("type"))
    category = _number(query.get("category"), field="category", default=None)
    number = _number(query.get("page"), field="page", default=1) or 1
    language = language_of(request)
    async with galerie_of(request).db.reading() as session:
        categories = await top_level_categories(session)
        found = await shop_directory(
            session,
            shop_type=shop_type,
            top_level_id=category,
            page=PageRequest(number=number, size=PAGE_SIZE),
        )
    if category is not None and all(c.id != category for c in categories):
        raise ValidationFailed("Unknown category.", field="category", code="bad_filter")
    return render(
        "storefront/shops.html",
        shops=found,
        descriptions={s.id: description_in(s, language) for s in found.items},
        categories=[(c.id, localised_name(c, language)) for c in categories],
        chosen_type=shop_type.value if shop_type else "",
        chosen_category=category,
        type_labels=SHOP_TYPE_LABELS,
    )


async def _visible_shop(request: Request[Any, Any, Any], slug: str) -> ShopView:
    async with galerie_of(request).db.reading() as session:
        shop = await shop_by_slug(session, slug=slug, viewer=principal_of(request))
    if shop is None:
        raise _not_found()
    return shop


async def _follow_state(request: Request[Any, Any, Any], shop: ShopView) -> dict[str, Any]:
    principal = principal_of(request)
    async with galerie_of(request).db.reading() as session:
        count = await follower_count(session, shop.id)
        following = principal is not None and await is_following(
            session, user_id=principal.user_id, shop_id=shop.id
        )
    return {"shop": shop, "followers": count, "following": following}


@get("/shops/{slug:str}", opt=public(), include_in_schema=False, name="shop")
async def shop_page(request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
    sort, number = (
        sort_of(request.query_params.get("sort")),
        page_number(request.query_params.get("page")),
    )
    shop = await _visible_shop(request, slug)
    products = await live_shop_products(
        galerie_of(request).db, shop_id=shop.id, language=language_of(request), sort=sort,
        number=number,
    )  # fmt: skip
    return render(
        "storefront/shop.html",
        description=description_in(shop, language_of(request)),
        type_labels=SHOP_TYPE_LABELS,
        sort=sort.value,
        base=f"/shops/{shop.slug}",
        **cards_context(request, products),
        **await _follow_state(request, shop),
    )


async def _after_follow(request: Request[Any, Any, Any], shop: ShopView) -> Template | Redirect:
    if request.headers.get("hx-request") == "true":
        return render("storefront/shop_follow.html", **await _follow_state(request, shop))
    return see_other(f"/shops/{shop.slug}")


@post("/shops/{slug:str}/follow", opt=signed_in(), include_in_schema=False)
async def follow(request: Request[Any, Any, Any], slug: FromPath[str]) -> Template | Redirect:
    shop = await _visible_shop(request, slug)
    galerie = galerie_of(request)
    try:
        await follow_shop(
            galerie.db,
            user_id=current_principal(request).user_id,
            shop_id=shop.id,
            now=galerie.clock.now(),
        )
    except NotFound:
        raise _not_found() from None
    return await _after_follow(request, shop)


@post("/shops/{slug:str}/unfollow", opt=signed_in(), include_in_schema=False)
async def unfollow(request: Request[Any, Any, Any], slug: FromPath[str]) -> Template | Redirect:
    shop = await _visible_shop(request, slug)
    galerie = galerie_of(request)
    await unfollow_shop(
        galerie.db,
        user_id=current_principal(request).user_id,
        shop_id=shop.id,
        now=galerie.clock.now(),
    )
    return await _after_follow(request, shop)


@get("/shops/{slug:str}/images/{kind:str}", opt=public(), include_in_schema=False)
async def shop_image(
    request: Request[Any, Any, Any], slug: FromPath[str], kind: FromPath[str]
) -> Response[bytes]:
    """The shop's logo or banner (PNG or JPEG only, checked by content), to whoever may
    see the shop."""
    shop = await _visible_shop(request, slug)
    key = {"logo": shop.logo_key, "banner": shop.banner_key}.get(kind)
    if key is None:
        raise _not_found()
    try:
        data = await galerie_of(request).storage.get(key)
    except NotFound:
        raise _not_found() from None
    content_type = sniff_content_type(data)
    if content_type not in IMAGE_TYPES:
        raise _not_found()
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=300"}
    return Response(data, media_type=content_type, headers=headers)


@get("/account/following", opt=signed_in(), include_in_schema=False)
async def following_page(request: Request[Any, Any, Any]) -> Template:
    principal = current_principal(request)
    language = language_of(request)
    async with galerie_of(request).db.reading() as session:
        shops = await followed_shops(session, user_id=principal.user_id)
    return render(
        "storefront/shops_following.html",
        shops=shops,
        descriptions={s.id: description_in(s, language) for s in shops},
        type_labels=SHOP_TYPE_LABELS,
    )
