"""Signing webhook deliveries (Stripe's scheme) and checking a signature, as a seller would.

`Galerie-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. The
receiver recomputes the HMAC over the raw bytes it received, compares in constant time and
refuses a timestamp further than `tolerance` seconds from its clock (a replayed request)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

SIGNATURE_HEADER: Final = "Galerie-Signature"
EVENT_ID_HEADER: Final = "Galerie-Event-Id"
EVENT_TYPE_HEADER: Final = "Galerie-Event-Type"
USER_AGENT: Final = "Galerie-Webhooks/1"
DEFAULT_TOLERANCE: Final = 300  # seconds
MAX_HEADER_LENGTH: Final = 2000


class InvalidSignature(ValueError):
    """The signature header is missing, malformed, stale, or matches no signature."""


def compute_signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, *, timestamp: int) -> str:
    return f"t={timestamp},v1={compute_signature(secret, timestamp, body)}"


def delivery_headers(
    *, secret: str, body: bytes, event_id: str, event_type: str, timestamp: int
) -> dict[str, str]:
    """Every header of a delivery; the signature covers this attempt's timestamp."""
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(secret, body, timestamp=timestamp),
        EVENT_ID_HEADER: event_id,
        EVENT_TYPE_HEADER: event_type,
    }


def encode_payload(envelope: Mapping[str, Any]) -> str:
    """The JSON text that is stored, signed and sent: compact, keys sorted, UTF-8."""
    return json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _unix(now: datetime | float) -> float:
    return now.timestamp() if isinstance(now, datetime) else float(now)


def _parse(header: str) -> tuple[int, list[str]]:
    if not header or len(header) > MAX_HEADER_LENGTH:
        raise InvalidSignature("missing or oversized signature header")
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value.strip())
    if timestamp is None or not signatures:
        raise InvalidSignature("the header needs t=<timestamp> and at least one v1=<signature>")
    return timestamp, signatures


def verify_signature(
    secret: str,
    header: str | None,
    body: bytes,
    *,
    now: datetime | float,
    tolerance: int = DEFAULT_TOLERANCE,
) -> int:
    """Check a `Galerie-Signature` header against the raw `body`; returns its timestamp.

    Raises InvalidSignature when the header is malformed, its timestamp is more than
    `tolerance` seconds away from `now`, or no v1 signature matches (compared in constant
    time). `secret` is the endpoint's signing secret shown in the seller centre."""
    timestamp, signatures = _parse(header or "")
    if abs(_unix(now) - timestamp) > tolerance:
        raise InvalidSignature("the timestamp is outside the tolerance")
    expected = compute_signature(secret, timestamp, body)
    matched = False
    for candidate in signatures:
        matched |= hmac.compare_digest(expected.encode(), candidate.encode("utf-8"))
    if not matched:
        raise InvalidSignature("no signature matches")
    return timestamp
