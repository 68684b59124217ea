"""Search tables: one denormalised document per product shown to shoppers, the category
ancestors of each (for the category filter and the category-tree facet) and the vocabulary
of indexed Latin-script terms (for typo suggestions).

A document exists only for a live product of a live shop: removing a product from search
is deleting its document. `terms` is the normalised, segmented text of every language of
the product (galerie.search.text): SQLite's FTS5 table `search_fts` (raw DDL in migration
0009, external content over this table, kept in step by triggers) indexes it; on
PostgreSQL `lexemes` holds the same terms as a tsvector with a GIN index. Products,
shops, brands and categories are referred to by id (no foreign keys: the index is a
derived copy, rebuilt by `rebuild_index`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId

Lexemes = Text().with_variant(TSVECTOR(), "postgresql")


class SearchDocument(Base):
    __tablename__ = "search_documents"

    # BigId: on SQLite the key is the rowid itself, so a lookup is one B-tree search
    product_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    shop_id: Mapped[int] = mapped_column(BigInteger, index=True)
    shop_type: Mapped[str] = mapped_column(String(20))
    shop_name: Mapped[str] = mapped_column(String(120))
    category_id: Mapped[int] = mapped_column(BigInteger)
    brand_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    default_language: Mapped[str] = mapped_column(String(5))
    title_zh_cn: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    title_fr: Mapped[str | None] = mapped_column(String(300))
    currency: Mapped[str] = mapped_column(String(3))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    # average rating x 100 (4.25 stars = 425), 0 when the product has no rating
    rating_x100: Mapped[int] = mapped_column(Integer)
    rating_count: Mapped[int] = mapped_column(Integer)
    sales_count: Mapped[int] = mapped_column(BigInteger)
    listed_at: Mapped[datetime]
    in_stock: Mapped[bool]
    image_key: Mapped[str | None] = mapped_column(String(200))
    image_url: Mapped[str | None] = mapped_column(String(2000))
    terms: Mapped[str] = mapped_column(Text)
    lexemes: Mapped[str | None] = mapped_column(Lexemes)

    __table_args__ = (
        Index("ix_search_documents_sales", "sales_count", "product_id"),
        Index("ix_search_documents_listed", "listed_at", "product_id"),
        Index("ix_search_documents_price", "price_minor", "product_id"),
        # A GIN index on PostgreSQL; on SQLite `lexemes` stays NULL and FTS5 does the work,
        # so the partial index there holds no rows.
        Index(
            "ix_search_documents_lexemes",
            "lexemes",
            postgresql_using="gin",
            sqlite_where=text("lexemes IS NOT NULL"),
        ),
    )


class SearchCategory(Base):
    """One row per category on the path of a document's category, itself included, with that
    category's parent (NULL for a top-level one): a category filter takes the descendants
    through `category_id`, the tree facet counts the children of one category through
    `parent_id`."""

    __tablename__ = "search_categories"

    category_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    product_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, index=True)
    parent_id: Mapped[int | None] = mapped_column(BigInteger)

    # Clustered on its key on SQLite (WITHOUT ROWID): a category's documents are adjacent,
    # and the parent index carries the key, so the tree facet never visits the table.
    __table_args__ = (
        Index("ix_search_categories_parent", "parent_id", "product_id"),
        {"sqlite_with_rowid": False},
    )


class SearchTerm(Base):
    """A Latin-script term seen while indexing. Only ever added: a term whose products are
    gone is a suggestion that finds nothing, never a wrong result."""

    __tablename__ = "search_terms"

    term: Mapped[str] = mapped_column(String(60), primary_key=True)


class SearchState(Base):
    """One row: `generation` grows with every change to the index (galerie.search.indexing),
    so a process holding cached results knows when to drop them (search.result_cache)."""

    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)

    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)
