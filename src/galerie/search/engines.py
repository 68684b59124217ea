"""Choosing the adapter from the database dialect."""

from __future__ import annotations

from galerie.search.ports import SearchEngine
from galerie.search.postgres_fts import PostgresFullTextEngine
from galerie.search.sqlite_fts import SqliteFts5Engine

_ENGINES: dict[str, SearchEngine] = {
    "sqlite": SqliteFts5Engine(),
    "postgresql": PostgresFullTextEngine(),
}


def engine_for(dialect: str) -> SearchEngine:
    try:
        return _ENGINES[dialect]
    except KeyError:
        raise ValueError(f"no search engine for the {dialect!r} database") from None
