"""Real races: two operators decide the same application at the same moment, on separate
connections of a database of its own (committed data, not a test savepoint). Exactly one
decision lands; the other is refused as a Conflict and leaves nothing behind."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from galerie.audit import AuditContext, AuditRecord
from galerie.db import Database
from galerie.kernel import Conflict, FixedClock
from galerie.sellers import approve_application, reject_application
from galerie.sellers.models import ApplicationHistory, SellerApplication, Shop
from tests.integration.sellers.factories import insert_application, load_categories, make_people


async def _count(db: Database, model: type, **where: object) -> int:
    async with db.reading() as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return await session.scalar(query) or 0


async def test_approve_and_reject_race_exactly_one_wins(
    fresh_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    setup = Database.from_url(fresh_url)
    first, second = Database.from_url(fresh_url), Database.from_url(fresh_url)
    try:
        now = clock.now()
        await load_categories(setup, now, tmp_path)
        people = await make_people(setup, now)
        application_id = await insert_application(
            setup, now, organisation_id=people.org, status="under_review"
        )
        audit = AuditContext()
        outcomes = await asyncio.gather(
            approve_application(
                first, actor=people["vetting"], application_id=application_id,
                reason="documents in order", now=now, audit=audit,
            ),
            reject_application(
                second, actor=people["admin"], application_id=application_id,
                reason="not a fit", now=now, audit=audit,
            ),
            return_exceptions=True,
        )  # fmt: skip
        refused = [o for o in outcomes if isinstance(o, Conflict)]
        assert len(refused) == 1, outcomes
        assert refused[0].code in {"stale_state", "transition_not_allowed"}
        approved = not isinstance(outcomes[0], Conflict)
        async with setup.reading() as session:
            status = await session.scalar(
                select(SellerApplication.status).where(SellerApplication.id == application_id)
            )
        assert status == ("approved" if approved else "rejected")
        assert await _count(setup, ApplicationHistory, application_id=application_id) == 1
        assert await _count(setup, Shop) == (1 if approved else 0)
        assert await _count(setup, AuditRecord, outcome="succeeded") == 1
    finally:
        for db in (setup, first, second):
            await db.dispose()
