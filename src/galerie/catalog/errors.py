"""Catalog refusals with stable codes. A refused draft carries every problem found, so a
form, the API and an import report can show them all at once."""

from __future__ import annotations

from dataclasses import dataclass

from galerie.kernel import ValidationFailed


@dataclass(frozen=True, slots=True)
class DraftProblem:
    """One thing wrong with a product draft: the `field` it concerns ("titles.en",
    "variants[2].gtin"), a stable `code` and a message for people (English)."""

    field: str
    code: str
    message: str


class InvalidProduct(ValidationFailed):
    """A product draft breaks one or more rules; nothing was written."""

    default_code = "invalid_product"

    def __init__(self, problems: tuple[DraftProblem, ...]) -> None:
        first = problems[0] if problems else DraftProblem("", "invalid_product", "Invalid.")
        super().__init__(
            first.message,
            field=first.field,
            problems=[{"field": p.field, "code": p.code, "message": p.message} for p in problems],
        )
        self.problems = problems
