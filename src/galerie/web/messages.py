"""People-facing messages for the stable codes that services raise (msgids, translated late)."""

from __future__ import annotations

from typing import Final

from galerie.kernel import DomainError
from galerie.web.i18n import N_

GENERIC: Final = N_("This could not be done. Check the form and try again.")

BY_CODE: Final[dict[str, str]] = {
    "bad_email": N_("Enter a valid e-mail address."),
    "email_taken": N_("An account already uses this e-mail address."),
    "weak_password": N_(
        "Choose a stronger password: at least 10 characters, varied, not based on your e-mail."
    ),
    "common_password": N_("This password is too common. Choose another one."),
    "password_too_long": N_("This password is too long (at most 128 characters)."),
    "bad_display_name": N_("Enter a name of 1 to 80 characters, without control characters."),
    "unsupported_language": N_("Choose one of the languages offered."),
    "invalid_credentials": N_("The e-mail address or the password is wrong."),
    "invalid_code": N_("This code is not valid. Enter the current code from your app."),
    "too_many_attempts": N_("Too many attempts. Wait a few minutes, then try again."),
    "bad_expiry": N_("Choose an expiry date in the future."),
    "bad_token_name": N_("Enter a name of 1 to 80 characters."),
    "no_permissions": N_("Choose at least one permission."),
    "bad_scope": N_(
        "Choose an audience you belong to and only permissions you hold for it"
        " (and the organisation, for a seller token)."
    ),
    "not_a_member": N_("You are not a member of this organisation."),
    "forbidden": N_("You are not allowed to do this."),
    "totp_already_enabled": N_("Two-step sign-in is already on for this account."),
    "no_totp_enrolment": N_("Start setting up two-step sign-in first."),
    "token_not_found": N_("This token does not exist or is not yours."),
    "token_revoked": N_("This token is already revoked."),
}


def message_for(error: DomainError) -> str:
    return BY_CODE.get(error.code, GENERIC)


def field_of(error: DomainError, aliases: dict[str, str] | None = None) -> str | None:
    """The form field an error is about (services may name it differently: `aliases`)."""
    field = getattr(error, "field", None) or error.details.get("field")
    if not isinstance(field, str):
        return None
    return (aliases or {}).get(field, field)


# Labels of values that pages show (audiences, roles, areas): msgids, translated in templates.
LABELS: Final[dict[str, dict[str, str]]] = {
    "audience": {
        "shopper": N_("Shopper"),
        "seller": N_("Seller"),
        "operator": N_("Operator"),
    },
    "seller_role": {
        "owner": N_("Owner"),
        "manager": N_("Manager"),
        "staff": N_("Staff"),
        "agency": N_("Agency"),
    },
    "operator_role": {
        "vetting": N_("Vetting"),
        "moderation": N_("Moderation"),
        "finance": N_("Finance"),
        "support": N_("Support"),
        "admin": N_("Administration"),
    },
    "seller_area": {
        "catalog": N_("Catalog: list and import products"),
        "orders": N_("Orders: ship and answer refund requests"),
        "finance": N_("Finance: sales and payout statements"),
        "members": N_("Members: see who works in this organisation"),
        "members_manage": N_("Members: invite people and change roles"),
    },
    "console_area": {
        "vetting": N_("Vetting: review shop applications"),
        "moderation": N_("Moderation: review listings"),
        "finance": N_("Finance: settlement and payouts"),
        "support": N_("Support: help shoppers and sellers"),
        "users": N_("Users: look up accounts"),
        "operators": N_("Operators: grant and revoke roles"),
        "audit": N_("Audit log: every privileged action"),
    },
}
