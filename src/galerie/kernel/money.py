"""Money in integer minor units with its ISO 4217 currency; never a float.

Arithmetic refuses to mix currencies. Splitting uses largest-remainder allocation, so the
parts always sum to the whole (ADR 0001).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from galerie.kernel.errors import ValidationFailed

# Currencies the market accepts, with their minor-unit exponents (ISO 4217).
CURRENCY_EXPONENTS: dict[str, int] = {
    "AUD": 2, "CAD": 2, "CHF": 2, "CNY": 2, "DKK": 2, "EUR": 2, "GBP": 2, "HKD": 2,
    "JPY": 0, "KRW": 0, "MOP": 2, "NOK": 2, "NZD": 2, "SEK": 2, "SGD": 2, "THB": 2,
    "TWD": 2, "USD": 2, "VND": 0, "KWD": 3, "BHD": 3,
}  # fmt: skip

MAX_MINOR = 10**15  # a sanity bound far above any real basket, far below int64
_AMOUNT = re.compile(r"^-?[0-9]{1,16}(\.[0-9]{1,4})?$")


class CurrencyMismatch(ValidationFailed):
    default_code = "currency_mismatch"


def check_currency(currency: str) -> str:
    if currency not in CURRENCY_EXPONENTS:
        raise ValidationFailed(
            f"unknown currency {currency!r}", field="currency", code="unknown_currency"
        )
    return currency


@dataclass(frozen=True, slots=True, order=False)
class Money:
    minor: int
    currency: str

    def __post_init__(self) -> None:
        if type(self.minor) is not int:
            raise ValidationFailed(
                "money is an integer number of minor units", field="amount", code="bad_amount"
            )
        if abs(self.minor) > MAX_MINOR:
            raise ValidationFailed("amount out of range", field="amount", code="bad_amount")
        check_currency(self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def parse(cls, amount: str, currency: str) -> Money:
        """Parse a decimal string such as "12.30" exactly; more decimals than the currency has
        are refused rather than rounded."""
        exponent = CURRENCY_EXPONENTS.get(check_currency(currency), 2)
        text = amount.strip()
        if not _AMOUNT.match(text):
            raise ValidationFailed(f"not an amount: {amount!r}", field="amount", code="bad_amount")
        try:
            value = Decimal(text).scaleb(exponent)
        except InvalidOperation as exc:  # pragma: no cover - the regex guards this
            raise ValidationFailed("not an amount", field="amount", code="bad_amount") from exc
        if value != value.to_integral_value():
            raise ValidationFailed(
                f"{currency} has {exponent} decimal places", field="amount", code="bad_amount"
            )
        return cls(int(value), currency)

    @property
    def exponent(self) -> int:
        return CURRENCY_EXPONENTS[self.currency]

    def to_decimal(self) -> Decimal:
        return Decimal(self.minor).scaleb(-self.exponent)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError("Money combines only with Money")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __mul__(self, factor: int) -> Money:
        if type(factor) is not int:
            raise TypeError("Money multiplies by whole numbers only; use allocate() to split")
        return Money(self.minor * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor <= other.minor

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor > other.minor

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.minor >= other.minor

    def is_zero(self) -> bool:
        return self.minor == 0

    def __str__(self) -> str:
        return f"{self.to_decimal():.{self.exponent}f} {self.currency}"

    def allocate(self, weights: Sequence[int]) -> list[Money]:
        return [Money(part, self.currency) for part in allocate(self.minor, weights)]


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` in proportion to non-negative integer `weights` by largest remainder.

    The parts sum exactly to `total`; ties on the remainder go to the earlier weight, so the
    result is deterministic.
    """
    if not weights:
        raise ValueError("allocate needs at least one weight")
    if any(type(w) is not int or w < 0 for w in weights):
        raise ValueError("weights are non-negative integers")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    shares = [magnitude * w // weight_sum for w in weights]
    remainders = [magnitude * w % weight_sum for w in weights]
    leftover = magnitude - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:leftover]:
        shares[i] += 1
    return [sign * s for s in shares]
