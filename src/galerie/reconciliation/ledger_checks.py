"""The ledger against itself: every cached balance against the sum of its journal lines,
every currency's balances summing to zero, every entry balanced (ledger.check_balances);
and every captured payment journalled for exactly what the provider captured."""

from __future__ import annotations

from galerie.ledger import check_balances
from galerie.reconciliation.context import Context
from galerie.reconciliation.findings import Discrepancy

# What each captured payment put into provider clearing: `capture:<id>` (into escrow) or
# `owed-back:<id>` (owed to the buyer). Both debit provider clearing by the captured amount.
PAYMENTS_JOURNALLED_SQL = """
SELECT p.id, p.captured_minor, COALESCE(SUM(l.amount_minor), 0)
FROM payments p
LEFT JOIN journal_entries e
  ON e.key IN ('capture:' || CAST(p.id AS TEXT), 'owed-back:' || CAST(p.id AS TEXT))
LEFT JOIN journal_lines l ON l.entry_id = e.id AND l.amount_minor > 0
  AND l.account_id IN (SELECT id FROM ledger_accounts WHERE kind = 'provider_clearing')
WHERE p.status IN ('succeeded', 'amount_mismatch', 'refund_due')
GROUP BY p.id, p.captured_minor
HAVING COALESCE(SUM(l.amount_minor), 0) <> COALESCE(p.captured_minor, 0)
ORDER BY p.id
"""


async def ledger_balances(ctx: Context) -> list[Discrepancy]:
    """`balance_differs` (cached vs journal, signed, debit positive), `currency_not_zero`,
    `entry_unbalanced`."""
    check = await check_balances(ctx.db)
    found = [
        Discrepancy(
            "balance_differs",
            f"account:{d.account_id} {d.kind.value}"
            + (f" of {d.owner_id}" if d.owner_id is not None else ""),
            d.journal_minor,
            d.cached_minor,
        )
        for d in check.discrepancies
    ]
    found += [
        Discrepancy("currency_not_zero", f"currency:{currency}", 0, total)
        for currency, total in check.unbalanced_currencies.items()
    ]
    found += [
        Discrepancy("entry_unbalanced", f"entry:{entry}", 0, "unbalanced")
        for entry in check.unbalanced_entries
    ]
    return found


async def payments_journalled(ctx: Context) -> list[Discrepancy]:
    """`payment_not_journalled`: a captured payment whose capture (or owed-back) entry
    is missing or moved another amount."""
    rows = await ctx.rows(PAYMENTS_JOURNALLED_SQL)
    return [
        Discrepancy("payment_not_journalled", f"payment:{pid}", int(captured or 0), int(posted))
        for pid, captured, posted in rows
    ]
