"""The `jeugdketen` command: Django's management commands with the platform's settings.

    jeugdketen migrate | serve [--host H] [--port P] | demo [--scale N] |
    createadmin USERNAME | audit verify | audit anchor | events export | ...
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jeugdketen", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
