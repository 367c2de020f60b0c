"""The shell's views: the start page (home), login and the second factor (auth), the error
pages (errors). config/urls.py refers to the error views here by name
(jeugdketen.web.views.forbidden, not_found, server_error)."""

from jeugdketen.web.views.errors import csrf_failure, forbidden, not_found, server_error

__all__ = ["csrf_failure", "forbidden", "not_found", "server_error"]
