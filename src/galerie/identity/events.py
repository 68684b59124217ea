"""Identity events, written to the outbox in the transaction that caused them."""

from __future__ import annotations

from galerie.kernel import DomainEvent


class ShopperRegistered(DomainEvent, frozen=True, kw_only=True):
    user_id: int
    email: str
    language: str


class OperatorCreated(DomainEvent, frozen=True, kw_only=True):
    user_id: int
    email: str
    roles: tuple[str, ...]


class OperatorRoleGranted(DomainEvent, frozen=True, kw_only=True):
    user_id: int
    role: str
    granted_by: int


class OperatorRoleRevoked(DomainEvent, frozen=True, kw_only=True):
    user_id: int
    role: str
    revoked_by: int


class SellerOrganisationCreated(DomainEvent, frozen=True, kw_only=True):
    organisation_id: int
    organisation_name: str
    owner_user_id: int


class SellerMemberAdded(DomainEvent, frozen=True, kw_only=True):
    organisation_id: int
    user_id: int
    role: str
    acting_for_brand: str | None = None


class SellerMemberRoleChanged(DomainEvent, frozen=True, kw_only=True):
    organisation_id: int
    user_id: int
    old_role: str
    new_role: str
    acting_for_brand: str | None = None


class SellerMemberRemoved(DomainEvent, frozen=True, kw_only=True):
    organisation_id: int
    user_id: int
    role: str


class ApiTokenIssued(DomainEvent, frozen=True, kw_only=True):
    token_id: int
    user_id: int
    audience: str
    organisation_id: int | None = None


class ApiTokenRevoked(DomainEvent, frozen=True, kw_only=True):
    token_id: int
    user_id: int


class TotpEnabled(DomainEvent, frozen=True, kw_only=True):
    user_id: int


class SellerInvitationSent(DomainEvent, frozen=True, kw_only=True):
    """An invitation to join an organisation. `nonce` is not the token: the mail handler
    derives the token from it with the application's secret key (kernel.keyed_token)."""

    invitation_id: int
    organisation_id: int
    organisation_name: str
    email: str
    role: str
    acting_for_brand: str | None = None
    inviter_name: str
    language: str
    nonce: str
    expires_at: str


class SellerInvitationAccepted(DomainEvent, frozen=True, kw_only=True):
    invitation_id: int
    organisation_id: int
    user_id: int
    role: str


class SellerInvitationRevoked(DomainEvent, frozen=True, kw_only=True):
    invitation_id: int
    organisation_id: int
    revoked_by: int
