"""Packaging: the self-test, diagnostics, log files, the production server guard."""
