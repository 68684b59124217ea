"""The sandbox provider's rules, pure: the hosted page's machine as data, ids, the retry
schedule of its webhooks, the JSON it sends and how that JSON is read back."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Final, Protocol

from galerie.kernel import Money, ValidationFailed
from galerie.payments.errors import WebhookRejected
from galerie.payments.port import ProviderEvent, ProviderEventType

NAME: Final = "sandbox"
SESSION_LIFE: Final = timedelta(hours=24)
MAX_TEXT: Final = 100  # references, destinations, idempotency keys
MAX_URL: Final = 500
# Delay after the n-th failed delivery (n = 1..7); the 8th failure is final (about 4 hours).
RETRY_SCHEDULE: Final = (
    timedelta(seconds=10),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
)
MAX_ATTEMPTS: Final = len(RETRY_SCHEDULE) + 1


class SessionStatus(StrEnum):
    OPEN = "open"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    ABANDONED = "abandoned"


class HostedAction(StrEnum):
    """The hosted page's three buttons."""

    PAY = "pay"
    FAIL = "fail"
    ABANDON = "abandon"


OUTCOMES: Final[Mapping[HostedAction, SessionStatus]] = {
    HostedAction.PAY: SessionStatus.SUCCEEDED,
    HostedAction.FAIL: SessionStatus.FAILED,
    HostedAction.ABANDON: SessionStatus.ABANDONED,
}
# status -> the statuses it may move to; every outcome is final.
TRANSITIONS: Final[Mapping[SessionStatus, frozenset[SessionStatus]]] = {
    SessionStatus.OPEN: frozenset(OUTCOMES.values()),
}
# The webhook each outcome sends (an abandoned page sends none: the shopper just left).
OUTCOME_EVENTS: Final[Mapping[SessionStatus, ProviderEventType]] = {
    SessionStatus.SUCCEEDED: ProviderEventType.PAYMENT_SUCCEEDED,
    SessionStatus.FAILED: ProviderEventType.PAYMENT_FAILED,
}


def sources_of(target: SessionStatus) -> list[str]:
    """The statuses from which `target` may be reached (the conditional UPDATE's WHERE)."""
    return [source.value for source, targets in TRANSITIONS.items() if target in targets]


class ChaosSettings(Protocol):
    """How badly the sandbox delivers its webhooks (galerie.config.SandboxChaos): the
    probability that a delivered event is delivered again later (`duplicate`), that an
    event is held back up to `max_delay_seconds` so later ones overtake it (`reorder`;
    batches are then also sent in shuffled order), and the seed of the random draws."""

    @property
    def duplicate(self) -> float: ...
    @property
    def reorder(self) -> float: ...
    @property
    def max_delay_seconds(self) -> int: ...
    @property
    def seed(self) -> int | None: ...


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def retry_delay(attempts: int) -> timedelta | None:
    """When to try again after the `attempts`-th failed delivery; None: give up."""
    if attempts < 1:
        raise ValueError("attempts start at 1")
    return RETRY_SCHEDULE[attempts - 1] if attempts <= len(RETRY_SCHEDULE) else None


def clean_text(value: str, field: str) -> str:
    text = value.strip()
    if not text or len(text) > MAX_TEXT or any(ord(c) < 32 for c in text):
        raise ValidationFailed(f"{field} has 1 to {MAX_TEXT} characters.", code="bad_" + field)
    return text


def clean_url(value: str, field: str) -> str:
    url = value.strip()
    if not url.startswith(("https://", "http://", "/")) or len(url) > MAX_URL:
        raise ValidationFailed(f"{field} must be an http(s) URL or a path.", code="bad_" + field)
    return url


def event_body(
    *, event_id: str, event_type: ProviderEventType, now: datetime, data: dict[str, Any]
) -> str:
    """The JSON text sent (and signed) for an event: compact, keys sorted."""
    envelope = {
        "id": event_id,
        "type": event_type.value,
        "created": int(now.timestamp()),
        "data": data,
    }
    return json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _text(data: Mapping[str, Any], key: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > MAX_TEXT:
        raise WebhookRejected(f"the event has no valid {key!r}", code="malformed_event")
    return value


def parse_event(body: bytes) -> ProviderEvent:
    """Read a verified body back into a ProviderEvent; WebhookRejected (malformed_event)
    when it is not one of the sandbox's events."""
    try:
        envelope = json.loads(body)
        data = envelope["data"]
        event_type = ProviderEventType(envelope["type"])
        created = envelope["created"]
        amount = data["amount"]
        if type(created) is not int or type(amount) is not int or not isinstance(data, dict):
            raise TypeError("created and amount are integers")
        money = Money(amount, data["currency"])
        created_at = datetime.fromtimestamp(created, UTC)
    except (ValueError, KeyError, TypeError, OverflowError, ValidationFailed) as exc:
        raise WebhookRejected("the body is not a sandbox event", code="malformed_event") from exc
    return ProviderEvent(
        event_id=_text(envelope, "id") or "",
        type=event_type,
        created_at=created_at,
        object_id=_text(data, "id") or "",
        amount=money,
        reference=_text(data, "reference", required=False),
        payment_id=_text(data, "payment", required=False),
        destination=_text(data, "destination", required=False),
    )
