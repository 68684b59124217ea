"""The PostgreSQL adapter: `search_documents.lexemes` is a tsvector built from our own terms
(`array_to_tsvector`, so PostgreSQL's parser never re-splits Chinese or re-folds accents),
with a GIN index; queries are tsquery literals of the same terms, ranked by ts_rank."""

# ruff: noqa: S608 - statements are built from fixed fragments; every value is a $n parameter

from __future__ import annotations

from collections.abc import Sequence

from galerie.db import RawSQL
from galerie.search.engine_base import SqlSearchEngine
from galerie.search.ports import SearchDocumentData
from galerie.search.sqlite_fts import (
    _UPDATES,
    UPSERT_COLUMNS,
    add_terms,
    document_args,
    write_categories,
)
from galerie.search.statements import TextMatch


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery(groups: Sequence[Sequence[str]], *, prefix_last: bool = False) -> str:
    """A tsquery literal: every group must match (&), any term of a group may (|)."""
    parts = []
    for position, group in enumerate(groups):
        star = ":*" if prefix_last and position == len(groups) - 1 else ""
        alternatives = [_lexeme(term) + star for term in group]
        parts.append(alternatives[0] if len(alternatives) == 1 else f"({' | '.join(alternatives)})")
    return " & ".join(parts)


class PostgresFullTextEngine(SqlSearchEngine):
    dialect = "postgresql"

    def text_match(self, groups: Sequence[Sequence[str]]) -> TextMatch:
        return self._match(tsquery(groups))

    def prefix_match(self, groups: Sequence[Sequence[str]]) -> TextMatch:
        return self._match(tsquery(groups, prefix_last=True))

    @staticmethod
    def _match(expression: str) -> TextMatch:
        return TextMatch(
            expression=expression,
            scored_cte="",
            scored_source="search_documents d",
            scored_condition="d.lexemes @@ {q}::tsquery",
            score="ts_rank(d.lexemes, {q}::tsquery)",
            best_first="DESC",
            condition="d.lexemes @@ {q}::tsquery",
        )

    async def index(self, sql: RawSQL, documents: Sequence[SearchDocumentData]) -> None:
        placeholders = ", ".join(f"${n}" for n in range(1, 21))
        statement = (
            f"INSERT INTO search_documents ({UPSERT_COLUMNS}, lexemes) VALUES ({placeholders}, "
            "array_to_tsvector($21::text[])) "
            f"ON CONFLICT (product_id) DO UPDATE SET {_UPDATES}, lexemes = excluded.lexemes"
        )
        for doc in documents:
            lexemes = sorted(set(doc.terms))
            await sql.execute(statement, *document_args(doc), lexemes)
            await write_categories(sql, doc)
            await add_terms(sql, doc.terms)

    async def remove(self, sql: RawSQL, product_ids: Sequence[int]) -> None:
        await sql.execute(
            "DELETE FROM search_categories WHERE product_id = ANY($1::bigint[])", list(product_ids)
        )
        await sql.execute(
            "DELETE FROM search_documents WHERE product_id = ANY($1::bigint[])", list(product_ids)
        )

    async def known_terms(self, sql: RawSQL, terms: Sequence[str]) -> set[str]:
        rows = await sql.fetch(
            "SELECT term FROM search_terms WHERE term = ANY($1::text[])", list(terms)
        )
        return {str(row[0]) for row in rows}
