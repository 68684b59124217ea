"""Balances against the journal: `check_balances` reports every account whose cached balance
differs from the sum of its lines, any currency whose cached balances do not sum to zero, and
any entry whose lines do not (the database refuses those, so this should never find one);
`rebuild_balances` sets each differing cached balance to its journal sum. `galerie
reconcile` is meant to call them."""

from __future__ import annotations

from dataclasses import dataclass, field

from galerie.db import Database, RawSQL
from galerie.ledger.deltas import PENDING_OF_ACCOUNT, PENDING_SQL
from galerie.ledger.rules import PLATFORM_OWNER_ID, AccountKind

_CACHED = f"a.balance_minor + {PENDING_SQL.format(account='a')}"  # ADR 0017
DIFFERING_SQL = (
    f"SELECT a.id, a.kind, a.owner_id, a.currency, {_CACHED}, COALESCE(j.total, 0) "  # noqa: S608
    "FROM ledger_accounts a LEFT JOIN (SELECT account_id, SUM(amount_minor) AS total "
    "FROM journal_lines GROUP BY account_id) j ON j.account_id = a.id "
    f"WHERE {_CACHED} <> COALESCE(j.total, 0) ORDER BY a.id"
)
CACHED_TOTALS_SQL = (
    f"SELECT a.currency, SUM({_CACHED}) FROM ledger_accounts a GROUP BY a.currency "  # noqa: S608
    f"HAVING SUM({_CACHED}) <> 0 ORDER BY a.currency"
)
UNBALANCED_ENTRIES_SQL = (
    "SELECT DISTINCT entry_id FROM journal_lines GROUP BY entry_id, currency "
    "HAVING SUM(amount_minor) <> 0 ORDER BY entry_id"
)
COUNT_SQL = "SELECT COUNT(*) FROM ledger_accounts"
LOCK_SQL = "SELECT id FROM ledger_accounts WHERE id = $1 FOR UPDATE"
REBUILD_SQL = (
    "UPDATE ledger_accounts SET balance_minor = (SELECT COALESCE(SUM(amount_minor), 0) "  # noqa: S608 - constants
    f"FROM journal_lines WHERE account_id = $1) - {PENDING_OF_ACCOUNT} WHERE id = $1"
)


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """An account whose cached balance (signed, debit positive) is not its journal sum."""

    account_id: int
    kind: AccountKind
    owner_id: int | None
    currency: str
    cached_minor: int
    journal_minor: int


@dataclass(frozen=True, slots=True)
class LedgerCheck:
    accounts: int
    discrepancies: tuple[Discrepancy, ...] = ()
    # currency -> signed sum of cached balances, for currencies that do not sum to zero
    unbalanced_currencies: dict[str, int] = field(default_factory=dict)
    unbalanced_entries: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return not (self.discrepancies or self.unbalanced_currencies or self.unbalanced_entries)


async def _inspect(raw: RawSQL) -> LedgerCheck:
    count = await raw.fetchrow(COUNT_SQL)
    differing = await raw.fetch(DIFFERING_SQL)
    totals = await raw.fetch(CACHED_TOTALS_SQL)
    entries = await raw.fetch(UNBALANCED_ENTRIES_SQL)
    return LedgerCheck(
        accounts=int(count[0]) if count is not None else 0,
        discrepancies=tuple(
            Discrepancy(
                account_id=int(r[0]),
                kind=AccountKind(r[1]),
                owner_id=None if int(r[2]) == PLATFORM_OWNER_ID else int(r[2]),
                currency=str(r[3]),
                cached_minor=int(r[4]),
                journal_minor=int(r[5]),
            )
            for r in differing
        ),
        unbalanced_currencies={str(c): int(t) for c, t in totals},
        unbalanced_entries=tuple(int(r[0]) for r in entries),
    )


async def check_balances(db: Database) -> LedgerCheck:
    """Recompute every balance from the journal and report what differs. Writes nothing."""
    async with db.reading() as session:
        return await _inspect(await RawSQL.of(session))


async def rebuild_balances(db: Database) -> LedgerCheck:
    """Set every differing cached balance to its journal sum; returns what was found before.
    On PostgreSQL each account is locked (in id order) before its sum is read, so a posting
    committed meanwhile is counted. A non-negative account whose journal sum is negative
    stays refused by its CHECK (and the transaction fails): that needs a person."""
    async with db.transaction() as session:
        raw = await RawSQL.of(session)
        found = await _inspect(raw)
        for item in found.discrepancies:
            if raw.dialect == "postgresql":
                await raw.fetchrow(LOCK_SQL, item.account_id)
            await raw.execute(REBUILD_SQL, item.account_id)
        return found
