"""Orderpad supplier server: the authority for pricing, stock, approvals and order status."""
