"""The seller centre's shops: the list with status and deposit, one shop with its history,
its decoration (name, address, descriptions in three languages, navigation) with a live
preview, and publishing (refused with the reason while the deposit is unpaid)."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.identity import Permission
from galerie.kernel import Conflict, ValidationFailed
from galerie.sellers import Decoration, ShopAction, ShopView, change_shop_status, decorate_shop
from galerie.sellers.organisation_queries import ShopPage, organisation_shop, organisation_shops
from galerie.web.auth import galerie_of, requires
from galerie.web.forms import BoundForm, Field, Form, read_form
from galerie.web.messages import field_of
from galerie.web.rendering import audit_context, current_principal, render, see_other
from galerie.web.seller.common import acting_org, may_manage, money_text
from galerie.web.seller.labels import LABELS, seller_message

VIEW = requires(Permission.SELLER_CENTRE_VIEW)
MANAGE = requires(Permission.SELLER_CATALOG_MANAGE)
# Form field -> language of the description.
DESCRIPTIONS: Final = {"description_zh": "zh-CN", "description_en": "en", "description_fr": "fr"}
DECORATION_FORM = Form(
    (
        Field("name", max_length=120),
        Field("slug", max_length=60),
        *(Field(name, max_length=5000, required=False, strip=False) for name in DESCRIPTIONS),
        Field("navigation", max_length=20 * 62, required=False),
    )
)


def decoration_values(shop: ShopView) -> dict[str, str]:
    values = {"name": shop.name, "slug": shop.slug, "navigation": "\n".join(shop.navigation)}
    for name, language in DESCRIPTIONS.items():
        values[name] = shop.descriptions.get(language, "")
    return values


def decoration_of(bound: BoundForm, shop: ShopView) -> Decoration:
    lines = (line.strip() for line in bound["navigation"].splitlines())
    return Decoration(
        name=bound["name"],
        slug=bound["slug"],
        descriptions={lang: bound[name] for name, lang in DESCRIPTIONS.items()},
        navigation=tuple(line for line in lines if line),
        logo_key=shop.logo_key,
        banner_key=shop.banner_key,
    )


@get("/seller/shops", opt=VIEW, include_in_schema=False)
async def shops_list(request: Request[Any, Any, Any]) -> Template:
    async with galerie_of(request).db.reading() as session:
        shops = await organisation_shops(session, organisation_id=acting_org(request))
    deposits = {
        s.id: money_text(request, s.deposit_required_minor, s.deposit_currency) for s in shops
    }
    return render("seller/shops.html", seller_labels=LABELS, shops=shops, deposits=deposits)


async def _own_shop(request: Request[Any, Any, Any], shop_id: int) -> ShopPage:
    async with galerie_of(request).db.reading() as session:
        return await organisation_shop(
            session, organisation_id=acting_org(request), shop_id=shop_id
        )


async def _shop_page(
    request: Request[Any, Any, Any],
    shop_id: int,
    *,
    form: BoundForm | None = None,
    error: str | None = None,
    status: int = 200,
) -> Template:
    page = await _own_shop(request, shop_id)
    shop = page.shop
    bound = form or DECORATION_FORM.bind(decoration_values(shop))
    return render(
        "seller/shop.html",
        status=status,
        seller_labels=LABELS,
        shop=shop,
        history=page.history,
        deposit=money_text(request, shop.deposit_required_minor, shop.deposit_currency),
        form=bound,
        preview=_preview_context(bound),
        can_manage=may_manage(request),
        error=error,
    )


async def shop_page_with_error(
    request: Request[Any, Any, Any], shop_id: int, error: str, *, status: int
) -> Template:
    """The shop page with a message at its top (a refused upload, say)."""
    return await _shop_page(request, shop_id, error=error, status=status)


def _preview_context(bound: BoundForm) -> dict[str, Any]:
    lines = (line.strip() for line in bound["navigation"].splitlines())
    return {
        "name": bound["name"],
        "slug": bound["slug"],
        "descriptions": [(lang, bound[name].strip()) for name, lang in DESCRIPTIONS.items()],
        "navigation": [line for line in lines if line][:20],
    }


@get("/seller/shops/{shop_id:int}", opt=VIEW, include_in_schema=False)
async def shop_page(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template:
    return await _shop_page(request, shop_id)


@post(
    "/seller/shops/{shop_id:int}/decoration", opt=MANAGE, include_in_schema=False, status_code=303
)
async def decorate(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template | Redirect:
    shop = (await _own_shop(request, shop_id)).shop
    bound = await read_form(request, DECORATION_FORM)
    status = 422
    if bound.valid:
        galerie = galerie_of(request)
        try:
            await decorate_shop(
                galerie.db,
                actor=current_principal(request),
                shop_id=shop_id,
                decoration=decoration_of(bound, shop),
                now=galerie.clock.now(),
                audit=audit_context(request),
            )
        except (ValidationFailed, Conflict) as error:
            status = 409 if isinstance(error, Conflict) else 422
            field = "slug" if error.code == "slug_taken" else field_of(error)
            bound.add_error(field or "form", seller_message(error))
        else:
            return see_other(f"/seller/shops/{shop_id}")
    return await _shop_page(request, shop_id, form=bound, status=status)


@post("/seller/shops/{shop_id:int}/preview", opt=MANAGE, include_in_schema=False)
async def preview(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template:
    """The preview panel for the values being typed (HTMX); nothing is saved."""
    await _own_shop(request, shop_id)
    bound = await read_form(request, DECORATION_FORM)
    return render("seller/_shop_preview.html", preview=_preview_context(bound))


@post("/seller/shops/{shop_id:int}/publish", opt=MANAGE, include_in_schema=False, status_code=303)
async def publish(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template | Redirect:
    await _own_shop(request, shop_id)
    galerie = galerie_of(request)
    try:
        await change_shop_status(
            galerie.db,
            actor=current_principal(request),
            shop_id=shop_id,
            action=ShopAction.PUBLISH,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    except (Conflict, ValidationFailed) as error:
        return await _shop_page(request, shop_id, error=seller_message(error), status=409)
    return see_other(f"/seller/shops/{shop_id}")
