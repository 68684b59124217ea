"""The sandbox's webhook signatures, Stripe's scheme:
`Sandbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.

The sender signs each attempt with its own timestamp; the receiver recomputes the HMAC over
the raw bytes it received, compares in constant time, and refuses a timestamp more than
300 seconds from its clock (a replay). Each refusal has its own code."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Final

from galerie.payments.errors import WebhookRejected

SIGNATURE_HEADER: Final = "Sandbox-Signature"
EVENT_ID_HEADER: Final = "Sandbox-Event-Id"
USER_AGENT: Final = "Galerie-Sandbox-Provider/1"
TOLERANCE_SECONDS: Final = 300
MAX_HEADER_LENGTH: Final = 1000


def compute_signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, *, timestamp: int) -> str:
    return f"t={timestamp},v1={compute_signature(secret, timestamp, body)}"


def delivery_headers(*, secret: str, body: bytes, event_id: str, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(secret, body, timestamp=timestamp),
        EVENT_ID_HEADER: event_id,
    }


def header_of(headers: Mapping[str, str], name: str) -> str | None:
    """A header whatever the case of its name (HTTP header names are case-insensitive)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def _parse(header: str | None) -> tuple[int, list[str]]:
    if not header or len(header) > MAX_HEADER_LENGTH:
        raise WebhookRejected("missing or oversized signature header", code="malformed_signature")
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isascii() and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value.strip())
    if timestamp is None or not signatures:
        raise WebhookRejected(
            "the signature header needs t=<timestamp> and v1=<signature>",
            code="malformed_signature",
        )
    return timestamp, signatures


def verify_signature(secret: str, header: str | None, body: bytes, *, now: datetime) -> int:
    """Check a `Sandbox-Signature` header against the raw `body`; returns its timestamp."""
    timestamp, signatures = _parse(header)
    if abs(now.timestamp() - timestamp) > TOLERANCE_SECONDS:
        raise WebhookRejected(
            "the signature's timestamp is more than 300 seconds away", code="stale_signature"
        )
    expected = compute_signature(secret, timestamp, body).encode("ascii")
    matched = False
    for candidate in signatures:
        matched |= hmac.compare_digest(expected, candidate.encode("utf-8"))
    if not matched:
        raise WebhookRejected("no signature matches", code="bad_signature")
    return timestamp
