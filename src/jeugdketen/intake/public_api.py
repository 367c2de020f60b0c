"""`POST /api/v1/public/care-reports`: the public form as an endpoint (no authentication),
for a municipality's own website or app. Throttled per client address like the form
(intake.throttle): a report beyond the limit is 429 problem details with Retry-After.
The answer is the reference and the date by which the front-door team triages; nothing
can be read back (there is no GET for the public)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from jeugdketen.access.lockout import client_address
from jeugdketen.access.policy import public_actor
from jeugdketen.core.errors import Refusal, problem_details
from jeugdketen.intake import throttle
from jeugdketen.intake.actions.public import report_public

router = Router(tags=["front door"])

PROBLEM = "application/problem+json"
TOO_MANY = "too_many_reports"


class PublicReportIn(Schema):
    municipality_code: str = Field(max_length=6, description="CBS code, e.g. GM0363")
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    birth_date: date | None = None
    postcode: str = Field("", max_length=7)
    house_number: str = Field("", max_length=20)
    question: str = Field(min_length=1, max_length=4000)
    life_domains: list[str] = Field(default_factory=list, max_length=20)
    urgency: Literal["crisis", "urgent", "regular"]
    unsafe: bool = False
    desired_result: str = Field("", max_length=2000)
    reporter_name: str = Field("", max_length=200)
    reporter_relation: str = Field("", max_length=100)
    contact_phone: str = Field("", max_length=30)
    contact_email: str = Field("", max_length=254)


class PublicReportOut(Schema):
    reference: str = Field(description="to quote when calling the front-door team; no "
                                        "look-up key")
    next_step_by: date | None = Field(description="the front-door team triages by this date")


def too_many(request: HttpRequest, verdict: throttle.Verdict) -> HttpResponse:
    refusal = Refusal(TOO_MANY, "This address sent as many reports as allowed for now. "
                      f"Try again in {verdict.retry_after} seconds. In danger: call 112; "
                      "unsafe at home: Veilig Thuis 0800-2000.", status=429)
    body: dict[str, Any] = problem_details(refusal)
    body["instance"] = request.path
    body["retry_after_seconds"] = verdict.retry_after
    response = HttpResponse(json.dumps(body, cls=DjangoJSONEncoder), status=429,
                            content_type=PROBLEM)
    response["Retry-After"] = str(verdict.retry_after)
    return response


TOO_MANY_ANSWER = {
    "description": "Too many reports from this client address (5 an hour, 20 a day by "
                   "default); try again after Retry-After seconds.",
    "headers": {"Retry-After": {"description": "seconds", "schema": {"type": "integer"}}},
    "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


@router.post("/public/care-reports", auth=None, response={201: PublicReportOut},
             openapi_extra={"responses": {"429": TOO_MANY_ANSWER}})
def create_public_report(request: HttpRequest, payload: PublicReportIn) -> Any:
    address = client_address(request)
    taken = throttle.take(address)
    if not taken.allowed:
        return too_many(request, taken)
    actor = public_actor(address, (request.META.get("HTTP_USER_AGENT", "") or "")[:300])
    try:
        made = report_public(actor, **payload.dict())
    except BaseException:
        throttle.give_back(address, taken)
        raise
    return Status(201, {"reference": made.reference, "next_step_by": made.step_due_on})
