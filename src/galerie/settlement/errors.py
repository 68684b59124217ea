"""Settlement refusals, each with a stable code (the web layer maps them by class)."""

from __future__ import annotations

from galerie.kernel import Conflict, NotFound, ValidationFailed


class PayoutExceedsBalance(Conflict):
    """A payout above the shop's available payable: nothing changed."""

    default_code = "payout_exceeds_balance"


class BadPayoutAmount(ValidationFailed):
    """A payout amount that is not a positive whole number of minor units."""

    default_code = "bad_payout_amount"


class PayoutNotFound(NotFound):
    default_code = "payout_not_found"


class NoPayoutDestination(Conflict):
    """The shop has no bank account to pay to."""

    default_code = "no_payout_destination"


class BadStatementPeriod(ValidationFailed):
    default_code = "bad_statement_period"
