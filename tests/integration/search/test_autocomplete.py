"""Autocomplete over the labelled catalog, on both databases."""

from __future__ import annotations

import pytest

from galerie.db import Database
from galerie.kernel import ValidationFailed
from galerie.search import autocomplete
from tests.integration.search.conftest import Labelled
from tests.integration.search.counting import counted_statements

SUGGESTIONS = [
    ("blue", "en", ["Blueberry jam"]),
    ("Blue", "fr", ["Confiture de myrtilles"]),
    ("j", "en", ["Strawberry jam", "Blueberry jam"]),  # best sellers first
    ("confiture de f", "fr", ["Confiture de fraises"]),
    ("cre", "fr", ["Crème de marrons"]),
    ("蓝", "zh-CN", ["蓝莓果酱"]),
    ("果酱", "zh-CN", ["草莓果酱", "蓝莓果酱"]),
    ("educ", "fr", ["益智积木玩具"]),  # no French title: the default language's
    ("zzz", "en", []),
    ("   ", "en", []),
]


@pytest.mark.parametrize(("prefix", "language", "expected"), SUGGESTIONS)
async def test_suggestions(
    db: Database, labelled: Labelled, prefix: str, language: str, expected: list[str]
) -> None:
    suggestions = await autocomplete(db, prefix=prefix, language=language, limit=8)
    assert [s.title for s in suggestions] == expected


async def test_the_limit_and_the_statement_count(db: Database, labelled: Labelled) -> None:
    async with counted_statements(db) as statements:
        suggestions = await autocomplete(db, prefix="j", language="en", limit=1)
    assert [s.product_id for s in suggestions] == [labelled.p["strawberry"]]
    assert len(statements) == 1


@pytest.mark.parametrize(
    ("prefix", "limit", "code"),
    [("x" * 201, 8, "search_text_too_long"), ("jam", 0, "bad_limit"), ("jam", 21, "bad_limit")],
)
async def test_bad_input_is_refused(
    db: Database, labelled: Labelled, prefix: str, limit: int, code: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await autocomplete(db, prefix=prefix, language="en", limit=limit)
    assert refused.value.code == code
