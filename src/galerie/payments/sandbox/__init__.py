"""The sandbox payment provider: a fake of a real provider that ships in src/, used by the
demo and the tests (ARCHITECTURE.md, habit 7). Public surface.

`SandboxProvider` plays the PaymentProvider port on its own `sandbox_` tables; its hosted
payment page (served by galerie.web.sandbox_pay) calls `hosted_session` and
`complete_session`; `SandboxWebhookSender` (run by a worker timer) delivers its signed
webhooks at least once, duplicated and out of order when chaos is configured."""

from galerie.payments.sandbox.delivery import ClaimedEvent, SandboxWebhookSender
from galerie.payments.sandbox.hosted import HostedSession, complete_session, hosted_session
from galerie.payments.sandbox.provider import PAGE_PATH, SandboxProvider
from galerie.payments.sandbox.rules import (
    MAX_ATTEMPTS,
    NAME,
    RETRY_SCHEDULE,
    SESSION_LIFE,
    ChaosSettings,
    HostedAction,
    SessionStatus,
    parse_event,
    retry_delay,
)
from galerie.payments.sandbox.signing import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    TOLERANCE_SECONDS,
    compute_signature,
    signature_header,
    verify_signature,
)

__all__ = [
    "EVENT_ID_HEADER",
    "MAX_ATTEMPTS",
    "NAME",
    "PAGE_PATH",
    "RETRY_SCHEDULE",
    "SESSION_LIFE",
    "SIGNATURE_HEADER",
    "TOLERANCE_SECONDS",
    "ChaosSettings",
    "ClaimedEvent",
    "HostedAction",
    "HostedSession",
    "SandboxProvider",
    "SandboxWebhookSender",
    "SessionStatus",
    "complete_session",
    "compute_signature",
    "hosted_session",
    "parse_event",
    "retry_delay",
    "signature_header",
    "verify_signature",
]
