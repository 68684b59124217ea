"""Balance deltas (ADR 0017): a hot account's cached balance changed by an INSERT instead of
an UPDATE of its one row.

Every capture credits escrow and debits provider clearing, one platform account. Updating
its `balance_minor` made every payment webhook queue on that row's lock, held until COMMIT
had reached the disk: the webhooks went one at a time at the pace of the WAL's flush. An
account that may go negative needs no guard when it is posted to, so its change can be a
row of `ledger_balance_deltas` instead, which nobody else writes. Its cached balance is then
`balance_minor` plus its deltas (`PENDING_SQL`, `pending_column`), what every read of a
balance adds; `fold_balance_deltas` (a worker timer, every minute) moves the deltas into
the column, atomically: on PostgreSQL one statement deletes them and adds what it deleted
(only committed deltas, in one snapshot), under an advisory lock so two folds do not
deadlock; on SQLite writers are serialised already.

An account that may not go negative never takes a delta (`DELTA_SQL` inserts nothing for
one): its guard reads `balance_minor` alone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select

from galerie.db import Database, RawSQL
from galerie.ledger.models import LedgerAccount, LedgerBalanceDelta

# $1 the change (signed, debit positive), $2 the account.
DELTA_SQL = (
    "INSERT INTO ledger_balance_deltas (account_id, amount_minor) "
    "SELECT id, $1 FROM ledger_accounts WHERE id = $2 AND may_go_negative"
)
# The deltas not yet folded into the balance of the account aliased `{account}`.
PENDING_SQL = (
    "(SELECT COALESCE(SUM(d.amount_minor), 0) FROM ledger_balance_deltas d "
    "WHERE d.account_id = {account}.id)"
)
PENDING_OF_ACCOUNT = PENDING_SQL.format(account="ledger_accounts")  # in a ledger_accounts query
FOLD_LOCK = 0x6761_6C65_7269_6501  # pg_advisory_xact_lock key: one fold at a time
FOLD_PG = (
    "WITH d AS (DELETE FROM ledger_balance_deltas RETURNING account_id, amount_minor), "
    "s AS (SELECT account_id, SUM(amount_minor) AS total, COUNT(*) AS n FROM d "
    "GROUP BY account_id), "
    "u AS (UPDATE ledger_accounts a SET balance_minor = a.balance_minor + s.total FROM s "
    "WHERE a.id = s.account_id) "
    "SELECT COALESCE(SUM(n), 0) FROM s"
)
COUNT_SQL = "SELECT COUNT(*) FROM ledger_balance_deltas"
FOLD_SQLITE = (
    "UPDATE ledger_accounts SET balance_minor = balance_minor + "  # noqa: S608 - constants
    f"{PENDING_OF_ACCOUNT} "
    "WHERE id IN (SELECT account_id FROM ledger_balance_deltas)"
)
CLEAR_SQLITE = "DELETE FROM ledger_balance_deltas"


def pending_column(account: Any = LedgerAccount) -> ColumnElement[int]:
    """The deltas not yet folded into `account`'s balance, correlated (for ORM reads)."""
    return (
        select(func.coalesce(func.sum(LedgerBalanceDelta.amount_minor), 0))
        .where(LedgerBalanceDelta.account_id == account.id)
        .scalar_subquery()
    )


async def fold_balance_deltas(db: Database, *, now: datetime | None = None) -> int:
    """Move every committed delta into its account's `balance_minor`; how many were folded
    (a timer's signature: `now` is not needed)."""
    async with db.transaction() as session:
        raw = await RawSQL.of(session)
        if raw.dialect == "postgresql":
            await raw.fetchrow("SELECT pg_advisory_xact_lock($1)", FOLD_LOCK)
            row = await raw.fetchrow(FOLD_PG)
            return int(row[0]) if row is not None else 0
        count = await raw.fetchrow(COUNT_SQL)
        folded = int(count[0]) if count is not None else 0
        if folded:
            await raw.execute(FOLD_SQLITE)
            await raw.execute(CLEAR_SQLITE)
        return folded
