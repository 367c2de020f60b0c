"""System check `guide.E001`: every decision-aid file is valid (`jeugdketen check`).

It reads the files again from disk, so an administrator can check changed files with
`JEUGDKETEN_GUIDES_DIR=/new/dir jeugdketen check --tag guides` before a restart (the
start itself refuses broken files, see GuideConfig.ready).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks

from jeugdketen.guide import loader

TAG = "guides"


def guides_are_valid(app_configs: Sequence[AppConfig] | None = None,
                     **kwargs: Any) -> list[checks.CheckMessage]:
    if app_configs is not None and not any(c.label == "guide" for c in app_configs):
        return []
    found = loader.load()
    return [
        checks.Error(
            f"{problem.path or '(the whole file)'}: {problem.message} [rule: {problem.rule}]",
            hint="See docs/guides.md for the format of a decision aid.",
            obj=problem.file,
            id="guide.E001",
        )
        for problem in found.problems
    ]


def register() -> None:
    checks.register(guides_are_valid, TAG)
