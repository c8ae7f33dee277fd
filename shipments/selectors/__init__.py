"""Reads of shipments that are more than a one-line query."""
