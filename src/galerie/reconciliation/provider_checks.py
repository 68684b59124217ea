"""Our payments table against the provider's own records (PaymentProvider.list_records):

- every payment we hold as captured exists at the provider, succeeded, for the same amount
  (`payment_missing_at_provider`, `payment_amount_differs`);
- every payment the provider captured is known to us (`provider_payment_unknown`) and
  applied (`provider_payment_not_applied`: its webhook has not been applied yet, or was lost).

Here `expected` is what our side records and `actual` what the provider records. Refunds
and payouts are compared with the provider's records in refund_checks and payout_checks."""

from __future__ import annotations

from galerie.deposits import deposit_payments_of, unjournalled_deposit_payments
from galerie.payments import ProviderRecord, RecordKind
from galerie.reconciliation.context import Context
from galerie.reconciliation.findings import Discrepancy

CAPTURED = frozenset({"succeeded", "amount_mismatch", "refund_due"})
PROVIDER_SUCCEEDED = "succeeded"
OURS_SQL = (
    "SELECT provider_payment_id, status, captured_minor, currency FROM payments "
    "WHERE provider = :provider ORDER BY id"
)


async def _ours(ctx: Context) -> dict[str, tuple[str, int | None, str]]:
    """Payment groups' payments and shops' deposit payments: both are the provider's
    payments (read once per run: two checks compare them)."""
    ours: dict[str, tuple[str, int | None, str]] = await ctx.once("payments", lambda: _read(ctx))
    return ours


async def _read(ctx: Context) -> dict[str, tuple[str, int | None, str]]:
    assert ctx.provider is not None
    rows = await ctx.rows(OURS_SQL, provider=ctx.provider.name)
    ours = {
        str(pid): (str(status), None if captured is None else int(captured), str(currency))
        for pid, status, captured, currency in rows
    }
    async with ctx.db.reading() as session:
        ours |= await deposit_payments_of(session, provider=ctx.provider.name)
    return ours


async def deposits_journalled(ctx: Context) -> list[Discrepancy]:
    """Every captured deposit payment is journalled for what was captured
    (`deposit_not_journalled`)."""
    async with ctx.db.reading() as session:
        missing = await unjournalled_deposit_payments(session)
    return [
        Discrepancy(
            "deposit_not_journalled",
            f"deposit_payment:{m.deposit_payment_id}",
            m.captured_minor,
            m.journalled_minor,
        )
        for m in missing
    ]


async def _theirs(ctx: Context) -> dict[str, ProviderRecord]:
    return {r.record_id: r for r in await ctx.provider_records() if r.kind is RecordKind.PAYMENT}


async def payments_at_provider(ctx: Context) -> list[Discrepancy]:
    theirs = await _theirs(ctx)
    found: list[Discrepancy] = []
    for pid, (status, captured, currency) in (await _ours(ctx)).items():
        if status not in CAPTURED:
            continue
        record = theirs.get(pid)
        expected = int(captured or 0)
        if record is None or record.status != PROVIDER_SUCCEEDED:
            actual = "absent" if record is None else record.status
            found.append(
                Discrepancy("payment_missing_at_provider", f"payment:{pid}", expected, actual)
            )
        elif (record.amount.minor, record.amount.currency) != (expected, currency):
            found.append(
                Discrepancy(
                    "payment_amount_differs", f"payment:{pid}", expected, record.amount.minor
                )
            )
    return found


async def provider_payments_known(ctx: Context) -> list[Discrepancy]:
    ours = await _ours(ctx)
    found: list[Discrepancy] = []
    for pid, record in (await _theirs(ctx)).items():
        if record.status != PROVIDER_SUCCEEDED:
            continue
        mine = ours.get(pid)
        if mine is None:
            found.append(
                Discrepancy(
                    "provider_payment_unknown", f"payment:{pid}", "absent", record.amount.minor
                )
            )
        elif mine[0] not in CAPTURED:
            found.append(
                Discrepancy(
                    "provider_payment_not_applied", f"payment:{pid}", mine[0], record.amount.minor
                )
            )
    return found
