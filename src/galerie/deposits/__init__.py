"""Deposits: the money a shop must hold with the platform (shops.deposit_required_minor in
its deposit currency), held in the ledger's `deposits_held` account of the shop. Public
surface.

Money in (each posts provider clearing -> deposits held once, by its business key):
    add_deposit_payment / open_deposit_payment (records of a checkout session opened by
        galerie.payments.start_deposit_payment) and settle_deposit_payment(session, ...) (the
        provider's webhook, in apply_provider_event's transaction: `deposit:<payment>`)
    record_deposit_transfer(db, *, actor, shop_id, reference, now, audit): finance records a
        bank transfer of the shortfall (`deposit-transfer:<shop>:<last line>`; CONSOLE_FINANCE)
Money out:
    propose_deduction / approve_deduction / reject_deduction: operators deduct with a reason;
        above the approval threshold a second operator (never the proposer) approves; a
        penalty goes to commission revenue, a compensation to the refunds account; never
        below zero (`deposit_insufficient`)
What follows (holding.follow_balance, in the same transaction): below the requirement a live
shop gets a 15-day top-up countdown and a DepositTopUpRequested mail; topped up in time the
countdown ends; `restrict_overdue_shops(db, *, now)` (the worker's hourly timer) restricts
the shop at the deadline; a later top-up lifts the restriction.
Reads: deposit_overview(session, *, shop_id), pending_deductions(session), find_deduction.
For `galerie reconcile`: unjournalled_deposit_payments(session) and
deposit_payments_of(session, *, provider) (our side of the provider's records).
Events: DepositTopUpRequested, DepositMoved."""

from galerie.deposits.countdown import restrict_overdue_shops
from galerie.deposits.deductions import (
    DeductionOutcome,
    approve_deduction,
    propose_deduction,
    reject_deduction,
)
from galerie.deposits.errors import (
    DeductionNotFound,
    DeductionNotPending,
    DepositCovered,
    DepositInsufficient,
    ProposerCannotDecide,
    ShopNotFound,
)
from galerie.deposits.events import DepositMoved, DepositTopUpRequested
from galerie.deposits.holding import note_deposit_taken, receive_deposit, take_from_deposit
from galerie.deposits.payments import (
    OpenDepositPayment,
    add_deposit_payment,
    open_deposit_payment,
    settle_deposit_payment,
)
from galerie.deposits.queries import (
    DeductionView,
    DepositOverview,
    deposit_overview,
    find_deduction,
    pending_deductions,
)
from galerie.deposits.reconcile import (
    UnjournalledDeposit,
    deposit_payments_of,
    unjournalled_deposit_payments,
)
from galerie.deposits.rules import (
    DEFAULT_APPROVAL_THRESHOLD_MINOR,
    DEPOSIT_REFERENCE_PREFIX,
    TOP_UP_PERIOD,
    CountdownStatus,
    DeductionPurpose,
    DeductionStatus,
    deposit_reference,
)
from galerie.deposits.transfers import record_deposit_transfer

__all__ = [
    "DEFAULT_APPROVAL_THRESHOLD_MINOR",
    "DEPOSIT_REFERENCE_PREFIX",
    "TOP_UP_PERIOD",
    "CountdownStatus",
    "DeductionNotFound",
    "DeductionNotPending",
    "DeductionOutcome",
    "DeductionPurpose",
    "DeductionStatus",
    "DeductionView",
    "DepositCovered",
    "DepositInsufficient",
    "DepositMoved",
    "DepositOverview",
    "DepositTopUpRequested",
    "OpenDepositPayment",
    "ProposerCannotDecide",
    "ShopNotFound",
    "UnjournalledDeposit",
    "add_deposit_payment",
    "approve_deduction",
    "deposit_overview",
    "deposit_payments_of",
    "deposit_reference",
    "find_deduction",
    "note_deposit_taken",
    "open_deposit_payment",
    "pending_deductions",
    "propose_deduction",
    "receive_deposit",
    "record_deposit_transfer",
    "reject_deduction",
    "restrict_overdue_shops",
    "settle_deposit_payment",
    "take_from_deposit",
    "unjournalled_deposit_payments",
]
