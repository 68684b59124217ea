"""Checks on uploaded files: the type comes from the bytes (magic numbers), never from the
name; a name whose extension says otherwise is refused too."""

from __future__ import annotations

from pathlib import PurePosixPath

from galerie.kernel import ValidationFailed

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCUMENT_TYPES = frozenset({PDF, JPEG, PNG})
MAX_UPLOAD_BYTES = 10 * 1024 * 1024

_MAGIC = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
EXTENSIONS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}


def sniff_content_type(data: bytes) -> str | None:
    """PDF, JPEG or PNG by their leading bytes; None for anything else."""
    for magic, content_type in _MAGIC:
        if data.startswith(magic):
            return content_type
    return None


def _refuse(message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, field="file")


def check_upload(
    data: bytes,
    *,
    filename: str,
    allowed: frozenset[str] = DOCUMENT_TYPES,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> str:
    """The sniffed content type of an acceptable upload. Refused: empty ("empty_file"),
    over `max_bytes` ("file_too_large"), content not of an `allowed` type
    ("unsupported_file_type"), or a filename extension naming another type, or one we do
    not know ("file_type_mismatch"). A name without an extension is accepted."""
    if not data:
        raise _refuse("The file is empty.", "empty_file")
    if len(data) > max_bytes:
        raise _refuse(f"The file is larger than {max_bytes} bytes.", "file_too_large")
    sniffed = sniff_content_type(data)
    if sniffed is None or sniffed not in allowed:
        raise _refuse("This type of file is not accepted.", "unsupported_file_type")
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix and EXTENSIONS.get(suffix) != sniffed:
        raise _refuse("The file's name does not match its content.", "file_type_mismatch")
    return sniffed
