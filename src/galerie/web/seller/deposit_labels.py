"""Words of the deposit pages (seller centre and console): the deposits domain's values and
refusals as msgids, translated where they are rendered."""

from __future__ import annotations

from typing import Final

from galerie.kernel import DomainError
from galerie.web.i18n import N_
from galerie.web.messages import BY_CODE, GENERIC

DEPOSIT_MESSAGES: Final[dict[str, str]] = {
    "deposit_covered": N_("The deposit already covers the requirement: nothing to pay."),
    "deposit_insufficient": N_("The deposit held is smaller than this deduction."),
    "deduction_not_pending": N_("This deduction was already decided."),
    "proposer_cannot_decide": N_(
        "Another operator must approve or reject a deduction you proposed."
    ),
    "shop_closed": N_("This shop is closed."),
    "reason_required": N_("Give a reason for this decision."),
    "bad_amount": N_("Enter a positive amount, for example 500.00."),
}

DEPOSIT_LABELS: Final[dict[str, dict[str, str]]] = {
    "purpose": {"penalty": N_("Penalty"), "compensation": N_("Compensation to a buyer")},
    "deduction_status": {
        "pending": N_("Awaiting a second operator"),
        "executed": N_("Deducted"),
        "rejected": N_("Rejected"),
    },
    "memo": {
        "deposit paid through the provider": N_("Deposit paid online"),
        "deposit received by bank transfer": N_("Deposit received by bank transfer"),
        "deposit deduction (penalty)": N_("Deducted: penalty"),
        "deposit deduction (compensation)": N_("Deducted: compensation to a buyer"),
    },
}


def deposit_message(error: DomainError) -> str:
    return DEPOSIT_MESSAGES.get(error.code) or BY_CODE.get(error.code, GENERIC)
