"""The platform's money at a glance, for the console's finance view: what escrow holds,
what is owed to sellers and held as deposits (now), and over a range of days what was
captured, released, earned as commission, paid out and deposited, per day and per shop.

Everything is read from the ledger (the one record of money), aggregated in SQL: four
statements whatever the number of shops, orders or days. Amounts are natural (positive)
minor units of one currency. A payout is money leaving a seller's payable in an entry that
moves it to payouts in transit; commission is attributed to the shop of the order whose
escrow the same entry released."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.orm import aliased

from galerie.db import Database
from galerie.ledger import pending_column
from galerie.ledger.models import JournalEntry, JournalLine, LedgerAccount
from galerie.orders.models import Order
from galerie.sellers.models import Shop

ESCROW, PAYABLE, DEPOSITS = "escrow", "seller_payable", "deposits_held"
COMMISSION, IN_TRANSIT = "commission_revenue", "payouts_in_transit"


@dataclass(frozen=True, slots=True)
class DayFigures:
    day: date
    captured: int = 0  # into escrow
    released: int = 0  # out of escrow (to sellers and commission, or refunded)
    commission: int = 0  # earned, net of reversals
    paid_out: int = 0  # to payouts in transit
    deposits: int = 0  # into deposits held, net of deductions


@dataclass(frozen=True, slots=True)
class ShopFigures:
    shop_id: int
    name: str
    in_escrow: int = 0  # now
    owed: int = 0  # seller payable, now
    deposit_held: int = 0  # now
    captured: int = 0  # in the range
    commission: int = 0  # in the range
    paid_out: int = 0  # in the range


@dataclass(frozen=True, slots=True)
class FinanceOverview:
    currency: str
    start: date
    end: date  # inclusive
    days: tuple[DayFigures, ...]
    shops: tuple[ShopFigures, ...]

    def total(self, figure: str) -> int:
        """The sum of one figure over the days (flows) or the shops (balances now)."""
        rows: tuple[Any, ...] = self.days if hasattr(DayFigures, figure) else self.shops
        return sum(int(getattr(row, figure)) for row in rows)


def _credits(amount: Any) -> Any:
    return func.coalesce(func.sum(case((amount < 0, -amount), else_=0)), 0)


def _debits(amount: Any) -> Any:
    return func.coalesce(func.sum(case((amount > 0, amount), else_=0)), 0)


def _day(dialect: str) -> Any:
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", JournalEntry.occurred_at), "YYYY-MM-DD")
    return func.substr(JournalEntry.occurred_at, 1, 10)


def _shop_of() -> Any:
    return func.coalesce(
        Order.shop_id, case((LedgerAccount.owner_kind == "shop", LedgerAccount.owner_id))
    )


def _window(start: date, end: date, currency: str) -> list[ColumnElement[bool]]:
    return [
        JournalEntry.occurred_at >= datetime.combine(start, time(), UTC),
        JournalEntry.occurred_at < datetime.combine(end + timedelta(days=1), time(), UTC),
        JournalLine.currency == currency,
    ]


def _lines() -> Any:
    return (
        select()
        .select_from(JournalLine)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(LedgerAccount, LedgerAccount.id == JournalLine.account_id)
    )


def _of_orders() -> Any:
    return and_(LedgerAccount.owner_kind == "shop_order", Order.id == LedgerAccount.owner_id)


def _per_day(dialect: str, start: date, end: date, currency: str) -> Any:
    amount, day = JournalLine.amount_minor, _day(dialect)
    return (
        _lines()
        .add_columns(day, LedgerAccount.kind, _credits(amount), _debits(amount))
        .where(*_window(start, end, currency))
        .group_by(day, LedgerAccount.kind)
    )


def _per_shop(start: date, end: date, currency: str) -> Any:
    amount, shop = JournalLine.amount_minor, _shop_of()
    payout_line, payout_account = aliased(JournalLine), aliased(LedgerAccount)
    is_payout = exists().where(
        payout_line.entry_id == JournalLine.entry_id,
        payout_account.id == payout_line.account_id,
        payout_account.kind == IN_TRANSIT,
    )
    paid_out = case((and_(LedgerAccount.kind == PAYABLE, amount > 0, is_payout), amount), else_=0)
    return (
        _lines()
        .outerjoin(Order, _of_orders())
        .add_columns(shop, LedgerAccount.kind, _credits(amount), func.sum(paid_out))
        .where(*_window(start, end, currency), LedgerAccount.owner_kind != "platform")
        .group_by(shop, LedgerAccount.kind)
    )


def _commission(start: date, end: date, currency: str) -> Any:
    escrow_line, escrow_account = aliased(JournalLine), aliased(LedgerAccount)
    released_from = and_(escrow_account.id == escrow_line.account_id, escrow_account.kind == ESCROW)
    return (
        _lines()
        .join(escrow_line, escrow_line.entry_id == JournalLine.entry_id)
        .join(escrow_account, released_from)
        .join(Order, Order.id == escrow_account.owner_id)
        .add_columns(Order.shop_id, func.sum(-JournalLine.amount_minor))
        .where(*_window(start, end, currency), LedgerAccount.kind == COMMISSION)
        .group_by(Order.shop_id)
    )


def _balances(currency: str) -> Any:
    shop = _shop_of()
    natural = func.sum((LedgerAccount.balance_minor + pending_column()) * LedgerAccount.normal_sign)
    return (
        select(shop, Shop.name, LedgerAccount.kind, natural)
        .select_from(LedgerAccount)
        .outerjoin(Order, _of_orders())
        .join(Shop, Shop.id == shop)
        .where(LedgerAccount.currency == currency, LedgerAccount.owner_kind != "platform")
        .group_by(shop, Shop.name, LedgerAccount.kind)
    )


async def finance_overview(
    db: Database, *, currency: str, start: date, end: date
) -> FinanceOverview:
    """The figures for the days start..end (inclusive, UTC) and the balances now."""
    async with db.reading() as session:
        days = (await session.execute(_per_day(db.dialect, start, end, currency))).all()
        flows = (await session.execute(_per_shop(start, end, currency))).all()
        earned = (await session.execute(_commission(start, end, currency))).all()
        balances = (await session.execute(_balances(currency))).all()
    return FinanceOverview(
        currency, start, end, _days(start, end, days), _shops(flows, earned, balances)
    )


def _days(start: date, end: date, rows: Any) -> tuple[DayFigures, ...]:
    found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, kind, credits, debits in rows:
        figures = found[str(day)]
        if kind == ESCROW:
            figures["captured"] += int(credits)
            figures["released"] += int(debits)
        elif kind == COMMISSION:
            figures["commission"] += int(credits) - int(debits)
        elif kind == IN_TRANSIT:
            figures["paid_out"] += int(credits)
        elif kind == DEPOSITS:
            figures["deposits"] += int(credits) - int(debits)
    count = (end - start).days + 1
    every = [start + timedelta(days=n) for n in range(count)]
    return tuple(DayFigures(d, **found.get(d.isoformat(), {})) for d in every)


def _shops(flows: Any, commission: Any, balances: Any) -> tuple[ShopFigures, ...]:
    names: dict[int, str] = {}
    values: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for shop_id, name, kind, balance in balances:
        names[int(shop_id)] = str(name)
        field = {ESCROW: "in_escrow", PAYABLE: "owed", DEPOSITS: "deposit_held"}.get(kind)
        if field is not None:
            values[int(shop_id)][field] += int(balance)
    for shop_id, kind, credits, paid_out in flows:
        if shop_id is None or int(shop_id) not in names:
            continue
        if kind == ESCROW:
            values[int(shop_id)]["captured"] += int(credits)
        values[int(shop_id)]["paid_out"] += int(paid_out)
    for shop_id, earned in commission:
        if int(shop_id) in names:
            values[int(shop_id)]["commission"] += int(earned)
    shops = [ShopFigures(shop_id, names[shop_id], **values[shop_id]) for shop_id in names]
    return tuple(sorted(shops, key=lambda s: (-s.captured, -s.in_escrow, s.shop_id)))
