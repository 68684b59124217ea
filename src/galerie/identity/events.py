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
