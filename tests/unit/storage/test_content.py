"""Uploaded content: the type comes from the bytes; names that lie are refused."""

from __future__ import annotations

import pytest

from galerie.kernel import ValidationFailed
from galerie.storage import DOCUMENT_TYPES, check_upload, sniff_content_type

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
SCRIPT = b"#!/bin/sh\nrm -rf ~\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, "application/pdf"),
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (SCRIPT, None),
        (b"", None),
        (b"%PDF", None),  # the magic is "%PDF-"
        (b"\xff\xd8", None),
        (b"\x89PNG\r\n\x1a", None),
        (b"GIF89a" + b"\x00" * 10, None),
        (b" %PDF-1.7", None),  # magic bytes must lead
    ],
)
def test_sniffing_knows_only_pdf_jpeg_and_png(data: bytes, expected: str | None) -> None:
    assert sniff_content_type(data) == expected


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (PDF, "licence.pdf", "application/pdf"),
        (PDF, "LICENCE.PDF", "application/pdf"),
        (JPEG, "photo.jpg", "image/jpeg"),
        (JPEG, "photo.JPEG", "image/jpeg"),
        (PNG, "scan.png", "image/png"),
        (PDF, "no-extension", "application/pdf"),
        (PDF, "C:\\Users\\ana\\licence.pdf", "application/pdf"),
    ],
)
def test_an_acceptable_upload_gives_its_sniffed_type(
    data: bytes, filename: str, expected: str
) -> None:
    assert check_upload(data, filename=filename) == expected


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (SCRIPT, "x.pdf", "unsupported_file_type"),
        (b"", "x.pdf", "empty_file"),
        (PNG, "x.pdf", "file_type_mismatch"),
        (PDF, "x.png", "file_type_mismatch"),
        (JPEG, "x.png", "file_type_mismatch"),
        (PDF, "x.pdf.exe", "file_type_mismatch"),
        (PDF, "x.txt", "file_type_mismatch"),
        (b"GIF89a" + b"\x00" * 10, "x.gif", "unsupported_file_type"),
        (b"PK\x03\x04" + b"\x00" * 26, "x.pdf", "unsupported_file_type"),
    ],
)
def test_refusals_carry_a_stable_code(data: bytes, filename: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_upload(data, filename=filename)
    assert (refused.value.code, refused.value.field) == (code, "file")


def test_size_is_checked_against_the_limit() -> None:
    big = PDF + b"\x00" * (10 * 1024 * 1024 - len(PDF))
    assert check_upload(big, filename="big.pdf") == "application/pdf"
    with pytest.raises(ValidationFailed) as refused:
        check_upload(big + b"\x00", filename="big.pdf")
    assert refused.value.code == "file_too_large"
    with pytest.raises(ValidationFailed) as refused:
        check_upload(PDF, filename="x.pdf", max_bytes=len(PDF) - 1)
    assert refused.value.code == "file_too_large"


def test_only_the_allowed_types_pass() -> None:
    assert frozenset({"application/pdf", "image/jpeg", "image/png"}) == DOCUMENT_TYPES
    images = frozenset({"image/jpeg", "image/png"})
    assert check_upload(PNG, filename="logo.png", allowed=images) == "image/png"
    with pytest.raises(ValidationFailed) as refused:
        check_upload(PDF, filename="logo.pdf", allowed=images)
    assert refused.value.code == "unsupported_file_type"
