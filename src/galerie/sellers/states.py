"""The two state machines of the domain, as data (ARCHITECTURE habit 5).

Each table maps (state, action) to the next state, who may take the step (a permission, or
None for the system itself), whether a reason is mandatory and the event it emits. The one
`transition()` per machine (applications.transition_application, shops.transition_shop) is
the only code that changes a status. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from galerie.identity import Permission
from galerie.sellers.events import (
    ApplicationApproved,
    ApplicationChangesRequested,
    ApplicationChecksPassed,
    ApplicationEvent,
    ApplicationRejected,
    ApplicationSubmitted,
    ShopClosed,
    ShopEvent,
    ShopPublished,
    ShopReinstated,
    ShopRestricted,
    ShopRestrictionLifted,
    ShopSuspended,
)


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"


class ApplicationAction(StrEnum):
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    PASS_CHECKS = "pass_checks"  # noqa: S105 - an action name, not a secret
    FAIL_CHECKS = "fail_checks"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    REJECT = "reject"


class ShopStatus(StrEnum):
    PREPARING = "preparing"
    LIVE = "live"
    SUSPENDED = "suspended"
    CLOSED = "closed"
    # a live shop whose deposit stayed below the requirement past its top-up deadline:
    # hidden from the storefront and search, takes no new orders, keeps its open orders;
    # set and lifted by the system only (galerie.deposits), suspended or closed by operators
    RESTRICTED = "restricted"


class ShopAction(StrEnum):
    PUBLISH = "publish"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    CLOSE = "close"
    RESTRICT = "restrict"
    LIFT_RESTRICTION = "lift_restriction"


# The applicant's side: owner, manager and agency operator hold it (identity.rules).
APPLICANT = Permission.SELLER_CATALOG_MANAGE
# Vetting decisions: operators with the vetting or admin role.
VETTING = Permission.CONSOLE_VETTING
# Shop sanctions: operators with the moderation or admin role.
MODERATION = Permission.CONSOLE_MODERATION


@dataclass(frozen=True, slots=True)
class Step:
    to: str
    permission: Permission | None  # None: only the system takes this step
    reason_required: bool
    event: type[ApplicationEvent] | type[ShopEvent]

    @property
    def by_seller(self) -> bool:
        return self.permission is not None and self.permission.value.startswith("seller.")


_A, _AA = ApplicationStatus, ApplicationAction
APPLICATION_TRANSITIONS: dict[tuple[ApplicationStatus, ApplicationAction], Step] = {
    (_A.DRAFT, _AA.SUBMIT): Step(_A.SUBMITTED, APPLICANT, False, ApplicationSubmitted),
    (_A.CHANGES_REQUESTED, _AA.RESUBMIT): Step(
        _A.SUBMITTED, APPLICANT, False, ApplicationSubmitted
    ),
    (_A.SUBMITTED, _AA.PASS_CHECKS): Step(_A.UNDER_REVIEW, None, False, ApplicationChecksPassed),
    (_A.SUBMITTED, _AA.FAIL_CHECKS): Step(
        _A.CHANGES_REQUESTED, None, True, ApplicationChangesRequested
    ),
    (_A.UNDER_REVIEW, _AA.REQUEST_CHANGES): Step(
        _A.CHANGES_REQUESTED, VETTING, True, ApplicationChangesRequested
    ),
    (_A.UNDER_REVIEW, _AA.APPROVE): Step(_A.APPROVED, VETTING, True, ApplicationApproved),
    (_A.UNDER_REVIEW, _AA.REJECT): Step(_A.REJECTED, VETTING, True, ApplicationRejected),
}

# Assigning a reviewer changes no state; it is allowed while an operator may still act.
ASSIGNABLE = frozenset({_A.UNDER_REVIEW, _A.CHANGES_REQUESTED})
# A seller may edit the application and its documents only in these states.
EDITABLE = frozenset({_A.DRAFT, _A.CHANGES_REQUESTED})
# Applications that count as pending or approved for the duplicate registration check.
HOLDING = frozenset({_A.SUBMITTED, _A.UNDER_REVIEW, _A.CHANGES_REQUESTED, _A.APPROVED})

_S, _SA = ShopStatus, ShopAction
SHOP_TRANSITIONS: dict[tuple[ShopStatus, ShopAction], Step] = {
    (_S.PREPARING, _SA.PUBLISH): Step(_S.LIVE, APPLICANT, False, ShopPublished),
    (_S.LIVE, _SA.SUSPEND): Step(_S.SUSPENDED, MODERATION, True, ShopSuspended),
    (_S.SUSPENDED, _SA.REINSTATE): Step(_S.LIVE, MODERATION, True, ShopReinstated),
    (_S.PREPARING, _SA.CLOSE): Step(_S.CLOSED, MODERATION, True, ShopClosed),
    (_S.LIVE, _SA.CLOSE): Step(_S.CLOSED, MODERATION, True, ShopClosed),
    (_S.SUSPENDED, _SA.CLOSE): Step(_S.CLOSED, MODERATION, True, ShopClosed),
    # deposits (galerie.deposits): the system restricts and lifts; operators may still act
    (_S.LIVE, _SA.RESTRICT): Step(_S.RESTRICTED, None, True, ShopRestricted),
    (_S.RESTRICTED, _SA.LIFT_RESTRICTION): Step(_S.LIVE, None, True, ShopRestrictionLifted),
    (_S.RESTRICTED, _SA.SUSPEND): Step(_S.SUSPENDED, MODERATION, True, ShopSuspended),
    (_S.RESTRICTED, _SA.CLOSE): Step(_S.CLOSED, MODERATION, True, ShopClosed),
}

# Shops a seller's own staff and operators may see; everyone else sees only live ones.
SHOP_VISIBLE_TO_PUBLIC = frozenset({_S.LIVE})
SHOP_MAY_SELL = frozenset({_S.PREPARING, _S.LIVE})


def application_step(status: str, action: ApplicationAction) -> Step | None:
    if status not in ApplicationStatus._value2member_map_:
        return None
    return APPLICATION_TRANSITIONS.get((ApplicationStatus(status), action))


def shop_step(status: str, action: ShopAction) -> Step | None:
    if status not in ShopStatus._value2member_map_:
        return None
    return SHOP_TRANSITIONS.get((ShopStatus(status), action))
