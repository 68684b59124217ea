"""What the imports pages show for formats, modes, statuses and error codes (msgids)."""

from __future__ import annotations

from typing import Final

from galerie.web.i18n import N_

FORMATS: Final = {
    "google_tsv": N_("Google Merchant Center feed (TSV)"),
    "google_xml": N_("Google Merchant Center feed (XML)"),
    "shopify_csv": N_("Shopify product CSV"),
    "json": N_("Galerie JSON"),
}
MODES: Final = {"dry_run": N_("Dry run"), "apply": N_("Full import")}
STATUSES: Final = {
    "queued": N_("Import waiting"),
    "running": N_("Import running"),
    "done": N_("Import finished"),
    "failed": N_("Import failed"),
}
# Error codes of rows and files -> people-facing text; the row's own message adds detail.
IMPORT_MESSAGES: Final[dict[str, str]] = {
    "file_too_large": N_("The file is larger than 20 MB."),
    "file_empty": N_("The file is empty."),
    "file_not_utf8": N_("The file is not UTF-8 text. Save it as UTF-8 and upload it again."),
    "file_not_text": N_("The file is not a text feed."),
    "bad_header": N_("The first row does not name the columns this format needs."),
    "malformed_file": N_("The file is malformed or cut short."),
    "unsafe_xml": N_("The XML feed uses entities or external references, which are refused."),
    "too_many_rows": N_("The file has too many rows (at most 50,000)."),
    "unknown_format": N_("The file's format is not recognised: choose it in the list."),
    "file_not_found": N_("The uploaded file is gone."),
    "internal_error": N_("Something went wrong on our side."),
    "required": N_("A required value is missing."),
    "too_long": N_("The value is too long."),
    "bad_type": N_("The value has the wrong type."),
    "bad_price": N_("The price is not a positive amount."),
    "unsupported_currency": N_("The currency is not supported."),
    "wrong_currency": N_("Prices must be in the shop's currency."),
    "invalid_gtin": N_("The GTIN is not valid (check digit)."),
    "unknown_category": N_("Unknown category: map it to one of ours below."),
    "brand_not_authorised": N_("The shop is not authorised for this brand."),
    "duplicate_sku": N_("The SKU code appears twice in the file."),
    "missing_option": N_("The variant has no value for one of the options."),
    "bad_weight": N_("The weight is not understood."),
    "bad_image_url": N_("The image address is not an http(s) address."),
    "wrong_column_count": N_("The row does not have as many columns as the header."),
    "unknown_language": N_("Unknown language."),
    "bad_return_exclusion": N_("Unknown return exclusion."),
    "bad_category_text": N_("Enter the category text (1 to 200 characters)."),
    "category_not_found": N_("No category has this id."),
    "import_not_applicable": N_("Only a finished dry run can be applied."),
}
OTHER_PROBLEM: Final = N_("The catalog refused this product.")


def import_message(code: str) -> str:
    return IMPORT_MESSAGES.get(code, OTHER_PROBLEM)
