"""The seller centre's shipping templates: the shop's list, a new template, one template's
edit form, deletion. Members who see the seller centre read them; those who manage the
catalog (owners, managers, agencies) change them. Another organisation's shop, or another
shop's template, is NotFound (a friendly 404 page); bad input changes nothing."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.identity import Permission
from galerie.kernel import Conflict, DomainError, ValidationFailed
from galerie.shipping import (
    create_shipping_template,
    delete_shipping_template,
    shop_shipping_template,
    shop_shipping_templates,
    update_shipping_template,
)
from galerie.web.auth import galerie_of, requires
from galerie.web.forms import BoundForm
from galerie.web.messages import field_of
from galerie.web.rendering import current_principal, render, see_other
from galerie.web.seller.common import acting_org, money_text
from galerie.web.seller.inventory import own_shop
from galerie.web.seller.shipping_form import (
    CHARGE_LABELS,
    FIELD_OF_CODE,
    METHOD_LABELS,
    TEMPLATE_FORM,
    shipping_message,
    spec_of,
    values_of,
)

VIEW = requires(Permission.SELLER_CENTRE_VIEW)
EDIT = requires(Permission.SELLER_CATALOG_MANAGE)
LIST_PATH = "/seller/shops/{shop_id:int}/shipping"
TEMPLATE_PATH = LIST_PATH + "/{template_id:int}"


def may_edit(request: Request[Any, Any, Any]) -> bool:
    principal = current_principal(request)
    return principal.can(Permission.SELLER_CATALOG_MANAGE, organisation_id=acting_org(request))


def _refusal_into(bound: BoundForm, error: DomainError) -> int:
    field = field_of(error, FIELD_OF_CODE)
    if error.code == "template_name_taken":
        field = "name"
    bound.add_error(field or "form", shipping_message(error))
    return 409 if isinstance(error, Conflict) else 422


def _new_form(request: Request[Any, Any, Any]) -> BoundForm:
    currency = galerie_of(request).settings.default_currency
    bound = TEMPLATE_FORM.bind({"method": "express", "charge_by": "weight", "currency": currency})
    bound.errors.clear()
    return bound


@get(LIST_PATH, opt=VIEW, include_in_schema=False)
async def shipping_page(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template:
    shop = await own_shop(request, shop_id)
    async with galerie_of(request).db.reading() as session:
        templates = await shop_shipping_templates(session, shop_id=shop_id)
    thresholds = {
        t.id: money_text(request, t.spec.free_above.minor, t.spec.currency)
        for t in templates
        if t.spec.free_above is not None
    }
    return render(
        "seller/shipping_templates.html", shop=shop, templates=templates,
        thresholds=thresholds, method_labels=METHOD_LABELS, can_edit=may_edit(request),
    )  # fmt: skip


def _form_page(
    shop: Any, form: BoundForm, *, template_id: int | None = None, status: int = 200,
    can_edit: bool = True,
) -> Template:  # fmt: skip
    return render(
        "seller/shipping_template.html", status=status, shop=shop, form=form,
        template_id=template_id, method_labels=METHOD_LABELS, charge_labels=CHARGE_LABELS,
        can_edit=can_edit,
    )  # fmt: skip


@get(LIST_PATH + "/new", opt=EDIT, include_in_schema=False)
async def new_template(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template:
    return _form_page(await own_shop(request, shop_id), _new_form(request))


async def _read_bound(request: Request[Any, Any, Any]) -> BoundForm:
    data = await request.form()
    return TEMPLATE_FORM.bind({key: data.get(key) for key in data})


@post(LIST_PATH, opt=EDIT, include_in_schema=False, status_code=303)
async def create_template(
    request: Request[Any, Any, Any], shop_id: FromPath[int]
) -> Template | Redirect:
    shop = await own_shop(request, shop_id)
    bound = await _read_bound(request)
    status = 422
    if bound.valid:
        galerie = galerie_of(request)
        try:
            await create_shipping_template(
                galerie.db, shop_id=shop_id, spec=spec_of(bound), now=galerie.clock.now()
            )
        except (ValidationFailed, Conflict) as error:
            status = _refusal_into(bound, error)
        else:
            return see_other(f"/seller/shops/{shop_id}/shipping")
    return _form_page(shop, bound, status=status)


@get(TEMPLATE_PATH, opt=VIEW, include_in_schema=False)
async def template_page(
    request: Request[Any, Any, Any], shop_id: FromPath[int], template_id: FromPath[int]
) -> Template:
    shop = await own_shop(request, shop_id)
    async with galerie_of(request).db.reading() as session:
        found = await shop_shipping_template(session, shop_id=shop_id, template_id=template_id)
    form = TEMPLATE_FORM.bind(values_of(found.spec))
    return _form_page(shop, form, template_id=template_id, can_edit=may_edit(request))


@post(TEMPLATE_PATH, opt=EDIT, include_in_schema=False, status_code=303)
async def save_template(
    request: Request[Any, Any, Any], shop_id: FromPath[int], template_id: FromPath[int]
) -> Template | Redirect:
    shop = await own_shop(request, shop_id)
    galerie = galerie_of(request)
    async with galerie.db.reading() as session:  # another shop's template: 404 first
        await shop_shipping_template(session, shop_id=shop_id, template_id=template_id)
    bound = await _read_bound(request)
    status = 422
    if bound.valid:
        try:
            await update_shipping_template(
                galerie.db, shop_id=shop_id, template_id=template_id, spec=spec_of(bound),
                now=galerie.clock.now(),
            )  # fmt: skip
        except (ValidationFailed, Conflict) as error:
            status = _refusal_into(bound, error)
        else:
            return see_other(f"/seller/shops/{shop_id}/shipping")
    return _form_page(shop, bound, template_id=template_id, status=status)


@post(TEMPLATE_PATH + "/delete", opt=EDIT, include_in_schema=False, status_code=303)
async def delete_template(
    request: Request[Any, Any, Any], shop_id: FromPath[int], template_id: FromPath[int]
) -> Redirect:
    await own_shop(request, shop_id)
    await delete_shipping_template(galerie_of(request).db, shop_id=shop_id, template_id=template_id)
    return see_other(f"/seller/shops/{shop_id}/shipping")


SHIPPING_PAGES = [
    shipping_page,
    new_template,
    create_template,
    template_page,
    save_template,
    delete_template,
]
