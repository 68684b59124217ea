"""The signed-in shopper's address book: the list with the form to add one, one address's
edit form, making one the default, removing one. Another shopper's address is the same 404
as one that does not exist (the services look only at the caller's own rows)."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.cart import (
    MAX_ADDRESSES,
    AddressForm,
    AddressView,
    add_address,
    delete_address,
    set_default_address,
    shopper_address,
    shopper_addresses,
    update_address,
)
from galerie.kernel import Conflict, DomainError, ValidationFailed
from galerie.web.auth import galerie_of, signed_in
from galerie.web.forms import BoundForm, Field, Form, read_form
from galerie.web.i18n import N_
from galerie.web.messages import field_of
from galerie.web.rendering import current_principal, render, see_other

SIGNED_IN = signed_in()
NO_STORE = {"Cache-Control": "no-store"}
ADDRESS_FORM = Form(
    (
        Field("recipient", max_length=100),
        Field("phone", max_length=30),
        Field("country", max_length=2),
        Field("province", max_length=100, required=False),
        Field("city", max_length=100),
        Field("district", max_length=100, required=False),
        Field("line1", max_length=200),
        Field("line2", max_length=200, required=False),
        Field("postcode", max_length=20, required=False),
        Field("make_default", max_length=1, required=False),
    )
)
ADDRESS_MESSAGES: Final[dict[str, str]] = {
    "unknown_country": N_("Use the two-letter ISO 3166 country code, for example CN or FR."),
    "bad_phone": N_("Enter a telephone number (digits, spaces, +, - and brackets)."),
    "too_many_addresses": N_("You can keep at most 20 addresses: remove one first."),
    "address_conflict": N_("Your addresses changed meanwhile: try again."),
    "address_not_found": N_("This address does not exist or is not yours."),
}
TOO_LONG: Final = N_("Check this field: it is required or too long.")


def address_message(error: DomainError) -> str:
    if error.code.startswith("bad_") and error.code != "bad_phone":
        return TOO_LONG
    return ADDRESS_MESSAGES.get(error.code, TOO_LONG)


def form_of(bound: BoundForm) -> AddressForm:
    return AddressForm(**{f.name: bound[f.name] for f in ADDRESS_FORM.fields[:-1]})


def values_of(address: AddressView) -> dict[str, str]:
    return {f.name: str(getattr(address, f.name)) for f in ADDRESS_FORM.fields[:-1]}


def _refusal_into(bound: BoundForm, error: DomainError) -> int:
    bound.add_error(field_of(error) or "form", address_message(error))
    return 409 if isinstance(error, Conflict) else 422


async def _list_page(
    request: Request[Any, Any, Any], form: BoundForm | None = None, status: int = 200
) -> Template:
    user_id = current_principal(request).user_id
    async with galerie_of(request).db.reading() as session:
        addresses = await shopper_addresses(session, user_id=user_id)
    return render(
        "account/addresses.html", status=status, headers=NO_STORE, addresses=addresses,
        form=form or ADDRESS_FORM.empty(), room=len(addresses) < MAX_ADDRESSES,
    )  # fmt: skip


@get("/account/addresses", opt=SIGNED_IN, include_in_schema=False)
async def addresses_page(request: Request[Any, Any, Any]) -> Template:
    return await _list_page(request)


@post("/account/addresses", opt=SIGNED_IN, include_in_schema=False, status_code=303)
async def create_address(request: Request[Any, Any, Any]) -> Template | Redirect:
    bound = await read_form(request, ADDRESS_FORM)
    status = 422
    if bound.valid:
        galerie = galerie_of(request)
        try:
            await add_address(
                galerie.db, user_id=current_principal(request).user_id, form=form_of(bound),
                make_default=bound["make_default"] == "1", now=galerie.clock.now(),
            )  # fmt: skip
        except (ValidationFailed, Conflict) as error:
            status = _refusal_into(bound, error)
        else:
            return see_other("/account/addresses")
    return await _list_page(request, bound, status)


ADDRESS_PATH = "/account/addresses/{address_id:int}"


async def _edit_page(
    request: Request[Any, Any, Any], address_id: int, form: BoundForm | None = None,
    status: int = 200,
) -> Template:  # fmt: skip
    async with galerie_of(request).db.reading() as session:
        address = await shopper_address(
            session, user_id=current_principal(request).user_id, address_id=address_id
        )
    return render(
        "account/address.html", status=status, headers=NO_STORE, address=address,
        form=form or ADDRESS_FORM.bind(values_of(address)),
    )  # fmt: skip


@get(ADDRESS_PATH, opt=SIGNED_IN, include_in_schema=False)
async def address_page(request: Request[Any, Any, Any], address_id: FromPath[int]) -> Template:
    return await _edit_page(request, address_id)


@post(ADDRESS_PATH, opt=SIGNED_IN, include_in_schema=False, status_code=303)
async def save_address(
    request: Request[Any, Any, Any], address_id: FromPath[int]
) -> Template | Redirect:
    bound = await read_form(request, ADDRESS_FORM)
    status = 422
    if bound.valid:
        galerie = galerie_of(request)
        try:
            await update_address(
                galerie.db, user_id=current_principal(request).user_id, address_id=address_id,
                form=form_of(bound), now=galerie.clock.now(),
            )  # fmt: skip
        except ValidationFailed as error:
            status = _refusal_into(bound, error)
        else:
            return see_other("/account/addresses")
    return await _edit_page(request, address_id, bound, status)


@post(ADDRESS_PATH + "/default", opt=SIGNED_IN, include_in_schema=False, status_code=303)
async def make_default(request: Request[Any, Any, Any], address_id: FromPath[int]) -> Redirect:
    galerie = galerie_of(request)
    await set_default_address(
        galerie.db, user_id=current_principal(request).user_id, address_id=address_id,
        now=galerie.clock.now(),
    )  # fmt: skip
    return see_other("/account/addresses")


@post(ADDRESS_PATH + "/delete", opt=SIGNED_IN, include_in_schema=False, status_code=303)
async def remove_address(request: Request[Any, Any, Any], address_id: FromPath[int]) -> Redirect:
    galerie = galerie_of(request)
    await delete_address(
        galerie.db, user_id=current_principal(request).user_id, address_id=address_id,
        now=galerie.clock.now(),
    )  # fmt: skip
    return see_other("/account/addresses")
