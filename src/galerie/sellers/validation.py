"""Checks on seller input: pure functions that normalise a value or raise ValidationFailed
with the field and a stable code. Nothing here touches the database."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from galerie.kernel import ValidationFailed
from galerie.sellers.rules import ApplicantKind, ShopType

LANGUAGES = ("zh-CN", "en", "fr")
MAX_CATEGORIES = 10
MAX_BRANDS = 20
MAX_REASON = 2000
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_REGISTRATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{0,59}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{5,40}$")
_ACCOUNT = re.compile(r"^[A-Z0-9]{8,34}$")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$")
_QUALIFICATION = re.compile(r"^[a-z][a-z0-9_]{1,59}$")


def text(value: str, *, field: str, max_length: int, multiline: bool = False) -> str:
    """Stripped human text of 1..max_length characters without control characters
    (newlines allowed in `multiline` text)."""
    cleaned = value.strip()
    if not cleaned or len(cleaned) > max_length:
        raise ValidationFailed(
            f"Enter between 1 and {max_length} characters.", field=field, code=f"bad_{field}"
        )
    allowed = {"\n", "\r", "\t"} if multiline else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in cleaned):
        raise ValidationFailed(
            "Control characters are not allowed.", field=field, code=f"bad_{field}"
        )
    return cleaned


def _match(pattern: re.Pattern[str], value: str, *, field: str, message: str) -> str:
    if not pattern.match(value):
        raise ValidationFailed(message, field=field, code=f"bad_{field}")
    return value


def reason_text(reason: str | None) -> str:
    if reason is None or not reason.strip():
        raise ValidationFailed("Give a reason.", field="reason", code="reason_required")
    return text(reason, field="reason", max_length=MAX_REASON, multiline=True)


def slug(value: str) -> str:
    return _match(
        _SLUG,
        value.strip().lower(),
        field="slug",
        message="Use 3 to 60 lower-case letters, digits and hyphens.",
    )


def qualification_code(value: str) -> str:
    return _match(
        _QUALIFICATION, value.strip(), field="qualification", message="Unknown qualification."
    )


def date_range(start: date, end: date, *, field: str) -> None:
    if end < start:
        raise ValidationFailed(
            "The end date is before the start date.", field=field, code="dates_out_of_order"
        )


@dataclass(frozen=True, slots=True)
class ApplicationForm:
    """What a seller fills in; `cleaned()` returns it normalised or raises."""

    applicant_kind: ApplicantKind
    legal_name: str
    registration_number: str
    country: str
    address: str
    legal_representative: str
    contact_email: str
    contact_phone: str
    bank_account_holder: str
    bank_account_number: str
    shop_type: ShopType
    category_ids: tuple[int, ...]
    brand_ids: tuple[int, ...] = ()

    def cleaned(self) -> ApplicationForm:
        kind, shop_type = _kinds(self.applicant_kind, self.shop_type)
        return ApplicationForm(
            applicant_kind=kind,
            legal_name=text(self.legal_name, field="legal_name", max_length=200),
            registration_number=_match(
                _REGISTRATION,
                self.registration_number.strip().upper(),
                field="registration_number",
                message="Enter the registration number as printed (letters, digits, - . /).",
            ),
            country=_match(
                _COUNTRY,
                self.country.strip().upper(),
                field="country",
                message="Use the two-letter ISO 3166 country code.",
            ),
            address=text(self.address, field="address", max_length=500, multiline=True),
            legal_representative=text(
                self.legal_representative, field="legal_representative", max_length=200
            ),
            contact_email=_match(
                _EMAIL,
                self.contact_email.strip().lower(),
                field="contact_email",
                message="Enter a valid e-mail address.",
            ),
            contact_phone=_match(
                _PHONE,
                self.contact_phone.strip(),
                field="contact_phone",
                message="Enter a phone number.",
            ),
            bank_account_holder=text(
                self.bank_account_holder, field="bank_account_holder", max_length=200
            ),
            bank_account_number=_match(
                _ACCOUNT,
                "".join(self.bank_account_number.split()).upper(),
                field="bank_account_number",
                message="Enter the IBAN or account number: 8 to 34 letters and digits.",
            ),
            shop_type=shop_type,
            category_ids=_ids(self.category_ids, field="category_ids", low=1, high=MAX_CATEGORIES),
            brand_ids=_brand_ids(shop_type, self.brand_ids),
        )


def _kinds(kind: str, shop_type: str) -> tuple[ApplicantKind, ShopType]:
    if kind not in ApplicantKind._value2member_map_:
        raise ValidationFailed(
            "Unknown applicant kind.", field="applicant_kind", code="bad_applicant_kind"
        )
    if shop_type not in ShopType._value2member_map_:
        raise ValidationFailed("Unknown shop type.", field="shop_type", code="bad_shop_type")
    chosen, typed = ApplicantKind(kind), ShopType(shop_type)
    if (chosen is ApplicantKind.INDIVIDUAL) != (typed is ShopType.INDIVIDUAL):
        raise ValidationFailed(
            "Individuals open individual shops; businesses open the other types.",
            field="shop_type",
            code="shop_type_not_for_applicant",
        )
    return chosen, typed


def _ids(values: tuple[int, ...], *, field: str, low: int, high: int) -> tuple[int, ...]:
    if any(type(v) is not int or v <= 0 for v in values):
        raise ValidationFailed("Unknown id.", field=field, code=f"bad_{field}")
    unique = tuple(dict.fromkeys(values))
    if not low <= len(unique) <= high:
        raise ValidationFailed(
            f"Choose between {low} and {high}.", field=field, code=f"bad_{field}"
        )
    return unique


def _brand_ids(shop_type: ShopType, values: tuple[int, ...]) -> tuple[int, ...]:
    if shop_type is ShopType.INDIVIDUAL:
        return _ids(values, field="brand_ids", low=0, high=MAX_BRANDS)
    return _ids(values, field="brand_ids", low=1, high=MAX_BRANDS)
