"""What the deposits tests share: the ledger's deposit figures, outbox events and audit rows."""

from __future__ import annotations

from sqlalchemy import func, select

from galerie.audit import AuditRecord
from galerie.db import Database
from galerie.db.outbox import OutboxEvent
from galerie.sellers.models import Shop
from tests.integration.ledger.factories import cached_balances


async def ledger(db: Database) -> dict[tuple[str, int], int]:
    """(account kind, owner) -> signed cached balance (debit positive), non-zero ones; and
    the journal agrees with the cached balances."""
    return await cached_balances(db)


async def shop_state(db: Database, shop_id: int) -> tuple[str, int]:
    async with db.reading() as session:
        row = (
            await session.execute(
                select(Shop.status, Shop.deposit_held_minor).where(Shop.id == shop_id)
            )
        ).one()
    return str(row[0]), int(row[1])


async def events(db: Database, name: str) -> list[dict[str, object]]:
    async with db.reading() as session:
        rows = await session.scalars(
            select(OutboxEvent.payload)
            .where(OutboxEvent.event_name == name)
            .order_by(OutboxEvent.id)
        )
        return [dict(r) for r in rows]


async def audits(db: Database, action: str, outcome: str = "succeeded") -> int:
    async with db.reading() as session:
        found = await session.scalar(
            select(func.count())
            .select_from(AuditRecord)
            .where(AuditRecord.action == action, AuditRecord.outcome == outcome)
        )
    return int(found or 0)
