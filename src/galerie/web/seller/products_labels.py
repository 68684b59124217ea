"""What the seller centre and the console show for the catalog's values and codes (msgids,
translated where they are rendered)."""

from __future__ import annotations

from typing import Final

from galerie.kernel import DomainError
from galerie.web.i18n import N_
from galerie.web.messages import BY_CODE, GENERIC

LISTING_STATUS: Final = {
    "draft": N_("Draft"),
    "pending": N_("Pending review"),
    "live": N_("Live"),
    "rejected": N_("Rejected"),
    "delisted": N_("Delisted"),
}
LISTING_ACTION: Final = {
    "create": N_("Created"),
    "submit": N_("Submitted by the seller"),
    "pass_checks": N_("Automatic checks passed"),
    "fail_checks": N_("Automatic checks found problems"),
    "hold_for_review": N_("Changed: back to review"),
    "approve": N_("Approved by the platform"),
    "reject": N_("Rejected by the platform"),
    "delist": N_("Delisted by the platform"),
    "withdraw": N_("Withdrawn by the seller"),
}
RETURN_EXCLUSION: Final = {
    "": N_("Returnable without a reason"),
    "custom_made": N_("Custom-made: no returns without a reason"),
    "perishable": N_("Perishable: no returns without a reason"),
    "opened_media": N_("Media, once opened: no returns without a reason"),
}
LANGUAGE: Final = {"zh-CN": N_("Chinese"), "en": N_("English"), "fr": N_("French")}
VALUE_TYPE: Final = {
    "text": N_("Text"),
    "number": N_("Number"),
    "enum": N_("One of a list"),
    "boolean": N_("Yes or no"),
}
PRODUCT_MESSAGES: Final[dict[str, str]] = {
    "transition_not_allowed": N_("This action is not allowed in the current state."),
    "stale_state": N_("Someone else changed this first. Reload the page and try again."),
    "product_conflict": N_("The product was saved at the same time elsewhere. Try again."),
    "reason_required": N_("Give a reason."),
    "reason_too_long": N_("The reason is too long (at most 2,000 characters)."),
    "empty_file": N_("The file is empty."),
    "file_too_large": N_("The file is too large (at most 10 MB)."),
    "unsupported_image": N_("Upload a JPEG, PNG or WebP image."),
    "image_too_large": N_("This image has too many pixels."),
    "image_too_small": N_("This image is too small (at least 50 pixels a side)."),
    "image_damaged": N_("This image is damaged or truncated."),
    "too_many_images": N_("A product has at most 12 images."),
    "bad_code": N_("Use lower-case letters, digits and underscores."),
    "bad_name": N_("Enter a name of 1 to 100 characters."),
    "bad_value_type": N_("Choose one of the options offered."),
    "options_missing": N_("List the allowed values, one per line."),
    "bad_unit": N_("A unit has at most 10 characters."),
    "bad_commission": N_("Commission: 0 to 10000 basis points."),
    "category_inactive": N_("This listing's category is inactive: the seller must choose another."),
}
PRODUCT_LABELS: Final = {
    "status": LISTING_STATUS,
    "action": LISTING_ACTION,
    "return_exclusion": RETURN_EXCLUSION,
    "language": LANGUAGE,
    "value_type": VALUE_TYPE,
}


def product_message(error: DomainError) -> str:
    return PRODUCT_MESSAGES.get(error.code) or BY_CODE.get(error.code, GENERIC)
