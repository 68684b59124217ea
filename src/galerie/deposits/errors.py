"""Deposit errors, each with a stable code."""

from __future__ import annotations

from galerie.kernel import Conflict, Forbidden, NotFound


class DepositCovered(Conflict):
    def __init__(self) -> None:
        super().__init__("The deposit already covers the requirement.", code="deposit_covered")


class DepositInsufficient(Conflict):
    def __init__(self, held_minor: int) -> None:
        super().__init__(
            "The deposit held is smaller than this deduction.",
            code="deposit_insufficient",
            held_minor=held_minor,
        )


class DeductionNotPending(Conflict):
    def __init__(self, status: str) -> None:
        super().__init__(
            "This deduction was already decided.", code="deduction_not_pending", status=status
        )


class ProposerCannotDecide(Forbidden):
    def __init__(self) -> None:
        super().__init__(
            "Another operator must approve or reject a deduction you proposed.",
            code="proposer_cannot_decide",
        )


class DeductionNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such deduction.", code="deduction_not_found")


class ShopNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such shop.", code="shop_not_found")
