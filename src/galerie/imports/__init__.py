"""Bulk import and export of catalogs (Google Merchant feeds, Shopify CSV, our JSON). Public surface."""
