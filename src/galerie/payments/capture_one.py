"""A group's `payment.succeeded` webhook on PostgreSQL as ONE write statement, without BEGIN
or COMMIT (ADR 0018, as the checkout's ADR 0015): one read, then one statement that writes
everything `capture_payment`'s transaction writes for a successful capture, or nothing.

- The read (autocommit, its own snapshot): the payment by its provider id, its group, the
  group's orders still awaiting payment with their lines and the stock level of each line,
  the provider clearing account, whether the event was seen before, and the ids the
  statement will write: the journal entry's and one escrow account's per order
  (`nextval`, as the checkout takes its ids; unused ones are gaps).
- Only the plain success is decided here: a pending payment of the group's exact amount,
  a group awaiting payment with its orders, a clearing account already open, a level for
  every line. Anything else (a duplicate seen by the read excepted, which changes nothing)
  returns None: `capture_payment` then runs its transaction, which decides every case.
- The statement (`RawSQL.single_statement`) re-checks what the read saw, in its guards:
  the event's row inserted (its unique key), the payment still pending, the group still
  awaiting payment, every order read still awaiting payment, every line's reserved units
  still there; it ends in `galerie_ensure`, so a guard that fails (a race with another
  delivery, a cancellation, a closing) writes nothing and the transaction decides instead.
- The journal lines are a CTE the header's INSERT reads (`FROM (SELECT count(*) FROM
  lines)`): they are inserted first, so the header's balance trigger sees them (the lines'
  own trigger, run before the header exists, lets them in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from galerie.db import Database, NeedsTransaction, RawSQL
from galerie.db.raw import shifted, values_sql
from galerie.inventory import MovementKind
from galerie.inventory.levels import MOVEMENTS_SQL
from galerie.kernel import Money
from galerie.ledger import AccountKind, Line, credit, debit
from galerie.ledger.deltas import DELTA_SQL
from galerie.ledger.posting import ENTRY_SQL
from galerie.ledger.raw_posting import LINES_SQL, account_key, checked
from galerie.ledger.rules import KIND_RULES
from galerie.orders.paying import PaidOrder, history_and_events
from galerie.payments.port import ProviderEvent

SUCCEEDED = "succeeded"
MEMO = "payment captured"

# $1 provider payment id; $2-$5 the clearing account's key; $6 provider, $7 event id.
READ_SQL = (
    "WITH p AS (SELECT id, status, amount_minor, currency, payment_group_id FROM payments "
    "WHERE provider_payment_id = $1), "
    "o AS (SELECT o.id, o.number, o.shop_id, o.buyer_id, o.total_minor, o.currency "
    "FROM orders o JOIN p ON o.payment_group_id = p.payment_group_id "
    "WHERE o.status = 'awaiting_payment'), "
    "ids AS (SELECT nextval(pg_get_serial_sequence('journal_entries', 'id')) AS entry, "
    "ARRAY(SELECT nextval(pg_get_serial_sequence('ledger_accounts', 'id')) FROM o) AS accounts) "
    "SELECT p.id, p.status, p.amount_minor, p.currency, p.payment_group_id, g.status, "
    "(SELECT id FROM ledger_accounts WHERE kind = $2 AND owner_kind = $3 AND owner_id = $4 "
    "AND currency = $5), "
    "EXISTS (SELECT 1 FROM payment_provider_events WHERE provider = $6 AND event_id = $7), "
    "ids.entry, ids.accounts, o.id, o.number, o.shop_id, o.buyer_id, o.total_minor, "
    "o.currency, l.quantity, s.id, s.shop_id, s.warehouse_id, s.sku_id "
    "FROM (SELECT 1) AS one CROSS JOIN ids LEFT JOIN p ON true "
    "LEFT JOIN payment_groups g ON g.id = p.payment_group_id "
    "LEFT JOIN (o JOIN order_lines l ON l.order_id = o.id "
    "LEFT JOIN stock_levels s ON s.warehouse_id = l.warehouse_id AND s.sku_id = l.sku_id) "
    "ON true ORDER BY o.id, s.sku_id, s.warehouse_id"
)
_PAYMENT, _GROUP_STATUS, _CLEARING, _SEEN, _ENTRY, _ACCOUNTS, _ORDER = 0, 5, 6, 7, 8, 9, 10
_LINE = 16  # quantity, level id, its shop, warehouse, SKU

# The guarded writes, each a CTE the guard counts. $1 provider, $2 event id, $3 event type,
# $4 provider payment id, $5 now, $6 captured amount, $7 currency, $8 payment id, $9 group.
GUARDED_SQL = (
    "WITH pe AS (INSERT INTO payment_provider_events (provider, event_id, event_type, "
    "object_id, outcome, received_at) VALUES ($1, $2, $3, $4, 'succeeded', $5) "
    "ON CONFLICT (provider, event_id) DO NOTHING RETURNING id), "
    "pp AS (UPDATE payments SET status = 'succeeded', captured_minor = $6, settled_at = $5, "
    "updated_at = $5 WHERE id = $8 AND status = 'pending' AND amount_minor = $6 "
    "AND currency = $7 RETURNING id), "
    "pg AS (UPDATE payment_groups SET status = 'paid', paid_at = $5, updated_at = $5 "
    "WHERE id = $9 AND status = 'awaiting_payment' RETURNING id), "
    "po AS (UPDATE orders SET status = 'paid', paid_at = $5, updated_at = $5 "
    "WHERE payment_group_id = $9 AND status = 'awaiting_payment' AND id = ANY($10::bigint[]) "
    "RETURNING id)"
)
GUARDED_ARGS = 10
# One line's reserved units committed: $1 the quantity, $2 now, $3 the level.
COMMIT_UNITS_SQL = (
    "UPDATE stock_levels SET reserved = reserved - $1, committed = committed + $1, "
    "updated_at = $2 WHERE id = $3 AND reserved >= $1 RETURNING id"
)
ENTRY_COLUMNS = ENTRY_SQL.split(" VALUES ")[0]
ESCROW_SQL = (
    "INSERT INTO ledger_accounts (id, kind, owner_kind, owner_id, currency, normal_sign, "
    "may_go_negative, balance_minor, created_at) VALUES "
)


@dataclass(frozen=True, slots=True)
class _Line:
    order_id: int
    quantity: int
    level_id: int
    shop_id: int
    warehouse_id: int
    sku_id: int


@dataclass(frozen=True, slots=True)
class _Read:
    payment_id: int
    group_id: int
    clearing_id: int
    entry_id: int
    orders: tuple[PaidOrder, ...]
    escrow_ids: tuple[int, ...]  # one per order, in order
    lines: tuple[_Line, ...]  # in (SKU, warehouse) order: the order the levels are locked


async def capture_in_one_statement(
    db: Database, *, provider: str, event: ProviderEvent, now: datetime
) -> str | None:
    """The outcome (`succeeded`, or `duplicate` for an event seen before), or None when
    this capture needs `capture_payment`'s transaction (see the module)."""
    try:
        async with db.single_statement() as raw:
            return await _capture(raw, provider, event, now)
    except NeedsTransaction:
        return None


async def _capture(raw: RawSQL, provider: str, event: ProviderEvent, now: datetime) -> str | None:
    amount = event.amount
    clearing = account_key(AccountKind.PROVIDER_CLEARING, amount.currency)
    rows = await raw.fetch(READ_SQL, event.object_id, *clearing, provider, event.event_id)
    if rows and rows[0][_SEEN]:
        return "duplicate"
    read = _capturable(rows, amount)
    if read is None:
        return None
    at = raw.at(now)
    journal = await _defer_ledger(raw, read, amount, at)
    await _defer_stock(raw, read, at)
    await history_and_events(raw, read.orders, now)
    args: list[Any] = [provider, event.event_id, event.type.value, event.object_id, at,
                       amount.minor, amount.currency, read.payment_id, read.group_id,
                       [o.id for o in read.orders]]  # fmt: skip
    for line in read.lines:
        args += (line.quantity, at, line.level_id)
    sql = _statement_sql(len(read.orders), len(read.lines))
    await raw.defer_last(sql, *args, *journal, check=_guarded)
    return SUCCEEDED


def _capturable(rows: Sequence[Sequence[Any]], amount: Money) -> _Read | None:
    """What the read found, when it is a plain success to write (see the module)."""
    first = rows[0] if rows else None
    if first is None or first[_PAYMENT] is None or first[_ORDER] is None:
        return None
    if (str(first[1]), int(first[2]), str(first[3])) != ("pending", amount.minor,
                                                         amount.currency):  # fmt: skip
        return None
    if first[_GROUP_STATUS] != "awaiting_payment" or first[_CLEARING] is None:
        return None
    orders: dict[int, PaidOrder] = {}
    lines: list[_Line] = []
    for row in rows:
        if row[_LINE + 1] is None:  # a line without a stock level: the transaction says why
            return None
        o = row[_ORDER : _ORDER + 6]
        orders.setdefault(int(o[0]), PaidOrder(int(o[0]), str(o[1]), int(o[2]), int(o[3]),
                                               int(o[4]), str(o[5])))  # fmt: skip
        lines.append(_Line(int(o[0]), *(int(v) for v in row[_LINE : _LINE + 5])))
    paid = tuple(sorted(orders.values(), key=lambda x: x.id))
    if sum(o.total_minor for o in paid) != amount.minor:
        return None
    if any(o.currency != amount.currency for o in paid):
        return None
    return _Read(
        int(first[_PAYMENT]), int(first[4]), int(first[_CLEARING]), int(first[_ENTRY]), paid,
        tuple(int(i) for i in first[_ACCOUNTS]),
        tuple(sorted(lines, key=lambda x: (x.sku_id, x.warehouse_id, x.order_id))),
    )  # fmt: skip


async def _defer_ledger(raw: RawSQL, read: _Read, amount: Money, at: Any) -> list[Any]:
    """The escrow accounts opened with their balance and the clearing balance's delta;
    returns the arguments of the capture's lines and header, which are the statement's own
    CTEs (see `_statement_sql`)."""
    rule = KIND_RULES[AccountKind.ESCROW]
    accounts: list[Any] = []
    lines: list[Line] = [debit(read.clearing_id, amount)]
    for order, account in zip(read.orders, read.escrow_ids, strict=True):
        accounts += (account, AccountKind.ESCROW.value, rule.owner.value, order.id,
                     order.currency, rule.normal_sign, rule.may_go_negative,
                     -order.total_minor, at)  # fmt: skip
        lines.append(credit(account, Money(order.total_minor, order.currency)))
    await raw.defer(ESCROW_SQL + values_sql(len(read.orders), 9), *accounts)
    await raw.defer(DELTA_SQL, amount.minor, read.clearing_id)
    key = f"capture:{read.payment_id}"
    digest = checked(key, lines, MEMO)
    values: list[Any] = []
    for line in lines:
        values += (read.entry_id, line.account_id, line.amount.currency, line.amount.minor)
    return [*values, read.entry_id, key, MEMO, digest, at]


async def _defer_stock(raw: RawSQL, read: _Read, at: Any) -> None:
    """The movements of the units committed (the UPDATEs are the statement's guards)."""
    numbers = {order.id: order.number for order in read.orders}
    kind = MovementKind.COMMITMENT.value
    args: list[Any] = []
    for line in read.lines:
        args += (line.shop_id, line.level_id, line.sku_id, line.warehouse_id, kind, 0, 0,
                 -line.quantity, line.quantity, f"order:{numbers[line.order_id]}", None, None,
                 at)  # fmt: skip
    await raw.defer(MOVEMENTS_SQL + values_sql(len(read.lines), 13), *args)


@lru_cache(maxsize=64)
def _statement_sql(orders: int, lines: int) -> str:
    """GUARDED_SQL; one commitment UPDATE `cN` per line (in lock order); the journal lines
    `jl` (the clearing's, then one per order) and the header `je`, which reads `jl` so that
    they are inserted before it; and the guard that every write took its rows."""
    ctes = [
        f"c{n} AS ({shifted(COMMIT_UNITS_SQL, GUARDED_ARGS + 3 * (n - 1))})"
        for n in range(1, lines + 1)
    ]
    first = GUARDED_ARGS + 3 * lines
    entry = shifted(LINES_SQL + values_sql(orders + 1, 4), first)
    header = first + 4 * (orders + 1)
    ctes.append(f"jl AS ({entry} RETURNING 1)")
    ctes.append(
        f"je AS ({ENTRY_COLUMNS} SELECT ${header + 1}::bigint, ${header + 2}::varchar, "  # noqa: S608 - ours
        f"${header + 3}::varchar, ${header + 4}::varchar, NULL, ${header + 5}::timestamptz "
        "FROM (SELECT count(*) FROM jl) AS counted)"
    )
    units = " + ".join(f"(SELECT count(*) FROM c{n})" for n in range(1, lines + 1))  # noqa: S608 - ours
    checks = (
        "(SELECT count(*) FROM pe) = 1 AND (SELECT count(*) FROM pp) = 1 "  # noqa: S608 - ours
        f"AND (SELECT count(*) FROM pg) = 1 AND (SELECT count(*) FROM po) = {orders} "
        f"AND {units} = {lines}"
    )
    return f"{GUARDED_SQL}, {', '.join(ctes)} SELECT galerie_ensure({checks}, 'not_capturable')"


async def _guarded(rows: list[Sequence[Any]]) -> None:
    """The statement's guard held (else it failed and wrote nothing): nothing to do."""
