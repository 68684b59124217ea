"""Parsing the three formats to rows, and refusing files that cannot be read as a whole."""

from __future__ import annotations

import json

import pytest

from galerie.imports import FileRefused, ImportFormat, detect_format, parse_feed
from galerie.imports.rows import MAX_FILE_BYTES
from galerie.imports.text import grams, html_to_text

TSV = (
    "id\titem_group_id\ttitle\ttitle_zh_cn\ttitle_fr\tdescription\tprice\tgtin\tbrand\t"
    "google_product_category\tsize\tcolor\tshipping_weight\timage_link\tadditional_image_link\n"
    "NH-SH-1-38\tNH-SH-1\tRain boot\t雨靴\tBotte de pluie\t<p>Warm <b>and</b> dry</p>"
    "<script>alert(1)</script>\t499.00 CNY\t5701234000013\tNordhavn\t187\t38\tBlack\t900 g\t"
    "https://img.test/a.jpg\thttps://img.test/b.jpg,https://img.test/c.jpg\n"
    "NH-SH-1-39\tNH-SH-1\tRain boot\t\t\t\t499.00 CNY\t\tNordhavn\t187\t39\tBlack\t0.95 kg\t\t\n"
)


def test_google_tsv_rows_carry_numbers_languages_options_and_images() -> None:
    feed = parse_feed(TSV.encode(), ImportFormat.GOOGLE_TSV)
    first, second = feed.rows
    assert (first.row_number, second.row_number) == (2, 3)
    assert first.product_ref == second.product_ref == "NH-SH-1"
    assert first.seller_sku == "NH-SH-1-38"
    assert first.titles == {"en": "Rain boot", "zh-CN": "雨靴", "fr": "Botte de pluie"}
    assert first.descriptions == {"en": "Warm and dry"}
    assert first.options == {"size": "38", "colour": "Black"}
    assert first.images == (
        "https://img.test/a.jpg",
        "https://img.test/b.jpg",
        "https://img.test/c.jpg",
    )
    assert (first.price, first.weight, second.weight) == ("499.00 CNY", "900 g", "0.95 kg")
    assert first.problems == ()
    assert second.problems == ()


XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><title>Feed</title>
<item><g:id>JAM-1</g:id><title>Organic blueberry jam</title>
<description>Jam &amp; more</description><g:price>38.00 CNY</g:price>
<g:google_product_category>Food, Beverages &amp; Tobacco &gt; Food Items</g:google_product_category>
<g:brand>Nordhavn</g:brand><g:image_link>https://img.test/j.jpg</g:image_link>
<g:additional_image_link>https://img.test/k.jpg</g:additional_image_link>
<g:additional_image_link>https://img.test/l.jpg</g:additional_image_link></item>
<item><g:id>JAM-2</g:id><g:title>Lingonberry jam</g:title><g:price>36 CNY</g:price></item>
</channel></rss>"""


def test_google_xml_items_with_the_g_namespace() -> None:
    feed = parse_feed(XML, ImportFormat.GOOGLE_XML)
    jam, other = feed.rows
    assert (jam.row_number, other.row_number) == (1, 2)
    assert jam.titles == {"en": "Organic blueberry jam"}
    assert jam.descriptions == {"en": "Jam & more"}
    assert jam.category == "Food, Beverages & Tobacco > Food Items"
    assert jam.images == (
        "https://img.test/j.jpg",
        "https://img.test/k.jpg",
        "https://img.test/l.jpg",
    )
    assert other.product_ref == other.seller_sku == "JAM-2"


SHOPIFY = (
    "Handle,Title,Body (HTML),Vendor,Product Category,Type,Option1 Name,Option1 Value,"
    "Option2 Name,Option2 Value,Variant SKU,Variant Grams,Variant Price,Variant Barcode,Image Src\n"
    'clog,Wooden clog,"<p>Hand\nmade</p>",Sabots,Apparel & Accessories > Shoes,Clogs,Size,38,'
    "Color,Red,CL-38-R,700,590.00,,https://img.test/1.jpg\n"
    "clog,,,,,,,39,,Red,CL-39-R,720,590.00,,https://img.test/2.jpg\n"
    "clog,,,,,,,,,,,,,,https://img.test/3.jpg\n"
    "mug,Mug,,Sabots,,Mugs,Title,Default Title,,,MUG-1,300,45.00,,\n"
)


def test_shopify_continuation_rows_become_variants_and_images() -> None:
    feed = parse_feed(SHOPIFY.encode(), ImportFormat.SHOPIFY_CSV)
    assert [(r.row_number, r.product_ref, r.seller_sku) for r in feed.rows] == [
        (2, "clog", "CL-38-R"),
        (3, "clog", "CL-39-R"),
        (5, "mug", "MUG-1"),
    ]
    first, second, mug = feed.rows
    assert first.options == {"size": "38", "colour": "Red"}
    assert second.options == {"size": "39", "colour": "Red"}
    assert second.titles == {"en": "Wooden clog"}
    assert first.descriptions == {"en": "Hand\nmade"}
    assert (first.category, first.product_type, first.brand) == (
        "Apparel & Accessories > Shoes", "Clogs", "Sabots",
    )  # fmt: skip
    assert first.images + second.images == (
        "https://img.test/1.jpg", "https://img.test/2.jpg", "https://img.test/3.jpg",
    )  # fmt: skip
    assert mug.options == {}
    assert mug.price == "45.00"
    assert mug.weight == "300"


def test_json_products_mirror_the_draft() -> None:
    products = [
        {
            "seller_ref": "TEA-1", "category": 2073, "default_language": "zh-CN",
            "titles": {"zh-CN": "龙井茶", "en": "Longjing tea"}, "brand": "",
            "option_axes": ["weight"], "attributes": {"shelf_life": "365"},
            "variants": [
                {"seller_sku": "TEA-1-50", "price": "88.00 CNY", "options": {"weight": "50 g"}},
                {"seller_sku": "TEA-1-100", "price": {"amount": "160.00", "currency": "CNY"},
                 "options": {"weight": "100 g"}, "weight_grams": 120},
            ],
        },
        "not a product",
    ]  # fmt: skip
    feed = parse_feed(json.dumps(products).encode(), ImportFormat.JSON)
    a, b, bad = feed.rows
    assert (a.row_number, b.row_number, bad.row_number) == (1, 1, 2)
    assert a.category == "2073"
    assert a.default_language == "zh-CN"
    assert (a.price, b.price, b.weight) == ("88.00 CNY", "160.00 CNY", "120 g")
    assert [p.code for p in bad.problems] == ["bad_type"]


@pytest.mark.parametrize(
    ("data", "import_format", "code"),
    [
        (b"id\ttitle\tprice\n\xff\xfe1\tx\t1 CNY\n", ImportFormat.GOOGLE_TSV, "file_not_utf8"),
        (b"sku\tname\n1\tx\n", ImportFormat.GOOGLE_TSV, "bad_header"),
        (b'id\ttitle\tprice\n1\t"unclosed\t1 CNY\n', ImportFormat.GOOGLE_TSV, "malformed_file"),
        (XML[:-30], ImportFormat.GOOGLE_XML, "malformed_file"),
        (b"<html><body>hi</body></html>", ImportFormat.GOOGLE_XML, "bad_header"),
        (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
         b"<rss>&b;</rss>", ImportFormat.GOOGLE_XML, "unsafe_xml"),
        (b"Handle,Title\nx,y\n", ImportFormat.SHOPIFY_CSV, "bad_header"),
        (b'[{"seller_ref": "a"', ImportFormat.JSON, "malformed_file"),
        (b'{"seller_ref": "a"}', ImportFormat.JSON, "bad_header"),
        (b"   \n", ImportFormat.JSON, "file_empty"),
        (b"[" + b" " * MAX_FILE_BYTES + b"]", ImportFormat.JSON, "file_too_large"),
    ],
)  # fmt: skip
def test_unreadable_files_are_refused_with_one_clear_error(
    data: bytes, import_format: ImportFormat, code: str
) -> None:
    with pytest.raises(FileRefused) as refused:
        parse_feed(data, import_format)
    assert refused.value.code == code
    assert refused.value.field == "file"


def test_a_truncated_tsv_line_is_a_row_problem() -> None:
    feed = parse_feed(
        b"id\ttitle\tprice\tbrand\nA\tAlpha\t1.00 CNY\tX\nB\tBet", ImportFormat.GOOGLE_TSV
    )
    assert feed.rows[0].problems == ()
    assert [(p.row_number, p.code) for p in feed.rows[1].problems] == [(3, "wrong_column_count")]


def test_formats_are_detected_from_the_name_then_the_content() -> None:
    assert detect_format("feed.tsv", b"") is ImportFormat.GOOGLE_TSV
    assert detect_format("products_export.csv", b"") is ImportFormat.SHOPIFY_CSV
    assert detect_format("upload", XML) is ImportFormat.GOOGLE_XML
    assert detect_format("upload", b" [{}]") is ImportFormat.JSON
    assert detect_format("upload", b"id\ttitle\n") is ImportFormat.GOOGLE_TSV
    assert detect_format("upload", SHOPIFY.encode()) is ImportFormat.SHOPIFY_CSV
    with pytest.raises(FileRefused):
        detect_format("upload", b"hello")


def test_html_descriptions_become_inert_text() -> None:
    html = '<div onclick="x()">Tasty<br>jam</div><style>p{}</style><script>evil()</script>&lt;3'
    assert html_to_text(html) == "Tasty\njam\n<3"
    assert html_to_text("Salt & pepper") == "Salt & pepper"


def test_weights_in_grams() -> None:
    assert [grams(t) for t in ("500 g", "1.2 kg", "2 lb", "12", "0.5 oz", "heavy")] == [
        500, 1200, 907, 12, 14, None,
    ]  # fmt: skip
