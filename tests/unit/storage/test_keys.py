"""File keys: relative names from a small alphabet that cannot climb out of the store."""

from __future__ import annotations

import pytest

from galerie.kernel import ValidationFailed
from galerie.storage import check_key


@pytest.mark.parametrize(
    "key",
    ["a", "sellers/12/documents/licence-2026_v1.pdf", "A/b.c/D-e_f", "x" * 300],
)
def test_good_keys_pass_unchanged(key: str) -> None:
    assert check_key(key) == key


@pytest.mark.parametrize(
    "key",
    [
        "",
        "x" * 301,
        "/etc/passwd",
        "../secret",
        "a/../../b",
        "a/..",
        "a..b",
        "a//b",
        "a/",
        "./a",
        "a/./b",
        "a/.hidden",
        "a\\b",
        "a b",
        "a\x00b",
        "caf\u00e9",
        "a:b",
        "~/a",
        "a\nb",
        "a\n",
    ],
)
def test_bad_keys_are_refused(key: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_key(key)
    assert refused.value.code == "bad_key"
