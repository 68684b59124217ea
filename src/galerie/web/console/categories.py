"""Categories in the console (CONSOLE_CATEGORIES): the top-level list, one category with
the attributes its products carry (its own and inherited), the attribute editor, and its
terms: commission rate (basis points) and whether listings need review. Audited."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, get, post
from litestar.exceptions import ClientException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from galerie.catalog import (
    VALUE_TYPES,
    AttributeForm,
    category_attributes,
    define_category_attribute,
    get_category,
    review_required,
    set_category_terms,
    top_level_categories,
)
from galerie.identity import Permission
from galerie.kernel import NotFound, ValidationFailed
from galerie.web.auth import galerie_of, requires
from galerie.web.forms import BoundForm, Field, Form, read_form
from galerie.web.rendering import audit_context, current_principal, render, see_other
from galerie.web.seller.products_labels import PRODUCT_LABELS, product_message

CATEGORIES = requires(Permission.CONSOLE_CATEGORIES)
REVIEW_CHOICES: Final = ("inherit", "yes", "no")
ATTRIBUTE_FORM: Final = Form(
    (
        Field("code", max_length=30),
        Field("name_en", max_length=100),
        Field("name_zh_cn", max_length=100, required=False),
        Field("name_fr", max_length=100, required=False),
        Field("value_type", max_length=10, choices=VALUE_TYPES),
        Field("unit", max_length=10, required=False),
        Field("required", max_length=3, required=False),
        Field("options", max_length=5000, required=False),
        Field("position", max_length=4, required=False),
    )
)
TERMS_FORM: Final = Form(
    (
        Field("commission_rate_bp", max_length=5, required=False),
        Field("listing_review", max_length=7, choices=REVIEW_CHOICES),
    )
)


@get("/console/categories", opt=CATEGORIES, include_in_schema=False)
async def categories_page(
    request: Request[Any, Any, Any], go: FromQuery[str] = ""
) -> Template | Redirect:
    if go:
        if not go.isdigit() or len(go) > 12:
            raise ClientException("not a category id")
        return see_other(f"/console/categories/{int(go)}")
    async with galerie_of(request).db.reading() as session:
        roots = await top_level_categories(session)
    return render("console/categories.html", roots=roots)


async def _category_page(
    request: Request[Any, Any, Any],
    category_id: int,
    *,
    attribute: BoundForm | None = None,
    terms: BoundForm | None = None,
    status: int = 200,
) -> Template:
    async with galerie_of(request).db.reading() as session:
        category = await get_category(session, category_id)
        if category is None:
            raise NotFound("No such category.", code="category_not_found")
        attributes = await category_attributes(session, category_id)
        reviewed = await review_required(session, category_id)
    return render(
        "console/category.html",
        status=status,
        category=category,
        attributes=attributes,
        reviewed=reviewed,
        attribute_form=attribute or ATTRIBUTE_FORM.bind({"value_type": "text", "position": "0"}),
        terms_form=terms or TERMS_FORM.bind({"listing_review": "inherit"}),
        labels=PRODUCT_LABELS,
        value_types=VALUE_TYPES,
    )


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
