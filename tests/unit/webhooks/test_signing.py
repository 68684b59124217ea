"""Signing and checking webhook signatures (Stripe's scheme), as a seller's receiver would."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galerie.webhooks import InvalidSignature, signature_header, verify_signature
from galerie.webhooks.signing import delivery_headers

SECRET = "whsec_test-secret"
BODY = b'{"id":"evt_1","type":"order.paid","data":{"order_id":7}}'
NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
T = int(NOW.timestamp())


def test_the_header_is_t_and_v1_over_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature_header(SECRET, BODY, timestamp=T) == f"t={T},v1={expected}"


def test_a_good_signature_is_accepted_and_returns_its_timestamp() -> None:
    header = signature_header(SECRET, BODY, timestamp=T)
    assert verify_signature(SECRET, header, BODY, now=NOW) == T
    assert verify_signature(SECRET, header, BODY, now=NOW + timedelta(seconds=300)) == T


def test_a_tampered_body_is_refused() -> None:
    header = signature_header(SECRET, BODY, timestamp=T)
    with pytest.raises(InvalidSignature, match="no signature matches"):
        verify_signature(SECRET, header, BODY.replace(b"7", b"8"), now=NOW)


def test_a_wrong_secret_is_refused() -> None:
    header = signature_header("whsec_another", BODY, timestamp=T)
    with pytest.raises(InvalidSignature, match="no signature matches"):
        verify_signature(SECRET, header, BODY, now=NOW)


@pytest.mark.parametrize("offset", [301, -301, 86_400])
def test_a_stale_or_future_timestamp_is_refused(offset: int) -> None:
    header = signature_header(SECRET, BODY, timestamp=T)
    with pytest.raises(InvalidSignature, match="tolerance"):
        verify_signature(SECRET, header, BODY, now=NOW + timedelta(seconds=offset))


def test_a_signature_with_a_changed_timestamp_is_refused() -> None:
    good = signature_header(SECRET, BODY, timestamp=T)
    replayed = good.replace(f"t={T}", f"t={T + 60}")
    with pytest.raises(InvalidSignature, match="no signature matches"):
        verify_signature(SECRET, replayed, BODY, now=NOW)


@pytest.mark.parametrize(
    "header",
    [None, "", "v1=abc", f"t={T}", "t=abc,v1=00", "x" * 3000, f"t={T},v1=é"],
)
def test_malformed_headers_are_refused(header: str | None) -> None:
    with pytest.raises(InvalidSignature):
        verify_signature(SECRET, header, BODY, now=NOW)


def test_one_matching_signature_among_several_is_enough() -> None:
    good = signature_header(SECRET, BODY, timestamp=T)
    assert verify_signature(SECRET, f"{good},v1=deadbeef", BODY, now=T) == T


def test_every_delivery_header_is_set() -> None:
    headers = delivery_headers(
        secret=SECRET, body=BODY, event_id="evt_1", event_type="order.paid", timestamp=T
    )
    assert headers == {
        "Content-Type": "application/json",
        "User-Agent": "Galerie-Webhooks/1",
        "Galerie-Signature": signature_header(SECRET, BODY, timestamp=T),
        "Galerie-Event-Id": "evt_1",
        "Galerie-Event-Type": "order.paid",
    }


@given(
    secret=st.text(min_size=1, max_size=60),
    body=st.binary(max_size=2000),
    flip=st.integers(min_value=0, max_value=1999),
)
def test_any_body_verifies_and_any_changed_byte_is_refused(
    secret: str, body: bytes, flip: int
) -> None:
    header = signature_header(secret, body, timestamp=T)
    assert verify_signature(secret, header, body, now=T) == T
    if body:
        index = flip % len(body)
        changed = body[:index] + bytes([body[index] ^ 0x01]) + body[index + 1 :]
        with pytest.raises(InvalidSignature):
            verify_signature(secret, header, changed, now=T)
