"""Payouts (settlement) against the ledger and the provider's records:

- every payout has its entry `payout:<id>` for its amount, a paid one `payout-paid:<id>`
  and a failed one `payout-failed:<id>` (`payout_not_journalled`, subject the entry's key);
- every payout the provider accepted (sent or paid) exists there for the same amount
  (`payout_missing_at_provider`, `payout_amount_differs`), and every payout the provider
  holds is one of ours (`provider_payout_unknown`: our record of sending it was lost).

`expected` is what our side records and `actual` what the ledger or the provider records."""

from __future__ import annotations

from galerie.payments import RecordKind
from galerie.reconciliation.context import Context
from galerie.reconciliation.findings import Discrepancy

PAYOUTS_SQL = (
    "SELECT id, status, amount_minor, provider_payout_id FROM payouts "
    "WHERE provider = :provider ORDER BY id"
)
ALL_PAYOUTS_SQL = "SELECT id, status, amount_minor FROM payouts ORDER BY id"
# The debits of an entry: what it moved (every entry balances, so debits = credits).
ENTRY_SQL = (
    "SELECT e.key, SUM(CASE WHEN l.amount_minor > 0 THEN l.amount_minor ELSE 0 END) "
    "FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id "
    "WHERE e.key LIKE 'payout%' GROUP BY e.key"
)
ENTRIES_BY_STATUS = {
    "requested": ("payout",),
    "sent": ("payout",),
    "paid": ("payout", "payout-paid"),
    "failed": ("payout", "payout-failed"),
}


async def payouts_journalled(ctx: Context) -> list[Discrepancy]:
    moved = {str(key): int(total) for key, total in await ctx.rows(ENTRY_SQL)}
    found: list[Discrepancy] = []
    for payout_id, status, amount in await ctx.rows(ALL_PAYOUTS_SQL):
        for prefix in ENTRIES_BY_STATUS.get(str(status), ()):
            key = f"{prefix}:{payout_id}"
            actual = moved.get(key)
            if actual != int(amount):
                found.append(
                    Discrepancy(
                        "payout_not_journalled", key, int(amount),
                        "absent" if actual is None else actual,
                    )
                )  # fmt: skip
    return found


async def payouts_at_provider(ctx: Context) -> list[Discrepancy]:
    assert ctx.provider is not None
    theirs = {r.record_id: r for r in await ctx.provider_records() if r.kind is RecordKind.PAYOUT}
    found: list[Discrepancy] = []
    ours: set[str] = set()
    for _id, status, amount, provider_id in await ctx.rows(PAYOUTS_SQL, provider=ctx.provider.name):
        if provider_id is None:
            continue
        ours.add(str(provider_id))
        record = theirs.get(str(provider_id))
        subject = f"payout:{provider_id}"
        if record is None and status in {"sent", "paid"}:
            found.append(Discrepancy("payout_missing_at_provider", subject, int(amount), "absent"))
        elif record is not None and record.amount.minor != int(amount):
            found.append(
                Discrepancy("payout_amount_differs", subject, int(amount), record.amount.minor)
            )
    for record_id, record in theirs.items():
        if record_id not in ours:
            found.append(
                Discrepancy(
                    "provider_payout_unknown", f"payout:{record_id}", "absent",
                    record.amount.minor,
                )
            )  # fmt: skip
    return found
