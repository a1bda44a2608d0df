"""orderdesk: a self-hostable order management system."""

__version__ = "0.1.0"
