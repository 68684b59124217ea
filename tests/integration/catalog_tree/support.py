"""What the category tree tests share: a snapshot of the tree and of the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from galerie.audit import AuditRecord
from galerie.catalog.models import Category
from galerie.db import Database


async def tree(db: Database) -> list[tuple[Any, ...]]:
    async with db.reading() as session:
        rows = await session.execute(select(Category.__table__).order_by(Category.id))
        return [tuple(row) for row in rows]


async def audits(db: Database, action: str) -> list[AuditRecord]:
    async with db.reading() as session:
        found = await session.scalars(
            select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.id)
        )
        return list(found)


async def place(db: Database, category_id: int) -> tuple[Any, ...]:
    async with db.reading() as session:
        row = (
            await session.execute(
                select(
                    Category.parent_id, Category.path, Category.depth, Category.top_level_id
                ).where(Category.id == category_id)
            )
        ).one()
        return tuple(row)


async def count_categories(db: Database) -> int:
    async with db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(Category)) or 0)
