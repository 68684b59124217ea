"""What the tree edits share (catalog.category_tree, and the taxonomy import's lock): the
permission guard, one editor at a time, loading a category or a parent, the sibling-name
rule and a subtree. Helpers only: they run inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext
from galerie.catalog.models import Category
from galerie.catalog.taxonomy import SEPARATOR
from galerie.catalog.tree_plan import name_key
from galerie.db import Database
from galerie.identity import Permission, Principal
from galerie.identity.guards import require_permission
from galerie.kernel import Conflict, NotFound, ValidationFailed

TARGET = "category"
TREE_LOCK = 0x67616C5F74726565  # "gal_tree": the advisory lock key of tree edits


async def guard_tree_edit(
    db: Database,
    actor: Principal,
    audit: AuditContext,
    action: str,
    target: int | str,
    now: datetime,
) -> AuditContext:
    return await require_permission(
        db,
        actor=actor,
        permission=Permission.CONSOLE_CATEGORIES,
        audit=audit,
        action=action,
        now=now,
        target_type=TARGET,
        target_id=target,
    )


async def lock_tree_edits(session: AsyncSession) -> None:
    """Tree edits run one at a time, so two moves cannot make a cycle together and two adds
    never read the same highest id: SQLite's writes are serial already (BEGIN IMMEDIATE);
    on PostgreSQL a transaction-scoped advisory lock, taken before anything is read."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": TREE_LOCK})


async def load_category(session: AsyncSession, category_id: int) -> Category:
    found = await session.get(Category, category_id)
    if found is None:
        raise NotFound("No such category.", code="category_not_found")
    return found


async def load_parent(session: AsyncSession, parent_id: int | None) -> Category | None:
    if parent_id is None:
        return None
    found = await session.get(Category, parent_id)
    if found is None:
        raise ValidationFailed("No such parent category.", code="unknown_parent", field="parent_id")
    return found


async def refuse_taken_name(
    session: AsyncSession, parent_id: int | None, name: str, except_id: int | None = None
) -> None:
    parent = Category.parent_id.is_(None) if parent_id is None else Category.parent_id == parent_id
    siblings = await session.execute(select(Category.id, Category.name_en).where(parent))
    if any(i != except_id and name_key(n) == name_key(name) for i, n in siblings.tuples()):
        raise Conflict("A category with this name is already there.", code="category_name_taken")


async def subtree_of(session: AsyncSession, root_id: int) -> list[tuple[int, str]]:
    """(id, path) of the category and everything below it."""
    start = select(Category.id).where(Category.id == root_id).cte("subtree", recursive=True)
    below = select(Category.id).join(start, Category.parent_id == start.c.id)
    tree = start.union_all(below)
    rows = await session.execute(
        select(Category.id, Category.path).where(Category.id.in_(select(tree.c.id)))
    )
    return [(int(i), str(p)) for i, p in rows.tuples()]


def path_under(parent: Category | None, name: str) -> str:
    return name if parent is None else parent.path + SEPARATOR + name
