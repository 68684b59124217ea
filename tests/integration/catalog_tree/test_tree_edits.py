"""Operators add, rename and move categories, on SQLite and PostgreSQL: the subtree follows,
refusals change nothing, ids come from the operators' range, every action is audited once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from galerie.audit import AuditContext, Outcome
from galerie.catalog import (
    CategoryNames,
    add_category,
    get_category,
    move_category,
    rename_category,
)
from galerie.catalog.models import OPERATOR_IDS_FROM, Category
from galerie.db import Database
from galerie.kernel import Conflict, DomainError, FixedClock, Forbidden, NotFound, ValidationFailed
from tests.integration.catalog_products.factories import World
from tests.integration.catalog_tree.support import audits, count_categories, place, tree
from tests.integration.sellers.factories import APPAREL, CLOTHING, HEALTH, HOME, MEDICINE

HEALTH_CARE = 491


async def test_adding_a_root_and_children_allocates_operator_ids(
    db: Database, clock: FixedClock, world: World, audit: AuditContext
) -> None:
    admin = world.people["admin"]
    root = await add_category(
        db, actor=admin, parent_id=None, names=CategoryNames("Crafts", "手工艺", "Artisanat"),
        now=clock.now(), audit=audit,
    )  # fmt: skip
    child = await add_category(
        db, actor=admin, parent_id=root, names=CategoryNames("  Pottery  "), now=clock.now(),
        audit=audit,
    )  # fmt: skip
    under_google = await add_category(
        db, actor=admin, parent_id=CLOTHING, names=CategoryNames("Hanfu"), now=clock.now(),
        audit=audit,
    )  # fmt: skip
    assert (root, child, under_google) == (
        OPERATOR_IDS_FROM,
        OPERATOR_IDS_FROM + 1,
        OPERATOR_IDS_FROM + 2,
    )
    assert await place(db, root) == (None, "Crafts", 0, root)
    assert await place(db, child) == (root, "Crafts > Pottery", 1, root)
    assert await place(db, under_google) == (
        CLOTHING,
        "Apparel & Accessories > Clothing > Hanfu",
        2,
        APPAREL,
    )
    async with db.reading() as session:
        view = await get_category(session, root)
    assert view is not None
    assert (view.names, view.is_active) == (
        {"en": "Crafts", "zh-CN": "手工艺", "fr": "Artisanat"},
        True,
    )
    records = await audits(db, "catalog.category.add")
    assert [(r.target_id, r.outcome, r.actor_user_id) for r in records] == [
        (str(root), Outcome.SUCCEEDED, admin.user_id),
        (str(child), Outcome.SUCCEEDED, admin.user_id),
        (str(under_google), Outcome.SUCCEEDED, admin.user_id),
    ]


async def test_an_id_taken_in_the_operators_range_is_skipped(
    db: Database, clock: FixedClock, world: World, audit: AuditContext
) -> None:
    async with db.transaction() as session:
        await session.execute(
            insert(Category).values(
                id=OPERATOR_IDS_FROM + 41, parent_id=None, name_en="Seeded", path="Seeded",
                depth=0, top_level_id=OPERATOR_IDS_FROM + 41, is_active=True,
                created_at=clock.now(), updated_at=clock.now(),
            )
        )  # fmt: skip
    made = await add_category(
        db, actor=world.people["admin"], parent_id=None, names=CategoryNames("Next"),
        now=clock.now(), audit=audit,
    )  # fmt: skip
    assert made == OPERATOR_IDS_FROM + 42


BAD_ADDS = [
    (HOME, CategoryNames(""), ValidationFailed, "name_required"),
    (HOME, CategoryNames("   "), ValidationFailed, "name_required"),
    (HOME, CategoryNames("x" * 201), ValidationFailed, "name_too_long"),
    (HOME, CategoryNames("A > B"), ValidationFailed, "name_invalid"),
    (HOME, CategoryNames("Tab\there"), ValidationFailed, "name_invalid"),
    (HOME, CategoryNames("Vases", fr="f" * 201), ValidationFailed, "name_too_long"),
    (999_999, CategoryNames("Orphan"), ValidationFailed, "unknown_parent"),
    (APPAREL, CategoryNames("clothing"), Conflict, "category_name_taken"),
    (None, CategoryNames("HOME & GARDEN"), Conflict, "category_name_taken"),
]


@pytest.mark.parametrize(("parent", "names", "error", "code"), BAD_ADDS)
async def test_a_bad_add_is_refused_and_changes_nothing(
    db: Database,
    clock: FixedClock,
    world: World,
    audit: AuditContext,
    parent: int | None,
    names: CategoryNames,
    error: type[DomainError],
    code: str,
) -> None:
    before = await tree(db)
    with pytest.raises(error) as refused:
        await add_category(
            db, actor=world.people["admin"], parent_id=parent, names=names, now=clock.now(),
            audit=audit,
        )  # fmt: skip
    assert refused.value.code == code
    assert await tree(db) == before
    assert await audits(db, "catalog.category.add") == []


@pytest.mark.parametrize("role", ["moderation", "vetting", "finance", "support", "owner"])
async def test_only_category_operators_edit_the_tree(
    db: Database, clock: FixedClock, world: World, audit: AuditContext, role: str
) -> None:
    actor = world.people[role]
    before = await tree(db)
    attempts = [
        add_category(
            db, actor=actor, parent_id=HOME, names=CategoryNames("Vases"), now=clock.now(),
            audit=audit,
        ),
        rename_category(
            db, actor=actor, category_id=HOME, names=CategoryNames("House"), now=clock.now(),
            audit=audit,
        ),
        move_category(
            db, actor=actor, category_id=CLOTHING, parent_id=HOME, now=clock.now(), audit=audit
        ),
    ]  # fmt: skip
    for attempt in attempts:
        with pytest.raises(Forbidden):
            await attempt
    assert await tree(db) == before
    refused = [
        r.outcome
        for action in ("add", "rename", "move")
        for r in await audits(db, f"catalog.category.{action}")
    ]
    assert refused == [Outcome.REFUSED] * 3


async def test_a_rename_rewrites_the_paths_below(
    db: Database, clock: FixedClock, world: World, audit: AuditContext
) -> None:
    admin = world.people["admin"]
    clock.advance(timedelta(minutes=5))
    await rename_category(
        db, actor=admin, category_id=HEALTH, names=CategoryNames("Wellbeing", "健康", None),
        now=clock.now(), audit=audit,
    )  # fmt: skip
    assert await place(db, HEALTH) == (None, "Wellbeing", 0, HEALTH)
    assert await place(db, HEALTH_CARE) == (HEALTH, "Wellbeing > Health Care", 1, HEALTH)
    assert await place(db, MEDICINE) == (
        HEALTH_CARE,
        "Wellbeing > Health Care > Medicine & Drugs",
        2,
        HEALTH,
    )
    async with db.reading() as session:
        row = await session.get(Category, HEALTH)
        untouched = await session.get(Category, APPAREL)
    assert row is not None
    assert untouched is not None
    assert (row.name_zh_cn, row.name_fr, row.tree_edited_at) == ("健康", None, clock.now())
    assert untouched.path == "Apparel & Accessories"
    [record] = await audits(db, "catalog.category.rename")
    assert record.details["before"]["en"] == "Health & Beauty"
    assert record.details["after"]["en"] == "Wellbeing"


async def test_a_rename_onto_a_sibling_name_is_refused(
    db: Database, clock: FixedClock, world: World, audit: AuditContext
) -> None:
    before = await tree(db)
    with pytest.raises(Conflict) as refused:
        await rename_category(
            db, actor=world.people["admin"], category_id=HEALTH,
            names=CategoryNames("home & garden"), now=clock.now(), audit=audit,
        )  # fmt: skip
    assert refused.value.code == "category_name_taken"
    assert await tree(db) == before
    with pytest.raises(NotFound):
        await rename_category(
            db, actor=world.people["admin"], category_id=123_456_789,
            names=CategoryNames("Nothing"), now=clock.now(), audit=audit,
        )  # fmt: skip


async def test_a_move_carries_the_subtree_to_its_new_root(
    db: Database, clock: FixedClock, world: World, audit: AuditContext
) -> None:
    admin = world.people["admin"]
    await move_category(
        db, actor=admin, category_id=HEALTH_CARE, parent_id=CLOTHING, now=clock.now(), audit=audit
    )
    assert await place(db, HEALTH_CARE) == (
        CLOTHING,
        "Apparel & Accessories > Clothing > Health Care",
        2,
        APPAREL,
    )
    assert await place(db, MEDICINE) == (
        HEALTH_CARE,
        "Apparel & Accessories > Clothing > Health Care > Medicine & Drugs",
        3,
        APPAREL,
    )
    async with db.reading() as session:
        medicine = await get_category(session, MEDICINE)
    assert medicine is not None
    assert medicine.requires_qualification == "pharmaceutical_licence"
    await move_category(
        db, actor=admin, category_id=HEALTH_CARE, parent_id=None, now=clock.now(), audit=audit
    )
    assert await place(db, HEALTH_CARE) == (None, "Health Care", 0, HEALTH_CARE)
    assert await place(db, MEDICINE) == (
        HEALTH_CARE,
        "Health Care > Medicine & Drugs",
        1,
        HEALTH_CARE,
    )
    records = await audits(db, "catalog.category.move")
    assert [r.details["after"]["parent_id"] for r in records] == [CLOTHING, None]


@pytest.mark.parametrize(
    ("category", "parent", "error", "code"),
    [
        (HEALTH, HEALTH, ValidationFailed, "category_cycle"),
        (HEALTH, HEALTH_CARE, ValidationFailed, "category_cycle"),
        (HEALTH, MEDICINE, ValidationFailed, "category_cycle"),
        (HEALTH_CARE, 999_999, ValidationFailed, "unknown_parent"),
        (HOME, APPAREL, Conflict, "top_level_in_use"),
    ],
    ids=["itself", "its child", "its grandchild", "unknown parent", "root held by shops"],
)
async def test_a_bad_move_is_refused_and_changes_nothing(
    db: Database,
    clock: FixedClock,
    world: World,
    audit: AuditContext,
    category: int,
    parent: int,
    error: type[DomainError],
    code: str,
) -> None:
    before = await tree(db)
    with pytest.raises(error) as refused:
        await move_category(
            db, actor=world.people["admin"], category_id=category, parent_id=parent,
            now=clock.now(), audit=audit,
        )  # fmt: skip
    assert refused.value.code == code
    assert await tree(db) == before
    assert await audits(db, "catalog.category.move") == []


async def test_a_move_beside_a_same_named_sibling_is_refused(
    db: Database, clock: FixedClock, world: World, audit: AuditContext
) -> None:
    admin = world.people["admin"]
    twin = await add_category(
        db, actor=admin, parent_id=HOME, names=CategoryNames("HEALTH CARE"), now=clock.now(),
        audit=audit,
    )  # fmt: skip
    before = (await tree(db), await count_categories(db))
    with pytest.raises(Conflict) as refused:
        await move_category(
            db, actor=admin, category_id=HEALTH_CARE, parent_id=HOME, now=clock.now(),
            audit=audit,
        )  # fmt: skip
    assert refused.value.code == "category_name_taken"
    assert (await tree(db), await count_categories(db)) == before
    async with db.reading() as session:
        assert await session.scalar(select(Category.parent_id).where(Category.id == twin)) == HOME
