"""The ``orderdesk`` command."""
