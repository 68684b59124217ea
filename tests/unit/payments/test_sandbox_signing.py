"""The sandbox's webhook signatures as the payments domain will check them: a good one is
accepted and its body read back; a forged, stale (over 300 s, either way) or malformed
signature, or a body that is not an event, is refused with its own code."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from galerie.kernel import FixedClock, Money
from galerie.payments import ProviderEvent, ProviderEventType, WebhookRejected
from galerie.payments.sandbox import (
    SIGNATURE_HEADER,
    SandboxProvider,
    compute_signature,
    parse_event,
    signature_header,
)
from galerie.payments.sandbox.rules import event_body

SECRET = "whsec-test-0123456789"
NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
T = int(NOW.timestamp())
BODY = event_body(
    event_id="evt_1", event_type=ProviderEventType.PAYMENT_SUCCEEDED, now=NOW,
    data={"object": "payment", "id": "sbpay_1", "reference": "pg-7", "amount": 12345,
          "currency": "CNY", "status": "succeeded"},
).encode()  # fmt: skip


def provider() -> SandboxProvider:
    # verify_webhook touches neither the database nor the clock
    return SandboxProvider(
        None,  # type: ignore[arg-type]
        FixedClock(NOW), webhook_secret=SECRET, page_base_url="http://127.0.0.1:8000",
        webhook_url="http://127.0.0.1:8000/hooks",
    )  # fmt: skip


def headers(value: str) -> dict[str, str]:
    return {"content-type": "application/json", SIGNATURE_HEADER.lower(): value}


def rejected(body: bytes, header: dict[str, str], now: datetime = NOW) -> str:
    with pytest.raises(WebhookRejected) as refused:
        provider().verify_webhook(body, header, now=now)
    return refused.value.code


def test_a_good_signature_gives_the_event() -> None:
    event = provider().verify_webhook(
        BODY, headers(signature_header(SECRET, BODY, timestamp=T)), now=NOW
    )
    assert event == ProviderEvent(
        event_id="evt_1", type=ProviderEventType.PAYMENT_SUCCEEDED, created_at=NOW,
        object_id="sbpay_1", amount=Money(12345, "CNY"), reference="pg-7",
    )  # fmt: skip


def test_header_names_are_case_insensitive_and_any_v1_may_match() -> None:
    good = compute_signature(SECRET, T, BODY)
    value = f"t={T},v1={'0' * 64},v1={good}"
    event = provider().verify_webhook(BODY, {"SANDBOX-SIGNATURE": value}, now=NOW)
    assert event.event_id == "evt_1"


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature_header(SECRET, BODY, timestamp=T) == f"t={T},v1={expected}"


@pytest.mark.parametrize(
    "forged",
    [
        signature_header("another-secret", BODY, timestamp=T),
        signature_header(SECRET, BODY + b" ", timestamp=T),
        f"t={T + 1},v1={compute_signature(SECRET, T, BODY)}",  # the timestamp is signed too
        f"t={T},v1={'a' * 64}",
    ],
)
def test_a_forged_signature_is_refused(forged: str) -> None:
    assert rejected(BODY, headers(forged)) == "bad_signature"


def test_a_tampered_body_is_refused() -> None:
    tampered = BODY.replace(b"12345", b"99999")
    assert (
        rejected(tampered, headers(signature_header(SECRET, BODY, timestamp=T))) == "bad_signature"
    )


@pytest.mark.parametrize("age", [301, -301, 3600])
def test_a_timestamp_more_than_300_seconds_away_is_refused(age: int) -> None:
    header = headers(signature_header(SECRET, BODY, timestamp=T - age))
    assert rejected(BODY, header) == "stale_signature"


@pytest.mark.parametrize("age", [300, -300, 0])
def test_a_timestamp_within_300_seconds_is_accepted(age: int) -> None:
    header = headers(signature_header(SECRET, BODY, timestamp=T - age))
    assert provider().verify_webhook(BODY, header, now=NOW).event_id == "evt_1"


def test_a_stale_timestamp_is_refused_even_with_a_valid_signature_later() -> None:
    header = headers(signature_header(SECRET, BODY, timestamp=T))
    assert rejected(BODY, header, now=NOW + timedelta(seconds=301)) == "stale_signature"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "garbage",
        f"t={T}",
        f"v1={'a' * 64}",
        f"t=abc,v1={'a' * 64}",
        f"t=-5,v1={'a' * 64}",
        f"t=１２３,v1={'a' * 64}",  # full-width digits are not a timestamp
        f"t={T},v1=",
        f"t={T},v1={'a' * 2000}",
    ],
)
def test_a_malformed_header_is_refused(value: str) -> None:
    assert rejected(BODY, headers(value)) == "malformed_signature"


def test_a_missing_header_is_refused() -> None:
    assert rejected(BODY, {"content-type": "application/json"}) == "malformed_signature"


def _signed(body: bytes) -> dict[str, str]:
    return headers(signature_header(SECRET, body, timestamp=T))


@pytest.mark.parametrize(
    "envelope",
    [
        "not json",
        {"id": "evt_2", "type": "payment.exploded", "created": T, "data": {}},
        {"id": "evt_2", "type": "payment.succeeded", "created": T,
         "data": {"id": "sbpay_1", "amount": 10.5, "currency": "CNY"}},
        {"id": "evt_2", "type": "payment.succeeded", "created": T,
         "data": {"id": "sbpay_1", "amount": 10, "currency": "XXX"}},
        {"id": "evt_2", "type": "payment.succeeded", "created": "yesterday",
         "data": {"id": "sbpay_1", "amount": 10, "currency": "CNY"}},
        {"id": "", "type": "payment.succeeded", "created": T,
         "data": {"id": "sbpay_1", "amount": 10, "currency": "CNY"}},
        {"id": "evt_2", "type": "refund.succeeded", "created": T,
         "data": {"amount": 10, "currency": "CNY"}},
        {"id": "evt_2", "type": "refund.succeeded", "created": T, "data": []},
    ],
)  # fmt: skip
def test_a_signed_body_that_is_not_an_event_is_refused(envelope: object) -> None:
    body = envelope.encode() if isinstance(envelope, str) else json.dumps(envelope).encode()
    assert rejected(body, _signed(body)) == "malformed_event"


def test_refund_and_payout_events_read_back() -> None:
    refund = event_body(
        event_id="evt_r", event_type=ProviderEventType.REFUND_SUCCEEDED, now=NOW,
        data={"object": "refund", "id": "sbre_1", "payment": "sbpay_1", "reference": "pg-7",
              "amount": 500, "currency": "JPY"},
    ).encode()  # fmt: skip
    payout = event_body(
        event_id="evt_p", event_type=ProviderEventType.PAYOUT_PAID, now=NOW,
        data={"object": "payout", "id": "sbpo_1", "destination": "shop-3", "amount": 9,
              "currency": "EUR"},
    ).encode()  # fmt: skip
    assert parse_event(refund) == ProviderEvent(
        "evt_r", ProviderEventType.REFUND_SUCCEEDED, NOW, "sbre_1", Money(500, "JPY"),
        reference="pg-7", payment_id="sbpay_1",
    )  # fmt: skip
    assert parse_event(payout) == ProviderEvent(
        "evt_p", ProviderEventType.PAYOUT_PAID, NOW, "sbpo_1", Money(9, "EUR"),
        destination="shop-3",
    )  # fmt: skip
