"""Pure refund arithmetic (no I/O): how a refund of a shop order falls on its lines and
shipping fee, and how much commission goes back with it after release.

- a full refund takes what remains of every line and of the shipping fee;
- a line refund takes part or all of what remains of that line (never more);
- a partial refund of the order is spread over what remains of its lines by largest
  remainder (kernel.allocate), so each line's part never exceeds what remains of it; the
  shipping fee is refunded only by a full refund.

After release each line's commission was taken on what remained of it then; a refund of
`a` out of the `r` that remains of a line returns `a x c / r` of the commission `c` not
yet returned, rounded half up, so refunding the rest of a line returns exactly the rest of
its commission, and for the order paid = seller share + commission + refunded stays exact.
Before release no commission was taken: none is returned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from galerie.kernel import allocate
from galerie.payments.errors import BadRefund, RefundExceedsPaid


@dataclass(frozen=True, slots=True)
class LineState:
    """What remains of one order line, and the commission on it not yet returned (0
    before release)."""

    line_id: int
    remaining_minor: int
    commission_left_minor: int


@dataclass(frozen=True, slots=True)
class LinePart:
    line_id: int
    amount_minor: int
    commission_minor: int  # returned by the platform (after release)


@dataclass(frozen=True, slots=True)
class RefundPlan:
    lines: tuple[LinePart, ...]
    shipping_minor: int

    @property
    def amount_minor(self) -> int:
        return sum(part.amount_minor for part in self.lines) + self.shipping_minor

    @property
    def commission_minor(self) -> int:
        return sum(part.commission_minor for part in self.lines)


def returned_commission(amount: int, line: LineState) -> int:
    """The commission returned with `amount` of the line (half up); all of what is left
    when the amount is all that remains."""
    if amount == line.remaining_minor:
        return line.commission_left_minor
    numerator = 2 * amount * line.commission_left_minor + line.remaining_minor
    return numerator // (2 * line.remaining_minor)


def _parts(lines: Sequence[LineState], amounts: Sequence[int]) -> tuple[LinePart, ...]:
    return tuple(
        LinePart(line.line_id, amount, returned_commission(amount, line))
        for line, amount in zip(lines, amounts, strict=True)
        if amount > 0
    )


def plan_full(lines: Sequence[LineState], shipping_left: int) -> RefundPlan:
    """Everything that remains: every line and the shipping fee."""
    plan = RefundPlan(_parts(lines, [line.remaining_minor for line in lines]), shipping_left)
    if plan.amount_minor <= 0:
        raise RefundExceedsPaid("Everything paid for this order has been refunded already.")
    return plan


def plan_line(lines: Sequence[LineState], line_id: int, amount: int | None) -> RefundPlan:
    """Part (`amount`) or all (None) of what remains of one line."""
    line = next((line for line in lines if line.line_id == line_id), None)
    if line is None:
        raise BadRefund("This line is not in this order.", field="line_id")
    wanted = line.remaining_minor if amount is None else amount
    if wanted > line.remaining_minor or wanted <= 0:
        raise RefundExceedsPaid(
            "The refund would exceed what remains of this line.",
            line_id=line_id, remaining=line.remaining_minor, asked=wanted,
        )  # fmt: skip
    return RefundPlan(_parts([line], [wanted]), 0)


def plan_partial(lines: Sequence[LineState], amount: int) -> RefundPlan:
    """`amount` of the order's goods, spread over what remains of its lines."""
    remaining = [line.remaining_minor for line in lines]
    if amount > sum(remaining):
        raise RefundExceedsPaid(
            "The refund would exceed what remains of the order's goods (the shipping fee is "
            "refunded only with a full refund).",
            remaining=sum(remaining), asked=amount,
        )  # fmt: skip
    return RefundPlan(_parts(lines, allocate(amount, remaining)), 0)
