"""Pages are bounded: no request can ask for everything."""

from __future__ import annotations

import pytest

from galerie.kernel import Page, PageRequest, ValidationFailed
from galerie.kernel.pagination import MAX_PAGE_SIZE


def test_defaults_and_offset() -> None:
    assert PageRequest() == PageRequest(number=1, size=24)
    assert PageRequest().offset == 0
    assert PageRequest(number=3, size=10).offset == 20


@pytest.mark.parametrize(
    ("number", "size", "field"),
    [(0, 24, "page"), (-1, 24, "page"), (1, 0, "size"), (1, -5, "size"), (1, 101, "size")],
)
def test_out_of_bounds_requests_are_refused(number: int, size: int, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        PageRequest(number=number, size=size)
    assert caught.value.code == "bad_page"
    assert caught.value.field == field


def test_the_largest_page() -> None:
    assert MAX_PAGE_SIZE == 100
    assert PageRequest(size=1).size == 1
    assert PageRequest(size=MAX_PAGE_SIZE).size == MAX_PAGE_SIZE


@pytest.mark.parametrize(
    ("total", "number", "pages", "has_next"),
    [(0, 1, 1, False), (24, 1, 1, False), (25, 1, 2, True), (25, 2, 2, False), (48, 1, 2, True)],
)
def test_page_counts(total: int, number: int, pages: int, has_next: bool) -> None:
    page: Page[int] = Page(items=[], request=PageRequest(number=number, size=24), total=total)
    assert page.pages == pages
    assert page.has_next is has_next
