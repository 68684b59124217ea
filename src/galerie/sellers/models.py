"""Sellers tables: brands and their authorisation chain, applications with their documents,
findings and history, and shops with their categories, brands and history.

Every seller-owned row carries `organisation_id` (and `shop_id` once the shop exists), so the
schema can be distributed by tenant. Categories (catalog) are referred to by id only. The two
history tables are append-only in the database itself (triggers in migration 0003)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    literal_column,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column

from galerie.db import Base, BigId, IdPK
from galerie.ledger import AccountKind, natural_balance_column

ORGANISATION_FK = "seller_organisations.id"


def _org_fk(*, nullable: bool = False) -> Any:
    return mapped_column(BigId, ForeignKey(ORGANISATION_FK), index=True, nullable=nullable)


class Brand(Base):
    __tablename__ = "brands"

    id: Mapped[IdPK]
    name: Mapped[str] = mapped_column(String(120), unique=True)
    owner_organisation_id: Mapped[int | None] = _org_fk(nullable=True)
    created_at: Mapped[datetime]


class Trademark(Base):
    """A registered ("R") or filed ("TM") mark of a brand."""

    __tablename__ = "trademarks"

    id: Mapped[IdPK]
    brand_id: Mapped[int] = mapped_column(BigId, ForeignKey("brands.id"), index=True)
    number: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(2))
    owner_name: Mapped[str] = mapped_column(String(200))
    filed_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    country: Mapped[str] = mapped_column(String(2))

    __table_args__ = (UniqueConstraint("country", "number"),)


class BrandAuthorisation(Base):
    """A licence to sell a brand: from its owner (licensor_organisation_id NULL or the owner)
    to `organisation_id` (the licensee); at most one level of sub-licensing (a parent)."""

    __tablename__ = "brand_authorisations"

    id: Mapped[IdPK]
    brand_id: Mapped[int] = mapped_column(BigId, ForeignKey("brands.id"), index=True)
    licensor_organisation_id: Mapped[int | None] = mapped_column(BigId, ForeignKey(ORGANISATION_FK))
    organisation_id: Mapped[int] = _org_fk()
    exclusive: Mapped[bool]
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    parent_authorisation_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("brand_authorisations.id")
    )
    created_at: Mapped[datetime]


class SellerApplication(Base):
    __tablename__ = "seller_applications"

    id: Mapped[IdPK]
    organisation_id: Mapped[int] = _org_fk()
    # "opening" opens a new shop; "extension" adds categories or brands to `shop_id`.
    kind: Mapped[str] = mapped_column(String(20), default="opening", server_default="opening")
    shop_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("shops.id", use_alter=True), index=True
    )
    applicant_kind: Mapped[str] = mapped_column(String(20))
    legal_name: Mapped[str] = mapped_column(String(200))
    registration_number: Mapped[str] = mapped_column(String(60), index=True)
    country: Mapped[str] = mapped_column(String(2))
    address: Mapped[str] = mapped_column(Text)
    legal_representative: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(40))
    bank_account_holder: Mapped[str] = mapped_column(String(200))
    bank_account_number: Mapped[str] = mapped_column(String(40))
    shop_type: Mapped[str] = mapped_column(String(20))
    category_ids: Mapped[list[int]] = mapped_column(JSON)
    brand_ids: Mapped[list[int]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))
    submissions: Mapped[int] = mapped_column(Integer, default=0)
    submitted_at: Mapped[datetime | None]
    assigned_reviewer_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (Index("ix_seller_applications_queue", "status", "submitted_at"),)


class ApplicationDocument(Base):
    __tablename__ = "application_documents"

    id: Mapped[IdPK]
    application_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("seller_applications.id"), index=True
    )
    organisation_id: Mapped[int] = _org_fk()
    kind: Mapped[str] = mapped_column(String(40))
    qualification: Mapped[str | None] = mapped_column(String(60))
    brand_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("brands.id"))
    filename: Mapped[str] = mapped_column(String(200))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    content_type: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    valid_until: Mapped[date | None] = mapped_column(Date)
    uploaded_at: Mapped[datetime]


class ApplicationFinding(Base):
    """A result of the automatic checks of one submission (`submission` = its number)."""

    __tablename__ = "application_findings"

    id: Mapped[IdPK]
    application_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("seller_applications.id"), index=True
    )
    organisation_id: Mapped[int] = _org_fk()
    submission: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class ApplicationHistory(Base):
    """Append-only: one row per transition of an application."""

    __tablename__ = "application_history"

    id: Mapped[IdPK]
    application_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("seller_applications.id"), index=True
    )
    organisation_id: Mapped[int] = _org_fk()
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(30))
    actor_user_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


class Shop(Base):
    __tablename__ = "shops"

    id: Mapped[IdPK]
    organisation_id: Mapped[int] = _org_fk()
    application_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("seller_applications.id"), unique=True
    )
    shop_type: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    descriptions: Mapped[dict[str, str]] = mapped_column(JSON)
    navigation: Mapped[list[Any]] = mapped_column(JSON)
    logo_key: Mapped[str | None] = mapped_column(String(200))
    banner_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), index=True)
    deposit_required_minor: Mapped[int] = mapped_column(BigInteger)
    deposit_currency: Mapped[str] = mapped_column(String(3))
    # derived, never stored: the natural balance of the shop's deposits held account in
    # the deposit currency (galerie.deposits moves it; migration 0023 dropped the flag)
    deposit_held_minor: Mapped[int] = column_property(
        natural_balance_column(
            AccountKind.DEPOSITS_HELD,
            literal_column("shops.id"),
            literal_column("shops.deposit_currency"),
        )
    )
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ShopCategory(Base):
    """A top-level category the shop is approved for, with its annual fee."""

    __tablename__ = "shop_categories"

    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"), primary_key=True)
    category_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    annual_fee_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class ShopBrand(Base):
    __tablename__ = "shop_brands"

    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"), primary_key=True)
    brand_id: Mapped[int] = mapped_column(BigId, ForeignKey("brands.id"), primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    authorisation_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("brand_authorisations.id")
    )


class ShopQualification(Base):
    """A category qualification the shop supplied when it was approved."""

    __tablename__ = "shop_qualifications"

    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"), primary_key=True)
    qualification: Mapped[str] = mapped_column(String(60), primary_key=True)
    organisation_id: Mapped[int] = _org_fk()


class ShopHistory(Base):
    """Append-only: one row per transition of a shop."""

    __tablename__ = "shop_history"

    id: Mapped[IdPK]
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"), index=True)
    organisation_id: Mapped[int] = _org_fk()
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(30))
    actor_user_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


class ShopFollow(Base):
    """A shopper following a shop: one row per (user, shop), unique by its primary key."""

    __tablename__ = "shop_follows"

    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("shops.id"), primary_key=True, index=True
    )
    created_at: Mapped[datetime]


class DocumentDeadlineNotice(Base):
    """A deadline announced for a live shop's document: one row per (document, threshold,
    expiry date), so the periodic scan notifies each deadline once however often it runs."""

    __tablename__ = "document_deadline_notices"

    id: Mapped[IdPK]
    document_id: Mapped[int] = mapped_column(BigId, ForeignKey("application_documents.id"))
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"), index=True)
    organisation_id: Mapped[int] = _org_fk()
    threshold: Mapped[str] = mapped_column(String(20))
    valid_until: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("document_id", "threshold", "valid_until"),)
