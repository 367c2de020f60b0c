"""The one error model (docs/decisions/0008-one-error-model.md): a refusal and its one
mapper to form errors and problem details. The mapper takes a Refusal only; a field
validator's ValidationError becomes one where it is raised (field_error)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from jeugdketen.core.errors import (
    INVALID_INPUT,
    FieldError,
    Refusal,
    field_error,
    field_errors,
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


def test_a_validators_validation_error_becomes_the_named_fields_error_where_it_is_raised():
    """The mapper takes a Refusal only: an action turns what a field validator raises into
    its refusal (field_error: the validator's code is the rule, its message interpolated)."""
    raised = ValidationError("Tussen %(low)s en %(high)s.", code="duration_range",
                             params={"low": 1, "high": 9})
    refusal = Refusal.invalid([field_error("duration_days", raised)])
    assert refusal.errors == (FieldError("duration_days", "duration_range", "Tussen 1 en 9."),)
    assert refusal.reason == "invalid duration_days: duration_range"
    assert problem_details(refusal)["errors"] == [
        {"field": "duration_days", "rule": "duration_range", "message": "Tussen 1 en 9."}]
    plain = Refusal.invalid([field_error("", ValidationError("Fout.", code="cbs_layout"))])
    assert plain.errors == (FieldError("", "cbs_layout", "Fout."),)
    assert plain.reason == "invalid: cbs_layout"
    assert problem_details(plain)["errors"][0]["field"] == "body"
    # No code: the rule is "invalid".
    assert field_error("bsn", ValidationError("Geen BSN.")).rule == "invalid"


def test_form_errors_land_on_the_named_field_or_the_form_as_a_whole():
    exc = Refusal.invalid([FieldError("name", "required", "Verplicht."),
                           FieldError("members[0].person_id", "brp_no_tie", "Geen band."),
                           FieldError("scores", "range", "Buiten bereik.")])
    assert field_errors(exc, ["name", "person", "scores"],
                        {"members[0].person_id": "person", "scores": None}) == [
        ("name", "Verplicht."), ("person", "Geen band."), (None, "Buiten bereik.")]
    assert field_errors(exc, ["other"]) == [
        (None, "Verplicht."), (None, "Geen band."), (None, "Buiten bereik.")]


def test_a_function_renames_the_actions_fields_for_the_form():
    exc = Refusal.invalid([FieldError("scores[1].family_score", "domain_score", "1 tot 5."),
                           FieldError("stress[0].level", "stress_level", "Kies."),
                           FieldError("made_on", "analysis_date", "Niet vandaag.")])
    rename = {"scores[1].family_score": "school__family_score",
              "stress[0].level": "stress_level"}.get
    assert field_errors(exc, ["school__family_score", "stress_level"], rename) == [
        ("school__family_score", "1 tot 5."), ("stress_level", "Kies."), (None, "Niet vandaag.")]
