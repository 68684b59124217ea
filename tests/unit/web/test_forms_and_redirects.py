"""Pure rules of the pages: the forms helper, safe `next` values, Accept-Language parsing."""

from __future__ import annotations

import pytest

from galerie.web.forms import REQUIRED, TOO_LONG, Field, Form
from galerie.web.i18n import parse_accept_language, supported
from galerie.web.rendering import safe_next

FORM = Form(
    (
        Field("name", max_length=5),
        Field("password", max_length=20, secret=True, strip=False),
        Field("kind", max_length=5, required=False, choices=("a", "b")),
    )
)


def test_a_valid_form_binds_stripped_values() -> None:
    bound = FORM.bind({"name": "  Ana ", "password": " p w ", "kind": "a"})
    assert bound.valid
    assert bound["name"] == "Ana"
    assert bound["password"] == " p w "


def test_errors_are_per_field_and_secrets_are_never_echoed() -> None:
    bound = FORM.bind({"name": "toolong", "password": "", "kind": "z"})
    assert set(bound.errors) == {"name", "password", "kind"}
    assert bound.errors["name"].message == TOO_LONG
    assert bound.errors["name"].params == {"max": 5}
    assert bound.errors["password"].message == REQUIRED
    echoed = FORM.bind({"name": "x", "password": "hunter2-secret"}).echo()
    assert "password" not in echoed


def test_non_string_values_count_as_missing_and_lengths_are_bounded() -> None:
    bound = FORM.bind({"name": ["a", "b"], "password": "x" * 10_000})
    assert bound.errors["name"].message == REQUIRED
    assert len(bound["password"]) == 21  # kept bounded, never the whole input


def test_an_error_about_an_unknown_field_goes_to_the_form() -> None:
    bound = FORM.bind({"name": "a", "password": "b"})
    bound.add_error("language", "x")
    assert "form" in bound.errors


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/account", "/account"),
        ("/seller?tab=1", "/seller?tab=1"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("account", "/"),
        ("/a b", "/"),
        ("/a\x00b", "/"),
        ("/" + "a" * 600, "/"),
        (None, "/"),
        (42, "/"),
    ],
)
def test_safe_next_keeps_only_same_site_paths(value: object, expected: str) -> None:
    assert safe_next(value) == expected


def test_accept_language_is_ordered_by_quality() -> None:
    assert parse_accept_language("en;q=0.5, fr, zh-CN;q=0.8, *;q=0.1, de;q=0") == [
        "fr",
        "zh-CN",
        "en",
    ]
    assert parse_accept_language("fr;q=abc") == []


def test_supported_languages_are_canonical() -> None:
    assert supported("ZH-cn") == "zh-CN"
    assert supported("fr") == "fr"
    assert supported("de") is None
    assert supported(None) is None
