"""Inventory: warehouses, stock per SKU per warehouse, movements, reservations. Public surface."""
