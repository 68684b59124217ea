"""Money: integer minor units, one currency, exact parsing, no floats."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galerie.kernel import CURRENCY_EXPONENTS, CurrencyMismatch, Money, ValidationFailed
from galerie.kernel.money import MAX_MINOR

currencies = st.sampled_from(sorted(CURRENCY_EXPONENTS))
minors = st.integers(min_value=-MAX_MINOR, max_value=MAX_MINOR)


@pytest.mark.parametrize("amount", [1.5, 1.0, True, False, Decimal("1"), "100", None])
def test_only_an_int_is_an_amount(amount: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        Money(amount, "EUR")
    assert caught.value.code == "bad_amount"


def test_the_amount_is_bounded() -> None:
    assert Money(MAX_MINOR, "EUR").minor == MAX_MINOR
    assert Money(-MAX_MINOR, "EUR").minor == -MAX_MINOR
    for minor in (MAX_MINOR + 1, -MAX_MINOR - 1):
        with pytest.raises(ValidationFailed, match="out of range"):
            Money(minor, "EUR")


@pytest.mark.parametrize("currency", ["XXX", "eur", "", "EURO"])
def test_unknown_currencies_are_refused(currency: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        Money(1, currency)
    assert caught.value.code == "unknown_currency"


def test_same_currency_arithmetic() -> None:
    a, b = Money(1230, "EUR"), Money(70, "EUR")
    assert a + b == Money(1300, "EUR")
    assert a - b == Money(1160, "EUR")
    assert -a == Money(-1230, "EUR")
    assert a * 3 == Money(3690, "EUR")
    assert 3 * a == Money(3690, "EUR")
    assert b < a
    assert a >= a
    assert Money.zero("JPY").is_zero()
    assert Money(5, "EUR") == Money(5, "EUR")
    assert Money(5, "EUR") != Money(5, "USD")


@pytest.mark.parametrize(
    "combine",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
        lambda a, b: a > b,
        lambda a, b: a >= b,
    ],
)
def test_mixed_currencies_raise(combine: Any) -> None:
    with pytest.raises(CurrencyMismatch) as caught:
        combine(Money(100, "EUR"), Money(100, "USD"))
    assert caught.value.code == "currency_mismatch"
    assert isinstance(caught.value, ValidationFailed)


@pytest.mark.parametrize("factor", [1.5, 2.0, True, Decimal("2")])
def test_multiplication_is_by_whole_numbers_only(factor: Any) -> None:
    with pytest.raises(TypeError):
        Money(100, "EUR") * factor


def test_money_combines_only_with_money() -> None:
    with pytest.raises(TypeError):
        Money(100, "EUR") + 1  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12.30", "EUR", 1230),
        ("12.3", "EUR", 1230),
        ("12", "EUR", 1200),
        ("0.01", "EUR", 1),
        ("-0.01", "EUR", -1),
        (" 5.00 ", "USD", 500),
        ("12.340", "EUR", 1234),  # a trailing zero is exact, not an extra place
        ("1500", "JPY", 1500),
        ("1.234", "KWD", 1234),
        ("9999999999.99", "EUR", 999999999999),
    ],
)
def test_parse_is_exact(text: str, currency: str, minor: int) -> None:
    assert Money.parse(text, currency) == Money(minor, currency)


@pytest.mark.parametrize(
    ("text", "currency"),
    [("12.345", "EUR"), ("0.001", "USD"), ("100.5", "JPY"), ("1.2345", "KWD")],
)
def test_parse_refuses_places_the_currency_does_not_have(text: str, currency: str) -> None:
    with pytest.raises(ValidationFailed, match="decimal places"):
        Money.parse(text, currency)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "abc",
        "1e5",
        "1E-2",
        "1,00",
        "1 000",
        "NaN",
        "Infinity",
        "0x10",
        "1.2.3",
        "--1",
        "+1",
        ".5",
        "5.",
        "12.30 EUR",
        "€12",
        "1.23456",
        "12345678901234567",
    ],
)
def test_parse_refuses_junk(text: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        Money.parse(text, "EUR")
    assert caught.value.code == "bad_amount"


def test_parse_refuses_huge_values() -> None:
    with pytest.raises(ValidationFailed, match="out of range"):
        Money.parse("9999999999999999", "EUR")
    with pytest.raises(ValidationFailed, match="out of range"):
        Money.parse("10000000000000.01", "EUR")


@pytest.mark.parametrize("text", ["١٢.٣٠", "１２.３０"])
def test_parse_refuses_non_ascii_digits(text: str) -> None:
    with pytest.raises(ValidationFailed):
        Money.parse(text, "EUR")


def test_parse_refuses_unknown_currency() -> None:
    with pytest.raises(ValidationFailed) as caught:
        Money.parse("1.00", "XXX")
    assert caught.value.code == "unknown_currency"


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money(1230, "EUR"), "12.30 EUR"),
        (Money(-5, "EUR"), "-0.05 EUR"),
        (Money(0, "USD"), "0.00 USD"),
        (Money(1500, "JPY"), "1500 JPY"),
        (Money(-7, "KRW"), "-7 KRW"),
        (Money(1234, "KWD"), "1.234 KWD"),
        (Money(MAX_MINOR, "GBP"), "10000000000000.00 GBP"),
    ],
)
def test_str(money: Money, text: str) -> None:
    assert str(money) == text


def test_jpy_has_no_minor_unit() -> None:
    yen = Money.parse("1500", "JPY")
    assert yen.exponent == 0
    assert yen.minor == 1500
    assert yen.to_decimal() == Decimal(1500)


@given(minors, currencies)
def test_str_parses_back_to_the_same_money(minor: int, currency: str) -> None:
    money = Money(minor, currency)
    amount, code = str(money).split(" ")
    assert code == currency
    assert Money.parse(amount, currency) == money


def test_money_allocate_keeps_the_currency_and_the_total() -> None:
    parts = Money(1000, "EUR").allocate([1, 1, 1])
    assert parts == [Money(334, "EUR"), Money(333, "EUR"), Money(333, "EUR")]
