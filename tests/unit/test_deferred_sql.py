"""The text of a statement carrying deferred writes (galerie.db.raw)."""

from __future__ import annotations

from galerie.db.raw import _with_deferred


def test_deferred_writes_become_ctes_with_renumbered_placeholders() -> None:
    sql, args = _with_deferred(
        [("INSERT INTO a VALUES ($1, $2)", (1, 2)), ("INSERT INTO b VALUES ($1)", (3,))],
        "UPDATE c SET x = $1 WHERE id = $2",
        (4, 5),
    )
    assert sql == (
        "WITH _d1 AS (INSERT INTO a VALUES ($1, $2)), _d2 AS (INSERT INTO b VALUES ($3)) "
        "UPDATE c SET x = $4 WHERE id = $5"
    )
    assert args == (1, 2, 3, 4, 5)


def test_a_statement_with_its_own_ctes_keeps_them_after_the_deferred() -> None:
    sql, args = _with_deferred(
        [("INSERT INTO a VALUES ($1)", ("x",))], "with g AS (SELECT $1) SELECT * FROM g", (2,)
    )
    assert sql == "WITH _d1 AS (INSERT INTO a VALUES ($1)), g AS (SELECT $2) SELECT * FROM g"
    assert args == ("x", 2)


def test_two_digit_placeholders_are_renumbered_whole() -> None:
    marks = ", ".join(f"${n}" for n in range(1, 12))
    write = f"INSERT INTO a VALUES ({marks})"  # noqa: S608 - placeholders only
    sql, _ = _with_deferred([(write, tuple(range(11)))], "SELECT $1, $10, $11", (0,) * 11)
    assert sql.endswith(" SELECT $12, $21, $22")
