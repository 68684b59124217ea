"""Reads for `galerie reconcile` (the reconciliation package adds them as checks): every
deposit payment the provider captured is journalled under `deposit:<id>` (or owed back under
`deposit-owed-back:<id>`) for exactly what was captured, and our deposit payments as the
provider's records know them (provider payment id -> status, captured, currency). One query
each; reads only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

CAPTURED_STATUSES = ("succeeded", "amount_mismatch")
# What each captured deposit payment put into provider clearing (debit lines).
UNJOURNALLED_SQL = text(
    """
SELECT p.id, p.captured_minor, COALESCE(SUM(l.amount_minor), 0)
FROM deposit_payments p
LEFT JOIN journal_entries e
  ON e.key IN ('deposit:' || CAST(p.id AS TEXT), 'deposit-owed-back:' || CAST(p.id AS TEXT))
LEFT JOIN journal_lines l ON l.entry_id = e.id AND l.amount_minor > 0
  AND l.account_id IN (SELECT id FROM ledger_accounts WHERE kind = 'provider_clearing')
WHERE p.status IN ('succeeded', 'amount_mismatch')
GROUP BY p.id, p.captured_minor
HAVING COALESCE(SUM(l.amount_minor), 0) <> COALESCE(p.captured_minor, 0)
ORDER BY p.id
"""
)
OURS_SQL = text(
    "SELECT provider_payment_id, status, captured_minor, currency FROM deposit_payments "
    "WHERE provider = :provider ORDER BY id"
)


@dataclass(frozen=True, slots=True)
class UnjournalledDeposit:
    deposit_payment_id: int
    captured_minor: int
    journalled_minor: int


async def unjournalled_deposit_payments(session: AsyncSession) -> list[UnjournalledDeposit]:
    """Captured deposit payments whose entry is missing or moved another amount."""
    rows = await session.execute(UNJOURNALLED_SQL)
    return [UnjournalledDeposit(int(i), int(c or 0), int(j)) for i, c, j in rows]


async def deposit_payments_of(
    session: AsyncSession, *, provider: str
) -> dict[str, tuple[str, int | None, str]]:
    """Our deposit payments at `provider`: provider payment id -> (status, captured minor,
    currency), to compare with the provider's records like the group payments."""
    rows = await session.execute(OURS_SQL, {"provider": provider})
    return {
        str(pid): (str(status), None if captured is None else int(captured), str(currency))
        for pid, status, captured, currency in rows
    }
