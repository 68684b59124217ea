"""Ledger refusals, each with a stable code (the web layer maps them by class)."""

from __future__ import annotations

from galerie.kernel import Conflict, NotFound, ValidationFailed


class EntryUnbalanced(ValidationFailed):
    """The lines of an entry do not sum to zero per currency, or there are fewer than two,
    or a line is zero. Nothing written (the database refuses it too)."""

    default_code = "entry_unbalanced"


class EntryKeyReused(Conflict):
    """An entry was already posted under this business key with different lines or memo.
    Nothing written."""

    default_code = "entry_key_reused"


class BalanceWouldGoNegative(Conflict):
    """The entry would take an account that may not go negative (escrow, seller payable,
    deposits held) below zero. Nothing written."""

    default_code = "balance_would_go_negative"


class AccountNotFound(NotFound):
    default_code = "ledger_account_not_found"


class EntryNotFound(NotFound):
    default_code = "journal_entry_not_found"


class AlreadyReversed(Conflict):
    """The entry has been reversed already (under another key). Nothing written."""

    default_code = "entry_already_reversed"


class BadAccount(ValidationFailed):
    """An account kind asked with the wrong kind of owner, or a line whose currency is not
    its account's. Nothing written."""

    default_code = "bad_ledger_account"
