"""What the seller centre's finance pages say (msgids, translated in the templates)."""

from __future__ import annotations

from typing import Final

from galerie.kernel import DomainError
from galerie.web.i18n import N_
from galerie.web.messages import GENERIC

LINE_KIND_LABELS: Final[dict[str, str]] = {
    "sale": N_("Order received (after commission)"),
    "refund": N_("Refund to a buyer"),
    "fee": N_("Annual category fee"),
    "rebate": N_("Annual category fee rebate"),
    "payout": N_("Payout to your bank"),
    "payout_returned": N_("Payout returned"),
    "deposit": N_("Deposit held"),
    "adjustment": N_("Adjustment"),
}
ACCOUNT_LABELS: Final[dict[str, str]] = {
    "seller_payable": N_("Seller balance"),
    "deposits_held": N_("Deposit held"),
}
PAYOUT_STATUS_LABELS: Final[dict[str, str]] = {
    "requested": N_("Payout requested"),
    "sent": N_("Sent to the bank"),
    "paid": N_("Paid"),
    "failed": N_("Failed: the money is back in your balance"),
}
FINANCE_MESSAGES: Final[dict[str, str]] = {
    "payout_exceeds_balance": N_("The amount is above your available balance."),
    "bad_payout_amount": N_("Enter an amount above zero."),
    "bad_amount": N_("Enter an amount such as 120.50."),
    "no_payout_destination": N_("This shop has no bank account to pay to."),
    "bad_statement_period": N_("The period must end after it starts."),
}


def finance_message(error: DomainError) -> str:
    return FINANCE_MESSAGES.get(error.code, GENERIC)
