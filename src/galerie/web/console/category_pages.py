"""The console's category pages as rendered: the list of top-level categories (active or
not) with the form to add one, and one category with its place in the tree (parent,
children), its attributes and terms, and the forms that edit it. The handlers in
categories.py and category_tree.py render through here, with a refused form bound."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request
from litestar.response import Template

from galerie.catalog import (
    VALUE_TYPES,
    CategoryView,
    category_attributes,
    category_children,
    get_category,
    review_required,
)
from galerie.kernel import NotFound
from galerie.web.auth import galerie_of
from galerie.web.forms import BoundForm, Field, Form
from galerie.web.rendering import render
from galerie.web.seller.products_labels import PRODUCT_LABELS

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
MAX_ID_DIGITS: Final = 12
NAMES_FORM: Final = Form(
    (
        Field("name_en", max_length=200),
        Field("name_zh_cn", max_length=200, required=False),
        Field("name_fr", max_length=200, required=False),
    )
)
MOVE_FORM: Final = Form((Field("parent_id", max_length=MAX_ID_DIGITS, required=False),))
ACTIVE_FORM: Final = Form((Field("active", max_length=3, choices=("yes", "no")),))


def names_form_for(category: CategoryView) -> BoundForm:
    return NAMES_FORM.bind(
        {
            "name_en": category.names["en"],
            "name_zh_cn": category.names.get("zh-CN", ""),
            "name_fr": category.names.get("fr", ""),
        }
    )


async def categories_page_template(
    request: Request[Any, Any, Any], *, add_form: BoundForm | None = None, status: int = 200
) -> Template:
    async with galerie_of(request).db.reading() as session:
        roots = await category_children(session, None)
    return render(
        "console/categories.html",
        status=status,
        roots=roots,
        add_form=add_form or NAMES_FORM.empty(),
    )


async def category_page_template(
    request: Request[Any, Any, Any],
    category_id: int,
    *,
    status: int = 200,
    **forms: BoundForm,
) -> Template:
    async with galerie_of(request).db.reading() as session:
        category = await get_category(session, category_id)
        if category is None:
            raise NotFound("No such category.", code="category_not_found")
        attributes = await category_attributes(session, category_id)
        reviewed = await review_required(session, category_id)
        children = await category_children(session, category_id)
        parent = await get_category(session, category.parent_id) if category.parent_id else None
    return render(
        "console/category.html",
        status=status,
        category=category,
        parent=parent,
        children=children,
        attributes=attributes,
        reviewed=reviewed,
        attribute_form=forms.get("attribute")
        or ATTRIBUTE_FORM.bind({"value_type": "text", "position": "0"}),
        terms_form=forms.get("terms") or TERMS_FORM.bind({"listing_review": "inherit"}),
        child_form=forms.get("child_form") or NAMES_FORM.empty(),
        rename_form=forms.get("rename_form") or names_form_for(category),
        move_form=forms.get("move_form")
        or MOVE_FORM.bind({"parent_id": str(category.parent_id or "")}),
        labels=PRODUCT_LABELS,
        value_types=VALUE_TYPES,
    )
