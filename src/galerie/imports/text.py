"""Text helpers for feeds: strict UTF-8 decoding, HTML descriptions reduced to plain text
(scripts, styles and tags dropped; entities decoded), language codes and weights."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

from galerie.imports.rows import LANGUAGES, MAX_FILE_BYTES, FileRefused

_BLOCKS = frozenset({"p", "br", "div", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
_SKIPPED = frozenset({"script", "style", "template", "iframe", "object", "noscript"})
_SPACES = re.compile(r"[ \t\r\f\v]+")
_WEIGHT = re.compile(r"^\s*([0-9]{1,9}(?:\.[0-9]{1,4})?)\s*(g|kg|oz|lb|lbs)?\s*$", re.IGNORECASE)
_GRAMS_PER = {"g": Decimal(1), "kg": Decimal(1000), "oz": Decimal("28.349523125"),
              "lb": Decimal("453.59237"), "lbs": Decimal("453.59237")}  # fmt: skip


def decode(data: bytes) -> str:
    """The file as text: strict UTF-8 (a byte-order mark is dropped), refused when too big,
    empty or not UTF-8."""
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.", code="file_too_large"
        )
    if not data.strip():
        raise FileRefused("The file is empty.", code="file_empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            f"The file is not valid UTF-8 (byte {exc.start}).", code="file_not_utf8"
        ) from exc
    if "\x00" in text:
        raise FileRefused("The file holds NUL characters: not a text feed.", code="file_not_text")
    return text.removeprefix("\ufeff")


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text from an HTML fragment: tags removed (the content of script, style and the
    like dropped with them), entities decoded, blank lines and runs of spaces collapsed."""
    if "<" not in html and "&" not in html:
        return html.strip()
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def language_code(text: str) -> str | None:
    """ "zh_cn", "ZH-CN", "zh-CN" -> "zh-CN"; "EN" -> "en"; None when not a shop language."""
    wanted = text.strip().replace("_", "-").lower()
    return next((code for code in LANGUAGES if code.lower() == wanted), None)


def grams(text: str) -> int | None:
    """ "500 g", "1.2 kg", "12 oz", "2 lb" or a bare number of grams -> whole grams, rounded
    half up; None when it is not a weight."""
    match = _WEIGHT.match(text)
    if match is None:
        return None
    try:
        value = Decimal(match.group(1)) * _GRAMS_PER[(match.group(2) or "g").lower()]
    except InvalidOperation:  # pragma: no cover - the pattern guards this
        return None
    return int(value.quantize(Decimal(1), rounding="ROUND_HALF_UP"))
