"""The web UI's views, one module per area. config/urls.py refers to the error views
here by name (jeugdketen.web.views.forbidden, not_found, server_error)."""

from jeugdketen.web.views.errors import csrf_failure, forbidden, not_found, server_error

__all__ = ["csrf_failure", "forbidden", "not_found", "server_error"]
