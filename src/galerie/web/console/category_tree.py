"""Editing the category tree in the console (CONSOLE_CATEGORIES, audited by the services):
add a top-level category or a subcategory, rename, move (to a parent id, or to the top
level), deactivate and reactivate. Plain forms with CSRF; a refused form comes back with
its error (422)."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.catalog import (
    CategoryNames,
    add_category,
    move_category,
    rename_category,
    set_category_active,
)
from galerie.identity import Permission
from galerie.kernel import DomainError
from galerie.web.auth import galerie_of, requires
from galerie.web.console.category_pages import (
    ACTIVE_FORM,
    MOVE_FORM,
    NAMES_FORM,
    categories_page_template,
    category_page_template,
)
from galerie.web.forms import BoundForm, read_form
from galerie.web.i18n import N_
from galerie.web.messages import GENERIC
from galerie.web.rendering import audit_context, current_principal, see_other

CATEGORIES = requires(Permission.CONSOLE_CATEGORIES)
TREE_MESSAGES: Final[dict[str, str]] = {
    "category_not_found": N_("There is no category with this id."),
    "unknown_parent": N_("There is no category with this id."),
    "category_cycle": N_("A category cannot move under itself or under one of its subcategories."),
    "category_name_taken": N_("A category with this name is already there."),
    "top_level_in_use": N_(
        "Shops are approved for this top-level category: it cannot move under another."
    ),
    "name_required": N_("Give the category a name."),
    "name_too_long": N_("A name has at most 200 characters."),
    "name_invalid": N_("A name may not contain '>' or control characters."),
    "path_too_long": N_("The full path would be too long."),
    "category_conflict": N_("Categories were added at the same time. Try again."),
    "bad_parent_id": N_("Enter the id of a category, or leave it empty."),
}


def tree_message(error: DomainError) -> str:
    return TREE_MESSAGES.get(error.code, GENERIC)


def _names(form: BoundForm) -> CategoryNames:
    return CategoryNames(form["name_en"], form["name_zh_cn"] or None, form["name_fr"] or None)


def _refuse(form: BoundForm, error: DomainError) -> None:
    """Put the service's refusal on its field (add_error sends unknown ones to "form")."""
    field = getattr(error, "field", None) or error.details.get("field")
    form.add_error(field if isinstance(field, str) else "form", tree_message(error))


def _common(request: Request[Any, Any, Any]) -> dict[str, Any]:
    galerie = galerie_of(request)
    return {
        "actor": current_principal(request),
        "now": galerie.clock.now(),
        "audit": audit_context(request),
    }


async def _render_category(
    request: Request[Any, Any, Any], category_id: int, **forms: BoundForm
) -> Template:
    return await category_page_template(request, category_id, status=422, **forms)


@post("/console/categories", opt=CATEGORIES, include_in_schema=False, status_code=303)
async def add_root(request: Request[Any, Any, Any]) -> Template | Redirect:
    form = await read_form(request, NAMES_FORM)
    if form.valid:
        try:
            new_id = await add_category(
                galerie_of(request).db, parent_id=None, names=_names(form), **_common(request)
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            return see_other(f"/console/categories/{new_id}")
    return await categories_page_template(request, add_form=form, status=422)


@post(
    "/console/categories/{category_id:int}/children",
    opt=CATEGORIES,
    include_in_schema=False,
    status_code=303,
)
async def add_child(
    request: Request[Any, Any, Any], category_id: FromPath[int]
) -> Template | Redirect:
    form = await read_form(request, NAMES_FORM)
    if form.valid:
        try:
            new_id = await add_category(
                galerie_of(request).db,
                parent_id=category_id,
                names=_names(form),
                **_common(request),
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            return see_other(f"/console/categories/{new_id}")
    return await _render_category(request, category_id, child_form=form)


@post(
    "/console/categories/{category_id:int}/rename",
    opt=CATEGORIES,
    include_in_schema=False,
    status_code=303,
)
async def rename(
    request: Request[Any, Any, Any], category_id: FromPath[int]
) -> Template | Redirect:
    form = await read_form(request, NAMES_FORM)
    if form.valid:
        try:
            await rename_category(
                galerie_of(request).db,
                category_id=category_id,
                names=_names(form),
                **_common(request),
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            return see_other(f"/console/categories/{category_id}")
    return await _render_category(request, category_id, rename_form=form)


@post(
    "/console/categories/{category_id:int}/move",
    opt=CATEGORIES,
    include_in_schema=False,
    status_code=303,
)
async def move(request: Request[Any, Any, Any], category_id: FromPath[int]) -> Template | Redirect:
    form = await read_form(request, MOVE_FORM)
    parent = form["parent_id"].lstrip("#")
    if parent and not parent.isdigit():
        form.add_error("parent_id", TREE_MESSAGES["bad_parent_id"])
    if form.valid:
        try:
            await move_category(
                galerie_of(request).db,
                category_id=category_id,
                parent_id=int(parent) if parent else None,
                **_common(request),
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            return see_other(f"/console/categories/{category_id}")
    return await _render_category(request, category_id, move_form=form)


@post(
    "/console/categories/{category_id:int}/active",
    opt=CATEGORIES,
    include_in_schema=False,
    status_code=303,
)
async def switch(
    request: Request[Any, Any, Any], category_id: FromPath[int]
) -> Template | Redirect:
    form = await read_form(request, ACTIVE_FORM)
    if form.valid:
        await set_category_active(
            galerie_of(request).db,
            category_id=category_id,
            active=form["active"] == "yes",
            **_common(request),
        )
        return see_other(f"/console/categories/{category_id}")
    return await _render_category(request, category_id)
