"""Ledger: the double-entry, append-only journal of every money movement. Public surface.

Accounts (rules.AccountKind: provider clearing, escrow per shop order, seller payable,
commission revenue, platform discounts, deposits held, fees receivable, refunds, payouts in
transit) keep a cached balance. Primitives (run INSIDE the caller's transaction, never
commit): account_for, find_account, get_account, balance_of, post_entry, reverse_entry,
find_entry.
Checks (own their transaction): check_balances, rebuild_balances. fold_balance_deltas (a
timer): a hot account's balance changes are delta rows (ADR 0017), folded into its cached
balance; every read of a balance adds the deltas not folded yet (pending_column). Pure arithmetic:
commission_split and escrow_release_lines (escrow release by per-line commission rates,
largest remainder); kernel.allocate splits one amount by weights.
natural_balance_column(kind, owner, currency): a balance as a correlated SQL expression
(for other domains' reads); account_statement(session, *, account_id) -> StatementLine list; last_line_id(session, *,
account_id) (a version of the account's movements). Amounts on lines are
signed, debit positive; balances are reported on each kind's natural side (ADR 0012)."""

from galerie.ledger.accounts import Account, account_for, balance_of, find_account, get_account
from galerie.ledger.allocation import CommissionShare, commission_split, escrow_release_lines
from galerie.ledger.columns import natural_balance_column
from galerie.ledger.deltas import fold_balance_deltas, pending_column
from galerie.ledger.errors import (
    AccountNotFound,
    AlreadyReversed,
    BadAccount,
    BalanceWouldGoNegative,
    EntryKeyReused,
    EntryNotFound,
    EntryUnbalanced,
)
from galerie.ledger.posting import PostedEntry, find_entry, post_entry, reverse_entry
from galerie.ledger.reconcile import Discrepancy, LedgerCheck, check_balances, rebuild_balances
from galerie.ledger.rules import KIND_RULES, AccountKind, KindRule, Line, OwnerKind, credit, debit
from galerie.ledger.statements import StatementLine, account_statement, last_line_id

__all__ = [
    "KIND_RULES",
    "Account",
    "AccountKind",
    "AccountNotFound",
    "AlreadyReversed",
    "BadAccount",
    "BalanceWouldGoNegative",
    "CommissionShare",
    "Discrepancy",
    "EntryKeyReused",
    "EntryNotFound",
    "EntryUnbalanced",
    "KindRule",
    "LedgerCheck",
    "Line",
    "OwnerKind",
    "PostedEntry",
    "StatementLine",
    "account_for",
    "account_statement",
    "balance_of",
    "check_balances",
    "commission_split",
    "credit",
    "debit",
    "escrow_release_lines",
    "find_account",
    "find_entry",
    "fold_balance_deltas",
    "get_account",
    "last_line_id",
    "natural_balance_column",
    "pending_column",
    "post_entry",
    "rebuild_balances",
    "reverse_entry",
]
