"""The seller centre's extensions: from a preparing or live shop, apply to add top-level
categories or brands. The page shows what the shop already holds; the application it
creates then goes through the usual documents and review pages."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.catalog import localised_name, top_level_categories
from galerie.identity import Permission
from galerie.kernel import Conflict, ValidationFailed
from galerie.sellers import apply_for_extension
from galerie.sellers.organisation_queries import (
    organisation_brands,
    organisation_shop,
    shop_allowances,
)
from galerie.web.auth import galerie_of, requires
from galerie.web.forms import BoundForm, Form, read_choices
from galerie.web.i18n import language_of
from galerie.web.messages import field_of
from galerie.web.rendering import audit_context, current_principal, render, see_other
from galerie.web.seller.common import acting_org
from galerie.web.seller.labels import LABELS, seller_message
from galerie.web.seller.wizard import MAX_CHOICES, ids_of

MANAGE = requires(Permission.SELLER_CATALOG_MANAGE)
EXTENSION_FORM = Form(())


async def _page(
    request: Request[Any, Any, Any],
    shop_id: int,
    *,
    bound: BoundForm,
    chosen: tuple[tuple[int, ...], tuple[int, ...]] = ((), ()),
    status: int = 200,
) -> Template:
    language, org = language_of(request), acting_org(request)
    async with galerie_of(request).db.reading() as session:
        shop = (await organisation_shop(session, organisation_id=org, shop_id=shop_id)).shop
        held = await shop_allowances(session, shop_id=shop_id)
        tops = await top_level_categories(session)
        brands = await organisation_brands(session, organisation_id=org)
    names = {c.id: localised_name(c, language) for c in tops}
    return render(
        "seller/shop_extend.html",
        status=status,
        seller_labels=LABELS,
        shop=shop,
        form=bound,
        held=held,
        held_categories=[names.get(i, str(i)) for i in held.category_ids],
        categories=[(c.id, names[c.id]) for c in tops if c.id not in held.category_ids],
        brands=[b for b in brands if b.id not in {i for i, _ in held.brands}],
        chosen_categories=chosen[0],
        chosen_brands=chosen[1],
    )


@get("/seller/shops/{shop_id:int}/extend", opt=MANAGE, include_in_schema=False)
async def extension_page(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template:
    return await _page(request, shop_id, bound=EXTENSION_FORM.empty())


@post("/seller/shops/{shop_id:int}/extend", opt=MANAGE, include_in_schema=False, status_code=303)
async def apply_extension(
    request: Request[Any, Any, Any], shop_id: FromPath[int]
) -> Template | Redirect:
    bound = EXTENSION_FORM.empty()
    categories = ids_of(
        await read_choices(request, "category_ids", limit=MAX_CHOICES), bound, "category_ids"
    )
    brands = ids_of(await read_choices(request, "brand_ids", limit=MAX_CHOICES), bound, "brand_ids")
    # Another organisation's shop is a 404 before anything else is said.
    async with galerie_of(request).db.reading() as session:
        await organisation_shop(session, organisation_id=acting_org(request), shop_id=shop_id)
    status = 422
    if bound.valid:
        galerie = galerie_of(request)
        try:
            created = await apply_for_extension(
                galerie.db,
                actor=current_principal(request),
                shop_id=shop_id,
                category_ids=categories,
                brand_ids=brands,
                now=galerie.clock.now(),
                audit=audit_context(request),
            )
        except (ValidationFailed, Conflict) as error:
            status = 409 if isinstance(error, Conflict) else 422
            bound.add_error(field_of(error) or "form", seller_message(error))
        else:
            return see_other(f"/seller/applications/{created}/documents")
    return await _page(request, shop_id, bound=bound, chosen=(categories, brands), status=status)
