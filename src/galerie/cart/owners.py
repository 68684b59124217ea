"""Who a cart belongs to: a signed-in shopper (by user id) or a guest (by the SHA-256 of the
random token in the guest's cookie; the token itself is never stored)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.kernel import ValidationFailed, new_token, token_digest

MAX_GUEST_TOKEN = 100


@dataclass(frozen=True, slots=True)
class CartOwner:
    user_id: int | None = None
    guest_token: str | None = None

    def __post_init__(self) -> None:
        if (self.user_id is None) == (self.guest_token is None):
            raise ValueError("a cart belongs to a user or to a guest token")
        token = self.guest_token
        if token is not None and not 20 <= len(token) <= MAX_GUEST_TOKEN:
            raise ValidationFailed("Not a cart token.", code="bad_cart_token")

    @classmethod
    def user(cls, user_id: int) -> CartOwner:
        return cls(user_id=user_id)

    @classmethod
    def guest(cls, token: str) -> CartOwner:
        return cls(guest_token=token)

    @property
    def column(self) -> str:
        """The carts column naming the owner (a fixed identifier for hand-written SQL)."""
        return "user_id" if self.user_id is not None else "guest_digest"

    @property
    def key(self) -> Any:
        return self.user_id if self.user_id is not None else token_digest(str(self.guest_token))


def new_guest_token() -> str:
    return new_token(24)


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """INSERT with ON CONFLICT for the session's database (both support it)."""
    name = session.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(table)
