"""imports: jobs, row errors, category mappings

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 17:53:17.156645
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import galerie.db.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "category_mappings",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("shop_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("source_text", sa.String(length=200), nullable=False),
        sa.Column("category_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_category_mappings_category_id_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_category_mappings_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category_mappings")),
        sa.UniqueConstraint(
            "shop_id", "source_text", name=op.f("uq_category_mappings_shop_id_source_text")
        ),
    )
    with op.batch_alter_table("category_mappings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_category_mappings_shop_id"), ["shop_id"], unique=False)

    op.create_table(
        "import_jobs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("shop_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "organisation_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "created_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.String(length=60), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("created_at", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", galerie.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", galerie.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", galerie.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "format IN ('google_tsv', 'google_xml', 'shopify_csv', 'json')",
            name=op.f("ck_import_jobs_format_known"),
        ),
        sa.CheckConstraint("mode IN ('dry_run', 'apply')", name=op.f("ck_import_jobs_mode_known")),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')",
            name=op.f("ck_import_jobs_status_known"),
        ),
        sa.CheckConstraint(
            "processed >= 0 AND processed <= total AND created + updated + unchanged + failed <= processed",
            name=op.f("ck_import_jobs_counts_consistent"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_import_jobs_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["seller_organisations.id"],
            name=op.f("fk_import_jobs_organisation_id_seller_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_import_jobs_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_jobs_shop_id"), ["shop_id"], unique=False)
        batch_op.create_index("ix_import_jobs_status", ["status", "id"], unique=False)

    op.create_table(
        "import_row_errors",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("job_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("shop_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["import_jobs.id"],
            name=op.f("fk_import_row_errors_job_id_import_jobs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_import_row_errors_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_row_errors")),
    )
    with op.batch_alter_table("import_row_errors", schema=None) as batch_op:
        batch_op.create_index("ix_import_row_errors_job", ["job_id", "row_number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_row_errors", schema=None) as batch_op:
        batch_op.drop_index("ix_import_row_errors_job")

    op.drop_table("import_row_errors")
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_import_jobs_status")
        batch_op.drop_index(batch_op.f("ix_import_jobs_shop_id"))

    op.drop_table("import_jobs")
    with op.batch_alter_table("category_mappings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_category_mappings_shop_id"))

    op.drop_table("category_mappings")
