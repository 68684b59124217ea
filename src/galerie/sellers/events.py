"""Sellers events, written to the outbox in the transaction that caused them. Every payload
carries the organisation, the actor and the reason, so a mailer can tell the seller why."""

from __future__ import annotations

from galerie.kernel import DomainEvent


class ApplicationEvent(DomainEvent, frozen=True, kw_only=True):
    application_id: int
    organisation_id: int
    from_status: str
    to_status: str
    actor_user_id: int | None = None
    reason: str | None = None


class ApplicationSubmitted(ApplicationEvent, frozen=True, kw_only=True):
    """The seller submitted (or resubmitted) the application; the checks run next."""


class ApplicationChecksPassed(ApplicationEvent, frozen=True, kw_only=True):
    """The automatic checks found nothing blocking: the application awaits an operator."""


class ApplicationChangesRequested(ApplicationEvent, frozen=True, kw_only=True):
    """The application went back to the seller, by an operator or the checks, with the reason."""


class ApplicationApproved(ApplicationEvent, frozen=True, kw_only=True):
    """An operator approved the application: the shop opened (kind "opening") or the shop
    it extends gained its categories and brands (kind "extension")."""

    shop_id: int | None = None
    kind: str = "opening"


class ApplicationRejected(ApplicationEvent, frozen=True, kw_only=True):
    """An operator rejected the application, with the reason."""


class ApplicationReviewerAssigned(DomainEvent, frozen=True, kw_only=True):
    application_id: int
    organisation_id: int
    reviewer_user_id: int | None
    actor_user_id: int


class ShopEvent(DomainEvent, frozen=True, kw_only=True):
    shop_id: int
    organisation_id: int
    from_status: str
    to_status: str
    actor_user_id: int | None = None
    reason: str | None = None


class ShopPublished(ShopEvent, frozen=True, kw_only=True):
    """The shop went live."""


class ShopSuspended(ShopEvent, frozen=True, kw_only=True):
    """An operator suspended the shop (hidden, unable to sell), with the reason."""


class ShopReinstated(ShopEvent, frozen=True, kw_only=True):
    """An operator reinstated a suspended shop, with the reason."""


class ShopClosed(ShopEvent, frozen=True, kw_only=True):
    """An operator closed the shop, with the reason."""


class ShopRestricted(ShopEvent, frozen=True, kw_only=True):
    """The system restricted a live shop (hidden, no new orders): its deposit stayed below
    the requirement past the top-up deadline (galerie.deposits)."""


class ShopRestrictionLifted(ShopEvent, frozen=True, kw_only=True):
    """The system lifted the restriction: the deposit was topped up to the requirement."""


class ShopDecorated(DomainEvent, frozen=True, kw_only=True):
    shop_id: int
    organisation_id: int
    actor_user_id: int


class ShopDepositPaid(DomainEvent, frozen=True, kw_only=True):
    shop_id: int
    organisation_id: int
    actor_user_id: int


class BrandRegistered(DomainEvent, frozen=True, kw_only=True):
    brand_id: int
    brand_name: str
    owner_organisation_id: int | None


class BrandAuthorisationRecorded(DomainEvent, frozen=True, kw_only=True):
    authorisation_id: int
    brand_id: int
    organisation_id: int
    valid_to: str


class ApplicationDocumentAdded(DomainEvent, frozen=True, kw_only=True):
    document_id: int
    application_id: int
    organisation_id: int
    kind: str
    valid_until: str | None


class DocumentExpiring(DomainEvent, frozen=True, kw_only=True):
    """A live shop's document expires within 30 days."""

    shop_id: int
    organisation_id: int
    document_id: int
    kind: str
    valid_until: str


class DocumentExpired(DomainEvent, frozen=True, kw_only=True):
    """A live shop's document has expired."""

    shop_id: int
    organisation_id: int
    document_id: int
    kind: str
    valid_until: str
