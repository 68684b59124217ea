"""The `payment.succeeded` webhook of a group's payment: apply_provider_event's hot path. On
PostgreSQL a plain success is first one read and ONE statement (galerie.payments.capture_one,
ADR 0018); every other case, and SQLite, is ONE raw write transaction (ADR 0013) with the
rules of services.py:

- the event id is recorded first (ON CONFLICT DO NOTHING: a duplicate changes nothing);
- the payment moves only from `pending` (a conditional UPDATE: a reordered or repeated
  event changes nothing), to `succeeded`, or to `amount_mismatch` when the captured amount
  is not the payment's (then it is owed back and nothing is paid);
- the group is paid (galerie.orders.paying: group, orders, stock, history, events); a group
  not awaiting payment any more (closed, cancelled, or paid by another session) makes the
  payment `refund_due`, owed back;
- the capture is journalled: provider clearing debited, escrow per paid shop order credited
  with the order's total (`capture:<payment id>`), the escrow accounts opened in the same
  statement as the orders' move, the clearing balance sent with COMMIT (ADR 0012 addendum).

Round trips on PostgreSQL for a one-line order: BEGIN; one statement (event, payment, group,
orders, their lines, the escrow accounts, the clearing account's id, the entry id); one
UPDATE per SKU (carrying the journal lines); one flush (the header, the movements, history,
events and the event's outcome); the clearing balance and COMMIT in one message
(`raw_transaction(last_writes=True)`). On SQLite the first statement is eight (in process,
no round trip)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from galerie.db import Database, RawSQL
from galerie.kernel import Money
from galerie.ledger import AccountKind, Line, credit, debit
from galerie.ledger.raw_posting import (
    ACCOUNT_ID_SQL,
    account_key,
    checked,
    defer_header,
    defer_lines,
    ensure_account,
    last_apply,
    next_entry_id,
    opening_args,
    opening_from_args,
    opening_from_sql,
    opening_sql,
    post_raw,
)
from galerie.orders.paying import (
    PAY_GROUP_COLUMNS,
    PAY_GROUP_JOIN,
    PaidGroup,
    finish_paid,
    move_group,
    paid_group_of,
    pay_group_ctes,
)
from galerie.payments.capture_one import capture_in_one_statement
from galerie.payments.port import ProviderEvent

SUCCEEDED, AMOUNT_MISMATCH, REFUND_DUE = "succeeded", "amount_mismatch", "refund_due"

EVENT_SQL = (
    "INSERT INTO payment_provider_events (provider, event_id, event_type, object_id, outcome, "
    "received_at) VALUES ($1, $2, $3, $4, 'received', $5) "
    "ON CONFLICT (provider, event_id) DO NOTHING RETURNING id"
)
# $4 the provider's payment id, $5 now, $6 and $7 the captured amount and currency.
SETTLE_SQL = (
    "UPDATE payments SET status = CASE WHEN amount_minor = $6 AND currency = $7 "
    "THEN 'succeeded' ELSE 'amount_mismatch' END, captured_minor = $6, settled_at = $5, "
    "updated_at = $5 WHERE provider_payment_id = $4 AND status = 'pending' {also}"
    "RETURNING id, status, payment_group_id"
)
OUTCOME_SQL = "UPDATE payment_provider_events SET outcome = $1 WHERE id = $2"
REFLAG_SQL = "UPDATE payments SET status = $1, updated_at = $2 WHERE id = $3"
ENTRY_ID_PG = "(SELECT nextval(pg_get_serial_sequence('journal_entries', 'id')))"
CLEARING_PG = (
    "(SELECT id FROM ledger_accounts "
    "WHERE kind = $13 AND owner_kind = $14 AND owner_id = $15 AND currency = $16)"
)
_PAID_GROUP = pay_group_ctes(
    "IN (SELECT payment_group_id FROM pp WHERE status = 'succeeded')", "$5"
)
_ESCROW = opening_from_sql(
    "pg_orders", "pg_orders.id", "pg_orders.currency", "-pg_orders.total_minor", 8
)
_RECORDED = SETTLE_SQL.format(also="AND EXISTS (SELECT 1 FROM pe) ")
CAPTURE_PG = (
    f"WITH pe AS ({EVENT_SQL}), pp AS ({_RECORDED}), "  # noqa: S608 - placeholders only
    f"{_PAID_GROUP}, esc AS ({_ESCROW}) "
    f"SELECT (SELECT id FROM pe), pp.id, pp.status, pp.payment_group_id, {CLEARING_PG}, "
    f"{ENTRY_ID_PG}, esc.id, {PAY_GROUP_COLUMNS} FROM (SELECT 1) AS one "
    f"LEFT JOIN pp ON true {PAY_GROUP_JOIN} LEFT JOIN esc ON esc.owner_id = pg_orders.id"
)
_OWN = 7  # CAPTURE_PG's columns before PAY_GROUP_COLUMNS


@dataclass(frozen=True, slots=True)
class _Settled:
    """What the first statement did: `event_id` None for a duplicate event, `payment_id`
    None when no pending payment moved."""

    event_id: int | None
    payment_id: int | None = None
    status: str | None = None
    clearing_id: int | None = None
    entry_id: int | None = None
    paid: PaidGroup = field(default_factory=lambda: PaidGroup(False, (), ()))
    escrow: tuple[tuple[int, int], ...] = ()  # (order id, escrow account id)


async def capture_payment(
    db: Database, *, provider: str, event: ProviderEvent, now: datetime
) -> str:
    """Apply a verified `payment.succeeded` event of a group's payment once (see the
    module); the outcome recorded for it, or `duplicate`. On PostgreSQL a plain success is
    first tried as one statement (galerie.payments.capture_one, ADR 0018)."""
    if db.dialect == "postgresql":
        done = await capture_in_one_statement(db, provider=provider, event=event, now=now)
        if done is not None:
            return done
    async with db.raw_transaction(last_writes=True) as raw:
        settled = await _settle(raw, provider, event, now)
        if settled.event_id is None:
            return "duplicate"
        outcome = await _outcome(raw, settled, event, now)
        await raw.defer(OUTCOME_SQL, outcome, settled.event_id)
        return outcome


async def _settle(raw: RawSQL, provider: str, event: ProviderEvent, now: datetime) -> _Settled:
    at, amount = raw.at(now), event.amount
    head = (provider, event.event_id, event.type.value, event.object_id, at, amount.minor,
            amount.currency)  # fmt: skip
    clearing = account_key(AccountKind.PROVIDER_CLEARING, amount.currency)
    if raw.dialect == "postgresql":
        escrow = opening_from_args(AccountKind.ESCROW, at)
        return _settled_of(await raw.fetch(CAPTURE_PG, *head, *escrow, *clearing))
    row = await raw.fetchrow(EVENT_SQL, *head[:5])
    if row is None:
        return _Settled(None)
    event_id = int(row[0])
    payment = await raw.fetchrow(SETTLE_SQL.format(also=""), *head)
    if payment is None:
        return _Settled(event_id)
    status, group_id = str(payment[1]), int(payment[2])
    paid = await move_group(raw, group_id, now) if status == SUCCEEDED else PaidGroup(False, (), ())
    found = await raw.fetchrow(ACCOUNT_ID_SQL, *clearing)
    return _Settled(
        event_id, int(payment[0]), status, None if found is None else int(found[0]), None, paid,
        await _open_escrow(raw, paid, at),
    )  # fmt: skip


async def _open_escrow(raw: RawSQL, paid: PaidGroup, at: Any) -> tuple[tuple[int, int], ...]:
    if not paid.orders:
        return ()
    args: list[Any] = []
    for order in paid.orders:
        args += (order.id, -order.total_minor)
    head = opening_args(AccountKind.ESCROW, paid.orders[0].currency, at)
    rows = await raw.fetch(opening_sql(len(paid.orders)), *head, *args)
    return tuple((int(owner), int(account)) for account, owner in rows)


def _settled_of(rows: list[Any]) -> _Settled:
    first = rows[0]
    if first[0] is None:
        return _Settled(None)
    if first[1] is None:
        return _Settled(int(first[0]))
    escrow = {int(r[_OWN + 1]): int(r[6]) for r in rows if r[6] is not None}
    return _Settled(
        int(first[0]), int(first[1]), str(first[2]),
        None if first[4] is None else int(first[4]), int(first[5]),
        paid_group_of(rows, _OWN), tuple(sorted(escrow.items())),
    )  # fmt: skip


async def _outcome(raw: RawSQL, settled: _Settled, event: ProviderEvent, now: datetime) -> str:
    if settled.payment_id is None:
        return "ignored"  # not ours, or already settled (a reordered or repeated event)
    if settled.status == AMOUNT_MISMATCH:
        await _owed_back(raw, settled.payment_id, event.amount, now)
        return AMOUNT_MISMATCH
    if not settled.paid.moved:  # closed, cancelled or paid by another session meanwhile
        await raw.execute(REFLAG_SQL, REFUND_DUE, raw.at(now), settled.payment_id)
        await _owed_back(raw, settled.payment_id, event.amount, now)
        return REFUND_DUE
    await _capture(raw, settled, event.amount, now)
    return SUCCEEDED


async def _capture(raw: RawSQL, settled: _Settled, amount: Money, now: datetime) -> None:
    """The capture entry (escrow accounts already credited by the first statement) and the
    rest of paying the group; the clearing balance last."""
    paid, payment_id = settled.paid, settled.payment_id
    totals = [(o.id, Money(o.total_minor, o.currency)) for o in paid.orders]
    if sum(m.minor for _, m in totals) != amount.minor:
        raise AssertionError(f"payment {payment_id}: orders {totals} do not add up to {amount}")
    clearing = settled.clearing_id
    if clearing is None:  # the first payment ever in this currency
        clearing = (await ensure_account(raw, AccountKind.PROVIDER_CLEARING, amount.currency,
                                         now)).id  # fmt: skip
    escrow = dict(settled.escrow)
    lines: list[Line] = [debit(clearing, amount)]
    lines += [credit(escrow[order_id], total) for order_id, total in totals]
    key, memo = f"capture:{payment_id}", "payment captured"
    digest = checked(key, lines, memo)
    entry_id = settled.entry_id or await next_entry_id(raw)
    await defer_lines(raw, entry_id, lines)
    await finish_paid(raw, paid, now)  # its first stock UPDATE carries the lines
    if not paid.lines:
        await raw.flush()
    await defer_header(raw, entry_id, key, memo, digest, now)
    await last_apply(raw, clearing, amount.minor)


async def _owed_back(raw: RawSQL, payment_id: int, amount: Money, now: datetime) -> None:
    """Captured money no order takes: provider clearing against refunds owed to the buyer
    (`owed-back:<payment id>`, as escrow.post_owed_back posts it)."""
    clearing = await ensure_account(raw, AccountKind.PROVIDER_CLEARING, amount.currency, now)
    owed = await ensure_account(raw, AccountKind.REFUNDS, amount.currency, now)
    await post_raw(
        raw, key=f"owed-back:{payment_id}", lines=[debit(clearing.id, amount),
        credit(owed.id, amount)], memo="payment owed back", now=now,
    )  # fmt: skip
