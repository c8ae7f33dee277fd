"""The customer portal at /portal/: access by magic link, the customer's orders and cases."""
