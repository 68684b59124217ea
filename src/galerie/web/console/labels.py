"""Words of the vetting and shop pages of the console. The sellers domain's values share
their labels with the seller centre (web.seller.labels: one msgid, one translation); only
what an operator reads differently is defined here."""

from __future__ import annotations

from typing import Final

from galerie.kernel import DomainError
from galerie.web.i18n import N_
from galerie.web.seller.labels import LABELS as SELLER_LABELS
from galerie.web.seller.labels import seller_message

CONSOLE_LABELS: Final[dict[str, dict[str, str]]] = {
    "application_status": SELLER_LABELS["application_status"],
    "application_action": SELLER_LABELS["application_action"],
    "application_kind": SELLER_LABELS["application_kind"],
    "shop_status": SELLER_LABELS["shop_status"]
    | {"preparing": N_("Preparing (hidden from shoppers)")},
    "shop_action": SELLER_LABELS["shop_action"],
    "shop_type": SELLER_LABELS["shop_type"],
    "document_kind": SELLER_LABELS["document_kind"],
    "finding": SELLER_LABELS["finding"],
}

# Refusals an operator meets that the seller centre does not.
BY_CODE: Final[dict[str, str]] = {
    "blocking_findings": N_(
        "The automatic checks now find blocking problems; this application cannot be approved."
    ),
    "reason_required": N_("Give a reason for this decision."),
    "not_a_reviewer": N_("Choose an operator who holds the vetting role."),
}


def console_message(error: DomainError) -> str:
    """The people-facing message of a sellers service's refusal (a msgid)."""
    return BY_CODE.get(error.code) or seller_message(error)
