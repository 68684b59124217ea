"""Normalisation shared by the index and the queries (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galerie.search.text import (
    fold,
    index_terms,
    prefix_terms,
    query_terms,
    stem,
    typo_candidates,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Crème Brûlée", "creme brulee"),
        ("ÇA VA", "ca va"),
        ("Ｔｅａ", "tea"),  # full-width letters
        ("蓝莓果酱", "蓝莓果酱"),  # Han untouched
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("berries", "berry"),
        ("shoes", "shoe"),
        ("chaussures", "chaussure"),
        ("jeux", "jeu"),
        ("glass", "glass"),
        ("jam", "jam"),
        ("bus", "bus"),
        ("2024s", "2024s"),
    ],
)
def test_stem(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_chinese_is_segmented_at_index_and_query_time() -> None:
    assert query_terms("儿童运动鞋") == ["儿童", "运动", "运动鞋"]
    indexed = index_terms("儿童运动鞋")
    assert {"儿童", "运动", "运动鞋", "鞋"} <= set(indexed)
    assert set(query_terms("儿童鞋")) <= set(indexed)


def test_mixed_text() -> None:
    assert query_terms("Blueberry JAMS 蓝莓果酱, 250g!") == [
        "blueberry",
        "jam",
        "蓝莓",
        "果酱",
        "250g",
    ]
    assert query_terms("a b c") == []  # single letters say nothing


def test_prefix_keeps_the_last_word_as_typed() -> None:
    assert prefix_terms("confitures de f") == ["confiture", "de", "f"]
    assert prefix_terms("   ") == []


def test_typo_candidates() -> None:
    candidates = typo_candidates("bluebery")
    assert "blueberry" in candidates  # insertion
    assert "bluebrey" in candidates  # transposition
    assert "bluebery" not in candidates
    assert typo_candidates("jam") == []  # too short to guess
    assert typo_candidates("蓝莓果酱") == []


@given(st.text(max_size=60))
def test_every_query_term_is_found_by_the_same_text_indexed(text: str) -> None:
    assert set(query_terms(text)) <= set(index_terms(text))
