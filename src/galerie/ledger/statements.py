"""An account's statement: its journal lines, newest first, each on the account's natural
side (what came in positive), with the entry's key, memo and time. One query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.kernel import Money
from galerie.ledger.models import JournalEntry, JournalLine, LedgerAccount


@dataclass(frozen=True, slots=True)
class StatementLine:
    occurred_at: datetime
    key: str
    memo: str
    amount: Money  # natural side: positive adds to the balance


async def account_statement(
    session: AsyncSession, *, account_id: int, limit: int = 50
) -> list[StatementLine]:
    rows = await session.execute(
        select(
            JournalEntry.occurred_at, JournalEntry.key, JournalEntry.memo,
            JournalLine.amount_minor * LedgerAccount.normal_sign, JournalLine.currency,
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(LedgerAccount, LedgerAccount.id == JournalLine.account_id)
        .where(JournalLine.account_id == account_id)
        .order_by(JournalEntry.id.desc())
        .limit(limit)
    )  # fmt: skip
    return [
        StatementLine(at, str(key), str(memo), Money(int(amount), str(currency)))
        for at, key, memo, amount, currency in rows
    ]


async def last_line_id(session: AsyncSession, *, account_id: int) -> int:
    """The id of the account's latest journal line (0 before any): it grows with every
    movement, so it tells "as the account stands now" apart from any earlier moment."""
    found = await session.scalar(
        select(func.max(JournalLine.id)).where(JournalLine.account_id == account_id)
    )
    return int(found or 0)
