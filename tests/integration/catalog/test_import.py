"""Importing Google's product taxonomy into the category tree (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from galerie.catalog import (
    get_category,
    import_google_taxonomy,
    top_level_categories,
    top_level_of,
)
from galerie.catalog.models import Category
from galerie.db import Database
from galerie.kernel import FixedClock, ValidationFailed


async def _rows(db: Database) -> list[tuple[Any, ...]]:
    async with db.reading() as session:
        result = await session.execute(select(Category.__table__).order_by(Category.id))
        return [tuple(row) for row in result]


async def test_the_shipped_taxonomy_imports_whole(db: Database, clock: FixedClock) -> None:
    assert await import_google_taxonomy(db, now=clock.now()) == 5595
    async with db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(Category)) == 5595
        roots = await top_level_categories(session)
        dresses = await get_category(session, 2271)
        deepest = await get_category(session, 499954)
        food_root = await top_level_of(session, 499676)
    assert len(roots) == 21
    assert roots[0].name == "Animals & Pet Supplies"
    assert roots[-1].name == "Vehicles & Parts"
    assert [r.names for r in roots if r.id == 2092] == [
        {"en": "Software", "zh-CN": "软件", "fr": "Logiciels"}
    ]
    assert dresses is not None
    assert (dresses.parent_id, dresses.depth, dresses.top_level_id) == (1604, 2, 166)
    assert dresses.path == "Apparel & Accessories > Clothing > Dresses"
    assert (dresses.name, dresses.names) == ("Dresses", {"en": "Dresses"})
    assert deepest is not None
    assert (deepest.parent_id, deepest.depth, deepest.top_level_id) == (7385, 4, 1)
    assert food_root == 412


async def test_importing_again_changes_nothing(db: Database, clock: FixedClock) -> None:
    assert await import_google_taxonomy(db, now=clock.now()) == 5595
    before = await _rows(db)
    clock.advance(timedelta(minutes=1))
    assert await import_google_taxonomy(db, now=clock.now()) == 0
    assert await _rows(db) == before


async def test_a_new_version_adds_and_moves_but_keeps_what_operators_set(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    started = clock.now()
    first = tmp_path / "v1.txt"
    first.write_text("# v1\n1 - A\n2 - A > B\n3 - A > C\n", encoding="utf-8")
    await import_google_taxonomy(db, now=clock.now(), source=first)
    async with db.transaction() as session:
        await session.execute(
            update(Category).where(Category.id == 3).values(commission_rate_bp=250, name_fr="Cé")
        )
    second = tmp_path / "v2.txt"
    second.write_text("# v2\n1 - A\n2 - A > B\n3 - A > B > C2\n4 - D\n", encoding="utf-8")
    clock.advance(timedelta(minutes=1))
    assert await import_google_taxonomy(db, now=clock.now(), source=second) == 1
    async with db.reading() as session:
        moved = await get_category(session, 3)
        row = await session.get(Category, 3)
    assert moved is not None
    assert row is not None
    assert (moved.parent_id, moved.path, moved.depth) == (2, "A > B > C2", 2)
    assert (moved.commission_rate_bp, moved.names) == (250, {"en": "C2", "fr": "Cé"})
    assert (row.created_at, row.updated_at) == (started, clock.now())


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("# header\n1 - A\n2 - A > B\n5 - E\nthree - A > C\n", 5),
        ("# header\n1 - A\n2 - A > B2\n5 - E\n4 - A > X > Y\n", 5),
        ("1 - A\n2 - A > B\n5 - E\n5 - F\n", 4),
    ],
    ids=["not a category line", "missing parent", "duplicate id"],
)
async def test_a_malformed_file_is_refused_and_nothing_is_written(
    db: Database, clock: FixedClock, tmp_path: Path, text: str, line: int
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("1 - A\n2 - A > B\n", encoding="utf-8")
    await import_google_taxonomy(db, now=clock.now(), source=good)
    before = await _rows(db)
    bad = tmp_path / "bad.txt"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as refused:
        await import_google_taxonomy(db, now=clock.now(), source=bad)
    assert (refused.value.code, refused.value.details) == ("bad_taxonomy_line", {"line": line})
    assert await _rows(db) == before
