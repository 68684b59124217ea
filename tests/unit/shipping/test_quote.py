"""Shipping quotes: rates by region (province before country, else the rest of the world,
else refused), charged by weight or by count, free above a threshold, one fee per shop order;
and the validation of templates (nothing bad gets through)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galerie.kernel import CurrencyMismatch, Money, ValidationFailed
from galerie.shipping import (
    METHODS,
    ChargeBy,
    Destination,
    Rate,
    Region,
    RegionRate,
    ShippingMethod,
    ShippingRefused,
    ShippingTemplate,
    TemplateSpec,
    check_template,
    quote_shop_shipping,
)

CNY = "CNY"


def spec(**changes: object) -> TemplateSpec:
    values: dict[str, object] = {
        "name": "Express",
        "method": "express",
        "charge_by": "weight",
        "currency": CNY,
        "region_rates": (
            RegionRate(Region(frozenset({"CN"})), Rate(1000, 500)),
            RegionRate(Region(provinces=frozenset({"CN-XZ"})), Rate(3000, 2000)),
            RegionRate(Region(frozenset({"FR", "DE"})), Rate(8000, 4000)),
        ),
        "rest_of_world": None,
        "free_above": Money(20_000, CNY),
    }
    values.update(changes)
    return TemplateSpec(**values).checked()  # type: ignore[arg-type]


def template(template_id: int = 1, **changes: object) -> ShippingTemplate:
    return ShippingTemplate(template_id, 7, spec(**changes))


def fee(t: ShippingTemplate, lines: list[tuple[int, int | None]], goods: int, **dest: str) -> int:
    options = quote_shop_shipping([t], lines, Money(goods, CNY), Destination(**dest))
    assert len(options) == 1
    return options[0].fee.minor


def test_methods_are_data_with_their_auto_confirmation_days() -> None:
    assert {m.value: s.auto_confirm_days for m, s in METHODS.items()} == {
        "express": 10,
        "surface": 30,
        "virtual": 3,
    }


def test_by_weight_the_first_kilogram_then_each_started_one() -> None:
    t = template()
    assert fee(t, [(1, 400)], 5000, country="CN") == 1000
    assert fee(t, [(1, 1000)], 5000, country="CN") == 1000
    assert fee(t, [(1, 1001)], 5000, country="CN") == 1500
    assert fee(t, [(2, 1200), (1, 600)], 5000, country="CN") == 1000 + 2 * 500
    assert fee(t, [(3, None)], 5000, country="CN") == 1000  # weightless: the first kilogram


def test_by_count_the_first_item_then_each_additional_one() -> None:
    t = template(charge_by="count")
    assert fee(t, [(1, 5000)], 100, country="FR") == 8000
    assert fee(t, [(2, 5000), (3, 1)], 100, country="DE") == 8000 + 4 * 4000


def test_a_province_rate_wins_over_its_countrys() -> None:
    t = template()
    assert fee(t, [(1, 100)], 100, country="CN", province="XZ") == 3000
    assert fee(t, [(1, 100)], 100, country="CN", province="CN-XZ") == 3000
    assert fee(t, [(1, 100)], 100, country="CN", province="SH") == 1000


def test_elsewhere_the_rest_of_the_world_or_a_refusal() -> None:
    with pytest.raises(ShippingRefused) as refused:
        quote_shop_shipping([template()], [(1, 100)], Money(100, CNY), Destination("US"))
    assert refused.value.code == "does_not_ship_there"
    anywhere = template(rest_of_world=Rate(15_000, 5000))
    assert fee(anywhere, [(1, 100)], 100, country="US") == 15_000


def test_no_template_is_a_refusal_of_its_own() -> None:
    with pytest.raises(ShippingRefused) as refused:
        quote_shop_shipping([], [(1, 100)], Money(100, CNY), Destination("CN"))
    assert refused.value.code == "no_shipping_template"


def test_free_from_the_threshold_up() -> None:
    t = template()
    assert fee(t, [(1, 5000)], 19_999, country="CN") == 1000 + 4 * 500
    assert fee(t, [(1, 5000)], 20_000, country="CN") == 0


def test_one_option_per_method_the_cheapest_first() -> None:
    dear_rates = (RegionRate(Region(frozenset({"CN"})), Rate(5000, 0)),)
    express_dear = template(1, name="Dear", region_rates=dear_rates)
    express_cheap = template(2, name="Cheap", free_above=None)
    surface = template(3, name="Slow", method="surface", free_above=None)
    options = quote_shop_shipping(
        [express_dear, express_cheap, surface], [(1, 100)], Money(100, CNY), Destination("CN")
    )
    assert [(o.template_id, o.method, o.fee.minor, o.auto_confirm_days) for o in options] == [
        (2, ShippingMethod.EXPRESS, 1000, 10),
        (3, ShippingMethod.SURFACE, 1000, 30),
    ]


def test_goods_in_another_currency_are_refused() -> None:
    with pytest.raises(CurrencyMismatch):
        quote_shop_shipping([template()], [(1, 1)], Money(100, "EUR"), Destination("CN"))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"region_rates": (RegionRate(Region(frozenset({"CN"})), Rate(-1, 0)),)}, "negative_fee"),
        ({"region_rates": (RegionRate(Region(frozenset({"CN"})), Rate(0, -5)),)}, "negative_fee"),
        ({"region_rates": (RegionRate(Region(frozenset({"XX"})), Rate(1, 1)),)}, "unknown_country"),
        ({"region_rates": (RegionRate(Region(), Rate(1, 1)),)}, "empty_region"),
        (
            {"region_rates": (RegionRate(Region(provinces=frozenset({"Shanghai"})), Rate(1, 1)),)},
            "unknown_province",
        ),
        (
            {
                "region_rates": (
                    RegionRate(Region(frozenset({"CN"})), Rate(1, 1)),
                    RegionRate(Region(frozenset({"CN", "FR"})), Rate(1, 1)),
                )
            },
            "region_overlap",
        ),
        ({"region_rates": (), "rest_of_world": None}, "no_destination"),
        ({"free_above": Money(100, "EUR")}, "currency_mismatch"),
        ({"free_above": Money(0, CNY)}, "bad_threshold"),
        ({"currency": "XYZ", "free_above": None}, "unknown_currency"),
        ({"method": "pigeon"}, "unknown_method"),
        ({"charge_by": "volume"}, "bad_charge_by"),
        ({"name": "  "}, "bad_name"),
        ({"rest_of_world": Rate(10**12, 0)}, "fee_too_large"),
    ],
)
def test_bad_templates_are_refused_with_a_code(changes: dict[str, object], code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        spec(**changes)
    assert refused.value.code == code


def test_codes_are_normalised() -> None:
    checked = check_template(
        TemplateSpec(
            "x", "virtual", "count", CNY,
            (RegionRate(Region(frozenset({"cn"}), frozenset({"fr-idf"})), Rate(0, 0)),),
        )
    )  # fmt: skip
    region = checked.region_rates[0].region
    assert (region.countries, region.provinces) == (frozenset({"CN"}), frozenset({"FR-IDF"}))
    assert checked.charge_by == ChargeBy.COUNT


# Properties -----------------------------------------------------------------------------

fees = st.integers(min_value=0, max_value=100_000)
lines_strategy = st.lists(
    st.tuples(st.integers(1, 99), st.one_of(st.none(), st.integers(0, 50_000))),
    min_size=1,
    max_size=10,
)


def any_template(
    first: int, additional: int, charge_by: str, threshold: int | None
) -> ShippingTemplate:
    return ShippingTemplate(
        1, 1,
        TemplateSpec(
            "t", "express", charge_by, CNY,
            (RegionRate(Region(frozenset({"CN"})), Rate(first, additional)),),
            None, None if threshold is None else Money(threshold, CNY),
        ).checked(),
    )  # fmt: skip


@given(
    fees, fees, st.sampled_from(["weight", "count"]),
    st.one_of(st.none(), st.integers(1, 10**7)), lines_strategy, st.integers(0, 10**7),
)  # fmt: skip
def test_a_fee_is_never_negative_and_free_from_the_threshold(
    first: int,
    additional: int,
    charge_by: str,
    threshold: int | None,
    lines: list[tuple[int, int | None]],
    goods: int,
) -> None:
    t = any_template(first, additional, charge_by, threshold)
    [option] = quote_shop_shipping([t], lines, Money(goods, CNY), Destination("CN"))
    assert option.fee.minor >= 0
    if threshold is not None and goods >= threshold:
        assert option.fee.minor == 0
    if threshold is None or goods < threshold:
        assert option.fee.minor >= first


@given(fees, fees, lines_strategy, st.integers(1, 99), st.integers(0, 50_000))
def test_a_fee_by_weight_never_falls_when_the_parcel_gets_heavier(
    first: int,
    additional: int,
    lines: list[tuple[int, int | None]],
    quantity: int,
    weight: int,
) -> None:
    t = any_template(first, additional, "weight", None)
    before = quote_shop_shipping([t], lines, Money(1, CNY), Destination("CN"))[0].fee
    heavier = [*lines, (quantity, weight)]
    after = quote_shop_shipping([t], heavier, Money(1, CNY), Destination("CN"))[0].fee
    assert after >= before


def test_the_demo_templates_are_valid_and_quote_as_documented() -> None:
    from galerie.demo.shipping_seed import demo_templates

    specs = [spec.checked() for spec in demo_templates("CN")]
    shop = [ShippingTemplate(n, 1, spec) for n, spec in enumerate(specs, start=1)]
    options = quote_shop_shipping(shop, [(2, 700)], Money(5000, CNY), Destination("CN", "CN-SH"))
    assert [(o.method, o.fee.minor) for o in options] == [
        (ShippingMethod.SURFACE, 600 + 200),
        (ShippingMethod.EXPRESS, 1000 + 500),
    ]
    far = quote_shop_shipping(shop[:1], [(1, 100)], Money(5000, CNY), Destination("CN", "XZ"))
    assert far[0].fee.minor == 2500
    free = quote_shop_shipping(shop[:1], [(1, 100)], Money(19_900, CNY), Destination("US"))
    assert free[0].fee.is_zero()
