"""Reading categories: effective commission and qualification inherited from ancestors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from galerie.catalog import (
    categories_by_ids,
    get_category,
    import_google_taxonomy,
    required_qualification,
    top_level_categories,
    top_level_of,
)
from galerie.catalog.models import Category
from galerie.db import Database
from galerie.kernel import FixedClock

# Real ids and paths from Google's taxonomy, a few branches deep.
TREE = """# Google_Product_Taxonomy_Version: 2021-09-21
412 - Food, Beverages & Tobacco
413 - Food, Beverages & Tobacco > Beverages
499676 - Food, Beverages & Tobacco > Beverages > Alcoholic Beverages
414 - Food, Beverages & Tobacco > Beverages > Alcoholic Beverages > Beer
420 - Food, Beverages & Tobacco > Beverages > Water
469 - Health & Beauty
491 - Health & Beauty > Health Care
518 - Health & Beauty > Health Care > Medicine & Drugs
2915 - Health & Beauty > Personal Care
1239 - Toys & Games
1253 - Toys & Games > Toys
"""


@pytest.fixture
async def tree(db: Database, clock: FixedClock, tmp_path: Path) -> Database:
    source = tmp_path / "taxonomy.txt"
    source.write_text(TREE, encoding="utf-8")
    assert await import_google_taxonomy(db, now=clock.now(), source=source) == 11
    async with db.transaction() as session:
        for category_id, rate in ((412, 200), (499676, 500), (1239, 300), (1253, 0)):
            await session.execute(
                update(Category).where(Category.id == category_id).values(commission_rate_bp=rate)
            )
    return db


async def test_commission_is_the_nearest_set_on_the_way_up(tree: Database) -> None:
    async with tree.reading() as session:
        views = await categories_by_ids(session, [414, 420, 412, 1253, 2915, 999])
    assert {i: v.commission_rate_bp for i, v in views.items()} == {
        414: 500,  # from Alcoholic Beverages, nearer than the root's 200
        420: 200,  # from the root
        412: 200,
        1253: 0,  # zero is a rate, not "inherit"
        2915: None,  # nobody on the way up sets one
    }


async def test_qualification_is_the_nearest_required_on_the_way_up(tree: Database) -> None:
    async with tree.reading() as session:
        found = {i: await required_qualification(session, i) for i in (414, 420, 518, 491, 2915)}
        unknown = await required_qualification(session, 999)
    assert found == {
        414: "alcohol_licence",
        420: "food_business_licence",
        518: "pharmaceutical_licence",
        491: "medical_device_licence",
        2915: None,
    }
    assert unknown is None


async def test_a_category_reads_whole(tree: Database) -> None:
    async with tree.reading() as session:
        beer = await get_category(session, 414)
        missing = await get_category(session, 999)
        roots = await top_level_categories(session)
        tops = (await top_level_of(session, 414), await top_level_of(session, 1239))
        nothing = await categories_by_ids(session, [])
    assert beer is not None
    assert (beer.id, beer.parent_id, beer.name, beer.depth, beer.top_level_id) == (
        414,
        499676,
        "Beer",
        3,
        412,
    )
    assert beer.path == "Food, Beverages & Tobacco > Beverages > Alcoholic Beverages > Beer"
    assert (beer.requires_qualification, beer.is_active) == ("alcohol_licence", True)
    assert missing is None
    assert [(r.id, r.names["zh-CN"], r.names["fr"]) for r in roots] == [
        (412, "食品、饮料和烟草", "Alimentation, boissons et tabac"),
        (469, "健康与美容", "Santé et beauté"),
        (1239, "玩具和游戏", "Jeux et jouets"),
    ]
    assert [r.commission_rate_bp for r in roots] == [200, None, 300]
    assert tops == (412, 1239)
    assert nothing == {}


async def test_an_inactive_root_is_not_listed(tree: Database) -> None:
    async with tree.transaction() as session:
        await session.execute(update(Category).where(Category.id == 469).values(is_active=False))
    async with tree.reading() as session:
        roots = [r.id for r in await top_level_categories(session)]
        health = await get_category(session, 469)
    assert roots == [412, 1239]
    assert health is not None
    assert health.is_active is False
