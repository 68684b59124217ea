"""Operators edit the category tree (CONSOLE_CATEGORIES): add a category (a root or a
child), rename it, move it, deactivate or reactivate it. Each is one transaction with one
audit record; bad input changes nothing.

What each keeps true:
- tree edits run one at a time (category_tree_support.lock_tree_edits), so two moves
  cannot build a cycle together; ids of added categories come from OPERATOR_IDS_FROM up
  (the next free one; the primary key stands behind it, with a retry), never Google's;
- no two children of a parent (or two roots) share an English name, case aside, so the
  full English `path` stays unique (a database constraint besides);
- a rename or a move rewrites `path` (and for a move `depth` and `top_level_id`) of the
  whole subtree in one statement, and marks the category `tree_edited_at` so a taxonomy
  re-import keeps the operator's name and place;
- a move emits ProductChanged for every live product in the subtree, so the search index
  files them under their new ancestors (search's outbox handler);
- deactivating a category takes it and everything below it out of use: it vanishes from
  the storefront's category pages and from the seller's choices, and no listing may be
  created, saved, submitted or approved in it (catalog.shop_rights, catalog.moderation).
  Products already live there stay live (product page, shop page, search) until their
  seller moves them; reactivating restores the category as it was.
The storefront's cached tree is dropped in this process after each edit (other processes
refresh within storefront_tree.TREE_TTL)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.catalog.category_names import CategoryNames, check_path, checked_names
from galerie.catalog.category_tree_support import (
    TARGET,
    guard_tree_edit,
    load_category,
    load_parent,
    lock_tree_edits,
    path_under,
    refuse_taken_name,
    subtree_of,
)
from galerie.catalog.events import ProductChanged
from galerie.catalog.models import Category
from galerie.catalog.product_models import Product
from galerie.catalog.shop_rights import SHOP_CATEGORIES
from galerie.catalog.storefront_tree import forget_storefront_cache
from galerie.catalog.taxonomy import MAX_PATH, OPERATOR_IDS_FROM
from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.identity import Principal
from galerie.kernel import Conflict, ValidationFailed

ALLOCATION_ATTEMPTS = 5


async def _allocate_and_insert(session: AsyncSession, values: dict[str, Any]) -> int:
    """Insert with the next free operator id; a concurrent add that took it makes this retry
    (the primary key decides, in a savepoint)."""
    for _ in range(ALLOCATION_ATTEMPTS):
        highest = await session.scalar(
            select(func.max(Category.id)).where(Category.id >= OPERATOR_IDS_FROM)
        )
        new_id = OPERATOR_IDS_FROM if highest is None else int(highest) + 1
        try:
            async with session.begin_nested():
                await session.execute(insert(Category).values(id=new_id, **values))
        except IntegrityError:
            await refuse_taken_name(session, values["parent_id"], values["name_en"])
            continue
        return new_id
    raise Conflict("Categories were added at the same time. Try again.", code="category_conflict")


async def add_category(
    db: Database,
    *,
    actor: Principal,
    parent_id: int | None,
    names: CategoryNames,
    now: datetime,
    audit: AuditContext,
) -> int:
    """Add an active category under `parent_id` (None: a new root); returns its id.
    Commission, qualification and review are inherited (a root sets none)."""
    action = "catalog.category.add"
    context = await guard_tree_edit(db, actor, audit, action, parent_id or "root", now)
    checked = checked_names(names)
    async with db.transaction() as session:
        await lock_tree_edits(session)
        parent = await load_parent(session, parent_id)
        path = path_under(parent, checked.en)
        check_path(path)
        await refuse_taken_name(session, parent_id, checked.en)
        new_id = await _allocate_and_insert(
            session,
            {
                "parent_id": parent_id,
                "name_en": checked.en,
                "name_zh_cn": checked.zh_cn,
                "name_fr": checked.fr,
                "path": path,
                "depth": 0 if parent is None else parent.depth + 1,
                # A root is its own top level: set after the id is known (below).
                "top_level_id": parent.top_level_id if parent is not None else 0,
                "is_active": True,
                "tree_edited_at": now,
                "created_at": now,
                "updated_at": now,
            },
        )
        if parent is None:
            await session.execute(
                update(Category).where(Category.id == new_id).values(top_level_id=new_id)
            )
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            target_type=TARGET,
            target_id=new_id,
            details={"parent_id": parent_id, "name_en": checked.en, "path": path},
        )
    forget_storefront_cache(db)
    return new_id


async def _repath(
    session: AsyncSession,
    subtree: list[tuple[int, str]],
    old: str,
    new: str,
    now: datetime,
    **changes: Any,
) -> None:
    """Replace the `old` prefix of every path of the subtree by `new` (one statement)."""
    longest = max(len(p) for _, p in subtree) - len(old) + len(new)
    if longest > MAX_PATH:
        raise ValidationFailed(
            "A path below would be too long.", code="path_too_long", field="name_en"
        )
    ids = [i for i, _ in subtree]
    await session.execute(
        update(Category)
        .where(Category.id.in_(ids))
        .values(
            path=literal(new, String) + func.substr(Category.path, len(old) + 1),
            updated_at=now,
            **changes,
        )
        .execution_options(synchronize_session=False)
    )


async def rename_category(
    db: Database,
    *,
    actor: Principal,
    category_id: int,
    names: CategoryNames,
    now: datetime,
    audit: AuditContext,
) -> None:
    """Give the category new names (empty Chinese or French: the English one shows). A new
    English name rewrites the path of the category and of everything below it."""
    action = "catalog.category.rename"
    context = await guard_tree_edit(db, actor, audit, action, category_id, now)
    checked = checked_names(names)
    async with db.transaction() as session:
        await lock_tree_edits(session)
        category = await load_category(session, category_id)
        before = {"en": category.name_en, "zh_cn": category.name_zh_cn, "fr": category.name_fr}
        if checked.en != category.name_en:
            parent = await load_parent(session, category.parent_id)
            path = path_under(parent, checked.en)
            check_path(path)
            await refuse_taken_name(session, category.parent_id, checked.en, category_id)
            subtree = await subtree_of(session, category_id)
            await _repath(session, subtree, category.path, path, now)
            category.tree_edited_at = now
        category.name_en, category.name_zh_cn, category.name_fr = (
            checked.en,
            checked.zh_cn,
            checked.fr,
        )
        category.updated_at = now
        after = {"en": checked.en, "zh_cn": checked.zh_cn, "fr": checked.fr}
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            target_type=TARGET,
            target_id=category_id,
            details={"before": before, "after": after},
        )
    forget_storefront_cache(db)


async def _refuse_held_root(session: AsyncSession, category: Category) -> None:
    """A top-level category shops are approved for (fees, deposits) stays top-level."""
    if category.parent_id is not None:
        return
    held = await session.scalar(
        select(func.count())
        .select_from(SHOP_CATEGORIES)
        .where(SHOP_CATEGORIES.c.category_id == category.id)
    )
    if held:
        raise Conflict(
            "Shops are approved for this top-level category: it cannot move under another.",
            code="top_level_in_use",
        )


async def _announce_products(session: AsyncSession, ids: list[int], now: datetime) -> int:
    rows = await session.execute(
        select(Product.id, Product.shop_id, Product.status).where(
            Product.category_id.in_(ids), Product.status == "live"
        )
    )
    count = 0
    for product_id, shop_id, status in rows.tuples():
        record_event(
            session, ProductChanged(product_id=product_id, shop_id=shop_id, status=status), now=now
        )
        count += 1
    return count


async def _relocate(
    session: AsyncSession,
    category: Category,
    parent: Category | None,
    subtree: list[tuple[int, str]],
    path: str,
    now: datetime,
) -> int:
    """Move the subtree under `parent`; returns how many live products were announced."""
    await _refuse_held_root(session, category)
    check_path(path)
    await refuse_taken_name(session, parent.id if parent else None, category.name_en, category.id)
    depth = 0 if parent is None else parent.depth + 1
    top = category.id if parent is None else parent.top_level_id
    await _repath(
        session, subtree, category.path, path, now,
        depth=Category.depth + (depth - category.depth), top_level_id=top,
    )  # fmt: skip
    await session.execute(
        update(Category)
        .where(Category.id == category.id)
        .values(parent_id=parent.id if parent else None, tree_edited_at=now)
        .execution_options(synchronize_session=False)
    )
    return await _announce_products(session, [i for i, _ in subtree], now)


async def move_category(
    db: Database,
    *,
    actor: Principal,
    category_id: int,
    parent_id: int | None,
    now: datetime,
    audit: AuditContext,
) -> None:
    """Put the category, with everything below it, under `parent_id` (None: make it a
    root). Refused: a parent that is the category or lies below it (category_cycle), a
    sibling of the same name there, a root that shops are approved for."""
    action = "catalog.category.move"
    context = await guard_tree_edit(db, actor, audit, action, category_id, now)
    async with db.transaction() as session:
        await lock_tree_edits(session)
        category = await load_category(session, category_id)
        parent = await load_parent(session, parent_id)
        subtree = await subtree_of(session, category_id)
        if parent_id is not None and parent_id in {i for i, _ in subtree}:
            raise ValidationFailed(
                "A category cannot move under itself or under a category below it.",
                code="category_cycle",
                field="parent_id",
            )
        before = {"parent_id": category.parent_id, "path": category.path}
        path, announced = category.path, 0
        if parent_id != category.parent_id:
            path = path_under(parent, category.name_en)
            announced = await _relocate(session, category, parent, subtree, path, now)
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            target_type=TARGET,
            target_id=category_id,
            details={
                "before": before,
                "after": {"parent_id": parent_id, "path": path},
                "subtree": len(subtree),
                "products_reindexed": announced,
            },
        )
    forget_storefront_cache(db)


async def set_category_active(
    db: Database,
    *,
    actor: Principal,
    category_id: int,
    active: bool,
    now: datetime,
    audit: AuditContext,
) -> bool:
    """Switch the category on or off (what that means: this module's docstring). Returns
    whether it changed (asking for the state it is in changes nothing but is audited)."""
    action = "catalog.category.activate" if active else "catalog.category.deactivate"
    context = await guard_tree_edit(db, actor, audit, action, category_id, now)
    async with db.transaction() as session:
        await load_category(session, category_id)
        result = await session.execute(
            update(Category)
            .where(Category.id == category_id, Category.is_active != active)
            .values(is_active=active, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        changed = bool(getattr(result, "rowcount", 0))
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            target_type=TARGET,
            target_id=category_id,
            details={"active": active, "changed": changed},
        )
    forget_storefront_cache(db)
    return changed
