"""Import tables: jobs (one uploaded file, run as a dry run or applied), their row-numbered
errors, and each shop's mapping from its own category texts to ours."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK

SHOP_FK = "shops.id"
COUNTS = ("total", "processed", "created", "updated", "unchanged", "failed")


class ImportJob(Base):
    """One uploaded file and what became of it. `mode` is dry_run (validate, report, save
    nothing) or apply; `status` goes queued -> running -> done or failed. `total` counts the
    file's products; `processed` how many were handled so far, each ending created, updated,
    unchanged or failed (a dry run counts only failed). `heartbeat_at` is renewed while a
    runner works on the job: a running job whose heartbeat stopped is claimed again."""

    __tablename__ = "import_jobs"

    id: Mapped[IdPK]
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey(SHOP_FK), index=True)
    organisation_id: Mapped[int] = mapped_column(BigId, ForeignKey("seller_organisations.id"))
    created_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    format: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    storage_key: Mapped[str] = mapped_column(String(200))
    file_size: Mapped[int] = mapped_column(BigInteger)
    file_sha256: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    error_code: Mapped[str | None] = mapped_column(String(60))
    error_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_import_jobs_status", "status", "id"),
        CheckConstraint(
            "format IN ('google_tsv', 'google_xml', 'shopify_csv', 'json')", name="format_known"
        ),
        CheckConstraint("mode IN ('dry_run', 'apply')", name="mode_known"),
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status_known"),
        CheckConstraint(
            "processed >= 0 AND processed <= total AND created + updated + unchanged + failed"
            " <= processed",
            name="counts_consistent",
        ),
    )


class ImportRowError(Base):
    """Why one row (or the product starting on it) was not imported; row 0 is the file."""

    __tablename__ = "import_row_errors"

    id: Mapped[IdPK]
    job_id: Mapped[int] = mapped_column(BigId, ForeignKey("import_jobs.id", ondelete="CASCADE"))
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey(SHOP_FK))
    row_number: Mapped[int]
    field: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_import_row_errors_job", "job_id", "row_number"),)


class CategoryMapping(Base):
    """A shop's own category text (a feed's product_type or an unknown path), trimmed and
    lower-cased, mapped to one of our categories."""

    __tablename__ = "category_mappings"

    id: Mapped[IdPK]
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey(SHOP_FK), index=True)
    source_text: Mapped[str] = mapped_column(String(200))
    category_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("categories.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("shop_id", "source_text"),)
