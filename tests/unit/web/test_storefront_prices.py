"""Prices on the catalog pages are written exactly as Babel writes them, only faster."""

from __future__ import annotations

from babel.numbers import format_currency
from hypothesis import given
from hypothesis import strategies as st

from galerie.kernel import Money
from galerie.web.storefront.catalog_support import format_price

LANGUAGES = ("en", "fr", "zh-CN")
CURRENCIES = ("CNY", "EUR", "USD", "JPY", "HKD", "GBP", "KRW")


@given(
    st.sampled_from(LANGUAGES),
    st.sampled_from(CURRENCIES),
    st.integers(min_value=-(10**12), max_value=10**12),
)
def test_prices_read_as_babel_writes_them(language: str, currency: str, minor: int) -> None:
    expected = format_currency(
        Money(minor, currency).to_decimal(), currency, locale=language.replace("-", "_")
    )
    assert format_price(language, minor, currency) == expected


def test_a_few_prices_by_eye() -> None:
    assert format_price("en", 123456, "CNY") == "CN¥1,234.56"
    assert format_price("fr", 5, "EUR") == "0,05\u00a0€"
    assert format_price("zh-CN", 1000, "JPY") == "JP¥1,000"
