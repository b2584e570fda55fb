"""Extraction components, one module per role."""
