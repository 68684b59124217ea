"""The seller centre's products: the shop's list (status, category and title/SKU filters,
pages), the create and edit form (texts per language, category, brand, attributes, option
axes and variants, return exclusion), submit and withdraw, status and history.
SELLER_CATALOG_EDIT within the acting organisation; another organisation's shop or product
is 404."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, get, post
from litestar.exceptions import ClientException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from galerie.catalog import (
    LANGUAGES,
    RETURN_EXCLUSIONS,
    InvalidProduct,
    ListingStatus,
    ProductDetail,
    ProductFilter,
    category_attributes,
    product_detail,
    save_product,
    shop_brand_choices,
    shop_category_choices,
    shop_facts,
    shop_products,
    submit_listing,
    withdraw_listing,
)
from galerie.identity import Permission
from galerie.kernel import CURRENCY_EXPONENTS, Conflict, NotFound, PageRequest, ValidationFailed
from galerie.web.auth import galerie_of, requires
from galerie.web.rendering import current_principal, render, see_other
from galerie.web.seller.common import acting_org, money_text
from galerie.web.seller.products_form import (
    ProductForm,
    add_problems,
    bind,
    draft_of,
    values_of,
)
from galerie.web.seller.products_labels import PRODUCT_LABELS, product_message

EDIT = requires(Permission.SELLER_CATALOG_EDIT)
PAGE_SIZE: Final = 20
MAX_PAGE: Final = 10_000
BASE: Final = "/seller/shops/{shop_id:int}/products"


async def own_shop(request: Request[Any, Any, Any], shop_id: int) -> int:
    async with galerie_of(request).db.reading() as session:
        facts = await shop_facts(session, shop_id)
    if facts is None or facts.organisation_id != acting_org(request):
        raise NotFound("No such shop.", code="shop_not_found")
    return shop_id


@get(BASE, opt=EDIT, include_in_schema=False)
async def products_list(
    request: Request[Any, Any, Any],
    shop_id: FromPath[int],
    status: FromQuery[str] = "",
    q: FromQuery[str] = "",
    page: FromQuery[int] = 1,
) -> Template:
    await own_shop(request, shop_id)
    if (status and status not in ListingStatus._value2member_map_) or not 1 <= page <= MAX_PAGE:
        raise ClientException("bad filter")
    async with galerie_of(request).db.reading() as session:
        found = await shop_products(
            session,
            shop_id=shop_id,
            filters=ProductFilter(status or None, None, q[:100] or None),
            page=PageRequest(page, PAGE_SIZE),
            language=current_principal(request).language,
        )
    prices = {
        p.id: money_text(request, p.price_from.minor, p.price_from.currency) for p in found.items
    }
    return render(
        "seller/products.html",
        shop_id=shop_id,
        products=found,
        prices=prices,
        chosen=status,
        q=q[:100],
        statuses=list(ListingStatus),
        labels=PRODUCT_LABELS,
    )


async def form_page(
    request: Request[Any, Any, Any],
    shop_id: int,
    form: ProductForm,
    *,
    detail: ProductDetail | None = None,
    status: int = 200,
    error: str | None = None,
) -> Template:
    category = form["category_id"]
    async with galerie_of(request).db.reading() as session:
        categories = await shop_category_choices(session, shop_id)
        brands = await shop_brand_choices(session, shop_id)
        attributes = await category_attributes(session, int(category)) if category.isdigit() else []
    return render(
        "seller/product.html",
        status=status,
        shop_id=shop_id,
        form=form,
        detail=detail,
        categories=categories,
        brands=brands,
        attributes=attributes,
        languages=LANGUAGES,
        exclusions=RETURN_EXCLUSIONS,
        currencies=sorted(CURRENCY_EXPONENTS),
        labels=PRODUCT_LABELS,
        error=error,
    )


@get(BASE + "/new", opt=EDIT, include_in_schema=False)
async def new_product(
    request: Request[Any, Any, Any], shop_id: FromPath[int], category_id: FromQuery[str] = ""
) -> Template:
    await own_shop(request, shop_id)
    language = current_principal(request).language
    form = ProductForm(
        {"category_id": category_id[:20], "default_language": language, "currency": "CNY"}
    )
    return await form_page(request, shop_id, form)


async def product_of(
    request: Request[Any, Any, Any], shop_id: int, product_id: int
) -> ProductDetail:
    async with galerie_of(request).db.reading() as session:
        return await product_detail(session, shop_id=shop_id, product_id=product_id)


async def _save(
    request: Request[Any, Any, Any], shop_id: int, product_id: int | None
) -> Template | Redirect:
    data = await request.form()
    detail = None if product_id is None else await product_of(request, shop_id, product_id)
    category = data.get("category_id")
    codes: list[str] = []
    if isinstance(category, str) and category.strip().isdigit():
        async with galerie_of(request).db.reading() as session:
            codes = [a.code for a in await category_attributes(session, int(category))]
    form = bind({key: data.get(key) for key in data}, codes)
    if detail is not None:
        form.values["seller_ref"] = detail.draft.seller_ref  # the code never changes
    draft = draft_of(form, codes)
    if draft is None:
        return await form_page(request, shop_id, form, detail=detail, status=422)
    galerie = galerie_of(request)
    try:
        saved = await save_product(
            galerie.db,
            actor_user_id=current_principal(request).user_id,
            shop_id=shop_id,
            draft=draft,
            now=galerie.clock.now(),
            submit=data.get("intent") == "submit",
        )
    except InvalidProduct as refused:
        add_problems(form, refused.problems)
        return await form_page(request, shop_id, form, detail=detail, status=422)
    except Conflict as error:
        message = product_message(error)
        return await form_page(request, shop_id, form, detail=detail, status=409, error=message)
    return see_other(f"/seller/shops/{shop_id}/products/{saved.product_id}?saved={saved.outcome}")


@post(BASE, opt=EDIT, include_in_schema=False, status_code=303)
async def create_product(
    request: Request[Any, Any, Any], shop_id: FromPath[int]
) -> Template | Redirect:
    await own_shop(request, shop_id)
    return await _save(request, shop_id, None)


@get(BASE + "/{product_id:int}", opt=EDIT, include_in_schema=False)
async def product_page(
    request: Request[Any, Any, Any],
    shop_id: FromPath[int],
    product_id: FromPath[int],
    saved: FromQuery[str] = "",
) -> Template:
    await own_shop(request, shop_id)
    detail = await product_of(request, shop_id, product_id)
    notice = {"created": "created", "updated": "updated", "unchanged": "unchanged"}.get(saved)
    page = await form_page(request, shop_id, values_of(detail.draft), detail=detail)
    page.context["notice"] = notice
    return page


@post(BASE + "/{product_id:int}", opt=EDIT, include_in_schema=False, status_code=303)
async def update_product(
    request: Request[Any, Any, Any], shop_id: FromPath[int], product_id: FromPath[int]
) -> Template | Redirect:
    await own_shop(request, shop_id)
    return await _save(request, shop_id, product_id)


async def _listing_action(
    request: Request[Any, Any, Any], shop_id: int, product_id: int, submit: bool
) -> Template | Redirect:
    await own_shop(request, shop_id)
    galerie = galerie_of(request)
    action = submit_listing if submit else withdraw_listing
    try:
        await action(
            galerie.db,
            actor_user_id=current_principal(request).user_id,
            shop_id=shop_id,
            product_id=product_id,
            now=galerie.clock.now(),
        )
    except (Conflict, ValidationFailed) as error:
        detail = await product_of(request, shop_id, product_id)
        return await form_page(
            request,
            shop_id,
            values_of(detail.draft),
            detail=detail,
            status=409,
            error=product_message(error),
        )
    return see_other(f"/seller/shops/{shop_id}/products/{product_id}")


@post(BASE + "/{product_id:int}/submit", opt=EDIT, include_in_schema=False, status_code=303)
async def submit_product(
    request: Request[Any, Any, Any], shop_id: FromPath[int], product_id: FromPath[int]
) -> Template | Redirect:
    return await _listing_action(request, shop_id, product_id, True)


@post(BASE + "/{product_id:int}/withdraw", opt=EDIT, include_in_schema=False, status_code=303)
async def withdraw_product(
    request: Request[Any, Any, Any], shop_id: FromPath[int], product_id: FromPath[int]
) -> Template | Redirect:
    return await _listing_action(request, shop_id, product_id, False)
