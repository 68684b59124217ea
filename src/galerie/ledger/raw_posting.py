"""Posting in a raw write transaction (`Database.raw_transaction`, ADR 0013), for hot paths:
the same journal and the same rules as `post_entry`, in fewer round trips (ADR 0012,
addendum "the webhook's posting").

- `CREDIT_OPENING_SQL`: accounts that open with the entry (escrow of an order just paid):
  created with the entry's amount as their balance, or credited when they exist, in ONE
  statement (an upsert RETURNING the ids). Their CHECK keeps a non-negative account so.
- `defer_lines` then, in a LATER statement, `defer_header` (the header's trigger counts the
  lines, which a statement's own CTEs would hide from it): both travel with the statements
  the transaction sends anyway.
- `last_apply`: the cached balance of an account that may go negative (provider clearing,
  which every payment debits: the one hot row of the ledger) changes by a delta row (ADR
  0017, ledger/deltas.py), sent in the message that carries COMMIT (`RawSQL.at_commit`): no
  row of the account is locked, so concurrent captures do not queue on it.
- `post_raw`: a whole posting at once, for the rare paths (a wrong amount, a payment owed
  back): the replay check, one conditional UPDATE per account in id order, the lines, the
  header deferred.

No savepoint: a refusal fails the caller's transaction whole (a webhook's transaction holds
nothing else worth keeping)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from galerie.db import RawSQL
from galerie.db.raw import values_sql
from galerie.kernel import ValidationFailed
from galerie.kernel.money import check_currency
from galerie.ledger.accounts import ENSURE_SQL, FIND_SQL, Account, account_of
from galerie.ledger.deltas import DELTA_SQL
from galerie.ledger.errors import EntryKeyReused
from galerie.ledger.posting import (
    APPLY_SQL,
    BY_KEY_SQL,
    ENTRY_SQL,
    NEXT_ID_SQL,
    PostedEntry,
    _load,
    _refuse,
)
from galerie.ledger.rules import (
    KIND_RULES,
    MEMO_LENGTH,
    AccountKind,
    Line,
    check_key,
    check_lines,
    fingerprint,
    owner_id_for,
    per_account,
)

LINES_SQL = "INSERT INTO journal_lines (entry_id, account_id, currency, amount_minor) VALUES "
_OPENING_COLUMNS = (
    "INSERT INTO ledger_accounts (kind, owner_kind, owner_id, currency, normal_sign, "
    "may_go_negative, balance_minor, created_at) "
)
_CREDITED = (
    " ON CONFLICT (kind, owner_kind, owner_id, currency) DO UPDATE "
    "SET balance_minor = ledger_accounts.balance_minor + excluded.balance_minor "
    "RETURNING id, owner_id"
)


def opening_sql(accounts: int) -> str:
    """Accounts opening with an entry, `accounts` of one kind: created with their signed
    change as balance, or changed when they exist. $1 kind, $2 owner kind, $3 currency,
    $4 normal sign, $5 may go negative, $6 now (`opening_args`); then (owner id, signed
    change) pairs from $7. Returns (id, owner id) rows."""
    rows = ", ".join(
        f"($1, $2, ${7 + 2 * n}, $3, $4, $5, ${8 + 2 * n}, $6)" for n in range(accounts)
    )
    return _OPENING_COLUMNS + "VALUES " + rows + _CREDITED


def opening_from_sql(source: str, owner: str, currency: str, change: str, first: int) -> str:
    """`opening_sql` as a CTE of a PostgreSQL statement: one account per row of `source`
    (its `owner`, `currency` and signed `change` expressions); `opening_from_args`' five
    from ${first}."""
    kind, owner_kind, sign, negative, now = (f"${first + n}" for n in range(5))
    return (
        f"{_OPENING_COLUMNS}SELECT CAST({kind} AS VARCHAR), CAST({owner_kind} AS VARCHAR), "  # noqa: S608 - placeholders only
        f"{owner}, {currency}, CAST({sign} AS SMALLINT), CAST({negative} AS BOOLEAN), "
        f"{change}, CAST({now} AS TIMESTAMPTZ) FROM {source}{_CREDITED}"
    )


def opening_from_args(kind: AccountKind, now: Any) -> tuple[Any, ...]:
    rule = KIND_RULES[kind]
    return (kind.value, rule.owner.value, rule.normal_sign, rule.may_go_negative, now)


ACCOUNT_ID_SQL = (
    "SELECT id FROM ledger_accounts "
    "WHERE kind = $1 AND owner_kind = $2 AND owner_id = $3 AND currency = $4"
)


def account_key(kind: AccountKind, currency: str, owner_id: int | None = None) -> tuple[Any, ...]:
    """(kind, owner kind, owner id, currency): ACCOUNT_ID_SQL's arguments."""
    check_currency(currency)
    return (kind.value, KIND_RULES[kind].owner.value, owner_id_for(kind, owner_id), currency)


def opening_args(kind: AccountKind, currency: str, now: Any) -> tuple[Any, ...]:
    """CREDIT_OPENING_SQL's first six arguments (`now` as the driver takes it)."""
    rule = KIND_RULES[kind]
    check_currency(currency)
    return (kind.value, rule.owner.value, currency, rule.normal_sign, rule.may_go_negative, now)


async def ensure_account(
    raw: RawSQL, kind: AccountKind, currency: str, now: datetime, owner_id: int | None = None
) -> Account:
    """`account_for` on a RawSQL: the account, created if missing (two statements)."""
    rule = KIND_RULES[kind]
    key = account_key(kind, currency, owner_id)
    await raw.execute(ENSURE_SQL, *key, rule.normal_sign, rule.may_go_negative, raw.at(now))
    row = await raw.fetchrow(FIND_SQL, *key)
    assert row is not None  # inserted now or by a transaction that committed first
    return account_of(row)


async def next_entry_id(raw: RawSQL) -> int:
    row = await raw.fetchrow(NEXT_ID_SQL[raw.dialect])
    assert row is not None
    return int(row[0])


def checked(key: str, lines: Sequence[Line], memo: str, reversal_of: int | None = None) -> str:
    """The entry's fingerprint, once its key, memo and lines are postable (else the errors
    post_entry raises)."""
    check_key(key)
    if not memo.strip() or len(memo) > MEMO_LENGTH:
        raise ValidationFailed("a memo of 1 to 200 characters", field="memo", code="bad_memo")
    check_lines(lines)
    return fingerprint(lines, memo, reversal_of)


async def defer_lines(raw: RawSQL, entry_id: int, lines: Sequence[Line]) -> None:
    args: list[Any] = []
    for line in lines:
        args += (entry_id, line.account_id, line.amount.currency, line.amount.minor)
    await raw.defer(LINES_SQL + values_sql(len(lines), 4), *args)


async def defer_header(
    raw: RawSQL, entry_id: int, key: str, memo: str, digest: str, now: datetime,
    reversal_of: int | None = None,
) -> None:  # fmt: skip
    """The entry's header: only after its lines were sent by an EARLIER statement."""
    await raw.defer(ENTRY_SQL, entry_id, key, memo, digest, reversal_of, raw.at(now))


async def last_apply(raw: RawSQL, account_id: int, change: int) -> None:
    """The cached balance of an account that MAY GO NEGATIVE (nothing to refuse) changed by
    a delta row (ADR 0017), sent with COMMIT (`RawSQL.at_commit`): the hot provider
    clearing row is not locked at all."""
    await raw.at_commit(DELTA_SQL, change, account_id)


async def post_raw(
    raw: RawSQL, *, key: str, lines: Sequence[Line], memo: str, now: datetime
) -> PostedEntry:
    """`post_entry` in a raw transaction: the entry, or the one already posted under its key
    with the same lines and memo; the same refusals (the caller's transaction then fails)."""
    digest = checked(key, lines, memo)
    row = await raw.fetchrow(BY_KEY_SQL, key)
    if row is not None:
        if row[3] != digest:
            raise EntryKeyReused("another entry was posted under this key", key=key)
        found = await _load(raw, row, replayed=True)
        assert found is not None
        return found
    entry_id = await next_entry_id(raw)
    for account_id, currency, change in per_account(lines):
        if await raw.fetchrow(APPLY_SQL, change, account_id, currency) is None:
            await _refuse(raw, account_id, currency)
    args: list[Any] = []
    for line in lines:
        args += (entry_id, line.account_id, line.amount.currency, line.amount.minor)
    await raw.execute(LINES_SQL + values_sql(len(lines), 4), *args)
    await defer_header(raw, entry_id, key, memo, digest, now)
    return PostedEntry(entry_id, key, memo, now.astimezone(UTC), None, tuple(lines))
