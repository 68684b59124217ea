"""Identity and access: people, roles, sessions' principals, API tokens. Public surface."""

from galerie.identity.queries import load_principal, principal_for_token
from galerie.identity.rules import (
    Audience,
    Membership,
    OperatorRole,
    Permission,
    Principal,
    SellerRole,
)

__all__ = [
    "Audience",
    "Membership",
    "OperatorRole",
    "Permission",
    "Principal",
    "SellerRole",
    "load_principal",
    "principal_for_token",
]
