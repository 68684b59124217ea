"""After a move, search files the subtree's products under their new ancestors: the move
announces them (ProductChanged through the outbox) and the application's search handlers
reindex them. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from galerie.audit import AuditContext
from galerie.catalog import move_category
from galerie.db import Database
from galerie.db.outbox import OutboxEvent
from galerie.identity import OperatorRole, load_principal
from galerie.kernel import FixedClock
from tests.factories import make_user
from tests.integration.search.conftest import APPAREL, SHOES, TOYS, build_labelled
from tests.integration.search.test_indexing import dispatch, found


async def test_products_of_a_moved_subtree_are_found_under_the_new_root(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    labelled = await build_labelled(db, clock)
    shoes = labelled.p["shoes"]  # in Kids' shoes, under Apparel > Shoes
    assert shoes in await found(db, "", category_id=APPAREL)
    assert shoes not in await found(db, "", category_id=TOYS)
    made = await make_user(db, now=clock.now(), operator_roles=(OperatorRole.ADMIN,))
    async with db.reading() as session:
        admin = await load_principal(session, made.user_id)
    assert admin is not None
    await move_category(
        db, actor=admin, category_id=SHOES, parent_id=TOYS, now=clock.now(),
        audit=AuditContext(request_id="test"),
    )  # fmt: skip
    async with db.reading() as session:
        announced = await session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.event_name == "ProductChanged", OutboxEvent.dispatched_at.is_(None))
        )
    assert announced == 1  # the one live product below Shoes
    await dispatch(db, clock, tmp_path)
    assert shoes in await found(db, "", category_id=TOYS)
    assert shoes in await found(db, "", category_id=SHOES)
    assert shoes not in await found(db, "", category_id=APPAREL)
