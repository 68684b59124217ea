"""Posting journal entries: `post_entry` and `reverse_entry`, in the caller's transaction.

One posting, inside a savepoint so that a refusal leaves nothing behind even if the caller
carries on: choose the entry id; apply each account's net change to its cached balance with
one conditional UPDATE per account, in account-id order (locks are taken in one order, so
concurrent postings cannot deadlock on PostgreSQL), refusing to take a non-negative account
below zero; insert the lines; insert the header, whose trigger checks the lines balance.

The business key makes a posting idempotent: a replay with the same lines and memo returns
the entry already posted and writes nothing; a different body under the key is refused. Two
transactions posting one key at once: the second waits on the first's row locks or unique
key, fails (its balance check or the key), rolls its savepoint back and then finds (and
returns) the first's entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import RawSQL
from galerie.kernel import Money, ValidationFailed
from galerie.ledger.accounts import BY_ID_SQL, account_of
from galerie.ledger.errors import (
    AccountNotFound,
    AlreadyReversed,
    BadAccount,
    BalanceWouldGoNegative,
    EntryKeyReused,
    EntryNotFound,
)
from galerie.ledger.rules import MEMO_LENGTH, Line, check_key, check_lines, fingerprint, per_account

APPLY_SQL = (
    "UPDATE ledger_accounts SET balance_minor = balance_minor + $1 "
    "WHERE id = $2 AND currency = $3 "
    "AND (may_go_negative OR (balance_minor + $1) * normal_sign >= 0) RETURNING id"
)
ENTRY_SQL = (
    "INSERT INTO journal_entries (id, key, memo, fingerprint, reversal_of, occurred_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)"
)
NEXT_ID_SQL = {
    "postgresql": "SELECT nextval(pg_get_serial_sequence('journal_entries', 'id'))",
    # SQLite writes are serialised (BEGIN IMMEDIATE), and journal rows are never deleted.
    "sqlite": "SELECT COALESCE(MAX(id), 0) + 1 FROM journal_entries",
}
BY_KEY_SQL = (
    "SELECT id, key, memo, fingerprint, reversal_of, occurred_at FROM journal_entries "
    "WHERE key = $1"
)
BY_ENTRY_ID_SQL = (
    "SELECT id, key, memo, fingerprint, reversal_of, occurred_at FROM journal_entries WHERE id = $1"
)
LINES_SQL = (
    "SELECT account_id, currency, amount_minor FROM journal_lines WHERE entry_id = $1 ORDER BY id"
)
REVERSED_BY_SQL = "SELECT key FROM journal_entries WHERE reversal_of = $1"


@dataclass(frozen=True, slots=True)
class PostedEntry:
    """A journal entry as posted. `replayed` is True when this call found it already posted
    under its key (and wrote nothing)."""

    id: int
    key: str
    memo: str
    occurred_at: datetime
    reversal_of: int | None
    lines: tuple[Line, ...]
    replayed: bool = False


async def post_entry(
    session: AsyncSession, *, key: str, lines: Sequence[Line], memo: str, now: datetime
) -> PostedEntry:
    """Post a balanced entry under its business key, or return the one already posted under
    it with the same lines and memo. Raises EntryUnbalanced, EntryKeyReused,
    BalanceWouldGoNegative, AccountNotFound or BadAccount, having written nothing. Runs in
    the caller's transaction; never commits."""
    return await _post(session, key=key, lines=lines, memo=memo, now=now, reversal_of=None)


async def reverse_entry(
    session: AsyncSession, *, entry_id: int, key: str, memo: str, now: datetime
) -> PostedEntry:
    """Post the reversing entry of `entry_id` (every line with its sign turned), under its
    own business key; an entry is reversed at most once (AlreadyReversed otherwise). A
    reversal that would take a non-negative account below zero is refused like any entry."""
    raw = await RawSQL.of(session)
    original = await _load(raw, await raw.fetchrow(BY_ENTRY_ID_SQL, entry_id))
    if original is None:
        raise EntryNotFound("no such journal entry", entry_id=entry_id)
    reversed_by = await raw.fetchrow(REVERSED_BY_SQL, entry_id)
    if reversed_by is not None and reversed_by[0] != key:
        raise AlreadyReversed("this entry has been reversed already", entry_id=entry_id)
    lines = [Line(line.account_id, -line.amount) for line in original.lines]
    return await _post(session, key=key, lines=lines, memo=memo, now=now, reversal_of=entry_id)


async def find_entry(session: AsyncSession, *, key: str) -> PostedEntry | None:
    """The entry posted under a business key, if any (whether a step already happened)."""
    raw = await RawSQL.of(session)
    return await _load(raw, await raw.fetchrow(BY_KEY_SQL, key))


async def _post(
    session: AsyncSession,
    *,
    key: str,
    lines: Sequence[Line],
    memo: str,
    now: datetime,
    reversal_of: int | None,
) -> PostedEntry:
    check_key(key)
    if not memo.strip() or len(memo) > MEMO_LENGTH:
        raise ValidationFailed("a memo of 1 to 200 characters", field="memo", code="bad_memo")
    check_lines(lines)
    digest = fingerprint(lines, memo, reversal_of)
    raw = await RawSQL.of(session)
    found = await _replay(raw, key, digest)
    if found is not None:
        return found
    try:
        async with session.begin_nested():
            await session.connection()  # emits the SAVEPOINT now, before the raw statements
            entry_id = await _write(raw, key, lines, memo, digest, reversal_of, now)
    except Exception:
        # A concurrent posting of the same key (or reversal of the same entry) may have won
        # while this one waited: its row locks make this one's balance check fail, its
        # unique key this one's insert. Answer as if it had been seen first.
        found = await _replay(raw, key, digest)
        if found is not None:
            return found
        if reversal_of is not None and await raw.fetchrow(REVERSED_BY_SQL, reversal_of):
            raise AlreadyReversed(
                "this entry has been reversed already", entry_id=reversal_of
            ) from None
        raise
    return PostedEntry(entry_id, key, memo, now.astimezone(UTC), reversal_of, tuple(lines))


async def _write(
    raw: RawSQL,
    key: str,
    lines: Sequence[Line],
    memo: str,
    digest: str,
    reversal_of: int | None,
    now: datetime,
) -> int:
    row = await raw.fetchrow(NEXT_ID_SQL[raw.dialect])
    assert row is not None
    entry_id = int(row[0])
    for account_id, currency, change in per_account(lines):
        if await raw.fetchrow(APPLY_SQL, change, account_id, currency) is None:
            await _refuse(raw, account_id, currency)
    values = ", ".join(
        f"(${4 * i + 1}, ${4 * i + 2}, ${4 * i + 3}, ${4 * i + 4})" for i in range(len(lines))
    )
    args: list[Any] = []
    for line in lines:
        args += [entry_id, line.account_id, line.amount.currency, line.amount.minor]
    await raw.execute(
        f"INSERT INTO journal_lines (entry_id, account_id, currency, amount_minor) "  # noqa: S608 - placeholders only
        f"VALUES {values}",
        *args,
    )
    await raw.execute(ENTRY_SQL, entry_id, key, memo, digest, reversal_of, raw.at(now))
    return entry_id


async def _refuse(raw: RawSQL, account_id: int, currency: str) -> None:
    """Explain why an account's conditional UPDATE matched nothing, as a DomainError."""
    row = await raw.fetchrow(BY_ID_SQL, account_id)
    if row is None:
        raise AccountNotFound("no such ledger account", account_id=account_id)
    account = account_of(row)
    if account.currency != currency:
        raise BadAccount(
            f"account {account_id} keeps {account.currency}, not {currency}",
            account_id=account_id,
        )
    raise BalanceWouldGoNegative(
        f"{account.kind} account {account_id} would go below zero",
        account_id=account_id,
        kind=account.kind.value,
        balance=account.balance.minor,
    )


async def _replay(raw: RawSQL, key: str, digest: str) -> PostedEntry | None:
    row = await raw.fetchrow(BY_KEY_SQL, key)
    if row is None:
        return None
    if row[3] != digest:
        raise EntryKeyReused("another entry was posted under this key", key=key)
    return await _load(raw, row, replayed=True)


async def _load(raw: RawSQL, row: Any, *, replayed: bool = False) -> PostedEntry | None:
    if row is None:
        return None
    lines = await raw.fetch(LINES_SQL, row[0])
    occurred: Any = row[5]
    if isinstance(occurred, str):  # SQLite keeps SQLAlchemy's text form, in UTC
        occurred = datetime.fromisoformat(occurred).replace(tzinfo=UTC)
    return PostedEntry(
        id=int(row[0]),
        key=str(row[1]),
        memo=str(row[2]),
        occurred_at=occurred,
        reversal_of=None if row[4] is None else int(row[4]),
        lines=tuple(Line(int(a), Money(int(m), str(c))) for a, c, m in lines),
        replayed=replayed,
    )
