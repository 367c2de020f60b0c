"""The platform refuses the BRP stand-in in production settings: DEBUG off without demo
mode must name a real BRP (JEUGDKETEN_BRP_URL). `jeugdketen serve` and the WSGI application
refuse to start (config/wsgi.py); `jeugdketen check --deploy` reports it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

STANDIN_IN_PRODUCTION = Error(
    "JEUGDKETEN_BRP_URL is not set: in production the platform needs the real BRP API.",
    hint="Set JEUGDKETEN_BRP_URL and the municipality's BRP credentials (docs/operations.md); "
         "the BRP stand-in is for demo mode (JEUGDKETEN_DEMO=true) and development (DEBUG).",
    id="jeugdketen.E001",
)


def problems() -> list[Error]:
    if settings.BRP_STANDIN and not settings.DEBUG and not settings.DEMO:
        return [STANDIN_IN_PRODUCTION]
    return []


@register(deploy=True)
def brp_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    return problems()
