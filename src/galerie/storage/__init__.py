"""File storage: a port (FileStorage) with a local-disk adapter and an in-memory fake, and
checks on uploaded content. Public surface."""

from galerie.storage.content import (
    DOCUMENT_TYPES,
    MAX_UPLOAD_BYTES,
    check_upload,
    sniff_content_type,
)
from galerie.storage.local import LocalDiskStorage
from galerie.storage.memory import InMemoryStorage
from galerie.storage.ports import FileStorage, StoredFile, check_key

__all__ = [
    "DOCUMENT_TYPES",
    "MAX_UPLOAD_BYTES",
    "FileStorage",
    "InMemoryStorage",
    "LocalDiskStorage",
    "StoredFile",
    "check_key",
    "check_upload",
    "sniff_content_type",
]
