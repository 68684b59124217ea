"""The console's category tree endpoints (CONSOLE_CATEGORIES, each change audited once):
read a category with its children, add one (under a parent, or a root), and change one
with PATCH: its names, its parent, or whether it is active, one kind of change per
request (each is its own atomic use case). Errors are problem+json with stable codes
(category_not_found, unknown_parent, category_cycle, category_name_taken,
top_level_in_use, name_required, name_too_long, name_invalid, path_too_long,
one_change_per_request)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, JSONBody

from galerie.catalog import (
    CategoryNames,
    CategoryView,
    add_category,
    category_children,
    get_category,
    move_category,
    rename_category,
    set_category_active,
)
from galerie.identity import Permission
from galerie.kernel import NotFound, ValidationFailed
from galerie.web.auth import galerie_of, requires
from galerie.web.rendering import audit_context, current_principal

CATEGORIES = requires(Permission.CONSOLE_CATEGORIES)
Name = Annotated[str, msgspec.Meta(max_length=1000)]
ParentId = Annotated[int, msgspec.Meta(ge=1)]


class CategoryRefOut(msgspec.Struct, frozen=True):
    id: int
    name_en: str
    own_active: bool


class CategoryOut(msgspec.Struct, frozen=True):
    id: int
    parent_id: int | None
    names: dict[str, str]
    path: str
    depth: int
    top_level_id: int
    is_active: bool  # it and all its ancestors are active: usable for listings
    own_active: bool  # its own switch
    children: list[CategoryRefOut]


class NewCategoryBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`parent_id` null (or absent) adds a top-level category."""

    name_en: Name
    parent_id: ParentId | None = None
    name_zh_cn: Name | None = None
    name_fr: Name | None = None


class NamesBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The new names; a missing or empty Chinese or French name falls back to English."""

    name_en: Name
    name_zh_cn: Name | None = None
    name_fr: Name | None = None


class ParentBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The new parent; null makes the category top-level."""

    parent_id: ParentId | None


class CategoryChangeBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Exactly one of: `names` (rename), `parent` (move), `is_active` (switch)."""

    names: NamesBody | None = None
    parent: ParentBody | None = None
    is_active: bool | None = None


def _names(body: NamesBody | NewCategoryBody) -> CategoryNames:
    return CategoryNames(body.name_en, body.name_zh_cn, body.name_fr)


async def _read(request: Request[Any, Any, Any], category_id: int) -> CategoryOut:
    async with galerie_of(request).db.reading() as session:
        view: CategoryView | None = await get_category(session, category_id)
        if view is None:
            raise NotFound("No such category.", code="category_not_found")
        children = await category_children(session, category_id)
    return CategoryOut(
        id=view.id,
        parent_id=view.parent_id,
        names=view.names,
        path=view.path,
        depth=view.depth,
        top_level_id=view.top_level_id,
        is_active=view.is_active,
        own_active=view.own_active,
        children=[CategoryRefOut(c.id, c.name, c.own_active) for c in children],
    )


class ConsoleCategoryTreeController(Controller):
    path = "/console/categories"
    tags = ["console: categories"]  # noqa: RUF012 - Litestar's API

    @get("/{category_id:int}", opt=CATEGORIES, summary="A category with its children")
    async def read(
        self, request: Request[Any, Any, Any], category_id: FromPath[int]
    ) -> CategoryOut:
        return await _read(request, category_id)

    @post("", opt=CATEGORIES, status_code=201, summary="Add a category (or a top-level one)")
    async def create(
        self, request: Request[Any, Any, Any], data: JSONBody[NewCategoryBody]
    ) -> CategoryOut:
        galerie = galerie_of(request)
        new_id = await add_category(
            galerie.db,
            actor=current_principal(request),
            parent_id=data.parent_id,
            names=_names(data),
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return await _read(request, new_id)

    @patch(
        "/{category_id:int}",
        opt=CATEGORIES,
        summary="Rename, move or switch a category on or off (one change per request)",
    )
    async def change(
        self,
        request: Request[Any, Any, Any],
        category_id: FromPath[int],
        data: JSONBody[CategoryChangeBody],
    ) -> CategoryOut:
        kinds = [k for k in (data.names, data.parent, data.is_active) if k is not None]
        if len(kinds) != 1:
            raise ValidationFailed(
                "Send exactly one of names, parent, is_active.", code="one_change_per_request"
            )
        galerie = galerie_of(request)
        common: dict[str, Any] = {
            "actor": current_principal(request),
            "category_id": category_id,
            "now": galerie.clock.now(),
            "audit": audit_context(request),
        }
        if data.names is not None:
            await rename_category(galerie.db, names=_names(data.names), **common)
        elif data.parent is not None:
            await move_category(galerie.db, parent_id=data.parent.parent_id, **common)
        else:
            await set_category_active(galerie.db, active=bool(data.is_active), **common)
        return await _read(request, category_id)


CATEGORY_TREE_CONTROLLERS = (ConsoleCategoryTreeController,)
