"""The registry's pages: persons, households, emergency access and reports back to the BRP,
and the administration of organisations, professionals and the municipality's settings
(registry/urls.py)."""
