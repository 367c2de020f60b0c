"""The write path (decision 0006): `write_path` wraps an action in one transaction for its
change, its access-log records and its chain event, and logs a denied or refused attempt
after the rollback."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction

from jeugdketen.access.audit.chain import _WRITTEN, _forget_deferred, append
from jeugdketen.access.audit.decisions import AccessDenied, _per_person
from jeugdketen.access.audit.records import _fit, entry
from jeugdketen.access.models import Outcome
from jeugdketen.core.errors import Refusal

P = ParamSpec("P")
R = TypeVar("R")


def write_path(fn: Callable[P, R]) -> Callable[P, R]:
    """Wraps an action: one transaction for the change, its access log records and its
    chain event. Whatever stops it rolls all of that back; then

    - a denied attempt (AccessDenied) is logged in its own transaction and re-raised;
    - an attempt the policy allowed but a domain rule refused (Refusal, ValidationError)
      would leave no trace, so its records are written again in their own transaction,
      with the outcome `refused` and the rule as reason, and the refusal is re-raised.

    Inside another action, "its own transaction" is part of that action's transaction:
    when the exception propagates, the outer action rolls back (taking those records with
    it) and logs them again; when it catches it, they stay. Only the outermost action's
    records are final, and each attempt is logged once."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        depth = _DEPTH.get()
        token = _DEPTH.set(depth + 1)
        outer = _WRITTEN.get()
        written: list[dict[str, Any]] = []  # the records this action's transaction holds
        written_token = _WRITTEN.set(written)
        try:
            try:
                with transaction.atomic():
                    result = fn(*args, **kwargs)
            except BaseException:
                _forget_deferred(written)  # rolled back: as if never appended
                raise
            finally:
                _WRITTEN.reset(written_token)  # what is logged from here belongs to `outer`
            if outer is not None:
                outer.extend(written)
            return result
        except AccessDenied as denied:
            if not denied.logged:
                with transaction.atomic():
                    append([entry(denied.actor, denied.action, t, denied.decision)
                            for t in _per_person(denied.target)])
                denied.logged = depth == 0
            raise
        except REFUSALS as refusal:
            if written:
                reason = refusal_reason(refusal)
                with transaction.atomic():
                    append([_refused(values, reason) for values in written])
            raise
        finally:
            _DEPTH.reset(token)

    return wrapper


_DEPTH: contextvars.ContextVar[int] = contextvars.ContextVar("write_path_depth", default=0)


def require_action(name: str) -> None:
    """Refuse to run unless inside an action (`write_path`): in its transaction, after its
    decision, with its log. For the few functions that change data on the decision of the
    action that calls them (access.actions.create_account, switch_accounts, create_token,
    revoke_credentials)."""
    if _DEPTH.get() <= 0:
        raise RuntimeError(f"{name} runs inside an action, on that action's decision")


# Raised after the permission check by a domain rule or a field rule: the policy allowed
# the attempt, the platform refused it.
REFUSALS = (Refusal,)


def refusal_reason(refusal: Exception) -> str:
    """The rule that refused an attempt, for the access log: the Refusal's reason (its rule,
    or for invalid input its fields and rules), or the fields and codes of a
    ValidationError (never the messages, which may quote input)."""
    if isinstance(refusal, Refusal):
        return refusal.reason
    assert isinstance(refusal, ValidationError)
    if hasattr(refusal, "error_dict"):
        fields = [f"{name}: {_codes(errors)}" for name, errors in sorted(refusal.error_dict.items())]
        return "invalid " + "; ".join(fields)
    return "invalid: " + _codes(refusal.error_list)


def _codes(errors: list[ValidationError]) -> str:
    return ", ".join(sorted({str(e.code or "invalid") for e in errors}))


def _refused(values: dict[str, Any], reason: str) -> dict[str, Any]:
    if values["outcome"] != Outcome.ALLOWED:
        return values  # a denied attempt stays what it was
    kept = values["reason"]  # an emergency access keeps its written reason
    return _fit({**values, "outcome": Outcome.REFUSED.value,
                 "reason": f"{reason}: {kept}" if kept else reason})
