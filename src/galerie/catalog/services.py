"""Catalog use cases: importing Google's product taxonomy as the category tree."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.category_tree_support import lock_tree_edits
from galerie.catalog.models import Category
from galerie.catalog.storefront_tree import forget_storefront_cache
from galerie.catalog.taxonomy import (
    DEFAULT_QUALIFICATIONS,
    DEFAULT_TAXONOMY,
    TOP_LEVEL_NAMES,
    parse_taxonomy,
)
from galerie.catalog.tree_plan import Node, Place, place_all, plan_import
from galerie.db import Database

INSERT_CHUNK = 1000
_TABLE = cast(Table, Category.__table__)
_PLACEHOLDER = ">"  # no name holds it, so ">{id}" is never a real path


def _new_row(category_id: int, place: Place, now: datetime) -> dict[str, Any]:
    zh_cn, fr = TOP_LEVEL_NAMES.get(category_id, (None, None))
    return {
        "id": category_id,
        **_tree_values(place),
        "name_zh_cn": zh_cn,
        "name_fr": fr,
        "commission_rate_bp": None,
        "requires_qualification": DEFAULT_QUALIFICATIONS.get(category_id),
        "is_active": True,
        "created_at": now,
        "updated_at": now,
    }


def _tree_values(place: Place) -> dict[str, Any]:
    return {
        "parent_id": place.parent_id,
        "name_en": place.name,
        "path": place.path,
        "depth": place.depth,
        "top_level_id": place.top_level_id,
    }


async def _existing_tree(session: AsyncSession) -> tuple[dict[int, Place], set[int]]:
    """Every category's place, and the ids an operator renamed or moved."""
    rows = await session.execute(
        select(
            Category.id,
            Category.parent_id,
            Category.name_en,
            Category.path,
            Category.depth,
            Category.top_level_id,
            Category.tree_edited_at,
        )
    )
    places: dict[int, Place] = {}
    kept: set[int] = set()
    for row in rows:
        places[row.id] = Place(row.parent_id, row.name_en, row.path, row.depth, row.top_level_id)
        if row.tree_edited_at is not None:
            kept.add(row.id)
    return places, kept


async def _insert_new(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    # Parents first, so the self-referencing foreign key holds after every statement.
    rows = sorted(rows, key=lambda row: int(row["depth"]))
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start : start + INSERT_CHUNK]
        await session.execute(insert(_TABLE), chunk)


async def _write_plan(
    session: AsyncSession,
    existing: dict[int, Place],
    placed: dict[int, Place],
    added: set[int],
    now: datetime,
) -> None:
    changed = {
        category_id: place
        for category_id, place in placed.items()
        if category_id in existing and existing[category_id] != place
    }
    # Paths are unique: changed rows step aside first, so no statement meets a path that
    # another row is about to leave.
    for category_id, place in changed.items():
        if place.path != existing[category_id].path:
            await session.execute(
                update(Category)
                .where(Category.id == category_id)
                .values(path=f"{_PLACEHOLDER}{category_id}")
            )
    await _insert_new(session, [_new_row(i, placed[i], now) for i in added if i in placed])
    for category_id, place in sorted(changed.items(), key=lambda c: c[1].depth):
        await session.execute(
            update(Category)
            .where(Category.id == category_id)
            .values(**_tree_values(place), updated_at=now)
        )


async def import_google_taxonomy(db: Database, *, now: datetime, source: Path | None = None) -> int:
    """Upsert the category tree from Google's taxonomy file (the shipped one by default),
    keyed by Google's ids, in one transaction; returns how many categories are new.

    New categories get the top-level translations and default qualifications
    (catalog.taxonomy). An existing category whose place or English name changed in the
    file is updated; what operators set (translations, commission, qualification, whether
    active, and the name and place of a category they renamed or moved) is never
    overwritten, and the categories they added stay, their paths following their
    ancestors'. A change that would break the tree (a category under itself, two siblings
    of one name) is left out (catalog.tree_plan). Re-importing the same file changes
    nothing. A malformed file is refused (ValidationFailed naming the line) before
    anything is written."""
    text = await asyncio.to_thread((source or DEFAULT_TAXONOMY).read_text, encoding="utf-8")
    entries = parse_taxonomy(text.splitlines())
    async with db.transaction() as session:
        await lock_tree_edits(session)
        existing, kept = await _existing_tree(session)
        nodes = {i: Node(i, p.parent_id, p.name) for i, p in existing.items()}
        planned, added = plan_import(nodes, kept, entries)
        placed = place_all(planned)
        await _write_plan(session, existing, placed, added, now)
    forget_storefront_cache(db)
    return len(added)
