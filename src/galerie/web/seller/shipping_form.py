"""The shipping template form of the seller centre: fields as text, regions written one per
line (`CN, HK, FR-IDF: 10.00 + 5.00`: codes, a colon, the first and each additional unit's
fee in the template's currency), parsed into a TemplateSpec the service validates."""

from __future__ import annotations

from typing import Final

from galerie.kernel import DomainError, Money, ValidationFailed
from galerie.shipping import METHODS, ChargeBy, Rate, Region, RegionRate, TemplateSpec
from galerie.web.forms import BoundForm, Field, Form
from galerie.web.i18n import N_, gettext

MAX_REGION_LINES: Final = 50
TEMPLATE_FORM = Form(
    (
        Field("name", max_length=80),
        Field("method", max_length=10, choices=tuple(m.value for m in METHODS)),
        Field("charge_by", max_length=10, choices=tuple(c.value for c in ChargeBy)),
        Field("currency", max_length=3),
        Field("regions", max_length=10_000, required=False),
        Field("ships_elsewhere", max_length=1, required=False),
        Field("rest_first", max_length=20, required=False),
        Field("rest_additional", max_length=20, required=False),
        Field("free_above", max_length=20, required=False),
    )
)
METHOD_LABELS: Final = {
    "express": N_("Express"),
    "surface": N_("Surface mail"),
    "virtual": N_("Virtual goods (no parcel)"),
}
CHARGE_LABELS: Final = {
    "weight": N_("By weight: the first kilogram, then each kilogram started"),
    "count": N_("By item count: the first item, then each additional one"),
}
SHIPPING_MESSAGES: Final[dict[str, str]] = {
    "bad_region_line": N_(
        "Line %(line)d: write the codes, a colon, then the two fees, for example "
        "CN, HK: 10.00 + 5.00"
    ),
    "bad_amount": N_("Enter an amount such as 12.50, with no more decimals than the currency has."),
    "negative_fee": N_("A fee cannot be negative."),
    "fee_too_large": N_("This fee is too large."),
    "unknown_country": N_("Use two-letter ISO 3166 country codes, for example CN or FR."),
    "unknown_province": N_("Use province codes of the form CN-SH or FR-IDF."),
    "empty_region": N_("A region needs at least one country or province."),
    "region_overlap": N_("A country or province appears in two regions."),
    "too_many_regions": N_("At most 50 regions."),
    "no_destination": N_("Give at least one region, or a rate for the rest of the world."),
    "currency_mismatch": N_("The free-shipping threshold must be in the template's currency."),
    "unknown_currency": N_("Use a currency code the market accepts, for example CNY or EUR."),
    "bad_threshold": N_("The free-shipping threshold must be above zero."),
    "template_name_taken": N_("This shop already has a template with this name."),
    "too_many_templates": N_("At most 100 templates per shop."),
    "bad_name": N_("Enter between 1 and 80 characters."),
}
GENERIC: Final = N_("This could not be done. Check the form and try again.")
FIELD_OF_CODE: Final = {"rates": "regions", "rest_of_world": "rest_first", "amount": "form"}


def shipping_message(error: DomainError) -> str:
    params = {k: v for k, v in error.details.items() if isinstance(v, int)}
    template = SHIPPING_MESSAGES.get(error.code, GENERIC)
    try:
        return gettext(template, **params)
    except (KeyError, TypeError, ValueError):
        return gettext(GENERIC)


def _amount(text: str, currency: str, field: str) -> int:
    try:
        return Money.parse(text, currency).minor
    except ValidationFailed as error:
        raise ValidationFailed(error.message, field=field, code=error.code) from None


def _region_line(number: int, line: str, currency: str) -> RegionRate:
    codes, colon, fees = line.partition(":")
    first, plus, additional = fees.partition("+")
    if not colon or not plus:
        raise ValidationFailed(
            "bad region line", field="regions", code="bad_region_line", line=number
        )
    names = [c.strip().upper() for c in codes.split(",") if c.strip()]
    region = Region(
        frozenset(n for n in names if "-" not in n), frozenset(n for n in names if "-" in n)
    )
    rate = Rate(_amount(first, currency, "regions"), _amount(additional, currency, "regions"))
    return RegionRate(region, rate)


def spec_of(bound: BoundForm) -> TemplateSpec:
    """The form as a TemplateSpec (amounts parsed exactly; the service checks the rest)."""
    currency = bound["currency"].upper()
    lines = [line.strip() for line in bound["regions"].splitlines()]
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line]
    if len(numbered) > MAX_REGION_LINES:
        raise ValidationFailed("too many regions", field="regions", code="too_many_regions")
    rates = tuple(_region_line(n, line, currency) for n, line in numbered)
    rest = None
    if bound["ships_elsewhere"] == "1":
        rest = Rate(
            _amount(bound["rest_first"] or "0", currency, "rest_first"),
            _amount(bound["rest_additional"] or "0", currency, "rest_additional"),
        )
    free = bound["free_above"]
    return TemplateSpec(
        name=bound["name"], method=bound["method"], charge_by=bound["charge_by"],
        currency=currency, region_rates=rates, rest_of_world=rest,
        free_above=Money(_amount(free, currency, "free_above"), currency) if free else None,
    )  # fmt: skip


def _decimal(minor: int, currency: str) -> str:
    money = Money(minor, currency)
    return f"{money.to_decimal():.{money.exponent}f}"


def values_of(spec: TemplateSpec) -> dict[str, str]:
    c = spec.currency
    regions = "\n".join(
        ", ".join([*sorted(r.region.countries), *sorted(r.region.provinces)])
        + f": {_decimal(r.rate.first, c)} + {_decimal(r.rate.additional, c)}"
        for r in spec.region_rates
    )
    rest = spec.rest_of_world
    return {
        "name": spec.name,
        "method": str(spec.method),
        "charge_by": str(spec.charge_by),
        "currency": c,
        "regions": regions,
        "ships_elsewhere": "1" if rest else "",
        "rest_first": _decimal(rest.first, c) if rest else "",
        "rest_additional": _decimal(rest.additional, c) if rest else "",
        "free_above": _decimal(spec.free_above.minor, c) if spec.free_above else "",
    }
