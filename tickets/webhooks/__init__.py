"""Inbound webhooks of the shared spine: Shopify orders."""
