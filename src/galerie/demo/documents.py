"""Small, valid document files for the demo applications, built in code: a one-page PDF
that names the document and its holder, and a tiny PNG standing in for a scanned ID.
Both open in any viewer, so the console's side-by-side document view has something to show."""

from __future__ import annotations

import struct
import zlib
from datetime import date, datetime

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import Principal
from galerie.sellers import DocumentKind, add_application_document
from galerie.storage import FileStorage

# Scans of identity papers arrive as images; everything else as PDF.
SCANNED = frozenset({DocumentKind.LEGAL_REPRESENTATIVE_ID.value})


def _pdf_text(value: str) -> str:
    """PDF literal-string text in the standard fonts' alphabet: ASCII, escaped."""
    ascii_only = value.encode("ascii", "replace").decode("ascii")
    return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_document(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF 1.4 with a title and a few lines of Helvetica, with a correct
    cross-reference table."""
    text = [f"BT /F1 18 Tf 72 770 Td ({_pdf_text(title)}) Tj ET"]
    text += [
        f"BT /F1 11 Tf 72 {736 - 18 * n} Td ({_pdf_text(line)}) Tj ET"
        for n, line in enumerate(lines)
    ]
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_image(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain-coloured RGB PNG of `width` x `height` pixels."""
    row = b"\x00" + bytes(rgb) * width  # filter type 0 per row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(row * height, 9))
        + _chunk(b"IEND", b"")
    )


def document_file(kind: str, holder: str, detail: str | None) -> tuple[str, bytes]:
    """The file name and content the demo uploads for one document."""
    label = kind.replace("_", " ")
    if kind in SCANNED:
        return f"{kind}.png", png_image(16, 10, (196, 210, 226))
    lines = [f"Holder: {holder}"] + ([detail] if detail else []) + ["Galerie demo document"]
    return f"{kind}.pdf", pdf_document(label.capitalize(), lines)


async def upload_document(
    db: Database,
    *,
    storage: FileStorage,
    actor: Principal,
    application_id: int,
    kind: DocumentKind,
    holder: str,
    now: datetime,
    audit: AuditContext,
    valid_until: date | None = None,
    brand: tuple[int, str] | None = None,
    qualification: str | None = None,
) -> int:
    """Upload one document through the sellers service, as the applicant would."""
    detail = f"Brand: {brand[1]}" if brand else qualification
    filename, data = document_file(kind.value, holder, detail)
    return await add_application_document(
        db,
        actor=actor,
        application_id=application_id,
        kind=kind.value,
        filename=filename,
        data=data,
        valid_until=valid_until,
        qualification=qualification,
        brand_id=brand[0] if brand else None,
        storage=storage,
        now=now,
        audit=audit,
    )
