"""What an operator may name a category: pure checks, no I/O. An English name is required;
no name holds '>' (the path separator) or control characters; a full path stays within
what the `categories.path` column and its unique index hold."""

from __future__ import annotations

from dataclasses import dataclass

from galerie.catalog.taxonomy import MAX_NAME, MAX_PATH
from galerie.kernel import ValidationFailed

MAX_PATH_BYTES = 2000  # a unique index entry must stay well within PostgreSQL's limit


@dataclass(frozen=True, slots=True)
class CategoryNames:
    """A category's names: English required, Chinese and French optional (empty falls back
    to English on pages)."""

    en: str
    zh_cn: str | None = None
    fr: str | None = None


def _name(value: str | None, field: str, *, required: bool) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationFailed("Give the category a name.", code="name_required", field=field)
        return None
    if len(text) > MAX_NAME:
        raise ValidationFailed(
            f"A name has at most {MAX_NAME} characters.", code="name_too_long", field=field
        )
    if ">" in text or any(ord(c) < 32 for c in text):
        raise ValidationFailed(
            "A name may not contain '>' or control characters.", code="name_invalid", field=field
        )
    return text


def checked_names(names: CategoryNames) -> CategoryNames:
    en = _name(names.en, "name_en", required=True)
    assert en is not None
    return CategoryNames(
        en=en,
        zh_cn=_name(names.zh_cn, "name_zh_cn", required=False),
        fr=_name(names.fr, "name_fr", required=False),
    )


def check_path(path: str) -> None:
    if len(path) > MAX_PATH or len(path.encode()) > MAX_PATH_BYTES:
        raise ValidationFailed(
            "The full path would be too long.", code="path_too_long", field="name_en"
        )
