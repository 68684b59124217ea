"""Refunding a shop order, or one of its lines, to the buyer: `refund_order`, in the
caller's transaction (the money side; the provider side is refund_sending.py).

Never more than was paid: the order's figures row is locked first (order_money.py), then
one conditional UPDATE raises its refunded total (`refunded + amount <= paid`, a CHECK
too) and one per line (`refunded + part <= line total`); a refusal rolls everything back.
So 50 concurrent refunds of one order refund at most what was paid, on both databases.

Where the money comes from (ADR 0014):
- before release: the order's escrow, into the refunds account (owed to the buyer);
- after release: the commission on the refunded part goes back from commission revenue
  (refund_rules.returned_commission), and the seller's part is clawed back from the
  shop's seller payable, then from its deposit for the rest; if both together cannot
  cover it, RefundNotCovered and nothing changes.
One journal entry `refund:<key>`; the refund is recorded `pending` with where its money came
from, and one audit record (`payments.refund`) is written. The refund's business key makes
a replay return the refund already recorded and write nothing; the same key for another
order, line or amount is refused (RefundKeyReused)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.deposits import note_deposit_taken
from galerie.kernel import DomainError, Money
from galerie.ledger import (
    AccountKind,
    BalanceWouldGoNegative,
    Line,
    account_for,
    credit,
    debit,
    find_account,
    post_entry,
)
from galerie.orders.models import Order, OrderLine
from galerie.payments.errors import (
    BadRefund,
    OrderNotRefundable,
    RefundExceedsPaid,
    RefundKeyReused,
    RefundNotCovered,
)
from galerie.payments.models import Payment
from galerie.payments.order_money import Figures, changed, ensure_figures, lock_figures
from galerie.payments.refund_models import OrderLineMoney, OrderMoney, Refund
from galerie.payments.refund_rules import (
    LineState,
    RefundPlan,
    plan_full,
    plan_line,
    plan_partial,
)

PENDING = "pending"
REFUND_ACTION = "payments.refund"
REASON_LENGTH = 200
MOVE_ATTEMPTS = 5
_KEY = re.compile(r"^[A-Za-z0-9_.:/=+-]{1,100}$")


@dataclass(frozen=True, slots=True)
class RecordedRefund:
    """A refund as recorded. `replayed`: this call found it under its key (nothing new)."""

    refund_id: int
    key: str
    order_id: int
    order_line_id: int | None
    amount: Money
    status: str
    from_escrow_minor: int
    from_payable_minor: int
    from_deposit_minor: int
    commission_returned_minor: int
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class _Sources:
    escrow: int = 0
    payable: int = 0
    deposit: int = 0
    commission: int = 0


async def refund_order(
    session: AsyncSession,
    *,
    order_id: int,
    reason: str,
    key: str,
    now: datetime,
    amount: Money | None = None,
    line_id: int | None = None,
    audit: AuditContext | None = None,
) -> RecordedRefund:
    """Refund the shop order: all that remains (no amount, no line), `amount` of its goods,
    or all or `amount` of one line. Recorded `pending`; the provider is asked afterwards
    (refund_sending.send_refund). Raises BadRefund, OrderNotRefundable, RefundExceedsPaid,
    RefundNotCovered or RefundKeyReused, having changed nothing. Never commits."""
    _check(key, reason, amount)
    found = await _replay(session, key, order_id, line_id, amount)
    if found is not None:
        return found
    try:
        async with session.begin_nested():
            return await _record(
                session, order_id=order_id, reason=reason.strip(), key=key, now=now,
                amount=amount, line_id=line_id, audit=audit or AuditContext(),
            )  # fmt: skip
    except (DomainError, IntegrityError):
        found = await _replay(session, key, order_id, line_id, amount)  # a same-key race
        if found is not None:
            return found
        raise


def _check(key: str, reason: str, amount: Money | None) -> None:
    if not _KEY.match(key):
        raise BadRefund("A refund key is 1-100 letters, digits or _.:/=+-", field="key")
    if not reason.strip() or len(reason.strip()) > REASON_LENGTH:
        raise BadRefund(
            f"A refund needs a reason of 1 to {REASON_LENGTH} characters.", field="reason"
        )
    if amount is not None and amount.minor <= 0:
        raise BadRefund("A refund's amount is positive.", field="amount")


async def _replay(
    session: AsyncSession, key: str, order_id: int, line_id: int | None, amount: Money | None
) -> RecordedRefund | None:
    row = await session.scalar(select(Refund).where(Refund.key == key))
    if row is None:
        return None
    same_amount = amount is None or (amount.minor, amount.currency) == (
        row.amount_minor, row.currency,
    )  # fmt: skip
    if (row.order_id, row.order_line_id) != (order_id, line_id) or not same_amount:
        raise RefundKeyReused("This refund key was used for another refund.", key=key)
    return _recorded(row, replayed=True)


def _recorded(row: Refund, *, replayed: bool = False) -> RecordedRefund:
    return RecordedRefund(
        refund_id=row.id, key=row.key, order_id=row.order_id, order_line_id=row.order_line_id,
        amount=Money(row.amount_minor, row.currency), status=row.status,
        from_escrow_minor=row.from_escrow_minor, from_payable_minor=row.from_payable_minor,
        from_deposit_minor=row.from_deposit_minor,
        commission_returned_minor=row.commission_returned_minor, replayed=replayed,
    )  # fmt: skip


async def _record(
    session: AsyncSession,
    *,
    order_id: int,
    reason: str,
    key: str,
    now: datetime,
    amount: Money | None,
    line_id: int | None,
    audit: AuditContext,
) -> RecordedRefund:
    if not await ensure_figures(session, order_id, now):
        raise OrderNotRefundable("This order holds no captured money to refund.")
    payment_id = await _provider_payment(session, order_id)
    figures = await lock_figures(session, order_id)
    if amount is not None and amount.currency != figures.currency:
        raise BadRefund("Refund in the order's currency.", field="amount")
    plan = await _plan(session, figures, amount, line_id)
    await _count(session, figures, plan)
    sources = await _move_money(session, figures, plan, key, now)
    refund = Refund(
        key=key, order_id=order_id, order_line_id=line_id, amount_minor=plan.amount_minor,
        currency=figures.currency, reason=reason, status=PENDING,
        from_escrow_minor=sources.escrow, from_payable_minor=sources.payable,
        from_deposit_minor=sources.deposit, commission_returned_minor=sources.commission,
        provider_payment_id=payment_id, created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(refund)
    await session.flush()
    record_audit(
        session, context=audit, action=REFUND_ACTION, now=now, target_type="order",
        target_id=order_id, reason=reason,
        details={"refund_id": refund.id, "key": key, "amount_minor": refund.amount_minor,
                 "currency": refund.currency, "line_id": line_id},
    )  # fmt: skip
    return _recorded(refund)


async def _provider_payment(session: AsyncSession, order_id: int) -> str:
    """The provider's id of the payment that paid the order's group."""
    paid = await session.scalar(
        select(Payment.provider_payment_id)
        .join(Order, Order.payment_group_id == Payment.payment_group_id)
        .where(Order.id == order_id, Payment.status == "succeeded")
    )
    if paid is None:
        raise OrderNotRefundable("This order was not paid through the payment provider.")
    return str(paid)


async def _plan(
    session: AsyncSession, figures: Figures, amount: Money | None, line_id: int | None
) -> RefundPlan:
    rows = await session.execute(
        select(
            OrderLineMoney.order_line_id, OrderLineMoney.line_total_minor,
            OrderLineMoney.refunded_minor, OrderLineMoney.commission_returned_minor,
            OrderLine.commission_minor,
        )
        .join(OrderLine, OrderLine.id == OrderLineMoney.order_line_id)
        .where(OrderLineMoney.order_id == figures.order_id)
        .order_by(OrderLineMoney.order_line_id)
    )  # fmt: skip
    lines = [
        LineState(
            int(line),
            int(total) - int(refunded),
            (int(commission or 0) - int(returned)) if figures.released else 0,
        )
        for line, total, refunded, returned, commission in rows
    ]
    if line_id is not None:
        return plan_line(lines, line_id, None if amount is None else amount.minor)
    if amount is not None:
        return plan_partial(lines, amount.minor)
    shipping = figures.refundable_minor - sum(line.remaining_minor for line in lines)
    return plan_full(lines, shipping)


async def _count(session: AsyncSession, figures: Figures, plan: RefundPlan) -> None:
    """The conditional UPDATEs that keep refunds within what was paid (order and lines)."""
    total = plan.amount_minor
    raised = await changed(
        session,
        update(OrderMoney)
        .where(
            OrderMoney.order_id == figures.order_id,
            OrderMoney.refunded_minor + total <= OrderMoney.paid_minor,
        )
        .values(refunded_minor=OrderMoney.refunded_minor + total),
    )
    if not raised:
        raise RefundExceedsPaid(
            "The refund would exceed what was paid for this order.",
            paid=figures.paid_minor, refunded=figures.refunded_minor, asked=total,
        )  # fmt: skip
    for part in plan.lines:
        raised = await changed(
            session,
            update(OrderLineMoney)
            .where(
                OrderLineMoney.order_line_id == part.line_id,
                OrderLineMoney.refunded_minor + part.amount_minor
                <= OrderLineMoney.line_total_minor,
            )
            .values(
                refunded_minor=OrderLineMoney.refunded_minor + part.amount_minor,
                commission_returned_minor=OrderLineMoney.commission_returned_minor
                + part.commission_minor,
            ),
        )
        if not raised:
            raise RefundExceedsPaid(
                "The refund would exceed what remains of a line.", line_id=part.line_id
            )


async def _shop_of(session: AsyncSession, order_id: int) -> int:
    return int(await session.scalar(select(Order.shop_id).where(Order.id == order_id)) or 0)


async def _sources(
    session: AsyncSession, figures: Figures, plan: RefundPlan, now: datetime
) -> _Sources:
    if not figures.released:
        return _Sources(escrow=plan.amount_minor)
    seller = plan.amount_minor - plan.commission_minor
    shop_id = await _shop_of(session, figures.order_id)
    balances = []
    for kind in (AccountKind.SELLER_PAYABLE, AccountKind.DEPOSITS_HELD):
        account = await find_account(
            session, kind=kind, currency=figures.currency, owner_id=shop_id
        )
        balances.append(0 if account is None else account.balance.minor)
    payable = min(seller, balances[0])
    deposit = seller - payable
    if deposit > balances[1]:
        raise RefundNotCovered(
            "The shop's balance and deposit together cannot cover this refund.",
            seller_part=seller, payable=balances[0], deposit=balances[1],
        )  # fmt: skip
    return _Sources(payable=payable, deposit=deposit, commission=plan.commission_minor)


async def _move_money(
    session: AsyncSession, figures: Figures, plan: RefundPlan, key: str, now: datetime
) -> _Sources:
    """Decide where the money comes from and journal it. After release, another refund or
    a payout of the same shop may take the payable between our read and our posting (on
    PostgreSQL): the posting is then refused and nothing written, and it is decided
    again on the balances as they now are (each refusal means another posting committed,
    so a few attempts cover a few concurrent ones)."""
    for attempt in range(1, MOVE_ATTEMPTS + 1):
        sources = await _sources(session, figures, plan, now)
        try:
            await _journal(session, figures, plan.amount_minor, sources, key, now)
        except BalanceWouldGoNegative:
            if attempt == MOVE_ATTEMPTS or not figures.released:
                raise
            continue
        return sources
    raise AssertionError("unreachable")


async def _journal(
    session: AsyncSession, figures: Figures, amount: int, sources: _Sources, key: str,
    now: datetime,
) -> None:  # fmt: skip
    currency, order_id = figures.currency, figures.order_id

    async def account(kind: AccountKind, owner: int | None = None) -> int:
        found = await account_for(session, kind=kind, currency=currency, now=now, owner_id=owner)
        return found.id

    lines: list[Line] = [credit(await account(AccountKind.REFUNDS), _m(amount, currency))]
    if sources.escrow:
        escrow = await account(AccountKind.ESCROW, order_id)
        lines.append(debit(escrow, _m(sources.escrow, currency)))
    shop_id = await _shop_of(session, order_id) if sources.payable or sources.deposit else 0
    if shop_id:
        for kind, part in (
            (AccountKind.SELLER_PAYABLE, sources.payable),
            (AccountKind.DEPOSITS_HELD, sources.deposit),
        ):
            if part:
                lines.append(debit(await account(kind, shop_id), _m(part, currency)))
    if sources.commission:
        revenue = await account(AccountKind.COMMISSION_REVENUE)
        lines.append(debit(revenue, _m(sources.commission, currency)))
    entry = f"refund:{key}"
    posted = await post_entry(session, key=entry, lines=lines, memo="refund to the buyer", now=now)
    if sources.deposit and not posted.replayed:  # the deposit's countdown follows it
        taken = _m(sources.deposit, currency)
        await note_deposit_taken(session, shop_id=shop_id, amount=taken, key=entry, now=now)


def _m(minor: int, currency: str) -> Money:
    return Money(minor, currency)
