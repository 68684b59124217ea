"""Permissions fail closed; token scopes stay within roles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galerie.identity import Audience, Membership, OperatorRole, Permission, Principal, SellerRole
from galerie.identity.rules import (
    SELLER_SCOPED,
    narrow_to_token,
    permissions_for,
    token_scope_problem,
)

ORG, OTHER = 7, 8


def make_principal(
    *,
    operator_roles: frozenset[OperatorRole] = frozenset(),
    memberships: tuple[Membership, ...] = (),
) -> Principal:
    permissions, per_org = permissions_for(operator_roles=operator_roles, memberships=memberships)
    return Principal(
        user_id=1,
        email="p@example.com",
        display_name="P",
        language="en",
        operator_roles=operator_roles,
        memberships=memberships,
        permissions=permissions,
        seller_permissions=per_org,
    )


OWNER = make_principal(memberships=(Membership(ORG, "Atelier", SellerRole.OWNER),))
ADMIN = make_principal(operator_roles=frozenset({OperatorRole.ADMIN}))


@pytest.mark.parametrize("permission", list(Permission))
def test_an_empty_principal_can_do_nothing(permission: Permission) -> None:
    empty = Principal(user_id=1, email="e@example.com", display_name="E", language="en")
    assert empty.can(permission) is False
    assert empty.can(permission, organisation_id=ORG) is False
    assert empty.can_in_any_organisation(permission) is False


@pytest.mark.parametrize("permission", sorted(SELLER_SCOPED))
def test_a_seller_permission_needs_the_right_organisation(permission: Permission) -> None:
    assert OWNER.can(permission, organisation_id=ORG) is True
    assert OWNER.can(permission) is False
    assert OWNER.can(permission, organisation_id=OTHER) is False
    assert ADMIN.can(permission, organisation_id=ORG) is False


def test_roles_grant_what_the_table_says() -> None:
    shopper = make_principal()
    assert shopper.permissions == {Permission.ACCOUNT_VIEW, Permission.ACCOUNT_MANAGE}
    staff = make_principal(memberships=(Membership(ORG, "Atelier", SellerRole.STAFF),))
    assert staff.seller_permissions == {
        ORG: frozenset(
            {
                Permission.SELLER_CENTRE_VIEW,
                Permission.SELLER_CATALOG_EDIT,
                Permission.SELLER_ORDERS_MANAGE,
                Permission.SELLER_INVENTORY_VIEW,
                Permission.SELLER_INVENTORY_EDIT,
                Permission.SELLER_CATALOG_IMPORT,
                Permission.SELLER_MEMBERS_VIEW,
            }
        )
    }
    assert not staff.can(Permission.SELLER_MEMBERS_MANAGE, organisation_id=ORG)
    support = make_principal(operator_roles=frozenset({OperatorRole.SUPPORT}))
    assert not support.can(Permission.CONSOLE_OPERATORS_MANAGE)
    assert ADMIN.can(Permission.CONSOLE_OPERATORS_MANAGE)


@pytest.mark.parametrize("listed", [[], ["not.a.permission"], [""], ["  "]])
def test_a_token_with_an_empty_or_unknown_list_grants_nothing(listed: list[str]) -> None:
    narrowed = narrow_to_token(ADMIN, listed, None)
    assert narrowed.permissions == frozenset()
    assert narrowed.via_token is True
    assert not any(narrowed.can(p) for p in Permission)


def test_a_token_never_grants_beyond_the_roles() -> None:
    narrowed = narrow_to_token(OWNER, ["console.operators.manage", "seller.centre.view"], ORG)
    assert not narrowed.can(Permission.CONSOLE_OPERATORS_MANAGE)
    assert narrowed.can(Permission.SELLER_CENTRE_VIEW, organisation_id=ORG)
    assert not narrowed.can(Permission.SELLER_CATALOG_MANAGE, organisation_id=ORG)


@given(
    granted=st.frozensets(st.sampled_from(list(Permission))),
    organisations=st.dictionaries(
        st.integers(1, 5), st.frozensets(st.sampled_from(sorted(SELLER_SCOPED)))
    ),
    asked=st.sampled_from(sorted(SELLER_SCOPED)),
)
def test_seller_permissions_without_an_organisation_are_always_refused(
    granted: frozenset[Permission],
    organisations: dict[int, frozenset[Permission]],
    asked: Permission,
) -> None:
    who = Principal(
        user_id=1,
        email="h@example.com",
        display_name="H",
        language="en",
        permissions=granted,
        seller_permissions=organisations,
    )
    assert who.can(asked) is False
    assert who.can(asked, organisation_id=99) is False


@pytest.mark.parametrize(
    ("who", "audience", "permissions", "organisation", "expected"),
    [
        (OWNER, Audience.SELLER, {Permission.SELLER_CENTRE_VIEW}, ORG, None),
        (OWNER, Audience.SHOPPER, {Permission.ACCOUNT_VIEW}, None, None),
        (ADMIN, Audience.OPERATOR, {Permission.CONSOLE_VIEW}, None, None),
        (OWNER, Audience.SELLER, set(), ORG, "A token needs at least one permission."),
        (
            OWNER,
            Audience.SELLER,
            {Permission.SELLER_CENTRE_VIEW},
            None,
            "A seller token needs an organisation.",
        ),
        (
            OWNER,
            Audience.SELLER,
            {Permission.SELLER_CENTRE_VIEW},
            OTHER,
            "You are not a member of this organisation.",
        ),
        (
            OWNER,
            Audience.SHOPPER,
            {Permission.ACCOUNT_VIEW},
            ORG,
            "Only seller tokens belong to an organisation.",
        ),
        (
            OWNER,
            Audience.OPERATOR,
            {Permission.CONSOLE_VIEW},
            None,
            "Only operators can have operator tokens.",
        ),
        (
            OWNER,
            Audience.SHOPPER,
            {Permission.SELLER_CENTRE_VIEW},
            None,
            "Not for a shopper token: seller.centre.view.",
        ),
        (
            make_principal(operator_roles=frozenset({OperatorRole.FINANCE})),
            Audience.OPERATOR,
            {Permission.CONSOLE_VIEW, Permission.CONSOLE_AUDIT_VIEW},
            None,
            "Your roles do not grant: console.audit.view.",
        ),
    ],
)
def test_token_scopes_are_checked_against_audience_membership_and_roles(
    who: Principal,
    audience: Audience,
    permissions: set[Permission],
    organisation: int | None,
    expected: str | None,
) -> None:
    problem = token_scope_problem(
        who, audience=audience, permissions=frozenset(permissions), organisation_id=organisation
    )
    assert problem == expected
