"""Which time step a TOTP code matches: one step either side, never a used one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from galerie.identity.totp import matching_step

SECRET = "JBSWY3DPEHPK3PXP"
NOW = datetime(2026, 11, 11, 12, 0, 10, tzinfo=UTC)
STEP = int(NOW.timestamp()) // 30


def code(offset_steps: int) -> str:
    return str(pyotp.TOTP(SECRET).at(NOW + timedelta(seconds=30 * offset_steps)))


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_the_current_and_neighbouring_steps_match(offset: int) -> None:
    assert matching_step(SECRET, code(offset), now=NOW, after=None) == STEP + offset


@pytest.mark.parametrize("offset", [-3, -2, 2, 3])
def test_steps_further_away_do_not(offset: int) -> None:
    assert matching_step(SECRET, code(offset), now=NOW, after=None) is None


def test_a_used_step_and_earlier_ones_do_not_match() -> None:
    assert matching_step(SECRET, code(0), now=NOW, after=STEP) is None
    assert matching_step(SECRET, code(-1), now=NOW, after=STEP) is None
    assert matching_step(SECRET, code(1), now=NOW, after=STEP) == STEP + 1
    assert matching_step(SECRET, code(0), now=NOW, after=STEP - 1) == STEP


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "12a456", "１２３４５６", "-12345"])
def test_malformed_codes_never_match(bad: str) -> None:
    assert matching_step(SECRET, bad, now=NOW, after=None) is None


def test_spaces_inside_a_code_are_ignored() -> None:
    current = code(0)
    assert matching_step(SECRET, f" {current[:3]} {current[3:]} ", now=NOW, after=None) == STEP
