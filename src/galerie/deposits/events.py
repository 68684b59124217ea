"""Deposits events, written to the outbox in the transaction that caused them."""

from __future__ import annotations

from datetime import datetime

from galerie.kernel import DomainEvent


class DepositTopUpRequested(DomainEvent, frozen=True, kw_only=True):
    """A live shop's deposit fell below the requirement: the seller has until `deadline` to
    top it up, else the shop is restricted."""

    shop_id: int
    organisation_id: int
    shortfall_minor: int
    currency: str
    deadline: datetime


class DepositMoved(DomainEvent, frozen=True, kw_only=True):
    """Money came into or left a shop's deposit (signed: a payment or transfer adds, a
    deduction takes), posted under `entry_key`."""

    shop_id: int
    organisation_id: int
    amount_minor: int
    currency: str
    held_minor: int
    entry_key: str
    actor_user_id: int | None = None
