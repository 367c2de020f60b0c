"""The access pages: the access overview and log, the privacy officer's review of
emergency access, and API tokens (access/urls.py)."""
