"""Pagination: bounded pages, so no list endpoint can be asked for everything at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from galerie.kernel.errors import ValidationFailed

T = TypeVar("T")

MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class PageRequest:
    number: int = 1
    size: int = 24

    def __post_init__(self) -> None:
        if self.number < 1:
            raise ValidationFailed("page number starts at 1", field="page", code="bad_page")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise ValidationFailed(
                f"page size must be between 1 and {MAX_PAGE_SIZE}", field="size", code="bad_page"
            )

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    request: PageRequest
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.size))

    @property
    def has_next(self) -> bool:
        return self.request.number < self.pages
