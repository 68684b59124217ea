"""Identity tables: users, operator roles, seller organisations and their members, API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK


class User(Base):
    __tablename__ = "users"

    id: Mapped[IdPK]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(200))
    preferred_language: Mapped[str] = mapped_column(String(8))
    is_active: Mapped[bool] = mapped_column(default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    # The last 30-second TOTP time step accepted, so one code cannot be used twice.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class OperatorRoleGrant(Base):
    __tablename__ = "operator_role_grants"

    user_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    granted_at: Mapped[datetime]
    granted_by: Mapped[int | None] = mapped_column(BigInteger)


class SellerOrganisation(Base):
    __tablename__ = "seller_organisations"

    id: Mapped[IdPK]
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]


class SellerMembership(Base):
    __tablename__ = "seller_memberships"

    id: Mapped[IdPK]
    organisation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("seller_organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    # For an agency operator: the brand it acts for (free text until the brands registry lands).
    acting_for_brand: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)


class ApiToken(Base):
    """A personal API token. Only its SHA-256 digest is stored; `prefix` helps people tell
    tokens apart. `audience` and `organisation_id` scope it; `permissions` narrows it to a
    subset of what the user's role allows at the time of each request."""

    __tablename__ = "api_tokens"

    id: Mapped[IdPK]
    user_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    audience: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("seller_organisations.id", ondelete="CASCADE")
    )
    permissions: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class SellerInvitation(Base):
    """An invitation to join a seller organisation, sent by e-mail. Only the SHA-256 digest
    of its token is stored; it is used at most once (`accepted_at`), expires, and can be
    revoked."""

    __tablename__ = "seller_invitations"

    id: Mapped[IdPK]
    organisation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("seller_organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    acting_for_brand: Mapped[str | None] = mapped_column(String(120))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]
