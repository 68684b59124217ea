"""Webhook rules, pure: the event types, what an endpoint URL may be, the retry schedule."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from datetime import timedelta
from typing import Final
from urllib.parse import urlsplit

from galerie.kernel import ValidationFailed

ORDER_EVENT_TYPES: Final = (
    "order.placed",
    "order.paid",
    "order.shipped",
    "order.completed",
    "order.closed",
    "order.cancelled",
)
TEST_EVENT_TYPE: Final = "webhook.test"
EVENT_TYPES: Final = (*ORDER_EVENT_TYPES, TEST_EVENT_TYPE)
MAX_ENDPOINTS: Final = 10  # per organisation
MAX_URL_LENGTH: Final = 500
MAX_EVENT_ID_LENGTH: Final = 100
# Delay after the n-th failed attempt (n = 1..7); the 8th failure is final.
RETRY_SCHEDULE: Final = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(hours=24),
)
MAX_ATTEMPTS: Final = len(RETRY_SCHEDULE) + 1
LOCAL_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "::1"})


def retry_delay(attempts: int) -> timedelta | None:
    """When to try again after the `attempts`-th failed attempt; None: give up."""
    if attempts < 1:
        raise ValueError("attempts start at 1")
    if attempts > len(RETRY_SCHEDULE):
        return None
    return RETRY_SCHEDULE[attempts - 1]


def clean_event_types(values: Iterable[str]) -> list[str]:
    """The subscribed types in the canonical order; at least one, all known."""
    chosen = {value.strip() for value in values}
    unknown = chosen - set(EVENT_TYPES)
    if unknown:
        raise ValidationFailed(
            f"Unknown event types: {', '.join(sorted(unknown))}.",
            code="unknown_event_type",
            field="event_types",
        )
    if not chosen:
        raise ValidationFailed(
            "Choose at least one event type.", code="event_types_required", field="event_types"
        )
    return [t for t in EVENT_TYPES if t in chosen]


def _bad_url(message: str) -> ValidationFailed:
    return ValidationFailed(message, code="bad_webhook_url", field="url")


def clean_url(value: str, *, allow_local_http: bool) -> str:
    """An absolute https URL of a public host; outside production (`allow_local_http`) also
    http on this machine (localhost, 127.0.0.1, ::1), for trying a receiver locally."""
    url = value.strip()
    if not url or len(url) > MAX_URL_LENGTH or any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise _bad_url("Enter a URL of at most 500 characters, without spaces.")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise _bad_url("This is not a valid URL.") from exc
    if not host or parts.username or parts.password or parts.fragment:
        raise _bad_url("Use an absolute URL with a host, without credentials or fragment.")
    local = host in LOCAL_HOSTS
    if parts.scheme == "http" and local and allow_local_http:
        return url
    if parts.scheme != "https":
        raise _bad_url("Use an https:// URL.")
    if _private_host(host) and not (local and allow_local_http):
        raise _bad_url("Use the address of a public server.")
    return url


def _private_host(host: str) -> bool:
    if host in LOCAL_HOSTS or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def clean_event_id(value: str) -> str:
    event_id = value.strip()
    if not event_id or len(event_id) > MAX_EVENT_ID_LENGTH:
        raise ValidationFailed("An event id has 1 to 100 characters.", code="bad_event_id")
    return event_id


def check_event_type(value: str) -> str:
    if value not in EVENT_TYPES:
        raise ValidationFailed(f"Unknown event type {value!r}.", code="unknown_event_type")
    return value
