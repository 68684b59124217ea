"""Categories in the console (CONSOLE_CATEGORIES): the top-level list, one category with
the attributes its products carry (its own and inherited), the attribute editor, and its
terms: commission rate (basis points) and whether listings need review. Audited. Pages are
rendered by category_pages.py; editing the tree itself is category_tree.py."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.exceptions import ClientException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from galerie.catalog import AttributeForm, define_category_attribute, set_category_terms
from galerie.identity import Permission
from galerie.kernel import ValidationFailed
from galerie.web.auth import galerie_of, requires
from galerie.web.console.category_pages import (
    ATTRIBUTE_FORM,
    TERMS_FORM,
    categories_page_template,
    category_page_template,
)
from galerie.web.forms import BoundForm, read_form
from galerie.web.rendering import audit_context, current_principal, see_other
from galerie.web.seller.products_labels import product_message

CATEGORIES = requires(Permission.CONSOLE_CATEGORIES)


@get("/console/categories", opt=CATEGORIES, include_in_schema=False)
async def categories_page(
    request: Request[Any, Any, Any], go: FromQuery[str] = ""
) -> Template | Redirect:
    if go:
        if not go.isdigit() or len(go) > 12:
            raise ClientException("not a category id")
        return see_other(f"/console/categories/{int(go)}")
    return await categories_page_template(request)


async def _category_page(
    request: Request[Any, Any, Any],
    category_id: int,
    *,
    attribute: BoundForm | None = None,
    terms: BoundForm | None = None,
    status: int = 200,
) -> Template:
    forms = {k: v for k, v in (("attribute", attribute), ("terms", terms)) if v is not None}
    return await category_page_template(request, category_id, status=status, **forms)


@get("/console/categories/{category_id:int}", opt=CATEGORIES, include_in_schema=False)
async def category_page(request: Request[Any, Any, Any], category_id: FromPath[int]) -> Template:
    return await _category_page(request, category_id)


def _attribute_of(form: BoundForm) -> AttributeForm:
    position = form["position"]
    return AttributeForm(
        code=form["code"],
        name_en=form["name_en"],
        value_type=form["value_type"],
        name_zh_cn=form["name_zh_cn"] or None,
        name_fr=form["name_fr"] or None,
        unit=form["unit"] or None,
        required=form["required"] == "yes",
        options=tuple(line.strip() for line in form["options"].splitlines() if line.strip()),
        position=int(position) if position.isdigit() else 0,
    )


@post(
    "/console/categories/{category_id:int}/attributes",
    opt=CATEGORIES,
    include_in_schema=False,
    status_code=303,
)
async def define_attribute(
    request: Request[Any, Any, Any], category_id: FromPath[int]
) -> Template | Redirect:
    form = await read_form(request, ATTRIBUTE_FORM)
    if form.valid:
        galerie = galerie_of(request)
        try:
            await define_category_attribute(
                galerie.db,
                actor=current_principal(request),
                category_id=category_id,
                form=_attribute_of(form),
                now=galerie.clock.now(),
                audit=audit_context(request),
            )
        except ValidationFailed as error:
            form.add_error(error.field or "form", product_message(error))
        else:
            return see_other(f"/console/categories/{category_id}")
    return await _category_page(request, category_id, attribute=form, status=422)


@post(
    "/console/categories/{category_id:int}/terms",
    opt=CATEGORIES,
    include_in_schema=False,
    status_code=303,
)
async def change_terms(
    request: Request[Any, Any, Any], category_id: FromPath[int]
) -> Template | Redirect:
    form = await read_form(request, TERMS_FORM)
    rate = form["commission_rate_bp"]
    if rate and not rate.isdigit():
        form.add_error(
            "commission_rate_bp", product_message(ValidationFailed("", code="bad_commission"))
        )
    if form.valid:
        galerie = galerie_of(request)
        try:
            await set_category_terms(
                galerie.db,
                actor=current_principal(request),
                category_id=category_id,
                commission_rate_bp=int(rate) if rate else None,
                listing_review={"yes": True, "no": False}.get(form["listing_review"]),
                now=galerie.clock.now(),
                audit=audit_context(request),
            )
        except ValidationFailed as error:
            form.add_error("commission_rate_bp", product_message(error))
        else:
            return see_other(f"/console/categories/{category_id}")
    return await _category_page(request, category_id, terms=form, status=422)
