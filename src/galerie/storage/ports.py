"""The file storage port: what a domain may ask of wherever files are kept (a local disk,
an object store). Keys are relative, slash-separated names chosen by the caller."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Protocol

from galerie.kernel import NotFound, ValidationFailed

MAX_KEY = 300
_KEY = re.compile(r"[A-Za-z0-9/_.-]+")


@dataclass(frozen=True, slots=True)
class StoredFile:
    key: str
    size: int
    content_type: str
    sha256: str


class FileStorage(Protocol):
    """Files by key. `put` replaces any file under the same key, atomically (a reader sees
    the old content or the new, never a part); `get` of a missing key raises
    NotFound(code="file_not_found"); `delete` of a missing key does nothing. Every method
    refuses a bad key with ValidationFailed(code="bad_key") (see check_key)."""

    async def put(self, key: str, data: bytes, *, content_type: str) -> StoredFile: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...


def check_key(key: str) -> str:
    """A key is 1..300 characters of [A-Za-z0-9/_.-], relative (no leading "/"), without
    ".." anywhere, and made of non-empty segments that do not start with "." (so no ".",
    no hidden names, and no clash with an adapter's temporary files)."""
    segments = key.split("/")
    if (
        not key
        or len(key) > MAX_KEY
        or not _KEY.fullmatch(key)
        or ".." in key
        or any(not segment or segment.startswith(".") for segment in segments)
    ):
        raise ValidationFailed("Invalid file key.", code="bad_key", field="key")
    return key


def stored_file(key: str, data: bytes, content_type: str) -> StoredFile:
    return StoredFile(
        key=key, size=len(data), content_type=content_type, sha256=hashlib.sha256(data).hexdigest()
    )


def file_not_found(key: str) -> NotFound:
    return NotFound("No such file.", code="file_not_found", key=key)
