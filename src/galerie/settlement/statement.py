"""A shop's statement: every journal line on its seller payable and deposit accounts, in
posting order, each explained from its entry's business key (rules.KEY_KINDS) with a
running balance per account, for a period [start, end); and its CSV.

A sale (`release:<order>`) shows its order number, the order's total and the commission
kept by the platform (recorded on the order lines at release), so gross - commission =
amount. Two queries for the lines and one for the orders they name, whatever the number."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.kernel import Money
from galerie.ledger import AccountKind, find_account
from galerie.ledger.models import JournalEntry, JournalLine
from galerie.orders.models import Order, OrderLine
from galerie.settlement.errors import BadStatementPeriod
from galerie.settlement.rules import LineKind, explain_key

MAX_LINES = 5_000
CSV_HEADER = (
    "date", "entry", "account", "kind", "reference", "description", "gross", "commission",
    "amount", "balance", "currency",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class StatementLine:
    """`amount` on the account's natural side: positive adds to what the shop is owed (or
    holds as deposit), negative takes from it."""

    occurred_at: datetime
    entry_id: int
    account: AccountKind
    kind: LineKind
    reference: str  # an order number, a payout id, a category and year...
    description: str
    gross: Money | None
    commission: Money | None
    amount: Money
    balance: Money
    order_id: int | None = None  # a sale's shop order


@dataclass(frozen=True, slots=True)
class Statement:
    shop_id: int
    currency: str
    start: datetime | None
    end: datetime | None
    opening: dict[AccountKind, Money]
    closing: dict[AccountKind, Money]
    lines: list[StatementLine]


def check_period(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and end <= start:
        raise BadStatementPeriod("The period ends after it starts.", field="end")


async def _accounts(session: AsyncSession, shop_id: int, currency: str) -> dict[int, AccountKind]:
    found: dict[int, AccountKind] = {}
    for kind in (AccountKind.SELLER_PAYABLE, AccountKind.DEPOSITS_HELD):
        account = await find_account(session, kind=kind, currency=currency, owner_id=shop_id)
        if account is not None:
            found[account.id] = kind
    return found


async def _opening(
    session: AsyncSession, accounts: dict[int, AccountKind], start: datetime | None
) -> dict[int, int]:
    """Signed sum per account of the lines before `start`."""
    if start is None or not accounts:
        return {}
    rows = await session.execute(
        select(JournalLine.account_id, func.sum(JournalLine.amount_minor))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalLine.account_id.in_(accounts), JournalEntry.occurred_at < start)
        .group_by(JournalLine.account_id)
    )
    return {int(a): int(s) for a, s in rows}


async def _orders(session: AsyncSession, order_ids: set[int]) -> dict[int, tuple[str, int, int]]:
    """order id -> (number, total, commission)."""
    if not order_ids:
        return {}
    commission = (
        select(
            OrderLine.order_id, func.coalesce(func.sum(OrderLine.commission_minor), 0).label("c")
        )
        .where(OrderLine.order_id.in_(order_ids))
        .group_by(OrderLine.order_id)
        .subquery()
    )
    rows = await session.execute(
        select(Order.id, Order.number, Order.total_minor, commission.c.c)
        .outerjoin(commission, commission.c.order_id == Order.id)
        .where(Order.id.in_(order_ids))
    )
    return {int(i): (str(n), int(t), int(c or 0)) for i, n, t, c in rows}


def _order_id(kind: LineKind, subject: str) -> int | None:
    return int(subject) if kind is LineKind.SALE and subject.isdigit() else None


async def statement_in(
    session: AsyncSession,
    *,
    shop_id: int,
    currency: str,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Statement:
    check_period(start, end)
    accounts = await _accounts(session, shop_id, currency)
    signed = await _opening(session, accounts, start)
    opening = {kind: Money(-signed.get(a, 0), currency) for a, kind in accounts.items()}
    rows: list[tuple[int, int, int, str, str, datetime]] = []
    if accounts:
        query = (
            select(JournalLine.account_id, JournalLine.amount_minor, JournalEntry.id,
                   JournalEntry.key, JournalEntry.memo, JournalEntry.occurred_at)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .where(JournalLine.account_id.in_(accounts))
            .order_by(JournalLine.id)
            .limit(MAX_LINES)
        )  # fmt: skip
        if start is not None:
            query = query.where(JournalEntry.occurred_at >= start)
        if end is not None:
            query = query.where(JournalEntry.occurred_at < end)
        rows = [(int(a), int(m), int(e), str(k), str(memo), at) for a, m, e, k, memo, at in
                await session.execute(query)]  # fmt: skip
    explained = [(row, *explain_key(row[3])) for row in rows]
    orders = await _orders(
        session, {o for _, kind, subj in explained if (o := _order_id(kind, subj)) is not None}
    )
    running = {kind: opening[kind].minor for kind in opening}
    lines: list[StatementLine] = []
    for (account_id, minor, entry_id, _key, memo, at), kind, subject in explained:
        account = accounts[account_id]
        amount = -minor  # payable and deposits are credit-normal
        running[account] += amount
        order_id = _order_id(kind, subject)
        order = orders.get(order_id or 0)
        lines.append(StatementLine(
            occurred_at=at, entry_id=entry_id, account=account, kind=kind,
            reference=order[0] if order else subject, description=memo,
            gross=Money(order[1], currency) if order else None,
            commission=Money(order[2], currency) if order else None,
            amount=Money(amount, currency), balance=Money(running[account], currency),
            order_id=order_id if order else None,
        ))  # fmt: skip
    closing = {kind: Money(value, currency) for kind, value in running.items()}
    return Statement(shop_id, currency, start, end, opening, closing, lines)


async def shop_statement(
    db: Database,
    *,
    shop_id: int,
    currency: str,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Statement:
    """The shop's statement in `currency` for [start, end) (either open)."""
    async with db.reading() as session:
        return await statement_in(session, shop_id=shop_id, currency=currency, start=start, end=end)


def _inert(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text


def _major(money: Money | None) -> str:
    return "" if money is None else f"{money.to_decimal():f}"


def statement_csv(statement: Statement) -> str:
    """The statement as CSV: a stable header (CSV_HEADER), money in major units with the
    currency column, one row per line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for line in statement.lines:
        writer.writerow([
            line.occurred_at.isoformat(), line.entry_id, line.account.value, line.kind.value,
            _inert(line.reference), _inert(line.description), _major(line.gross), _major(line.commission),
            _major(line.amount), _major(line.balance), statement.currency,
        ])  # fmt: skip
    return out.getvalue()
