"""Approval rules of buyer accounts, the approval state of orders, and decisions."""
