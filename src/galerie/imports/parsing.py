"""Choosing the parser: the format the seller named, else from the file name's extension,
else from the first characters of the file."""

from __future__ import annotations

from galerie.imports.google import parse_google_tsv, parse_google_xml
from galerie.imports.jsonfeed import parse_json
from galerie.imports.rows import FileRefused, ImportFormat, ParsedFeed
from galerie.imports.shopify import parse_shopify_csv

EXTENSIONS = {
    "tsv": ImportFormat.GOOGLE_TSV,
    "txt": ImportFormat.GOOGLE_TSV,
    "xml": ImportFormat.GOOGLE_XML,
    "rss": ImportFormat.GOOGLE_XML,
    "csv": ImportFormat.SHOPIFY_CSV,
    "json": ImportFormat.JSON,
}


def detect_format(filename: str, data: bytes) -> ImportFormat:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in EXTENSIONS:
        return EXTENSIONS[extension]
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    first_line = head.split(b"\n", 1)[0]
    if head.startswith(b"<"):
        return ImportFormat.GOOGLE_XML
    if head[:1] in (b"[", b"{"):
        return ImportFormat.JSON
    if b"\t" in first_line:
        return ImportFormat.GOOGLE_TSV
    if first_line.startswith(b"Handle,"):
        return ImportFormat.SHOPIFY_CSV
    raise FileRefused(
        "The file's format is not recognised: choose Google TSV or XML, Shopify CSV or JSON.",
        code="unknown_format",
    )


def parse_feed(data: bytes, import_format: ImportFormat, *, language: str = "en") -> ParsedFeed:
    """Every row of the file, or FileRefused for a file that cannot be read as a whole."""
    if import_format is ImportFormat.GOOGLE_TSV:
        return parse_google_tsv(data)
    if import_format is ImportFormat.GOOGLE_XML:
        return parse_google_xml(data)
    if import_format is ImportFormat.SHOPIFY_CSV:
        return parse_shopify_csv(data, language=language)
    return parse_json(data)
