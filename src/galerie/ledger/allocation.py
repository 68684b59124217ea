"""Commission arithmetic for escrow release: per-line commission from per-line rates (basis
points), rounded by largest remainder so that the total commission is the exact total
rounded once (half up) and, on every line, seller share + commission == the line's total.

The kernel's `allocate` splits one amount in proportion to weights; here each line has its
own exact quota (total x rate / 10,000), so the floors and remainders are taken from those
quotas directly, and the units left over go to the largest remainders (ties: earlier line)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from galerie.kernel import Money, ValidationFailed
from galerie.ledger.rules import Line, credit, debit

BASIS = 10_000  # basis points in a whole


@dataclass(frozen=True, slots=True)
class CommissionShare:
    line_total: Money
    rate_bp: int
    commission: Money
    seller_share: Money


def commission_split(line_totals: Sequence[Money], rates: Sequence[int]) -> list[CommissionShare]:
    """Per-line commission and seller share. `rates` are basis points (0..10,000), one per
    line; totals are non-negative and in one currency."""
    if len(line_totals) != len(rates) or not line_totals:
        raise ValidationFailed("one rate per line, at least one line", code="bad_commission")
    currency = line_totals[0].currency
    for total, rate in zip(line_totals, rates, strict=True):
        if total.currency != currency or total.minor < 0:
            raise ValidationFailed("line totals: one currency, >= 0", code="bad_commission")
        if type(rate) is not int or not 0 <= rate <= BASIS:
            raise ValidationFailed("rates are 0 to 10000 basis points", code="bad_commission")
    quotas = [total.minor * rate for total, rate in zip(line_totals, rates, strict=True)]
    commissions = [q // BASIS for q in quotas]
    remainders = [q % BASIS for q in quotas]
    target = (sum(quotas) + BASIS // 2) // BASIS
    order = sorted(range(len(quotas)), key=lambda i: (-remainders[i], i))
    for i in order[: target - sum(commissions)]:
        commissions[i] += 1
    return [
        CommissionShare(
            line_total=total,
            rate_bp=rate,
            commission=Money(fee, currency),
            seller_share=Money(total.minor - fee, currency),
        )
        for total, rate, fee in zip(line_totals, rates, commissions, strict=True)
    ]


def escrow_release_lines(
    *,
    escrow_id: int,
    payable_id: int,
    commission_id: int,
    shares: Sequence[CommissionShare],
) -> list[Line]:
    """The lines that release a shop order's escrow: debit escrow by what is released,
    credit the seller's payable with the seller share and commission revenue with the
    commission (a zero part gets no line)."""
    if not shares:
        raise ValidationFailed("nothing to release", code="bad_commission")
    currency = shares[0].line_total.currency
    released = sum(share.line_total.minor for share in shares)
    seller = sum(share.seller_share.minor for share in shares)
    commission = released - seller
    lines = [debit(escrow_id, Money(released, currency))]
    if seller:
        lines.append(credit(payable_id, Money(seller, currency)))
    if commission:
        lines.append(credit(commission_id, Money(commission, currency)))
    return lines
