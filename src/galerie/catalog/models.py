"""Catalog tables: the category tree (Google's product taxonomy, keeping Google's ids, and
the categories operators add, numbered from OPERATOR_IDS_FROM up)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from galerie.catalog.taxonomy import OPERATOR_IDS_FROM
from galerie.db import Base

__all__ = ["OPERATOR_IDS_FROM", "Category"]


class Category(Base):
    """One node of the category tree. `id` is Google's product category id (what feeds send
    as `google_product_category`), or for a category an operator added, one allocated from
    OPERATOR_IDS_FROM up (catalog.category_tree).

    `commission_rate_bp` and `requires_qualification` are NULL when the category inherits
    them from its nearest ancestor that sets them (see catalog.queries). `path` is the full
    English path ("A > B > C"), unique; `top_level_id` is the root's id (its own id for a
    root). `tree_edited_at` is set when an operator renamed or moved the category: a taxonomy
    re-import then keeps its name and place. `is_active` is the category's own switch: a
    category is usable only when it and all its ancestors are active."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    parent_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("categories.id"), index=True
    )
    name_en: Mapped[str] = mapped_column(String(200))
    name_zh_cn: Mapped[str | None] = mapped_column(String(200))
    name_fr: Mapped[str | None] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(1000))
    depth: Mapped[int]
    top_level_id: Mapped[int] = mapped_column(BigInteger, index=True)
    commission_rate_bp: Mapped[int | None]
    requires_qualification: Mapped[str | None] = mapped_column(String(60))
    # NULL inherits from the nearest ancestor; True sends new and changed listings to an operator.
    listing_review: Mapped[bool | None] = mapped_column(default=None)
    is_active: Mapped[bool] = mapped_column(default=True)
    tree_edited_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint(
            "commission_rate_bp IS NULL OR (commission_rate_bp >= 0 AND commission_rate_bp <= 10000)",
            name="commission_rate_bp_range",
        ),
        CheckConstraint("depth >= 0", name="depth_not_negative"),
        UniqueConstraint("path"),
    )
