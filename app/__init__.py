"""Orderpad: offline-capable B2B ordering client."""

__version__ = "0.1.0"
