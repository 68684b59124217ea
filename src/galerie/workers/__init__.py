"""Background work: the outbox dispatcher, timers and settlement runs. Public surface."""

from galerie.kernel import Clock
from galerie.notifications import (
    INVITATION_EVENT,
    SELLER_MAIL_EVENTS,
    WELCOME_EVENT,
    Mailer,
    invitation_mail_handler,
    seller_mail_handler,
    welcome_handler,
)
from galerie.orders import OrderStatusChanged
from galerie.payments import (
    cancellation_refund_handler,
    refunds_cancellation,
    release_handler,
    releases_escrow,
)
from galerie.search import SEARCH_HANDLERS
from galerie.webhooks import relay_handlers
from galerie.workers.outbox import (
    DEAD_AT,
    Accepts,
    ClaimedEvent,
    EventHandler,
    HandlerFunc,
    OutboxDispatcher,
    handler_registry,
    retry_delay,
)


def build_handlers(
    *, mailer: Mailer, secret_key: str, base_url: str, clock: Clock | None = None
) -> dict[str, tuple[EventHandler, ...]]:
    """Every outbox handler of the application, by event name (the composition root's call).
    `secret_key` derives invitation links (the same key the app signs them with) and
    `base_url` is where those links point. With a `clock`, escrow is released on receipt
    (payments.release_handler), a paid order cancelled is refunded in full
    (payments.cancellation_refund_handler) and the events named in
    galerie.webhooks.ORDER_WEBHOOK_EVENTS that exist are relayed to seller webhooks.

    Handler names are recorded per delivery: renaming one makes it apply old events again."""
    seller_mail = seller_mail_handler(mailer)
    return handler_registry(
        [
            EventHandler(
                name="notifications.welcome_mail",
                event_name=WELCOME_EVENT,
                func=welcome_handler(mailer),
            ),
            EventHandler(
                name="notifications.invitation_mail",
                event_name=INVITATION_EVENT,
                func=invitation_mail_handler(mailer, secret_key=secret_key, base_url=base_url),
            ),
            *(
                EventHandler(
                    name=f"notifications.seller_mail.{event_name}",
                    event_name=event_name,
                    func=seller_mail,
                )
                for event_name in SELLER_MAIL_EVENTS
            ),
            *(
                EventHandler(name=name, event_name=event_name, func=func)
                for event_name, (name, func) in SEARCH_HANDLERS.items()
            ),
            *(
                EventHandler(name=name, event_name=event_name, func=func, accepts=accepts)
                for event_name, (name, func, accepts) in (
                    relay_handlers(clock) if clock is not None else {}
                ).items()
            ),
            *(
                [
                    EventHandler(
                        name="payments.release_escrow",
                        event_name=OrderStatusChanged.name,
                        func=release_handler(clock),
                        accepts=releases_escrow,
                    ),
                    # refunds: a paid order cancelled is refunded in full (payments.refund_handlers)
                    EventHandler(
                        name="payments.refund_cancelled",
                        event_name=OrderStatusChanged.name,
                        func=cancellation_refund_handler(clock),
                        accepts=refunds_cancellation,
                    ),
                ]
                if clock is not None
                else []
            ),
        ]
    )


__all__ = [
    "DEAD_AT",
    "Accepts",
    "ClaimedEvent",
    "EventHandler",
    "HandlerFunc",
    "OutboxDispatcher",
    "build_handlers",
    "handler_registry",
    "retry_delay",
]
