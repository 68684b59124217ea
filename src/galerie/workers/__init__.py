"""Background work: the outbox dispatcher, timers and settlement runs. Public surface."""

from galerie.notifications import WELCOME_EVENT, Mailer, welcome_handler
from galerie.workers.outbox import (
    DEAD_AT,
    ClaimedEvent,
    EventHandler,
    HandlerFunc,
    OutboxDispatcher,
    handler_registry,
    retry_delay,
)


def build_handlers(*, mailer: Mailer) -> dict[str, tuple[EventHandler, ...]]:
    """Every outbox handler of the application, by event name (the composition root's call).

    Handler names are recorded per delivery: renaming one makes it apply old events again."""
    return handler_registry(
        [
            EventHandler(
                name="notifications.welcome_mail",
                event_name=WELCOME_EVENT,
                func=welcome_handler(mailer),
            ),
        ]
    )


__all__ = [
    "DEAD_AT",
    "ClaimedEvent",
    "EventHandler",
    "HandlerFunc",
    "OutboxDispatcher",
    "build_handlers",
    "handler_registry",
    "retry_delay",
]
