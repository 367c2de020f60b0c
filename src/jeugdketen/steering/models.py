"""The steering app's tables (issue 13)."""

from __future__ import annotations
