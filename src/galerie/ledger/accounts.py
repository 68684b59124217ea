"""Ledger accounts: found or created race-free, and their balances.

`account_for` inserts with ON CONFLICT DO NOTHING and then selects, so two transactions
asking for the same (kind, owner, currency) at once end with one account on both
databases. Runs in the caller's transaction; never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import RawSQL
from galerie.kernel import Money
from galerie.kernel.money import check_currency
from galerie.ledger.deltas import PENDING_OF_ACCOUNT
from galerie.ledger.errors import AccountNotFound
from galerie.ledger.rules import KIND_RULES, PLATFORM_OWNER_ID, AccountKind, owner_id_for

ENSURE_SQL = (
    "INSERT INTO ledger_accounts (kind, owner_kind, owner_id, currency, normal_sign, "
    "may_go_negative, balance_minor, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7) "
    "ON CONFLICT (kind, owner_kind, owner_id, currency) DO NOTHING"
)
# The cached balance is balance_minor plus the deltas not folded into it yet (ADR 0017).
_COLUMNS = (
    "SELECT id, kind, owner_id, currency, normal_sign, may_go_negative, "  # noqa: S608 - constants
    f"balance_minor + {PENDING_OF_ACCOUNT} FROM ledger_accounts "
)
FIND_SQL = _COLUMNS + "WHERE kind = $1 AND owner_kind = $2 AND owner_id = $3 AND currency = $4"
BY_ID_SQL = _COLUMNS + "WHERE id = $1"


@dataclass(frozen=True, slots=True)
class Account:
    """An account as read. `owner_id` is None for platform accounts; `balance` is the
    natural balance (held, owed or earned) at the time of reading."""

    id: int
    kind: AccountKind
    owner_id: int | None
    currency: str
    normal_sign: int
    may_go_negative: bool
    balance: Money


def account_of(row: Any) -> Account:
    owner = int(row[2])
    sign = int(row[4])
    return Account(
        id=int(row[0]),
        kind=AccountKind(row[1]),
        owner_id=None if owner == PLATFORM_OWNER_ID else owner,
        currency=str(row[3]),
        normal_sign=sign,
        may_go_negative=bool(row[5]),
        balance=Money(int(row[6]) * sign, str(row[3])),
    )


async def account_for(
    session: AsyncSession,
    *,
    kind: AccountKind,
    currency: str,
    now: datetime,
    owner_id: int | None = None,
) -> Account:
    """The account of `kind` for the owner (a shop order for escrow, a shop for payable,
    deposits and fees, none for platform accounts) in `currency`, created if missing."""
    rule = KIND_RULES[kind]
    owner = owner_id_for(kind, owner_id)
    check_currency(currency)
    raw = await RawSQL.of(session)
    key = (kind.value, rule.owner.value, owner, currency)
    await raw.execute(ENSURE_SQL, *key, rule.normal_sign, rule.may_go_negative, raw.at(now))
    row = await raw.fetchrow(FIND_SQL, *key)
    assert row is not None  # inserted now or by a transaction that committed first
    return account_of(row)


async def find_account(
    session: AsyncSession, *, kind: AccountKind, currency: str, owner_id: int | None = None
) -> Account | None:
    """The account if it exists (reads create nothing)."""
    key = (kind.value, KIND_RULES[kind].owner.value, owner_id_for(kind, owner_id), currency)
    row = await (await RawSQL.of(session)).fetchrow(FIND_SQL, *key)
    return None if row is None else account_of(row)


async def get_account(session: AsyncSession, *, account_id: int) -> Account:
    row = await (await RawSQL.of(session)).fetchrow(BY_ID_SQL, account_id)
    if row is None:
        raise AccountNotFound("no such ledger account", account_id=account_id)
    return account_of(row)


async def balance_of(session: AsyncSession, *, account_id: int) -> Money:
    """The cached natural balance of the account: what escrow holds, what a seller is owed,
    what commission earned (credit-normal kinds are reported with the sign turned)."""
    return (await get_account(session, account_id=account_id)).balance
