"""Ledger tables: accounts (with their cached balance), journal entries and their lines.

Journal entries and lines are append-only and balanced in the database itself (migration
0017, ADR 0012): the lines of an entry are inserted first, then its header, whose insert
trigger refuses it unless its lines sum to zero per currency and number at least two; the
lines' reference to their entry is checked at commit (DEFERRABLE INITIALLY DEFERRED), and a
line for an entry that already exists is refused, so a posted entry never changes.

Amounts are signed minor units, debit positive. An account's owner is referred to by id
(a shop order or a shop; 0 for platform accounts), without a foreign key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK
from galerie.ledger.rules import AccountKind, OwnerKind


def _one_of(column: str, values: type[AccountKind] | type[OwnerKind]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class LedgerAccount(Base):
    """One account per (kind, owner, currency). `balance_minor` is the cached signed sum of
    its posted lines; `normal_sign` and `may_go_negative` come from the kind (rules.py) and
    the CHECK keeps a non-negative account's natural balance >= 0."""

    __tablename__ = "ledger_accounts"

    id: Mapped[IdPK]
    kind: Mapped[str] = mapped_column(String(30))
    owner_kind: Mapped[str] = mapped_column(String(12))
    owner_id: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    normal_sign: Mapped[int] = mapped_column(SmallInteger)
    may_go_negative: Mapped[bool]
    balance_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("kind", "owner_kind", "owner_id", "currency"),
        UniqueConstraint("id", "currency"),  # lines reference (account, currency)
        Index("ix_ledger_accounts_owner", "owner_kind", "owner_id"),
        CheckConstraint(_one_of("kind", AccountKind), name="kind_known"),
        CheckConstraint(_one_of("owner_kind", OwnerKind), name="owner_kind_known"),
        CheckConstraint("normal_sign IN (-1, 1)", name="normal_sign_known"),
        CheckConstraint("may_go_negative OR balance_minor * normal_sign >= 0", name="not_negative"),
    )


class JournalEntry(Base):
    """Append-only. `key` is the business key (unique: a replay posts nothing);
    `fingerprint` digests lines, memo and reversal_of so a replay can be compared; an entry
    is reversed at most once (`reversal_of` unique). The id is chosen before the lines are
    inserted (ledger/posting.py)."""

    __tablename__ = "journal_entries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    memo: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    reversal_of: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("journal_entries.id"), unique=True
    )
    occurred_at: Mapped[datetime]

    __table_args__ = (Index("ix_journal_entries_occurred_at", "occurred_at"),)


class JournalLine(Base):
    """Append-only. One signed amount (debit positive, never zero) on one account, in the
    account's currency (a composite foreign key)."""

    __tablename__ = "journal_lines"

    id: Mapped[IdPK]
    entry_id: Mapped[int] = mapped_column(
        BigId,
        ForeignKey("journal_entries.id", deferrable=True, initially="DEFERRED"),
        index=True,
    )
    account_id: Mapped[int] = mapped_column(BigId)
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        ForeignKeyConstraint(
            ["account_id", "currency"], ["ledger_accounts.id", "ledger_accounts.currency"]
        ),
        Index("ix_journal_lines_account", "account_id", "id"),
        CheckConstraint("amount_minor <> 0", name="not_zero"),
    )


class LedgerBalanceDelta(Base):
    """A change to an account's cached balance not yet folded into `balance_minor` (ADR
    0017): hot accounts that may go negative (provider clearing) take a row here instead of
    an UPDATE of their one row, so concurrent postings do not queue on its lock. An
    account's cached balance is `balance_minor` plus its deltas; `fold_balance_deltas`
    moves them into the column. Never on an account that may not go negative: its guard
    reads `balance_minor` alone."""

    __tablename__ = "ledger_balance_deltas"

    id: Mapped[IdPK]
    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("ledger_accounts.id"), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (CheckConstraint("amount_minor <> 0", name="not_zero"),)
