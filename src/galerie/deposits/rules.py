"""Deposit rules, pure (no I/O): the top-up period, where a deduction's money goes, whether a
deduction needs a second operator, and the business keys of the deposit journal entries."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Final

from galerie.ledger import AccountKind

# a shop whose deposit fell below the requirement has this long to top it up
TOP_UP_PERIOD: Final = timedelta(days=15)
# deductions above this many minor units need a second operator's approval by default
# (GALERIE_DEPOSIT_DEDUCTION_APPROVAL_MINOR)
DEFAULT_APPROVAL_THRESHOLD_MINOR: Final = 1_000_000
# a checkout session's reference for a deposit payment is "deposit:<shop id>"
DEPOSIT_REFERENCE_PREFIX: Final = "deposit:"
MAX_REASON: Final = 2000


class DeductionPurpose(StrEnum):
    """What a deduction is for, which says where its money goes."""

    PENALTY = "penalty"  # a violation's fine: the platform's revenue
    COMPENSATION = "compensation"  # owed to a buyer: the refunds account pays them


class DeductionStatus(StrEnum):
    PENDING = "pending"
    EXECUTED = "executed"
    REJECTED = "rejected"


class CountdownStatus(StrEnum):
    RUNNING = "running"
    TOPPED_UP = "topped_up"
    RESTRICTED = "restricted"
    LIFTED = "lifted"


DESTINATION: Final = {
    DeductionPurpose.PENALTY: AccountKind.COMMISSION_REVENUE,
    DeductionPurpose.COMPENSATION: AccountKind.REFUNDS,
}


def needs_approval(amount_minor: int, threshold_minor: int) -> bool:
    """A deduction above the threshold waits for a second operator; at or below, it runs."""
    return amount_minor > threshold_minor


def deposit_reference(shop_id: int) -> str:
    return f"{DEPOSIT_REFERENCE_PREFIX}{shop_id}"


def payment_key(deposit_payment_id: int) -> str:
    return f"deposit:{deposit_payment_id}"


def transfer_key(shop_id: int, last_line_id: int) -> str:
    """An offline transfer is keyed by the shop and the deposit as it stands (the id of its
    account's latest journal line): two operators recording the same shortfall at once
    post one entry, and a later shortfall (after a deduction, even back to the same
    balance) is a new one."""
    return f"deposit-transfer:{shop_id}:{last_line_id}"


def deduction_key(deduction_id: int) -> str:
    return f"deposit-deduction:{deduction_id}"
