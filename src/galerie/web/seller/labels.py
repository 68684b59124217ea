"""What the seller centre shows for the sellers domain's values and codes: msgids, translated
where they are rendered. A code without an entry falls back to the generic message."""

from __future__ import annotations

from typing import Final

from galerie.kernel import DomainError
from galerie.web.forms import NOT_A_CHOICE
from galerie.web.i18n import N_
from galerie.web.messages import BY_CODE, GENERIC

# DomainError codes of the sellers domain (and the storage checks) -> people-facing text.
SELLER_MESSAGES: Final[dict[str, str]] = {
    "bad_applicant_kind": NOT_A_CHOICE,
    "bad_shop_type": NOT_A_CHOICE,
    "bad_document_kind": NOT_A_CHOICE,
    "bad_legal_name": N_("Enter between 1 and 200 characters."),
    "bad_legal_representative": N_("Enter between 1 and 200 characters."),
    "bad_bank_account_holder": N_("Enter between 1 and 200 characters."),
    "bad_address": N_("Enter between 1 and 500 characters."),
    "bad_registration_number": N_(
        "Enter the registration number as printed (letters, digits, - . /)."
    ),
    "bad_country": N_("Use the two-letter ISO 3166 country code, for example CN or FR."),
    "bad_contact_email": N_("Enter a valid e-mail address."),
    "bad_contact_phone": N_("Enter a phone number: digits, spaces, +, ( ) and -."),
    "bad_bank_account_number": N_("Enter the IBAN or account number: 8 to 34 letters and digits."),
    "shop_type_not_for_applicant": N_(
        "Individuals open individual shops; businesses open the other types."
    ),
    "bad_category_ids": N_("Choose between 1 and 10 top-level categories."),
    "unknown_category": NOT_A_CHOICE,
    "bad_brand_ids": N_("Choose the brands you will sell (up to 20; none for an individual shop)."),
    "unknown_brand": NOT_A_CHOICE,
    "bad_brand_id": N_(
        "Trademark certificates and authorisations name their brand, and only they do."
    ),
    "application_not_editable": N_("This application cannot be changed in its current state."),
    "transition_not_allowed": N_("This action is not allowed in the current state."),
    "stale_state": N_("Someone else changed this first. Reload the page and try again."),
    "qualification_required": N_("Name the qualification, for example food_business_licence."),
    "qualification_not_allowed": N_("Only a category qualification names a qualification."),
    "bad_qualification": N_("Use lower-case letters, digits and underscores."),
    "bad_valid_until": N_("Enter a date as YYYY-MM-DD."),
    "bad_filename": N_("The file needs a name of 1 to 200 characters."),
    "empty_file": N_("The file is empty."),
    "file_too_large": N_("The file is too large (at most 10 MB)."),
    "unsupported_file_type": N_("Upload a PDF, JPEG or PNG file."),
    "file_type_mismatch": N_("The file's name does not match its content."),
    "bad_name": N_("Enter a name of 1 to 120 characters."),
    "bad_slug": N_("Use 3 to 60 lower-case letters, digits and hyphens."),
    "bad_descriptions": N_("Enter at most 5,000 characters, without control characters."),
    "bad_navigation": N_("Enter up to 20 entries of at most 60 characters, one per line."),
    "slug_taken": N_("Another shop uses this address. Choose another one."),
    "shop_closed": N_("This shop is closed."),
    "deposit_not_paid": N_("Pay the deposit before opening the shop."),
    "already_allowed": N_("The shop is already approved for one of these."),
    "nothing_to_add": N_("Choose a category or a brand to add."),
    "individual_shop_has_no_brands": N_("An individual shop sells without brands."),
    "shop_not_extendable": N_("Only a preparing or live shop can add categories or brands."),
    "extension_not_editable": N_(
        "This request adds fixed categories and brands; start a new one to ask for others."
    ),
}


def seller_message(error: DomainError) -> str:
    return SELLER_MESSAGES.get(error.code) or BY_CODE.get(error.code, GENERIC)


APPLICATION_STATUS: Final = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "under_review": N_("Under review"),
    "changes_requested": N_("Changes requested"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
}
APPLICATION_ACTION: Final = {
    "create": N_("Started"),
    "submit": N_("Submitted by the seller"),
    "resubmit": N_("Resubmitted by the seller"),
    "pass_checks": N_("Automatic checks passed"),
    "fail_checks": N_("Automatic checks found problems"),
    "request_changes": N_("Changes requested by the reviewer"),
    "approve": N_("Approved by the reviewer"),
    "reject": N_("Rejected by the reviewer"),
}
APPLICATION_KIND: Final = {
    "opening": N_("New shop"),
    "extension": N_("Categories or brands for a shop"),
}
SHOP_STATUS: Final = {
    "preparing": N_("Preparing (visible only to you)"),
    "live": N_("Live"),
    "suspended": N_("Suspended"),
    "closed": N_("Closed"),
    "restricted": N_("Restricted (deposit below the requirement)"),
}
SHOP_ACTION: Final = {
    "publish": N_("Published"),
    "suspend": N_("Suspended by the platform"),
    "reinstate": N_("Reinstated by the platform"),
    "close": N_("Closed by the platform"),
    "restrict": N_("Restricted: the deposit was not topped up in time"),
    "lift_restriction": N_("Restriction lifted: the deposit was topped up"),
}
SHOP_TYPE: Final = {
    "flagship": N_("Flagship store"),
    "authorised": N_("Authorised store"),
    "multi_brand": N_("Multi-brand store"),
    "individual": N_("Individual shop"),
}
APPLICANT_KIND: Final = {
    "business": N_("A business"),
    "individual": N_("An individual"),
}
DOCUMENT_KIND: Final = {
    "business_licence": N_("Business licence"),
    "tax_registration": N_("Tax registration"),
    "legal_representative_id": N_("Legal representative's ID"),
    "bank_account_proof": N_("Bank account proof"),
    "trademark_certificate": N_("Trademark certificate"),
    "brand_authorisation": N_("Brand authorisation letter"),
    "category_qualification": N_("Category qualification"),
}
FINDING: Final = {
    "missing_document": N_("A required document is missing."),
    "document_expired": N_("A document has expired."),
    "document_expiring": N_("A document expires within 30 days."),
    "qualification_missing": N_("A category needs a qualification you have not supplied."),
    "multi_brand_too_few_brands": N_("A multi-brand store sells two or more brands."),
    "multi_brand_across_categories": N_("A multi-brand store stays within one top-level category."),
    "authorised_needs_one_brand": N_("An authorised store sells exactly one brand."),
    "flagship_needs_a_brand": N_("A flagship store sells its own brand."),
    "flagship_brand_not_exclusive": N_(
        "A flagship store sells only brands it owns or holds exclusively."
    ),
    "brand_not_authorised": N_("No current authorisation for this brand."),
    "authorisation_too_short": N_(
        "The brand authorisation must be valid for at least one more year."
    ),
    "registration_number_in_use": N_("Another seller already uses this registration number."),
}
STEPS: Final = (
    ("entity", N_("Legal entity, contacts and bank")),
    ("shop", N_("Shop type, categories and brands")),
    ("documents", N_("Documents")),
    ("review", N_("Review and submit")),
)
LABELS: Final = {
    "application_status": APPLICATION_STATUS,
    "application_action": APPLICATION_ACTION,
    "application_kind": APPLICATION_KIND,
    "shop_status": SHOP_STATUS,
    "shop_action": SHOP_ACTION,
    "shop_type": SHOP_TYPE,
    "applicant_kind": APPLICANT_KIND,
    "document_kind": DOCUMENT_KIND,
    "finding": FINDING,
}
