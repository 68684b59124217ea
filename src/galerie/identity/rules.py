"""Roles, permissions and the principal: pure rules, no I/O.

Access is granted only by a permission that a role carries, as data in ROLE_PERMISSIONS.
Everything fails closed: no roles, an empty permission list or an unknown role grants nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Audience(StrEnum):
    """The three kinds of people the platform serves, and so the three kinds of tokens."""

    SHOPPER = "shopper"
    SELLER = "seller"
    OPERATOR = "operator"


class OperatorRole(StrEnum):
    VETTING = "vetting"
    MODERATION = "moderation"
    FINANCE = "finance"
    SUPPORT = "support"
    ADMIN = "admin"


class SellerRole(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    STAFF = "staff"
    AGENCY = "agency"  # an agency operator running the shop for a brand


class Permission(StrEnum):
    # shoppers
    ACCOUNT_VIEW = "account.view"
    ACCOUNT_MANAGE = "account.manage"
    # sellers (always within one organisation)
    SELLER_CENTRE_VIEW = "seller.centre.view"
    SELLER_MEMBERS_VIEW = "seller.members.view"
    SELLER_MEMBERS_MANAGE = "seller.members.manage"
    SELLER_MEMBERS_INVITE = "seller.members.invite"
    SELLER_CATALOG_MANAGE = "seller.catalog.manage"
    SELLER_CATALOG_EDIT = "seller.catalog.edit"  # products, variants, images, listings
    SELLER_INVENTORY_VIEW = "seller.inventory.view"
    SELLER_INVENTORY_EDIT = "seller.inventory.edit"
    SELLER_CATALOG_IMPORT = "seller.catalog.import"
    SELLER_ORDERS_MANAGE = "seller.orders.manage"
    SELLER_FINANCE_VIEW = "seller.finance.view"
    SELLER_WEBHOOKS_MANAGE = "seller.webhooks.manage"  # endpoints, secrets, delivery log
    # operators
    CONSOLE_VIEW = "console.view"
    CONSOLE_AUDIT_VIEW = "console.audit.view"
    CONSOLE_OPERATORS_MANAGE = "console.operators.manage"
    CONSOLE_USERS_VIEW = "console.users.view"
    CONSOLE_VETTING = "console.vetting"
    CONSOLE_MODERATION = "console.moderation"
    CONSOLE_CATEGORIES = "console.categories"  # category attributes, commission, review
    CONSOLE_FINANCE = "console.finance"
    CONSOLE_SUPPORT = "console.support"


SHOPPER_PERMISSIONS = frozenset({Permission.ACCOUNT_VIEW, Permission.ACCOUNT_MANAGE})

SELLER_ROLE_PERMISSIONS: dict[SellerRole, frozenset[Permission]] = {
    SellerRole.OWNER: frozenset(
        {
            Permission.SELLER_CENTRE_VIEW,
            Permission.SELLER_INVENTORY_VIEW,
            Permission.SELLER_INVENTORY_EDIT,
            Permission.SELLER_MEMBERS_VIEW,
            Permission.SELLER_MEMBERS_MANAGE,
            Permission.SELLER_MEMBERS_INVITE,
            Permission.SELLER_CATALOG_MANAGE,
            Permission.SELLER_CATALOG_EDIT,
            Permission.SELLER_CATALOG_IMPORT,
            Permission.SELLER_ORDERS_MANAGE,
            Permission.SELLER_FINANCE_VIEW,
            Permission.SELLER_WEBHOOKS_MANAGE,
        }
    ),
    SellerRole.MANAGER: frozenset(
        {
            Permission.SELLER_CENTRE_VIEW,
            Permission.SELLER_INVENTORY_VIEW,
            Permission.SELLER_INVENTORY_EDIT,
            Permission.SELLER_MEMBERS_VIEW,
            Permission.SELLER_MEMBERS_INVITE,
            Permission.SELLER_CATALOG_MANAGE,
            Permission.SELLER_CATALOG_EDIT,
            Permission.SELLER_CATALOG_IMPORT,
            Permission.SELLER_ORDERS_MANAGE,
            Permission.SELLER_FINANCE_VIEW,
            Permission.SELLER_WEBHOOKS_MANAGE,
        }
    ),
    # Staff see who they work with (read-only), but change nobody.
    SellerRole.STAFF: frozenset(
        {
            Permission.SELLER_CENTRE_VIEW,
            Permission.SELLER_MEMBERS_VIEW,
            Permission.SELLER_CATALOG_EDIT,
            Permission.SELLER_ORDERS_MANAGE,
            Permission.SELLER_INVENTORY_VIEW,
            Permission.SELLER_INVENTORY_EDIT,
            Permission.SELLER_CATALOG_IMPORT,
        }
    ),
    SellerRole.AGENCY: frozenset(
        {
            Permission.SELLER_CENTRE_VIEW,
            Permission.SELLER_CATALOG_MANAGE,
            Permission.SELLER_CATALOG_EDIT,
            Permission.SELLER_CATALOG_IMPORT,
            Permission.SELLER_ORDERS_MANAGE,
        }
    ),
}

_CONSOLE_BASE = frozenset({Permission.CONSOLE_VIEW})
OPERATOR_ROLE_PERMISSIONS: dict[OperatorRole, frozenset[Permission]] = {
    OperatorRole.VETTING: _CONSOLE_BASE | {Permission.CONSOLE_VETTING},
    OperatorRole.MODERATION: _CONSOLE_BASE | {Permission.CONSOLE_MODERATION},
    OperatorRole.FINANCE: _CONSOLE_BASE | {Permission.CONSOLE_FINANCE},
    OperatorRole.SUPPORT: _CONSOLE_BASE
    | {Permission.CONSOLE_SUPPORT, Permission.CONSOLE_USERS_VIEW},
    OperatorRole.ADMIN: _CONSOLE_BASE
    | {
        Permission.CONSOLE_AUDIT_VIEW,
        Permission.CONSOLE_OPERATORS_MANAGE,
        Permission.CONSOLE_USERS_VIEW,
        Permission.CONSOLE_VETTING,
        Permission.CONSOLE_MODERATION,
        Permission.CONSOLE_CATEGORIES,
        Permission.CONSOLE_FINANCE,
        Permission.CONSOLE_SUPPORT,
    },
}

SELLER_SCOPED = frozenset(p for p in Permission if p.value.startswith("seller."))


@dataclass(frozen=True, slots=True)
class Membership:
    organisation_id: int
    organisation_name: str
    role: SellerRole


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, resolved once per request from a session or a token.

    `permissions` holds the global permissions; seller permissions are held per organisation
    in `seller_permissions`. A token narrows both to its own list (`token_permissions`)."""

    user_id: int
    email: str
    display_name: str
    language: str
    operator_roles: frozenset[OperatorRole] = frozenset()
    memberships: tuple[Membership, ...] = ()
    permissions: frozenset[Permission] = frozenset()
    seller_permissions: dict[int, frozenset[Permission]] = field(default_factory=dict)
    via_token: bool = False

    @property
    def is_operator(self) -> bool:
        return bool(self.operator_roles)

    @property
    def is_seller(self) -> bool:
        return bool(self.memberships)

    def can(self, permission: Permission, *, organisation_id: int | None = None) -> bool:
        """Fail closed: a seller permission needs the organisation; nothing else grants it."""
        if permission in SELLER_SCOPED:
            if organisation_id is None:
                return False
            return permission in self.seller_permissions.get(organisation_id, frozenset())
        return permission in self.permissions

    def can_in_any_organisation(self, permission: Permission) -> bool:
        return any(permission in granted for granted in self.seller_permissions.values())


def permissions_for(
    *,
    operator_roles: Iterable[OperatorRole],
    memberships: Iterable[Membership],
    shopper: bool = True,
) -> tuple[frozenset[Permission], dict[int, frozenset[Permission]]]:
    """The permissions that roles carry, as (global, per organisation)."""
    granted: set[Permission] = set(SHOPPER_PERMISSIONS) if shopper else set()
    for role in operator_roles:
        granted |= OPERATOR_ROLE_PERMISSIONS.get(role, frozenset())
    per_org: dict[int, frozenset[Permission]] = {}
    for membership in memberships:
        per_org[membership.organisation_id] = per_org.get(
            membership.organisation_id, frozenset()
        ) | SELLER_ROLE_PERMISSIONS.get(membership.role, frozenset())
    return frozenset(granted), per_org


def narrow_to_token(
    principal: Principal, token_permissions: Iterable[str], organisation_id: int | None
) -> Principal:
    """A token grants at most what it lists and what the user's roles still allow today.
    An empty list grants nothing; a token bound to an organisation sees only that one."""
    allowed = {Permission(p) for p in token_permissions if p in Permission._value2member_map_}
    global_perms = principal.permissions & allowed
    per_org = {
        org: perms & allowed
        for org, perms in principal.seller_permissions.items()
        if organisation_id is None or org == organisation_id
    }
    return Principal(
        user_id=principal.user_id,
        email=principal.email,
        display_name=principal.display_name,
        language=principal.language,
        operator_roles=principal.operator_roles,
        memberships=tuple(
            m
            for m in principal.memberships
            if organisation_id is None or m.organisation_id == organisation_id
        ),
        permissions=frozenset(global_perms),
        seller_permissions={org: frozenset(p) for org, p in per_org.items() if p},
        via_token=True,
    )


AUDIENCE_PERMISSIONS: dict[Audience, frozenset[Permission]] = {
    Audience.SHOPPER: frozenset(p for p in Permission if p.value.startswith("account.")),
    Audience.SELLER: SELLER_SCOPED,
    Audience.OPERATOR: frozenset(p for p in Permission if p.value.startswith("console.")),
}


def token_scope_problem(
    principal: Principal,
    *,
    audience: Audience,
    permissions: frozenset[Permission],
    organisation_id: int | None,
) -> str | None:
    """Why `principal` may not hold a token with this scope, or None when it may.

    A token lists at least one permission, all of its audience's family, all granted by the
    person's roles today; a seller token names an organisation the person belongs to, and
    only a seller token names one; only operators get operator tokens."""
    if not permissions:
        return "A token needs at least one permission."
    outside = permissions - AUDIENCE_PERMISSIONS[audience]
    if outside:
        return f"Not for a {audience.value} token: {', '.join(sorted(outside))}."
    if audience is Audience.SELLER:
        if organisation_id is None:
            return "A seller token needs an organisation."
        if all(m.organisation_id != organisation_id for m in principal.memberships):
            return "You are not a member of this organisation."
    elif organisation_id is not None:
        return "Only seller tokens belong to an organisation."
    if audience is Audience.OPERATOR and not principal.is_operator:
        return "Only operators can have operator tokens."
    missing = {p for p in permissions if not principal.can(p, organisation_id=organisation_id)}
    if missing:
        return f"Your roles do not grant: {', '.join(sorted(missing))}."
    return None
