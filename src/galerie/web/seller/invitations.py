"""Invitations in the seller centre: owners and managers invite an e-mail address with a
role from the members page, and revoke a pending invitation. The invitee's side (the
mailed link) is storefront.invitations."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.identity import (
    Permission,
    SellerRole,
    invite_seller_member,
    revoke_seller_invitation,
)
from galerie.kernel import Conflict, DomainError, Forbidden, ValidationFailed
from galerie.web.auth import galerie_of, requires
from galerie.web.forms import read_form
from galerie.web.i18n import N_
from galerie.web.messages import field_of
from galerie.web.rendering import audit_context, current_principal, see_other
from galerie.web.seller.common import acting_org
from galerie.web.seller.members import (
    INVITE_FORM,
    MEMBERS_PATH,
    _page,
    member_message,
)

INVITE = requires(Permission.SELLER_MEMBERS_INVITE)
INVITATION_MESSAGES = {
    "owner_invites_owner": N_("Only an owner may invite another owner."),
    "invitation_not_found": N_("This invitation link is not valid."),
    "invitation_accepted": N_("This invitation has already been used."),
    "invitation_revoked": N_("This invitation was withdrawn."),
    "invitation_expired": N_("This invitation has expired: ask for a new one."),
    "invitation_for_another_account": N_(
        "This invitation was sent to another e-mail address: sign in with that address."
    ),
    "bad_email": N_("Enter a valid e-mail address."),
}

INVITATION_STATES = {
    "pending": N_("Waiting for an answer"),
    "accepted": N_("This invitation has already been used."),
    "revoked": N_("This invitation was withdrawn."),
    "expired": N_("This invitation has expired: ask for a new one."),
}


def invitation_message(error: DomainError) -> str:
    return INVITATION_MESSAGES.get(error.code) or member_message(error)


@post("/seller/invitations", opt=INVITE, include_in_schema=False, status_code=303)
async def send_invitation(request: Request[Any, Any, Any]) -> Template | Redirect:
    bound = await read_form(request, INVITE_FORM)
    status = 422
    if bound.valid:
        galerie = galerie_of(request)
        try:
            await invite_seller_member(
                galerie.db,
                actor=current_principal(request),
                organisation_id=acting_org(request),
                email=bound["email"],
                role=SellerRole(bound["role"]),
                acting_for_brand=bound["acting_for_brand"] or None,
                secret_key=galerie.settings.secret_key,
                now=galerie.clock.now(),
                audit=audit_context(request),
            )
        except (ValidationFailed, Forbidden) as error:
            status = 403 if isinstance(error, Forbidden) else 422
            field = "role" if error.code == "owner_invites_owner" else field_of(error)
            bound.add_error(field or "form", invitation_message(error))
        else:
            return see_other(MEMBERS_PATH + "#invitations")
    return await _page(request, email_invite=bound, status=status)


@post(
    "/seller/invitations/{invitation_id:int}/revoke",
    opt=INVITE,
    include_in_schema=False,
    status_code=303,
)
async def revoke_invitation(
    request: Request[Any, Any, Any], invitation_id: FromPath[int]
) -> Template | Redirect:
    galerie = galerie_of(request)
    try:
        await revoke_seller_invitation(
            galerie.db,
            actor=current_principal(request),
            organisation_id=acting_org(request),
            invitation_id=invitation_id,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    except Conflict:
        return await _page(request, status=409)
    return see_other(MEMBERS_PATH + "#invitations")
