"""Identical requests at the same moment, for the threaded PostgreSQL tests of every write
(tests/*_concurrency_pg.py): each thread has its own database connection and its own test
client, and they start together behind a barrier (tests/registry/test_concurrency_pg.in_threads).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal

from .conftest import ApiClient, token_for
from .registry.test_concurrency_pg import in_threads

N = 8  # as many as the adversarial review sent


def post_at_once(user: Any, path: str, body: Any = None, n: int = N
                 ) -> list[tuple[int, dict[str, Any]]]:
    """n identical POSTs to /api/v1{path} with one token of `user` (a professional or a
    user): a double click, a retry, several tabs. Each answer as (status, JSON body)."""
    token = token_for(getattr(user, "user", user))  # a professional or a user
    clients = [ApiClient(token) for _ in range(n)]

    def post(i: int) -> tuple[int, dict[str, Any]]:
        response = clients[i].post(path, {} if body is None else body)
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", response.content
        return response.status_code, response.json()

    return in_threads(n, post)


def call_at_once(work: Callable[[], Any], n: int = N) -> list[Any]:
    """n identical calls of an action at the same moment; a Refusal or a denial becomes
    ("refused", rule, status) or ("denied",), any other error fails the test."""
    from jeugdketen.access.audit import AccessDenied

    def call(_i: int) -> Any:
        try:
            return work()
        except Refusal as refused:
            return ("refused", refused.rule, refused.status)
        except AccessDenied:
            return ("denied",)

    return in_threads(n, call)


def statuses(results: list[tuple[int, dict[str, Any]]]) -> list[int]:
    return sorted(status for status, _body in results)


def one_wins(results: list[tuple[int, dict[str, Any]]], won: int, lost: int,
             rule: str | None = None) -> dict[str, Any]:
    """Exactly one request did it (status `won`); every other one got `lost` (with this
    problem rule). Returns the winner's body."""
    assert statuses(results) == sorted([won] + [lost] * (len(results) - 1)), results
    if rule is not None:
        rules = {body["errors"][0]["rule"] for status, body in results if status == lost}
        assert rules == {rule}, results
    return next(body for status, body in results if status == won)


def events(activity: str, **filters: Any) -> int:
    return ChainEvent.objects.filter(activity=activity, **filters).count()
