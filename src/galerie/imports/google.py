"""Google Merchant Center product feeds, as TSV (a header row of attribute names) and as
XML (RSS 2.0 `<item>`s or Atom `<entry>`s with the `g:` namespace), parsed to FeedRows.

Besides Google's attributes (id, item_group_id, title, description, link, image_link,
additional_image_link, price, sale_price, gtin, brand, google_product_category,
product_type, size, color, material, pattern, shipping_weight, condition, availability) a
feed may carry our extensions: `content_language` (the language of title and description,
"en" by default), `title_<lang>` and `description_<lang>` for the other languages
(`title_zh_cn`, `title_fr`...), `attr_<code>` for category attributes,
`option_<axis>` for other variant axes and `return_exclusion`. XML is parsed with defusedxml (no entities, no external references)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from galerie.imports.rows import (
    MAX_FIELD,
    MAX_ROWS,
    FeedRow,
    FileRefused,
    ImportFormat,
    ParsedFeed,
    RowProblem,
)
from galerie.imports.text import decode, html_to_text, language_code

G_NAMESPACE = "http://base.google.com/ns/1.0"
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
REQUIRED_COLUMNS = ("id", "title", "price")
# Google's variant attributes -> our option axes, in the order axes are given to products.
OPTION_COLUMNS = {"size": "size", "color": "colour", "material": "material", "pattern": "pattern"}

Fields = Mapping[str, list[str]]


def _one(fields: Fields, name: str) -> str:
    values = fields.get(name) or [""]
    return values[0].strip()


def _texts(fields: Fields, kind: str, language: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    main = _one(fields, kind)
    if main:
        texts[language] = main
    for name in fields:
        if name.startswith(kind + "_"):
            code = language_code(name[len(kind) + 1 :])
            if code is not None and _one(fields, name):
                texts[code] = _one(fields, name)
    return texts


def _images(fields: Fields) -> tuple[str, ...]:
    urls: list[str] = []
    for name in ("image_link", "additional_image_link"):
        for value in fields.get(name, []):
            urls += [u.strip() for u in value.split(",") if u.strip()]
    return tuple(dict.fromkeys(urls))


def _options(fields: Fields) -> dict[str, str]:
    """Google's variant attributes first (size, colour, material, pattern), then any
    `option_<axis>` column, in the file's order."""
    options = {axis: _one(fields, col) for col, axis in OPTION_COLUMNS.items() if _one(fields, col)}
    for name in fields:
        if name.startswith("option_") and len(name) > 7 and _one(fields, name):
            options.setdefault(name[7:], _one(fields, name))
    return options


def google_row(number: int, fields: Fields) -> FeedRow:
    """One feed item (already split into attribute -> values) as a FeedRow."""
    problems: list[RowProblem] = []
    language = _one(fields, "content_language") or "en"
    code = language_code(language)
    if code is None:
        problems.append(
            RowProblem(
                number, "content_language", "unknown_language", f"unknown language {language!r}"
            )
        )
        code = "en"
    for name, values in fields.items():
        if any(len(value) > MAX_FIELD for value in values):
            problems.append(RowProblem(number, name, "too_long", f"{name} is too long"))
    item_id = _one(fields, "id")
    if not item_id:
        problems.append(RowProblem(number, "id", "required", "id is required"))
    return FeedRow(
        row_number=number,
        product_ref=_one(fields, "item_group_id") or item_id,
        seller_sku=item_id,
        titles=_texts(fields, "title", code),
        descriptions={k: html_to_text(v) for k, v in _texts(fields, "description", code).items()},
        default_language=code,
        brand=_one(fields, "brand"),
        category=_one(fields, "google_product_category"),
        product_type=_one(fields, "product_type"),
        price=_one(fields, "price"),
        sale_price=_one(fields, "sale_price"),
        gtin=_one(fields, "gtin"),
        weight=_one(fields, "shipping_weight") or _one(fields, "product_weight"),
        options=_options(fields),
        images=_images(fields),
        attributes={
            n[5:]: _one(fields, n) for n in fields if n.startswith("attr_") and _one(fields, n)
        },
        return_exclusion=_one(fields, "return_exclusion"),
        problems=tuple(problems),
    )


def _column(name: str) -> str:
    return name.strip().lower().removeprefix("g:")


def parse_google_tsv(data: bytes) -> ParsedFeed:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), dialect="excel-tab", strict=True)
    try:
        header = [_column(name) for name in next(reader, [])]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise FileRefused(
                "This is not a Google Merchant Center TSV feed: the header lacks "
                + ", ".join(missing) + ".",
                code="bad_header",
            )  # fmt: skip
        return ParsedFeed(ImportFormat.GOOGLE_TSV, tuple(_tsv_rows(reader, header)))
    except csv.Error as exc:
        raise FileRefused(
            f"The TSV file is malformed near line {reader.line_num}: {exc}.", code="malformed_file"
        ) from exc


def _tsv_rows(reader: Iterable[list[str]], header: list[str]) -> Iterable[FeedRow]:
    count = 0
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise FileRefused(f"The file has more than {MAX_ROWS} rows.", code="too_many_rows")
        fields: dict[str, list[str]] = {}
        for name, cell in zip(header, cells, strict=False):
            fields.setdefault(name, []).append(cell)
        row = google_row(number, fields)
        if len(cells) != len(header):
            problem = RowProblem(
                number, "row", "wrong_column_count",
                f"the row has {len(cells)} columns, the header {len(header)} (a truncated line?)",
            )  # fmt: skip
            row = _with_problem(row, problem)
        yield row


def _with_problem(row: FeedRow, problem: RowProblem) -> FeedRow:
    from dataclasses import replace

    return replace(row, problems=(*row.problems, problem))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def parse_google_xml(data: bytes) -> ParsedFeed:
    decode(data)  # the same size and encoding checks as every format
    try:
        root = ElementTree.fromstring(data)
    except DefusedXmlException as exc:
        raise FileRefused(
            "The XML feed uses entities or external references, which are refused.",
            code="unsafe_xml",
        ) from exc
    except ElementTree.ParseError as exc:
        raise FileRefused(f"The XML feed is malformed: {exc}.", code="malformed_file") from exc
    if _local(root.tag) not in ("rss", "feed"):
        raise FileRefused(
            "This is not a Google Merchant Center XML feed (no <rss> or <feed>).", code="bad_header"
        )
    items = [el for el in root.iter() if _local(el.tag) in ("item", "entry")]
    if len(items) > MAX_ROWS:
        raise FileRefused(f"The feed has more than {MAX_ROWS} items.", code="too_many_rows")
    rows = []
    for number, item in enumerate(items, start=1):
        fields: dict[str, list[str]] = {}
        for child in item:
            fields.setdefault(_local(child.tag), []).append("".join(child.itertext()))
        rows.append(google_row(number, fields))
    return ParsedFeed(ImportFormat.GOOGLE_XML, tuple(rows))
