"""Identity and access: people, roles, sessions' principals, API tokens. Public surface.

Use cases (each owns one transaction) live in accounts, authentication, totp, tokens,
operators and sellers; reads in queries; pure rules in rules, validation and passwords."""

from galerie.identity.accounts import register_shopper, set_preferred_language
from galerie.identity.authentication import Authenticated, authenticate
from galerie.identity.events import (
    ApiTokenIssued,
    ApiTokenRevoked,
    OperatorCreated,
    OperatorRoleGranted,
    OperatorRoleRevoked,
    SellerInvitationAccepted,
    SellerInvitationRevoked,
    SellerInvitationSent,
    SellerMemberAdded,
    SellerMemberRemoved,
    SellerMemberRoleChanged,
    SellerOrganisationCreated,
    ShopperRegistered,
    TotpEnabled,
)
from galerie.identity.invitations import (
    INVITATION_TTL,
    InvitationView,
    accept_seller_invitation,
    invitation_by_token,
    invitation_token,
    invite_seller_member,
    organisation_invitations,
    revoke_seller_invitation,
)
from galerie.identity.operators import create_operator, grant_operator_role, revoke_operator_role
from galerie.identity.passwords import (
    PasswordPolicy,
    check_password_strength,
    hash_password,
    verify_password,
)
from galerie.identity.principal_cache import CHANNEL as PRINCIPALS_CHANNEL
from galerie.identity.principal_cache import PrincipalCache, principal_notices
from galerie.identity.principals import (
    load_principal,
    principal_for_token,
    principal_of_token,
    principal_of_user,
    token_principal,
    user_principal,
)
from galerie.identity.queries import (
    SellerMemberView,
    UserView,
    find_user_by_email,
    list_seller_members,
)
from galerie.identity.rules import (
    Audience,
    Membership,
    OperatorRole,
    Permission,
    Principal,
    SellerRole,
)
from galerie.identity.sellers import (
    add_seller_member,
    change_seller_member_role,
    create_seller_organisation,
    remove_seller_member,
)
from galerie.identity.throttle import LoginThrottle
from galerie.identity.tokens import (
    ApiTokenView,
    IssuedToken,
    issue_api_token,
    list_api_tokens,
    revoke_api_token,
)
from galerie.identity.totp import (
    TotpEnrolment,
    begin_totp_enrolment,
    confirm_totp_enrolment,
    verify_second_factor,
)
from galerie.identity.validation import LANGUAGES

__all__ = [
    "INVITATION_TTL",
    "LANGUAGES",
    "PRINCIPALS_CHANNEL",
    "ApiTokenIssued",
    "ApiTokenRevoked",
    "ApiTokenView",
    "Audience",
    "Authenticated",
    "InvitationView",
    "IssuedToken",
    "LoginThrottle",
    "Membership",
    "OperatorCreated",
    "OperatorRole",
    "OperatorRoleGranted",
    "OperatorRoleRevoked",
    "PasswordPolicy",
    "Permission",
    "Principal",
    "PrincipalCache",
    "SellerInvitationAccepted",
    "SellerInvitationRevoked",
    "SellerInvitationSent",
    "SellerMemberAdded",
    "SellerMemberRemoved",
    "SellerMemberRoleChanged",
    "SellerMemberView",
    "SellerOrganisationCreated",
    "SellerRole",
    "ShopperRegistered",
    "TotpEnabled",
    "TotpEnrolment",
    "UserView",
    "accept_seller_invitation",
    "add_seller_member",
    "authenticate",
    "begin_totp_enrolment",
    "change_seller_member_role",
    "check_password_strength",
    "confirm_totp_enrolment",
    "create_operator",
    "create_seller_organisation",
    "find_user_by_email",
    "grant_operator_role",
    "hash_password",
    "invitation_by_token",
    "invitation_token",
    "invite_seller_member",
    "issue_api_token",
    "list_api_tokens",
    "list_seller_members",
    "load_principal",
    "organisation_invitations",
    "principal_for_token",
    "principal_notices",
    "principal_of_token",
    "principal_of_user",
    "register_shopper",
    "remove_seller_member",
    "revoke_api_token",
    "revoke_operator_role",
    "revoke_seller_invitation",
    "set_preferred_language",
    "token_principal",
    "user_principal",
    "verify_password",
    "verify_second_factor",
]
