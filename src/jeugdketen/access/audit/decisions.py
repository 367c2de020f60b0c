"""Asking the policy and logging its answer: `authorize` (allowed: logged now; denied:
AccessDenied, logged when the action's work is undone), `if_allowed` for an optional
part of a page, `authorize_many` for listings, `get_or_deny` for a record by id."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models

from jeugdketen.access.audit.chain import append
from jeugdketen.access.audit.records import entry
from jeugdketen.access.policy import Action, Actor, Data, Decision, Target, decide


class AccessDenied(Exception):
    """The policy said no. The denied attempt is logged when the action's work is undone."""

    def __init__(self, actor: Actor, action: Action, target: Target, decision: Decision,
                 *, rule: str = "", message: str = ""):
        super().__init__(decision.reason)
        self.actor = actor
        self.action = action
        self.target = target
        self.decision = decision
        self.logged = False
        # A rule the caller may be told (it says nothing about any record), e.g.
        # "organisation_may_not_signal".
        self.rule = rule
        self.message = message


def authorize(actor: Actor, action: Action, target: Target) -> Decision:
    """Ask the policy, log an allowed answer now, raise AccessDenied on a denied one."""
    decision = if_allowed(actor, action, target)
    if not decision.allowed:
        raise AccessDenied(actor, action, target, decision)
    return decision


def if_allowed(actor: Actor, action: Action, target: Target) -> Decision:
    """For an optional part of a page (shown only where there is a ground): ask the policy
    once, log the access when allowed, and return the answer without raising."""
    decision = decide(actor, action, target)
    if decision.allowed:
        append([entry(actor, action, t, decision) for t in _per_person(target)])
    return decision


def authorize_many(actor: Actor, action: Action, targets: list[Target]) -> list[Target]:
    """For listings: each listed record counts as read. Returns the allowed targets; denied
    ones are logged as denied and left out."""
    allowed, rows = [], []
    for target in targets:
        decision = decide(actor, action, target)
        rows.append(entry(actor, action, target, decision))
        if decision.allowed:
            allowed.append(target)
    append(rows)
    return allowed


def _per_person(target: Target) -> list[Target]:
    """An access to several persons at once (a household, a family plan) is logged for each
    of them, so it names the client and shows in each person's access overview."""
    if target.person is None and target.members:
        return [replace(target, person=member) for member in target.members]
    return [target]


M = TypeVar("M", bound=models.Model)


def get_or_deny(actor: Actor, action: Action, data: Data,
                queryset: models.QuerySet[M] | models.Manager[M], pk: Any,
                what: str = "record") -> M:
    """The record, or AccessDenied as for a forbidden one: an unknown or malformed id and a
    record without a ground look the same from outside (and both are logged as denied)."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise AccessDenied(actor, action, Target(data, object_id=str(pk)[:64]),
                           Decision.deny(f"no such {what}")) from None
