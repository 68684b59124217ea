"""Domain events: facts in the past tense, serialisable, written to the outbox.

Each event type is a frozen msgspec Struct registered under its class name, so the outbox
can store it as JSON and the dispatcher can turn it back into the same type.
"""

from __future__ import annotations

from typing import Any, ClassVar

import msgspec

_REGISTRY: dict[str, type[DomainEvent]] = {}


class DomainEvent(msgspec.Struct, frozen=True, kw_only=True):
    """Base for events. Subclasses are registered by name when they are defined."""

    name: ClassVar[str] = "DomainEvent"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.name = cls.__name__
        if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
            raise TypeError(f"two domain events are named {cls.name}")
        _REGISTRY[cls.name] = cls

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = msgspec.to_builtins(self)
        return data


def event_types() -> dict[str, type[DomainEvent]]:
    return dict(_REGISTRY)


def event_from_payload(name: str, payload: dict[str, Any]) -> DomainEvent:
    try:
        cls = _REGISTRY[name]
    except KeyError as exc:
        raise LookupError(f"unknown event type {name!r}") from exc
    return msgspec.convert(payload, cls)
