"""A Google taxonomy re-import after operators edited the tree: their categories stay (their
paths following Google's moves), their renames and moves are kept, and a Google category
that would clash with theirs is left out instead of crashing the import."""

from __future__ import annotations

from pathlib import Path

import pytest

from galerie.audit import AuditContext
from galerie.catalog import (
    CategoryNames,
    add_category,
    import_google_taxonomy,
    move_category,
    rename_category,
)
from galerie.db import Database
from galerie.identity import OperatorRole, Principal, load_principal
from galerie.kernel import FixedClock, ValidationFailed
from tests.factories import make_user
from tests.integration.catalog_tree.support import count_categories, place, tree


async def _admin(db: Database, clock: FixedClock) -> Principal:
    made = await make_user(db, now=clock.now(), operator_roles=(OperatorRole.ADMIN,))
    async with db.reading() as session:
        found = await load_principal(session, made.user_id)
    assert found is not None
    return found


async def _import(db: Database, clock: FixedClock, tmp_path: Path, text: str) -> int:
    source = tmp_path / "taxonomy.txt"
    source.write_text(text, encoding="utf-8")
    return await import_google_taxonomy(db, now=clock.now(), source=source)


V1 = "1 - A\n2 - A > B\n3 - A > C\n4 - D\n5 - D > E\n"


async def test_operators_categories_and_edits_survive_a_new_version(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    await _import(db, clock, tmp_path, V1)
    admin, audit = await _admin(db, clock), AuditContext(request_id="test")
    mine = await add_category(
        db, actor=admin, parent_id=2, names=CategoryNames("Mine"), now=clock.now(), audit=audit
    )
    await rename_category(
        db, actor=admin, category_id=3, names=CategoryNames("Sea"), now=clock.now(), audit=audit
    )
    await move_category(db, actor=admin, category_id=5, parent_id=1, now=clock.now(), audit=audit)
    # Google moves B under D, renames C and E back and forth, adds "A > B > Mine" (taken by
    # the operator's category), and a child under it.
    v2 = (
        "1 - A\n2 - D > B\n3 - A > C2\n4 - D\n5 - D > E2\n"
        "6 - D > B > Mine\n7 - D > B > Mine > Deep\n8 - A > New\n"
    )
    assert await _import(db, clock, tmp_path, v2) == 1
    assert await place(db, 2) == (4, "D > B", 1, 4)
    assert await place(db, mine) == (2, "D > B > Mine", 2, 4)
    assert await place(db, 3) == (1, "A > Sea", 1, 1)
    assert await place(db, 5) == (1, "A > E", 1, 1)
    assert await place(db, 8) == (1, "A > New", 1, 1)
    assert await count_categories(db) == 7  # 1-5, Mine and New: 6 and 7 left out
    before = await tree(db)
    assert await _import(db, clock, tmp_path, v2) == 0
    assert await tree(db) == before


async def test_a_google_move_that_would_make_a_cycle_is_left_out(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    await _import(db, clock, tmp_path, V1)
    admin, audit = await _admin(db, clock), AuditContext(request_id="test")
    await move_category(db, actor=admin, category_id=4, parent_id=2, now=clock.now(), audit=audit)
    # The operator put D under A > B; Google now puts A under D.
    assert await _import(db, clock, tmp_path, "4 - D\n1 - D > A\n2 - D > A > B\n") == 0
    assert await place(db, 1) == (None, "A", 0, 1)
    assert await place(db, 4) == (2, "A > B > D", 2, 1)
    assert await place(db, 5) == (4, "A > B > D > E", 3, 1)


async def test_a_file_with_an_id_in_the_operators_range_is_refused(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    await _import(db, clock, tmp_path, V1)
    before = await tree(db)
    with pytest.raises(ValidationFailed) as refused:
        await _import(db, clock, tmp_path, V1 + "1000000000 - Z\n")
    assert refused.value.details == {"line": 6}
    assert await tree(db) == before


async def test_google_renames_that_swap_a_path_do_not_crash(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    await _import(db, clock, tmp_path, V1)
    # B becomes B2 and a new category takes the path "A > B": the rename goes first.
    assert await _import(db, clock, tmp_path, V1.replace("A > B", "A > B2") + "9 - A > B\n") == 1
    assert await place(db, 2) == (1, "A > B2", 1, 1)
    assert await place(db, 9) == (1, "A > B", 1, 1)
