"""Normalising and checking identity input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galerie.identity.validation import check_display_name, check_language, normalise_email
from galerie.kernel import ValidationFailed


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Ana@Example.COM ", "ana@example.com"),
        ("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"),
        ("李@例子.中国", "李@例子.中国"),
    ],
)
def test_emails_are_stripped_and_lower_cased(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", " ", "ana", "ana@", "@example.com", "ana@example", "ana@example.", "ana@.com",
     "a na@example.com", "ana@exa mple.com", "ana@@example.com", "ana@example..com",
     "a" * 243 + "@example.com"],
)  # fmt: skip
def test_malformed_emails_are_refused(raw: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        normalise_email(raw)
    assert (caught.value.field, caught.value.code) == ("email", "bad_email")


@given(st.emails())
def test_normalising_is_idempotent(email: str) -> None:
    try:
        once = normalise_email(email)
    except ValidationFailed:
        return
    assert normalise_email(once) == once
    assert once == once.strip().lower()


def test_display_names_are_stripped_and_bounded() -> None:
    assert check_display_name("  Zoë  ") == "Zoë"
    assert check_display_name("x" * 80) == "x" * 80
    for bad in ("", "  ", "x" * 81, "tab\there", "new\nline"):
        with pytest.raises(ValidationFailed) as caught:
            check_display_name(bad)
        assert (caught.value.field, caught.value.code) == ("display_name", "bad_display_name")


def test_only_the_three_languages_are_supported() -> None:
    assert [check_language(x) for x in ("zh-CN", "en", "fr")] == ["zh-CN", "en", "fr"]
    for bad in ("EN", "zh", "zh-TW", "", "fr-FR"):
        with pytest.raises(ValidationFailed) as caught:
            check_language(bad)
        assert caught.value.code == "unsupported_language"
