"""Buyer accounts, their ship-to locations and their users."""
