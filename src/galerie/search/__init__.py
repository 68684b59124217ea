"""Search: the search-engine port (SQLite FTS5, PostgreSQL full text), facets and sorts. Public surface."""
