"""The registry's pages: persons, households, emergency access and reports back to the BRP
(registry/urls.py)."""
