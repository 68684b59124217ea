"""Passwords: argon2id hashes and the strength policy (ARCHITECTURE.md: argon2-cffi).

The policy refuses passwords shorter than 10 or longer than 128 characters, blank or
near-constant ones, those in the shipped list of 20,000 common passwords (Django's, see
data/README.md) and those equal to or containing the local part of the person's e-mail.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from galerie.kernel import ValidationFailed, new_token

_HASHER = PasswordHasher(type=Type.ID)


def hash_password(password: str) -> str:
    """An argon2id hash (salted, parameters in the string: "$argon2id$v=19$m=...")."""
    return _HASHER.hash(password)


def verify_password(hash: str, password: str) -> bool:
    """True when `password` matches `hash`; False for a mismatch or a malformed hash."""
    try:
        return _HASHER.verify(hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_needs_rehash(hash: str) -> bool:
    """True when `hash` was made with other parameters than today's (rehash on login)."""
    try:
        return _HASHER.check_needs_rehash(hash)
    except InvalidHashError:
        return True


@cache
def dummy_hash() -> str:
    """A hash of a random secret, verified when an account is unknown so that the answer
    takes as long as for a known account."""
    return hash_password(new_token(16))


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, loaded once on first use."""
    data = resources.files("galerie.identity").joinpath("data/common-passwords.txt.gz")
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """The strength rules; `check` raises ValidationFailed(field="password")."""

    min_length: int = 10
    max_length: int = 128
    min_distinct: int = 4  # refuses "aaaaaaaaaa" and "ababababab"
    min_local_part: int = 4  # shorter local parts are only refused as the whole password

    def check(self, password: str, *, email: str | None = None) -> None:
        if len(password) > self.max_length:
            raise _refuse(f"Use at most {self.max_length} characters.", code="password_too_long")
        if len(password) < self.min_length:
            raise _refuse(f"Use at least {self.min_length} characters.", code="weak_password")
        if len(set(password.strip())) < self.min_distinct:
            raise _refuse("Use more varied characters.", code="weak_password")
        if password.strip().lower() in common_passwords():
            raise _refuse("This password is too common.", code="common_password")
        if email and self._resembles(password, email):
            raise _refuse("Do not base the password on your e-mail.", code="weak_password")

    def _resembles(self, password: str, email: str) -> bool:
        local = email.strip().lower().partition("@")[0]
        lowered = password.strip().lower()
        if not local:
            return False
        if lowered == local:
            return True
        return len(local) >= self.min_local_part and local in lowered


def _refuse(message: str, *, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, field="password")


DEFAULT_POLICY = PasswordPolicy()


def check_password_strength(password: str, *, email: str | None = None) -> None:
    """Raise ValidationFailed(field="password") with code "weak_password",
    "common_password" or "password_too_long" unless the password meets the policy."""
    DEFAULT_POLICY.check(password, email=email)
