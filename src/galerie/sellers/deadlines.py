"""Document deadlines of live shops: each document (of the shop's opening application or
an approved extension) expiring within 30 days, or already expired, is announced once per
threshold as an outbox event (mailed to the organisation's owners and managers).

`announce_document_deadlines` is run periodically by the worker (workers.timers). A row in
`document_deadline_notices`, unique per (document, threshold, expiry date), is inserted with
ON CONFLICT DO NOTHING and the event is recorded only when the row was new, so running it
twice, or on two workers at once, announces each deadline once. A document replaced by one
with a later date is a new deadline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.sellers.events import DocumentExpired, DocumentExpiring
from galerie.sellers.models import (
    ApplicationDocument,
    DocumentDeadlineNotice,
    SellerApplication,
    Shop,
)
from galerie.sellers.rules import EXPIRY_WARNING
from galerie.sellers.states import ApplicationStatus, ShopStatus

EXPIRING, EXPIRED = "expiring", "expired"


def threshold(valid_until: date, today: date) -> str | None:
    """Which deadline a document has reached today, if any."""
    if valid_until < today:
        return EXPIRED
    if valid_until < today + EXPIRY_WARNING:
        return EXPIRING
    return None


async def _due(session: AsyncSession, today: date) -> list[tuple[ApplicationDocument, int]]:
    """Documents of live shops dated before today + 30 days, with their shop's id."""
    rows = await session.execute(
        select(ApplicationDocument, Shop.id)
        .join(SellerApplication, SellerApplication.id == ApplicationDocument.application_id)
        .join(
            Shop,
            or_(
                Shop.application_id == SellerApplication.id,
                (Shop.id == SellerApplication.shop_id)
                & (SellerApplication.status == ApplicationStatus.APPROVED.value),
            ),
        )
        .where(
            Shop.status == ShopStatus.LIVE.value,
            ApplicationDocument.valid_until.is_not(None),
            ApplicationDocument.valid_until < today + EXPIRY_WARNING,
        )
        .order_by(ApplicationDocument.id)
    )
    return [(doc, shop_id) for doc, shop_id in rows.tuples()]


async def _claim(
    session: AsyncSession, doc: ApplicationDocument, shop_id: int, reached: str, now: datetime
) -> bool:
    """Insert the notice; False when it was already there."""
    dialect = session.bind.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    assert doc.valid_until is not None
    statement = (
        insert(DocumentDeadlineNotice)
        .values(
            document_id=doc.id,
            shop_id=shop_id,
            organisation_id=doc.organisation_id,
            threshold=reached,
            valid_until=doc.valid_until,
            created_at=now,
        )
        .on_conflict_do_nothing()
        .returning(DocumentDeadlineNotice.id)
    )
    return (await session.scalar(statement)) is not None


async def announce_document_deadlines(db: Database, *, now: datetime) -> int:
    """Announce every deadline reached and not yet announced; returns how many."""
    today = now.date()
    announced = 0
    async with db.transaction() as session:
        for doc, shop_id in await _due(session, today):
            assert doc.valid_until is not None
            reached = threshold(doc.valid_until, today)
            if reached is None or not await _claim(session, doc, shop_id, reached, now):
                continue
            event = DocumentExpired if reached == EXPIRED else DocumentExpiring
            record_event(
                session,
                event(
                    shop_id=shop_id,
                    organisation_id=doc.organisation_id,
                    document_id=doc.id,
                    kind=doc.kind,
                    valid_until=doc.valid_until.isoformat(),
                ),
                now=now,
            )
            announced += 1
    return announced
