"""Balances as SQL expressions, for other domains' reads (a shop list that shows whether
its deposit is held) without importing the ledger's tables: one correlated scalar subquery,
0 when the account does not exist yet."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select

from galerie.ledger.deltas import pending_column
from galerie.ledger.models import LedgerAccount
from galerie.ledger.rules import KIND_RULES, AccountKind


def natural_balance_column(
    kind: AccountKind, owner_id: ColumnElement[Any], currency: ColumnElement[Any]
) -> ColumnElement[int]:
    """The natural balance (minor units) of the `kind` account of `owner_id` in `currency`,
    correlated with the outer query's columns."""
    rule = KIND_RULES[kind]
    inner = (
        select((LedgerAccount.balance_minor + pending_column()) * rule.normal_sign)
        .where(
            LedgerAccount.kind == kind.value,
            LedgerAccount.owner_kind == rule.owner.value,
            LedgerAccount.owner_id == owner_id,
            LedgerAccount.currency == currency,
        )
        .scalar_subquery()
    )
    return func.coalesce(inner, 0)
