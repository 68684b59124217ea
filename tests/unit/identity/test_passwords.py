"""argon2id hashing and the password strength policy."""

from __future__ import annotations

import gzip
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from galerie.identity import PasswordPolicy, check_password_strength, hash_password, verify_password
from galerie.identity.passwords import common_passwords
from galerie.kernel import ValidationFailed

GOOD = "Lantern-orchid-4417"


def refusal(password: str, *, email: str | None = None) -> str:
    with pytest.raises(ValidationFailed) as caught:
        check_password_strength(password, email=email)
    assert caught.value.field == "password"
    assert caught.value.message
    return caught.value.code


@pytest.mark.usefixtures("production_password_hashing")
def test_hashes_are_argon2id_salted_and_verify() -> None:
    first, second = hash_password(GOOD), hash_password(GOOD)

    assert first.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert first != second
    assert verify_password(first, GOOD)
    assert verify_password(second, GOOD)
    assert not verify_password(first, GOOD.upper())
    assert not verify_password(first, "")


@pytest.mark.parametrize("bad_hash", ["", "plain", "$argon2id$v=19$garbage", "$2b$12$abc"])
def test_a_malformed_hash_never_verifies(bad_hash: str) -> None:
    assert verify_password(bad_hash, GOOD) is False


@pytest.mark.parametrize(
    "password", ["password123", "qwertyuiop", "QWERTYUIOP", "Password123", " 1234567890 "]
)
def test_common_passwords_are_refused(password: str) -> None:
    assert refusal(password) == "common_password"


def test_the_shipped_list_is_djangos_twenty_thousand() -> None:
    data = resources.files("galerie.identity").joinpath("data/common-passwords.txt.gz")
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        count = sum(1 for line in lines if line.strip())
    assert count == 19640
    assert len(common_passwords()) == 19640
    assert common_passwords() is common_passwords()  # loaded once


@pytest.mark.parametrize(
    ("length", "code"),
    [
        (0, "weak_password"),
        (9, "weak_password"),
        (129, "password_too_long"),
        (10_000, "password_too_long"),
    ],
)
def test_length_bounds_are_enforced(length: int, code: str) -> None:
    password = ("Zk3-vQ9!mR" * 1001)[:length]
    assert refusal(password) == code


@pytest.mark.parametrize("length", [10, 64, 128])
def test_lengths_within_the_bounds_are_accepted(length: int) -> None:
    check_password_strength(("Zk3-vQ9!mR" * 13)[:length])


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaaaa", "abababababab", "          x", "            "]
)
def test_near_constant_or_blank_passwords_are_refused(password: str) -> None:
    assert refusal(password) == "weak_password"


@pytest.mark.parametrize(
    ("password", "email"),
    [
        ("margaux.dubois", "margaux.dubois@example.com"),
        ("MARGAUX.DUBOIS", " Margaux.Dubois@example.com"),
        ("i-am-margaux-2026", "margaux@example.com"),
        ("bo", "bo@example.com"),
    ],
)
def test_passwords_based_on_the_email_are_refused(password: str, email: str) -> None:
    padded = password if len(password) >= 10 else password + "-Zk3vQ9!"
    if padded != password:  # a short local part is refused only as the whole password
        check_password_strength(padded, email=email)
        return
    assert refusal(password, email=email) == "weak_password"


def test_a_short_local_part_alone_does_not_refuse_a_password() -> None:
    check_password_strength("Lantern-bob-4417", email="bob@example.com")
    assert refusal("Lantern-bob-4417", email="lantern-bob-4417@example.com") == "weak_password"


def test_a_stricter_policy_can_be_made() -> None:
    with pytest.raises(ValidationFailed) as caught:
        PasswordPolicy(min_length=20).check(GOOD)
    assert caught.value.code == "weak_password"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(p for p in common_passwords() if 10 <= len(p) <= 128)))
def test_no_listed_password_is_ever_accepted(password: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_password_strength(password)
    assert caught.value.code in {"common_password", "weak_password"}


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=129, max_size=400))
def test_anything_too_long_is_refused_before_other_checks(password: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_password_strength(password)
    assert caught.value.code == "password_too_long"
