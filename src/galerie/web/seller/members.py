"""The seller centre's members: the acting organisation's people with their role (and the
brand an agency operator acts for). Owners add someone who already has a Galerie account,
change a member's role and remove a member; owners and managers invite an e-mail address
(seller.invitations); the identity services decide and write the audit record, a refusal
is shown inline and nothing changes. A membership id of another organisation is NotFound,
like one that does not exist."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.identity import (
    InvitationView,
    Permission,
    SellerMemberView,
    SellerRole,
    add_seller_member,
    change_seller_member_role,
    list_seller_members,
    organisation_invitations,
    remove_seller_member,
)
from galerie.kernel import Conflict, DomainError, NotFound, ValidationFailed
from galerie.web.auth import galerie_of, requires
from galerie.web.forms import NOT_A_CHOICE, BoundForm, Field, FieldError, Form, read_form
from galerie.web.i18n import N_
from galerie.web.messages import BY_CODE, GENERIC, field_of
from galerie.web.rendering import audit_context, current_principal, render, see_other
from galerie.web.seller.common import acting_org

VIEW = requires(Permission.SELLER_MEMBERS_VIEW)
MANAGE = requires(Permission.SELLER_MEMBERS_MANAGE)
MEMBERS_PATH: Final = "/seller/members"
ROLES: Final = tuple(role.value for role in SellerRole)
# Bounds of the form; the identity services check the values themselves.
MAX_EMAIL: Final = 254
MAX_BRAND: Final = 120
_ROLE_FIELDS: Final = (
    Field("role", max_length=20, choices=ROLES),
    Field("acting_for_brand", max_length=MAX_BRAND, required=False),
)
INVITE_FORM = Form((Field("email", max_length=MAX_EMAIL), *_ROLE_FIELDS))
ROLE_FORM = Form(_ROLE_FIELDS)

# DomainError codes of the membership services -> people-facing text (msgids).
MEMBER_MESSAGES: Final[dict[str, str]] = {
    "user_not_found": N_("No account uses this e-mail address: the person needs to sign up first."),
    "already_member": N_("This person is already a member of the organisation."),
    "last_owner": N_("An organisation needs at least one owner: make someone else owner first."),
    "brand_required": N_("Name the brand the agency operator acts for."),
    "brand_not_allowed": N_("Only an agency operator acts for a brand: leave the brand empty."),
    "bad_brand": N_("Enter a brand name of 1 to 120 characters, without control characters."),
    "unknown_role": NOT_A_CHOICE,
}
INVITATION_STATE_LABELS: Final = {
    "pending": N_("Waiting for an answer"),
    "accepted": N_("Accepted"),
    "revoked": N_("Withdrawn"),
    "expired": N_("Expired"),
}
# Errors about the person rather than a field of the form go next to the e-mail address.
_EMAIL_CODES: Final = frozenset({"user_not_found", "already_member"})


def member_message(error: DomainError) -> str:
    return MEMBER_MESSAGES.get(error.code) or BY_CODE.get(error.code, GENERIC)


async def _members(request: Request[Any, Any, Any]) -> list[SellerMemberView]:
    async with galerie_of(request).db.reading() as session:
        return await list_seller_members(session, organisation_id=acting_org(request))


async def _own_member(request: Request[Any, Any, Any], membership_id: int) -> SellerMemberView:
    """The member, if the membership belongs to the organisation the request acts for."""
    found = next((m for m in await _members(request) if m.membership_id == membership_id), None)
    if found is None:
        raise NotFound("No such member.", code="member_not_found")
    return found


async def _page(
    request: Request[Any, Any, Any],
    *,
    invite: BoundForm | None = None,
    email_invite: BoundForm | None = None,
    row_errors: dict[int, FieldError] | None = None,
    status: int = 200,
) -> Template:
    principal = current_principal(request)
    organisation_id = acting_org(request)
    organisation_name = next(
        (
            m.organisation_name
            for m in principal.memberships
            if m.organisation_id == organisation_id
        ),
        "",
    )
    return render(
        "seller/members.html",
        status=status,
        organisation_name=organisation_name,
        members=await _members(request),
        roles=ROLES,
        can_manage=principal.can(Permission.SELLER_MEMBERS_MANAGE, organisation_id=organisation_id),
        me=principal.user_id,
        invite=invite or INVITE_FORM.bind({"role": SellerRole.STAFF.value}),
        row_errors=row_errors or {},
        can_invite=principal.can(Permission.SELLER_MEMBERS_INVITE, organisation_id=organisation_id),
        email_invite=email_invite or INVITE_FORM.bind({"role": SellerRole.STAFF.value}),
        invitations=await _invitations(request, organisation_id),
        invitation_states=INVITATION_STATE_LABELS,
    )


async def _invitations(
    request: Request[Any, Any, Any], organisation_id: int
) -> list[InvitationView]:
    galerie = galerie_of(request)
    async with galerie.db.reading() as session:
        return await organisation_invitations(
            session, organisation_id=organisation_id, now=galerie.clock.now()
        )


def _refusal_status(error: DomainError) -> int:
    return 409 if isinstance(error, Conflict) else 422


def _first_error(bound: BoundForm) -> FieldError:
    return next(iter(bound.errors.values()))


@get(MEMBERS_PATH, opt=VIEW, include_in_schema=False)
async def members_page(request: Request[Any, Any, Any]) -> Template:
    return await _page(request)


@post(MEMBERS_PATH, opt=MANAGE, include_in_schema=False, status_code=303)
async def invite_member(request: Request[Any, Any, Any]) -> Template | Redirect:
    """Add a person who already has an account, with a role (and a brand for an agency)."""
    bound = await read_form(request, INVITE_FORM)
    status = 422
    if bound.valid:
        galerie = galerie_of(request)
        try:
            await add_seller_member(
                galerie.db,
                actor=current_principal(request),
                organisation_id=acting_org(request),
                email=bound["email"],
                role=SellerRole(bound["role"]),
                acting_for_brand=bound["acting_for_brand"] or None,
                now=galerie.clock.now(),
                audit=audit_context(request),
            )
        except (ValidationFailed, Conflict, NotFound) as error:
            if isinstance(error, NotFound) and error.code != "user_not_found":
                raise
            status = _refusal_status(error)
            field = "email" if error.code in _EMAIL_CODES else field_of(error)
            bound.add_error(field or "form", member_message(error))
        else:
            return see_other(MEMBERS_PATH)
    return await _page(request, invite=bound, status=status)


@post(
    MEMBERS_PATH + "/{membership_id:int}/role",
    opt=MANAGE,
    include_in_schema=False,
    status_code=303,
)
async def change_member_role(
    request: Request[Any, Any, Any], membership_id: FromPath[int]
) -> Template | Redirect:
    member = await _own_member(request, membership_id)
    bound = await read_form(request, ROLE_FORM)
    if not bound.valid:
        return await _page(request, row_errors={membership_id: _first_error(bound)}, status=422)
    galerie = galerie_of(request)
    principal = current_principal(request)
    try:
        await change_seller_member_role(
            galerie.db,
            actor=principal,
            organisation_id=acting_org(request),
            membership_id=membership_id,
            role=SellerRole(bound["role"]),
            acting_for_brand=bound["acting_for_brand"] or None,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    except (ValidationFailed, Conflict) as error:
        refusal = {membership_id: FieldError(member_message(error))}
        return await _page(request, row_errors=refusal, status=_refusal_status(error))
    # One's own new role may no longer show the members: back to the centre's home.
    return see_other("/seller" if member.user_id == principal.user_id else MEMBERS_PATH)


@post(
    MEMBERS_PATH + "/{membership_id:int}/remove",
    opt=MANAGE,
    include_in_schema=False,
    status_code=303,
)
async def remove_member(
    request: Request[Any, Any, Any], membership_id: FromPath[int]
) -> Template | Redirect:
    member = await _own_member(request, membership_id)
    galerie = galerie_of(request)
    principal = current_principal(request)
    try:
        await remove_seller_member(
            galerie.db,
            actor=principal,
            organisation_id=acting_org(request),
            membership_id=membership_id,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    except Conflict as error:
        refusal = {membership_id: FieldError(member_message(error))}
        return await _page(request, row_errors=refusal, status=409)
    # Having left the organisation, one no longer acts for it.
    return see_other("/account" if member.user_id == principal.user_id else MEMBERS_PATH)
