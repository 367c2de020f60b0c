"""The one error model of the write path (docs/decisions/0008-one-error-model.md).

- `Refusal`: the access policy allowed the attempt, the platform refused it. Either a
  domain rule (an ended municipality, a proposal already decided, the BRP unreachable:
  `Refusal(rule, message, status=..., field=...)`) or invalid input, every field that
  breaks a rule at once (`Refusal.invalid([FieldError(field, rule, message), ...])`).
- `AccessDenied` (jeugdketen.access.audit) is not a refusal: no ground, 403, and it never
  says which field or record was the reason.
- Malformed input the API's schema catches before any action runs is neither: the API
  answers it as invalid input, like `Refusal.invalid`.

One mapper turns a refusal into what a caller shows: `field_errors` (a form: each message
on the field it names, or on the form as a whole) and `problem_details` (the API: an RFC
9457 body without `instance`, which the request adds). It takes a Refusal only: Django's
`ValidationError`, still raised by the field validators (registry.validators), is turned
into a refusal where it is raised, by the action that called the validator (`field_error`
names the field and keeps the validator's code as the rule).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

# The rule of a refusal for invalid input: its fields name the rules they broke.
INVALID_INPUT = "invalid-input"


@dataclass(frozen=True)
class FieldError:
    """One field that broke one rule. `field` "" is the input as a whole."""

    field: str
    rule: str
    message: str


class Refusal(Exception):
    """An action refused by a domain rule or for invalid input (not by the access policy).
    The API answers it as problem details naming the rule; a page shows it on the form."""

    def __init__(self, rule: str, message: str, *, status: int = 422, field: str = "",
                 existing: dict[str, Any] | None = None,
                 errors: Iterable[FieldError] = ()):
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.status = status
        self.field = field
        self.existing = existing or {}
        self.errors: tuple[FieldError, ...] = tuple(errors) or (
            FieldError(field, rule, str(message)),)

    @classmethod
    def invalid(cls, errors: Iterable[FieldError] | Mapping[str, FieldError]) -> Refusal:
        """Invalid input: every field that broke a rule, all at once (422)."""
        found = tuple(errors.values() if isinstance(errors, Mapping) else errors)
        fields = {e.field for e in found}
        return cls(INVALID_INPUT, " ".join(dict.fromkeys(e.message for e in found)),
                   field=found[0].field if len(fields) == 1 else "", errors=found)

    @property
    def is_invalid_input(self) -> bool:
        return self.rule == INVALID_INPUT

    @property
    def messages(self) -> list[str]:
        return [e.message for e in self.errors]

    @property
    def message_dict(self) -> dict[str, list[str]]:
        """The messages per field, in the order they were found."""
        out: dict[str, list[str]] = {}
        for e in self.errors:
            out.setdefault(e.field, []).append(e.message)
        return out

    @property
    def reason(self) -> str:
        """What the access log records as the reason of a refused attempt: the rule, or
        for invalid input the fields and their rules (never the messages, which may quote
        input): "invalid birth_date: brp_mismatch; bsn: brp_mismatch"."""
        if not self.is_invalid_input:
            return self.rule
        rules: dict[str, set[str]] = {}
        for e in self.errors:
            rules.setdefault(e.field, set()).add(e.rule)
        if set(rules) == {""}:
            return "invalid: " + ", ".join(sorted(rules[""]))
        return "invalid " + "; ".join(f"{name}: {', '.join(sorted(codes))}"
                                      for name, codes in sorted(rules.items()))


def field_error(name: str, exc: ValidationError) -> FieldError:
    """A field validator's ValidationError (one message) as the error of field `name`."""
    return FieldError(name, str(exc.code or "invalid"), exc.messages[0])


# How an action's field names become a form's: a mapping (a field it does not name keeps
# its name), or a function of the action's field name; None is the form as a whole.
FieldMap = Mapping[str, str | None] | Callable[[str], str | None]


def field_errors(exc: Refusal, fields: Iterable[str], field_map: FieldMap | None = None
                 ) -> list[tuple[str | None, str]]:
    """(form field or None for the form as a whole, message) for each error of a refusal.
    `field_map` renames an action's field to the form's (None: the form as a whole); a
    field the form does not have is the form's as a whole."""
    known = set(fields)
    out: list[tuple[str | None, str]] = []
    for e in exc.errors:
        if field_map is None:
            name: str | None = e.field
        elif callable(field_map):
            name = field_map(e.field)
        else:
            name = field_map.get(e.field, e.field)
        out.append((name if name in known else None, e.message))
    return out


def problem_details(refusal: Refusal) -> dict[str, Any]:
    """The RFC 9457 problem for a refusal, without `instance` (the request's path): invalid
    input is "Invalid input" listing every field; a rule is "Refused", typed by the rule,
    with its status (422, 409, 429, 503, ...). Every error names its field ("body" for the
    input as a whole) and its rule."""
    errors = [{"field": e.field or "body", "rule": e.rule, "message": str(e.message)}
              for e in refusal.errors]
    if refusal.is_invalid_input:
        body: dict[str, Any] = {
            "type": f"urn:jeugdketen:problem:{INVALID_INPUT}", "title": "Invalid input",
            "status": 422, "detail": "One or more fields are invalid."}
    else:
        body = {"type": f"urn:jeugdketen:problem:{refusal.rule}", "title": "Refused",
                "status": refusal.status}
        if str(refusal.message):
            body["detail"] = str(refusal.message)
    if refusal.existing:
        body["existing"] = refusal.existing
    body["errors"] = errors
    return body
