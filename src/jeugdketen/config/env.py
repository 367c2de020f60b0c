"""Configuration from environment variables only.

Every variable is documented in docs/operations.md with its default. This module reads
them once; settings.py uses the values.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def project_root() -> Path:
    """The working directory of the deployment; var/ lives below it."""
    return Path(os.environ.get("JEUGDKETEN_HOME", os.getcwd())).resolve()


def var_dir() -> Path:
    path = Path(os.environ.get("JEUGDKETEN_VAR", project_root() / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def positive_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise ValueError(f"{name} must be a whole number above 0, not {value!r}")
    return number


def positive_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number > 0:
        raise ValueError(f"{name} must be a number above 0, not {value!r}")
    return number


def secret_key() -> str:
    """SECRET_KEY from the environment, else one generated on first run under var/."""
    value = os.environ.get("SECRET_KEY")
    if value:
        return value
    path = var_dir() / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def database_url() -> str:
    value = os.environ.get("DATABASE_URL")
    if value:
        return value
    return f"sqlite:///{var_dir() / 'jeugdketen.sqlite3'}"
