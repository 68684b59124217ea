"""Catalog use cases: importing Google's product taxonomy as the category tree."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.models import Category
from galerie.catalog.taxonomy import (
    DEFAULT_QUALIFICATIONS,
    DEFAULT_TAXONOMY,
    TOP_LEVEL_NAMES,
    TaxonomyEntry,
    parse_taxonomy,
)
from galerie.db import Database

INSERT_CHUNK = 1000
_TABLE = cast(Table, Category.__table__)
_TREE_FIELDS = ("parent_id", "name_en", "path", "depth", "top_level_id")


def _tree_values(entry: TaxonomyEntry) -> dict[str, Any]:
    return {
        "parent_id": entry.parent_id,
        "name_en": entry.name,
        "path": entry.path,
        "depth": entry.depth,
        "top_level_id": entry.top_level_id,
    }


def _new_row(entry: TaxonomyEntry, now: datetime) -> dict[str, Any]:
    zh_cn, fr = TOP_LEVEL_NAMES.get(entry.id, (None, None))
    return {
        "id": entry.id,
        **_tree_values(entry),
        "name_zh_cn": zh_cn,
        "name_fr": fr,
        "commission_rate_bp": None,
        "requires_qualification": DEFAULT_QUALIFICATIONS.get(entry.id),
        "is_active": True,
        "created_at": now,
        "updated_at": now,
    }


async def _existing_tree(session: AsyncSession) -> dict[int, dict[str, Any]]:
    columns = [Category.id, *(getattr(Category, name) for name in _TREE_FIELDS)]
    rows = await session.execute(select(*columns))
    return {row.id: {name: getattr(row, name) for name in _TREE_FIELDS} for row in rows}


async def _insert_new(session: AsyncSession, entries: list[TaxonomyEntry], now: datetime) -> None:
    # Parents first, so the self-referencing foreign key holds after every statement.
    rows = [_new_row(entry, now) for entry in sorted(entries, key=lambda e: e.depth)]
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start : start + INSERT_CHUNK]
        await session.execute(insert(_TABLE), chunk)


async def import_google_taxonomy(db: Database, *, now: datetime, source: Path | None = None) -> int:
    """Upsert the category tree from Google's taxonomy file (the shipped one by default),
    keyed by Google's ids, in one transaction; returns how many categories are new.

    New categories get the top-level translations and default qualifications
    (catalog.taxonomy). An existing category whose place or English name changed in the
    file is updated; what operators set (translations, commission, qualification, whether
    active) is never overwritten. Re-importing the same file changes nothing. A malformed
    file is refused (ValidationFailed naming the line) before anything is written."""
    text = await asyncio.to_thread((source or DEFAULT_TAXONOMY).read_text, encoding="utf-8")
    entries = parse_taxonomy(text.splitlines())
    async with db.transaction() as session:
        existing = await _existing_tree(session)
        new = [entry for entry in entries if entry.id not in existing]
        await _insert_new(session, new, now)
        moved = [
            entry
            for entry in entries
            if entry.id in existing and existing[entry.id] != _tree_values(entry)
        ]
        for entry in moved:
            await session.execute(
                update(Category)
                .where(Category.id == entry.id)
                .values(**_tree_values(entry), updated_at=now)
            )
    return len(new)
