"""Reads of the category tree. A view carries the effective commission and qualification:
the category's own, or else its nearest ancestor's; it is active when it and all its
ancestors are. Each read is one query (ancestors come
from a recursive CTE, which SQLite and PostgreSQL both run)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.models import Category


@dataclass(frozen=True, slots=True)
class CategoryView:
    id: int
    parent_id: int | None
    name: str
    names: dict[str, str] = field(hash=False)
    path: str
    depth: int
    top_level_id: int
    commission_rate_bp: int | None
    requires_qualification: str | None
    is_active: bool = True  # it and every ancestor are active: usable for listings
    own_active: bool = True  # its own switch (an operator's)


def localised_name(view: CategoryView, language: str) -> str:
    """The name in `language` ("zh-CN", "en", "fr"; "zh_CN" and any case work too), else
    the English name."""
    if language in view.names:
        return view.names[language]
    wanted = language.replace("_", "-").lower()
    for code, name in view.names.items():
        if code.lower() == wanted:
            return name
    return view.name


def _names(row: Any) -> dict[str, str]:
    names = {"en": row.name_en}
    if row.name_zh_cn is not None:
        names["zh-CN"] = row.name_zh_cn
    if row.name_fr is not None:
        names["fr"] = row.name_fr
    return names


def _view(chain: Sequence[Any]) -> CategoryView:
    """The view of chain[0], where `chain` is the category then its ancestors, nearest first."""
    own = chain[0]
    commission = next(
        (r.commission_rate_bp for r in chain if r.commission_rate_bp is not None), None
    )
    qualification = next(
        (r.requires_qualification for r in chain if r.requires_qualification is not None), None
    )
    return CategoryView(
        id=own.id,
        parent_id=own.parent_id,
        name=own.name_en,
        names=_names(own),
        path=own.path,
        depth=own.depth,
        top_level_id=own.top_level_id,
        commission_rate_bp=commission,
        requires_qualification=qualification,
        is_active=all(r.is_active for r in chain),
        own_active=own.is_active,
    )


async def _chains(session: AsyncSession, ids: set[int]) -> dict[int, list[Category]]:
    """For each known id: the category and its ancestors, nearest first."""
    start = (
        select(
            Category.id.label("start_id"), Category.id, Category.parent_id, literal(0).label("up")
        )
        .where(Category.id.in_(ids))
        .cte("chain", recursive=True)
    )
    parent = select(start.c.start_id, Category.id, Category.parent_id, start.c.up + 1).join(
        Category, Category.id == start.c.parent_id
    )
    chain = start.union_all(parent)
    rows = await session.execute(
        select(chain.c.start_id, Category)
        .join(Category, Category.id == chain.c.id)
        .order_by(chain.c.start_id, chain.c.up)
    )
    chains: dict[int, list[Category]] = defaultdict(list)
    for start_id, category in rows.tuples():
        chains[start_id].append(category)
    return dict(chains)


async def categories_by_ids(session: AsyncSession, ids: Iterable[int]) -> dict[int, CategoryView]:
    """The known categories among `ids`, by id (unknown ids are left out)."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {start_id: _view(chain) for start_id, chain in (await _chains(session, wanted)).items()}


async def get_category(session: AsyncSession, category_id: int) -> CategoryView | None:
    return (await categories_by_ids(session, [category_id])).get(category_id)


async def top_level_categories(session: AsyncSession) -> list[CategoryView]:
    """The active roots of the tree, ordered by English name."""
    rows = await session.scalars(
        select(Category)
        .where(Category.parent_id.is_(None), Category.is_active.is_(True))
        .order_by(Category.name_en)
    )
    return [_view([row]) for row in rows]


async def top_level_of(session: AsyncSession, category_id: int) -> int | None:
    """The id of the category's root (its own id for a root), or None if unknown."""
    top: int | None = await session.scalar(
        select(Category.top_level_id).where(Category.id == category_id)
    )
    return top


async def required_qualification(session: AsyncSession, category_id: int) -> str | None:
    """The qualification needed to list in the category: its own or its nearest ancestor's;
    None when none is needed or the category is unknown."""
    view = await get_category(session, category_id)
    return view.requires_qualification if view else None


async def category_children(session: AsyncSession, parent_id: int | None) -> list[CategoryView]:
    """The children of a category (None: the roots), active or not, by English name; each
    view's `own_active` is its own switch (its `is_active` ignores its ancestors here)."""
    parent = Category.parent_id.is_(None) if parent_id is None else Category.parent_id == parent_id
    rows = await session.scalars(select(Category).where(parent).order_by(Category.name_en))
    return [_view([row]) for row in rows]
