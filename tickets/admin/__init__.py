"""The admin, for supervisors: one module per part of the model; importing them registers them.

Service-owned fields are read-only here; changes go through admin actions that call the
services (tickets.admin.actions)."""

from tickets.admin import cases, orders, portal, setup

__all__ = ["cases", "orders", "portal", "setup"]
