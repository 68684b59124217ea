"""Our refunds (payments.refunds) against the provider's refund records, both ways:

- every refund we hold as `succeeded` exists at the provider under the refund id it gave us,
  for the same amount and currency, of the same payment (`refund_missing_at_provider`,
  `refund_amount_differs`, `refund_payment_differs`);
- every refund the provider made is one of ours: `provider_refund_unknown`, or
  `provider_refund_not_applied` when a refund of ours of that payment and amount is still
  pending without the provider's id (its answer was never recorded: the pending refunds'
  timer sends it again under the same key and settles it).

Refunds are of the provider's payments (a refund names the payment it refunds), so ours are
those of payments made with the configured provider. `expected` is what our side records
and `actual` what the provider records, as in the other provider checks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from galerie.payments import ProviderRecord, RecordKind
from galerie.reconciliation.context import Context
from galerie.reconciliation.findings import Discrepancy

SUCCEEDED, PENDING = "succeeded", "pending"
OURS_SQL = """
SELECT r.key, r.status, r.amount_minor, r.currency, r.provider_payment_id, r.provider_refund_id
FROM refunds r
WHERE r.status IN ('succeeded', 'pending')
  AND EXISTS (SELECT 1 FROM payments p
              WHERE p.provider_payment_id = r.provider_payment_id AND p.provider = :provider)
ORDER BY r.id
"""


@dataclass(frozen=True, slots=True)
class OurRefund:
    key: str
    status: str
    amount_minor: int
    currency: str
    payment_id: str  # the provider's id of the refunded payment
    refund_id: str | None  # the provider's id of the refund, once it answered


async def _ours(ctx: Context) -> list[OurRefund]:
    async def read() -> list[OurRefund]:
        assert ctx.provider is not None
        rows = await ctx.rows(OURS_SQL, provider=ctx.provider.name)
        return [
            OurRefund(str(k), str(s), int(a), str(c), str(p), None if r is None else str(r))
            for k, s, a, c, p, r in rows
        ]

    ours: list[OurRefund] = await ctx.once("refunds", read)
    return ours


async def _theirs(ctx: Context) -> dict[str, ProviderRecord]:
    return {r.record_id: r for r in await ctx.provider_records() if r.kind is RecordKind.REFUND}


def _compare(ours: OurRefund, record: ProviderRecord | None) -> Discrepancy | None:
    subject = f"refund:{ours.refund_id or ours.key}"
    if record is None:
        return Discrepancy("refund_missing_at_provider", subject, ours.amount_minor, "absent")
    if (record.amount.minor, record.amount.currency) != (ours.amount_minor, ours.currency):
        return Discrepancy("refund_amount_differs", subject, ours.amount_minor, record.amount.minor)
    if record.payment_id != ours.payment_id:
        return Discrepancy(
            "refund_payment_differs", subject, ours.payment_id, record.payment_id or "absent"
        )
    return None


async def refunds_at_provider(ctx: Context) -> list[Discrepancy]:
    """Each refund we hold as succeeded, against the provider's record of it."""
    theirs = await _theirs(ctx)
    found = [
        _compare(refund, theirs.get(refund.refund_id or ""))
        for refund in await _ours(ctx)
        if refund.status == SUCCEEDED
    ]
    return [d for d in found if d is not None]


async def provider_refunds_known(ctx: Context) -> list[Discrepancy]:
    """Each refund the provider made, against ours."""
    ours = await _ours(ctx)
    known = {refund.refund_id for refund in ours if refund.refund_id is not None}
    unanswered = Counter(
        (refund.payment_id, refund.amount_minor, refund.currency)
        for refund in ours
        if refund.status == PENDING and refund.refund_id is None
    )
    found: list[Discrepancy] = []
    for record_id, record in (await _theirs(ctx)).items():
        if record_id in known:
            continue
        waiting = (record.payment_id or "", record.amount.minor, record.amount.currency)
        if unanswered[waiting] > 0:
            unanswered[waiting] -= 1
            kind, expected = "provider_refund_not_applied", PENDING
        else:
            kind, expected = "provider_refund_unknown", "absent"
        found.append(Discrepancy(kind, f"refund:{record_id}", expected, record.amount.minor))
    return found
