"""Shipping rules: pure data and arithmetic, no I/O.

A **shipping template** belongs to one shop: a shipping method, how fees are charged (by
weight: the first kilogram and each additional one started; or by item count: the first item
and each additional one), a rate per destination **region** (countries and, optionally,
provinces), a rate for the rest of the world or none (the shop does not ship there), and an
optional threshold of goods above which shipping is free. All amounts are integer minor units
of the template's currency. A shop order pays one fee, whatever its number of lines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from galerie.kernel import CurrencyMismatch, DomainError, Money, ValidationFailed
from galerie.kernel.countries import country_code, subdivision_code
from galerie.kernel.money import check_currency

MAX_FEE_MINOR: Final = 100_000_000  # a sanity bound on one rate: 1,000,000.00
MAX_REGIONS: Final = 50
MAX_CODES_PER_REGION: Final = 300
MAX_NAME: Final = 80
GRAMS_PER_KG: Final = 1000


class ShippingMethod(StrEnum):
    EXPRESS = "express"
    SURFACE = "surface"
    VIRTUAL = "virtual"


@dataclass(frozen=True, slots=True)
class MethodSpec:
    """A shipping method as data: the days after shipment at which receipt is confirmed
    automatically (the escrow timer), unless the buyer confirms or extends it first."""

    auto_confirm_days: int


METHODS: Final[dict[ShippingMethod, MethodSpec]] = {
    ShippingMethod.EXPRESS: MethodSpec(auto_confirm_days=10),
    ShippingMethod.SURFACE: MethodSpec(auto_confirm_days=30),
    ShippingMethod.VIRTUAL: MethodSpec(auto_confirm_days=3),
}


class ChargeBy(StrEnum):
    WEIGHT = "weight"
    COUNT = "count"


class ShippingRefused(DomainError):
    """The shop has no template that ships to the destination (`does_not_ship_there`), or no
    template at all (`no_shipping_template`)."""

    default_code = "does_not_ship_there"


@dataclass(frozen=True, slots=True)
class Rate:
    """The fee of the first unit (kilogram or item) and of each additional one, in minor
    units of the template's currency."""

    first: int
    additional: int


@dataclass(frozen=True, slots=True)
class Region:
    countries: frozenset[str] = frozenset()
    provinces: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RegionRate:
    region: Region
    rate: Rate


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """What a seller submits for a template; `checked()` gives the validated copy."""

    name: str
    method: str
    charge_by: str
    currency: str
    region_rates: tuple[RegionRate, ...] = ()
    rest_of_world: Rate | None = None
    free_above: Money | None = None

    def checked(self) -> TemplateSpec:
        return check_template(self)


@dataclass(frozen=True, slots=True)
class ShippingTemplate:
    id: int
    shop_id: int
    spec: TemplateSpec


@dataclass(frozen=True, slots=True)
class Destination:
    country: str
    province: str | None = None  # a subdivision code, CN-SH (or SH with the country)


@dataclass(frozen=True, slots=True)
class ShippingOption:
    """One way to ship a shop order: its method, its fee and the auto-confirmation delay."""

    template_id: int
    method: ShippingMethod
    fee: Money
    auto_confirm_days: int


@dataclass(frozen=True, slots=True)
class _Checked:
    countries: set[str] = field(default_factory=set)
    provinces: set[str] = field(default_factory=set)


def _fee(value: object, field_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(
            "Fees are whole numbers of minor units.", field=field_name, code="bad_fee"
        )
    if value < 0:
        raise ValidationFailed("A fee cannot be negative.", field=field_name, code="negative_fee")
    if value > MAX_FEE_MINOR:
        raise ValidationFailed("This fee is too large.", field=field_name, code="fee_too_large")
    return value


def check_rate(rate: Rate, field_name: str = "rates") -> Rate:
    return Rate(_fee(rate.first, field_name), _fee(rate.additional, field_name))


def check_region(region: Region, seen: _Checked) -> Region:
    if not region.countries and not region.provinces:
        raise ValidationFailed(
            "A region needs at least one country or province.", field="rates", code="empty_region"
        )
    if len(region.countries) + len(region.provinces) > MAX_CODES_PER_REGION:
        raise ValidationFailed("This region is too large.", field="rates", code="region_too_large")
    countries = {country_code(c, field="rates") for c in region.countries}
    provinces = {subdivision_code(p, field="rates") for p in region.provinces}
    if countries & seen.countries or provinces & seen.provinces:
        raise ValidationFailed(
            "A country or province appears in two regions.", field="rates", code="region_overlap"
        )
    seen.countries.update(countries)
    seen.provinces.update(provinces)
    return Region(frozenset(countries), frozenset(provinces))


def check_template(spec: TemplateSpec) -> TemplateSpec:
    """The validated spec (codes upper-cased), or ValidationFailed naming the first fault."""
    name = spec.name.strip()
    if not 0 < len(name) <= MAX_NAME:
        raise ValidationFailed("Enter between 1 and 80 characters.", field="name", code="bad_name")
    if spec.method not in METHODS:
        raise ValidationFailed("Unknown shipping method.", field="method", code="unknown_method")
    if spec.charge_by not in ChargeBy.__members__.values():
        raise ValidationFailed("Unknown way to charge.", field="charge_by", code="bad_charge_by")
    currency = check_currency(spec.currency)
    if len(spec.region_rates) > MAX_REGIONS:
        raise ValidationFailed("At most 50 regions.", field="rates", code="too_many_regions")
    if not spec.region_rates and spec.rest_of_world is None:
        raise ValidationFailed(
            "Give at least one region, or a rate for the rest of the world.",
            field="rates",
            code="no_destination",
        )
    seen = _Checked()
    rates = tuple(
        RegionRate(check_region(r.region, seen), check_rate(r.rate)) for r in spec.region_rates
    )
    rest = None if spec.rest_of_world is None else check_rate(spec.rest_of_world, "rest_of_world")
    free_above = spec.free_above
    if free_above is not None:
        if free_above.currency != currency:
            raise CurrencyMismatch(
                "The free-shipping threshold must be in the template's currency.",
                field="free_above",
            )
        if free_above.minor <= 0:
            raise ValidationFailed(
                "The free-shipping threshold must be above zero.",
                field="free_above",
                code="bad_threshold",
            )
    return TemplateSpec(
        name, ShippingMethod(spec.method), ChargeBy(spec.charge_by), currency, rates, rest,
        free_above,
    )  # fmt: skip


def _province_of(destination: Destination) -> str | None:
    province = (destination.province or "").strip().upper()
    if not province:
        return None
    return province if "-" in province else f"{destination.country.upper()}-{province}"


def rate_for(spec: TemplateSpec, destination: Destination) -> Rate | None:
    """The rate of the most specific region holding the destination (a province before its
    country), else the rest of the world's, else None: the template does not ship there."""
    province = _province_of(destination)
    country = destination.country.strip().upper()
    if province is not None:
        for item in spec.region_rates:
            if province in item.region.provinces:
                return item.rate
    for item in spec.region_rates:
        if country in item.region.countries:
            return item.rate
    return spec.rest_of_world


def chargeable_units(charge_by: ChargeBy | str, lines: Iterable[tuple[int, int | None]]) -> int:
    """Kilograms started (by weight; a weightless order still pays the first kilogram) or
    items (by count) of an order's lines (quantity, weight in grams of one unit)."""
    lines = list(lines)
    if not lines:
        return 0
    if charge_by == ChargeBy.COUNT:
        return sum(quantity for quantity, _ in lines)
    grams = sum(quantity * (weight or 0) for quantity, weight in lines)
    return max(1, -(-grams // GRAMS_PER_KG))


def template_fee(
    spec: TemplateSpec, rate: Rate, lines: Sequence[tuple[int, int | None]], goods_total: Money
) -> Money:
    if goods_total.currency != spec.currency:
        raise CurrencyMismatch(
            f"goods in {goods_total.currency}, template in {spec.currency}", field="currency"
        )
    units = chargeable_units(spec.charge_by, lines)
    if units == 0 or (spec.free_above is not None and goods_total >= spec.free_above):
        return Money.zero(spec.currency)
    return Money(rate.first + (units - 1) * rate.additional, spec.currency)


def quote_shop_shipping(
    templates: Sequence[ShippingTemplate],
    lines: Sequence[tuple[int, int | None]],
    goods_total: Money,
    destination: Destination,
) -> list[ShippingOption]:
    """The ways one shop can ship an order of `lines` (quantity, unit weight in grams) worth
    `goods_total` to `destination`: one option per method (the cheapest template of that
    method), cheapest first. Raises ShippingRefused when no template ships there."""
    if not templates:
        raise ShippingRefused("The shop has no shipping template.", code="no_shipping_template")
    best: dict[ShippingMethod, ShippingOption] = {}
    for template in templates:
        spec = template.spec
        rate = rate_for(spec, destination)
        if rate is None:
            continue
        method = ShippingMethod(spec.method)
        option = ShippingOption(
            template.id, method, template_fee(spec, rate, lines, goods_total),
            METHODS[method].auto_confirm_days,
        )  # fmt: skip
        current = best.get(method)
        if current is None or option.fee.minor < current.fee.minor:
            best[method] = option
    if not best:
        raise ShippingRefused("The shop does not ship to this destination.")
    return sorted(best.values(), key=lambda o: (o.fee.minor, o.method.value, o.template_id))
