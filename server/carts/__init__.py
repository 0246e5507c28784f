"""Shared carts: named, per account, editable from several devices line by line."""
