"""Parsing Google's product taxonomy file, and naming categories per language."""

from __future__ import annotations

import pytest

from galerie.catalog import CategoryView, localised_name
from galerie.catalog.taxonomy import (
    DEFAULT_QUALIFICATIONS,
    DEFAULT_TAXONOMY,
    TOP_LEVEL_NAMES,
    TaxonomyEntry,
    parse_taxonomy,
)
from galerie.kernel import ValidationFailed

SMALL = [
    "# Google_Product_Taxonomy_Version: 2021-09-21",
    "1 - Animals & Pet Supplies",
    "3237 - Animals & Pet Supplies > Live Animals",
    "2 - Animals & Pet Supplies > Pet Supplies",
    "4 - Animals & Pet Supplies > Pet Supplies > Cat Supplies",
    "",
    "166 - Apparel & Accessories",
]


def test_parses_ids_parents_depths_and_roots() -> None:
    assert parse_taxonomy(SMALL) == [
        TaxonomyEntry(1, None, "Animals & Pet Supplies", "Animals & Pet Supplies", 0, 1),
        TaxonomyEntry(3237, 1, "Live Animals", "Animals & Pet Supplies > Live Animals", 1, 1),
        TaxonomyEntry(2, 1, "Pet Supplies", "Animals & Pet Supplies > Pet Supplies", 1, 1),
        TaxonomyEntry(
            4,
            2,
            "Cat Supplies",
            "Animals & Pet Supplies > Pet Supplies > Cat Supplies",
            2,
            1,
        ),
        TaxonomyEntry(166, None, "Apparel & Accessories", "Apparel & Accessories", 0, 166),
    ]


def test_a_child_listed_before_its_parent_still_finds_it() -> None:
    entries = parse_taxonomy(["2 - A > B", "1 - A"])
    assert [(e.id, e.parent_id, e.top_level_id) for e in entries] == [(2, 1, 1), (1, None, 1)]


def test_windows_line_endings_are_accepted() -> None:
    assert [e.path for e in parse_taxonomy(["1 - A\r\n", "2 - A > B\r\n"])] == ["A", "A > B"]


@pytest.mark.parametrize(
    ("lines", "line_number"),
    [
        (["# header", "1 - A", "not a category"], 3),
        (["1 - A", "x - A > B"], 2),
        (["1 - A", "2 A > B"], 2),
        (["1 - A", "2 - A >  > B"], 2),
        (["1 - A", "2 - A > B >"], 2),
        (["1 - A", "0 - B"], 2),
        (["1 - A", "2 - A > " + "x" * 201], 2),
        (["1 - A", "1 - B"], 2),
        (["1 - A", "2 - A", "3 - B"], 2),
        (["# header", "1 - A", "2 - A > B > C"], 3),
        (["2 - A > B"], 1),
    ],
    ids=[
        "no id",
        "id not a number",
        "no dash",
        "empty level",
        "trailing separator",
        "id zero",
        "name too long",
        "duplicate id",
        "duplicate path",
        "missing parent",
        "missing root",
    ],
)
def test_a_bad_line_is_refused_with_its_number(lines: list[str], line_number: int) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_taxonomy(lines)
    assert refused.value.code == "bad_taxonomy_line"
    assert refused.value.details == {"line": line_number}
    assert f"line {line_number}:" in refused.value.message


def test_the_shipped_file_has_every_category_and_the_defaults_point_at_real_ones() -> None:
    entries = parse_taxonomy(DEFAULT_TAXONOMY.read_text(encoding="utf-8").splitlines())
    by_id = {entry.id: entry for entry in entries}
    roots = {entry.id for entry in entries if entry.parent_id is None}
    assert len(entries) == 5595
    assert roots == set(TOP_LEVEL_NAMES)
    assert set(DEFAULT_QUALIFICATIONS) <= set(by_id)
    assert by_id[412].path == "Food, Beverages & Tobacco"
    assert by_id[491].path == "Health & Beauty > Health Care"
    assert max(entry.depth for entry in entries) == 6


def _view(names: dict[str, str]) -> CategoryView:
    return CategoryView(
        id=1,
        parent_id=None,
        name=names["en"],
        names=names,
        path=names["en"],
        depth=0,
        top_level_id=1,
        commission_rate_bp=None,
        requires_qualification=None,
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Software"),
        ("zh-CN", "软件"),
        ("zh_CN", "软件"),
        ("zh-cn", "软件"),
        ("fr", "Logiciels"),
        ("de", "Software"),
    ],
)
def test_localised_name_falls_back_to_english(language: str, expected: str) -> None:
    view = _view({"en": "Software", "zh-CN": "软件", "fr": "Logiciels"})
    assert localised_name(view, language) == expected


def test_localised_name_without_a_translation_is_english() -> None:
    assert localised_name(_view({"en": "Dresses"}), "fr") == "Dresses"
