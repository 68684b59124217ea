"""Pure settlement rules: the payout's state machine and the table that explains a
statement line from its journal entry's business key. No I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class PayoutStatus(StrEnum):
    REQUESTED = "requested"  # the money left the payable for payouts in transit
    SENT = "sent"  # the provider accepted it
    PAID = "paid"  # the provider confirmed it reached the bank
    FAILED = "failed"  # the provider refused it; the money went back to the payable


# status -> the statuses it may move to (paid and failed are final). A confirmation may
# overtake the provider's synchronous answer, hence requested -> paid.
PAYOUT_TRANSITIONS: Final[Mapping[PayoutStatus, frozenset[PayoutStatus]]] = {
    PayoutStatus.REQUESTED: frozenset({PayoutStatus.SENT, PayoutStatus.PAID, PayoutStatus.FAILED}),
    PayoutStatus.SENT: frozenset({PayoutStatus.PAID, PayoutStatus.FAILED}),
}
IN_TRANSIT: Final = (PayoutStatus.REQUESTED.value, PayoutStatus.SENT.value)


def sources_of(target: PayoutStatus) -> list[str]:
    """The statuses from which `target` may be reached (the conditional UPDATE's WHERE)."""
    return sorted(s.value for s, targets in PAYOUT_TRANSITIONS.items() if target in targets)


class LineKind(StrEnum):
    """What a statement line is, as the seller reads it."""

    SALE = "sale"  # an order's escrow released to the seller, minus commission
    REFUND = "refund"
    FEE = "fee"
    REBATE = "rebate"
    PAYOUT = "payout"
    PAYOUT_RETURNED = "payout_returned"
    DEPOSIT = "deposit"
    ADJUSTMENT = "adjustment"


@dataclass(frozen=True, slots=True)
class KeyKind:
    prefix: str
    kind: LineKind


# Business key prefix -> kind, as data: another kind of entry on a seller's payable or
# deposit (a refund, a deduction) is explained by adding a row. The longest prefix wins.
KEY_KINDS: Final[tuple[KeyKind, ...]] = (
    KeyKind("release:", LineKind.SALE),
    KeyKind("refund:", LineKind.REFUND),
    KeyKind("clawback:", LineKind.REFUND),
    KeyKind("annual-fee:", LineKind.FEE),
    KeyKind("annual-fee-rebate:", LineKind.REBATE),
    KeyKind("fee-collection:", LineKind.FEE),
    KeyKind("payout:", LineKind.PAYOUT),
    KeyKind("payout-failed:", LineKind.PAYOUT_RETURNED),
    KeyKind("deposit:", LineKind.DEPOSIT),
    KeyKind("deposit-deduction:", LineKind.DEPOSIT),
    KeyKind("deposit-transfer:", LineKind.DEPOSIT),
)


def explain_key(key: str) -> tuple[LineKind, str]:
    """(kind, subject) of a business key: `release:42` -> (sale, "42"); a key no row
    explains is an adjustment, its subject the whole key."""
    best: KeyKind | None = None
    for row in KEY_KINDS:
        if key.startswith(row.prefix) and (best is None or len(row.prefix) > len(best.prefix)):
            best = row
    if best is None:
        return LineKind.ADJUSTMENT, key
    return best.kind, key[len(best.prefix) :]


def payout_key_for_run(run_key: str, shop_id: int) -> str:
    return f"payout:run:{run_key}:{shop_id}"


def payout_key_for_request(shop_id: int, token: str) -> str:
    return f"payout:request:{shop_id}:{token}"
