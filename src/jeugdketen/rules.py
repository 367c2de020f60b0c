"""Refusal: an action refused by a domain rule (not by the access policy and not by a
malformed field). The API answers it as problem details naming the rule."""

from __future__ import annotations

from typing import Any


class Refusal(Exception):
    def __init__(self, rule: str, message: str, *, status: int = 422, field: str = "",
                 existing: dict[str, Any] | None = None):
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.status = status
        self.field = field
        self.existing = existing or {}
