"""The one error model (docs/decisions/0008-one-error-model.md): a refusal and its one
mapper to form errors and problem details; a ValidationError answers like invalid input."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from jeugdketen.core.errors import (
    INVALID_INPUT,
    FieldError,
    Refusal,
    field_errors,
    from_validation_error,
    problem_details,
)


def test_a_rule_refusal_is_one_error_naming_its_field_and_rule():
    exc = Refusal("own_account", "Niet uw eigen account.", status=409, field="active")
    assert exc.errors == (FieldError("active", "own_account", "Niet uw eigen account."),)
    assert exc.reason == "own_account" and not exc.is_invalid_input
    assert problem_details(exc) == {
        "type": "urn:jeugdketen:problem:own_account", "title": "Refused", "status": 409,
        "detail": "Niet uw eigen account.",
        "errors": [{"field": "active", "rule": "own_account",
                    "message": "Niet uw eigen account."}]}


def test_invalid_input_lists_every_field_and_logs_fields_and_rules_only():
    exc = Refusal.invalid([FieldError("bsn", "elfproef", "Geen BSN."),
                           FieldError("birth_date", "not_in_future", "Niet in de toekomst.")])
    assert exc.rule == INVALID_INPUT and exc.status == 422
    assert exc.reason == "invalid birth_date: not_in_future; bsn: elfproef"
    assert exc.message_dict == {"bsn": ["Geen BSN."], "birth_date": ["Niet in de toekomst."]}
    body = problem_details(exc)
    assert (body["type"], body["title"], body["status"], body["detail"]) == (
        "urn:jeugdketen:problem:invalid-input", "Invalid input", 422,
        "One or more fields are invalid.")
    assert [e["field"] for e in body["errors"]] == ["bsn", "birth_date"]


def test_a_validation_error_answers_like_invalid_input():
    dict_error = ValidationError({"duration_days": [ValidationError(
        "Tussen %(low)s en %(high)s.", code="duration_range", params={"low": 1, "high": 9})]})
    refusal = from_validation_error(dict_error)
    assert refusal.errors == (FieldError("duration_days", "duration_range", "Tussen 1 en 9."),)
    assert problem_details(dict_error) == problem_details(refusal)
    plain = from_validation_error(ValidationError("Fout.", code="cbs_layout"))
    assert plain.errors == (FieldError("", "cbs_layout", "Fout."),)
    assert plain.reason == "invalid: cbs_layout"
    assert problem_details(plain)["errors"][0]["field"] == "body"


def test_form_errors_land_on_the_named_field_or_the_form_as_a_whole():
    exc = Refusal.invalid([FieldError("name", "required", "Verplicht."),
                           FieldError("members[0].person_id", "brp_no_tie", "Geen band."),
                           FieldError("scores", "range", "Buiten bereik.")])
    assert field_errors(exc, ["name", "person", "scores"],
                        {"members[0].person_id": "person", "scores": None}) == [
        ("name", "Verplicht."), ("person", "Geen band."), (None, "Buiten bereik.")]
    assert field_errors(exc, ["other"]) == [
        (None, "Verplicht."), (None, "Geen band."), (None, "Buiten bereik.")]
