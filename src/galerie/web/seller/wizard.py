"""The application wizard's forms: the fields of each step, and the ApplicationForm built from
one step's input plus what the application already holds (every save sends the whole form).

A new application is created when its second step is saved (the domain needs a shop type and
categories); until then the first step's values wait in the session, checked already."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from galerie.kernel import DomainError, ValidationFailed
from galerie.sellers import ApplicantKind, ApplicationForm, ShopType
from galerie.sellers.models import ApplicationDocument, SellerApplication
from galerie.web.forms import NOT_A_CHOICE, BoundForm, Field, Form
from galerie.web.messages import field_of
from galerie.web.seller.labels import seller_message

SESSION_DRAFT: Final = "seller.application_draft"
# The first step of a new application as autosave kept it, field by field (seller.autosave).
SESSION_AUTOSAVE: Final = "seller.application_autosave"
ENTITY_FIELDS: Final = (
    "applicant_kind",
    "legal_name",
    "registration_number",
    "country",
    "address",
    "legal_representative",
    "contact_email",
    "contact_phone",
    "bank_account_holder",
    "bank_account_number",
)
ENTITY_FORM = Form(
    (
        Field("applicant_kind", max_length=20, choices=tuple(k.value for k in ApplicantKind)),
        Field("legal_name"),
        Field("registration_number", max_length=60),
        Field("country", max_length=2),
        Field("address", max_length=500),
        Field("legal_representative"),
        Field("contact_email", max_length=254),
        Field("contact_phone", max_length=40),
        Field("bank_account_holder"),
        Field("bank_account_number", max_length=60),
    )
)
SHOP_FORM = Form(
    (
        Field("shop_type", max_length=20, choices=tuple(t.value for t in ShopType)),
        Field("category_ids", required=False),
        Field("brand_ids", required=False),
    )
)
MAX_CHOICES: Final = 50
EXPIRY_WARNING: Final = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class ShopChoice:
    shop_type: str
    category_ids: tuple[int, ...]
    brand_ids: tuple[int, ...]


def entity_values(app: SellerApplication) -> dict[str, str]:
    return {name: str(getattr(app, name)) for name in ENTITY_FIELDS}


def shop_choice(app: SellerApplication) -> ShopChoice:
    return ShopChoice(app.shop_type, tuple(app.category_ids), tuple(app.brand_ids))


def ids_of(values: list[str], bound: BoundForm, name: str) -> tuple[int, ...]:
    """Checkbox values as ids; anything that is not a positive number is an error."""
    if not all(v.isdigit() and int(v) > 0 for v in values):
        bound.add_error(name, NOT_A_CHOICE)
        return ()
    return tuple(int(v) for v in values)


def application_form(entity: Mapping[str, str], choice: ShopChoice) -> ApplicationForm:
    return ApplicationForm(
        applicant_kind=entity["applicant_kind"],  # type: ignore[arg-type]  # checked by cleaned()
        legal_name=entity["legal_name"],
        registration_number=entity["registration_number"],
        country=entity["country"],
        address=entity["address"],
        legal_representative=entity["legal_representative"],
        contact_email=entity["contact_email"],
        contact_phone=entity["contact_phone"],
        bank_account_holder=entity["bank_account_holder"],
        bank_account_number=entity["bank_account_number"],
        shop_type=choice.shop_type,  # type: ignore[arg-type]  # checked by cleaned()
        category_ids=choice.category_ids,
        brand_ids=choice.brand_ids,
    )


def placeholder_choice(applicant_kind: str) -> ShopChoice:
    """A valid second step for checking the first one alone (pure, nothing is saved)."""
    individual = applicant_kind == ApplicantKind.INDIVIDUAL
    shop_type = ShopType.INDIVIDUAL if individual else ShopType.FLAGSHIP
    return ShopChoice(shop_type.value, (1,), () if individual else (1,))


def check_entity(bound: BoundForm) -> None:
    """The domain's checks of the first step, as an inline error (nothing touches the db)."""
    values = bound.values
    try:
        application_form(values, placeholder_choice(values["applicant_kind"])).cleaned()
    except ValidationFailed as error:
        inline_error(bound, error)


def inline_error(bound: BoundForm, error: DomainError) -> None:
    """A domain refusal as the error of its field (or of the whole form)."""
    bound.add_error(field_of(error) or "form", seller_message(error))


def draft_of(session: Mapping[str, Any]) -> dict[str, str] | None:
    found = session.get(SESSION_DRAFT)
    if not isinstance(found, dict) or set(found) != set(ENTITY_FIELDS):
        return None
    return {k: str(v) for k, v in found.items()}


def autosaved_of(session: Mapping[str, Any]) -> dict[str, str] | None:
    """The first step's values kept by autosave, if any."""
    found = session.get(SESSION_AUTOSAVE)
    if not isinstance(found, dict):
        return None
    return {k: str(v) for k, v in found.items() if k in ENTITY_FIELDS}


def progress(app: SellerApplication | None, documents: int) -> dict[str, bool]:
    """Which steps are done: the first two once the application exists, the documents once
    one is uploaded, the review once it has been submitted."""
    exists = app is not None
    return {
        "entity": exists,
        "shop": exists,
        "documents": documents > 0,
        "review": exists and app is not None and app.submissions > 0,
    }


def expiry(doc: ApplicationDocument, today: date) -> str | None:
    """ "expired", "expiring" (within 30 days) or None."""
    if doc.valid_until is None:
        return None
    if doc.valid_until < today:
        return "expired"
    return "expiring" if doc.valid_until < today + EXPIRY_WARNING else None
