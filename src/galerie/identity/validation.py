"""Checks on identity input: pure functions that normalise a value or raise
ValidationFailed with the field and a stable code."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime

from galerie.kernel import ValidationFailed

LANGUAGES = ("zh-CN", "en", "fr")
MAX_EMAIL = 254
MAX_DISPLAY_NAME = 80
MAX_ORGANISATION_NAME = 120
MAX_BRAND = 120
MAX_TOKEN_NAME = 80

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


def normalise_email(email: str) -> str:
    """Stripped and lower-cased; refuses anything that is not shaped like an address."""
    value = email.strip().lower()
    if len(value) > MAX_EMAIL or not _EMAIL.match(value):
        raise ValidationFailed("Enter a valid e-mail address.", field="email", code="bad_email")
    return value


def check_text(value: str, *, field: str, max_length: int, code: str) -> str:
    """A one-line human text: stripped, 1..max_length characters, no control characters."""
    text = value.strip()
    if not text or len(text) > max_length:
        raise ValidationFailed(
            f"Enter between 1 and {max_length} characters.", field=field, code=code
        )
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise ValidationFailed("Control characters are not allowed.", field=field, code=code)
    return text


def check_display_name(name: str) -> str:
    return check_text(
        name, field="display_name", max_length=MAX_DISPLAY_NAME, code="bad_display_name"
    )


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValidationFailed(
            f"Choose one of: {', '.join(LANGUAGES)}.",
            field="language",
            code="unsupported_language",
        )
    return language


def check_not_empty(values: Iterable[object], *, field: str, code: str) -> None:
    if not list(values):
        raise ValidationFailed("Choose at least one.", field=field, code=code)


def check_future(value: datetime | None, *, now: datetime, field: str) -> None:
    if value is not None and value <= now:
        raise ValidationFailed("Choose a time in the future.", field=field, code="bad_expiry")
