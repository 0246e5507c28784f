"""Warehouses and stock per product and warehouse."""
