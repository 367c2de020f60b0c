"""A report through the public form (/melden): anyone, without logging in, about a child
the front-door team then identifies through the BRP. The reporter gets a reference and
the day the triage is due; they never read the report back."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Target
from jeugdketen.chainlog.actions import moment
from jeugdketen.core.errors import Refusal, field_error
from jeugdketen.intake.actions import _common as c
from jeugdketen.intake.actions.reports import received
from jeugdketen.intake.models import CareReport, ReporterKind
from jeugdketen.registry.models import Municipality, PostcodeAddress
from jeugdketen.registry.validators import normalise_postcode, split_house_number


def _address(postcode: Any, house_number: Any, municipality: Municipality
             ) -> tuple[str, str, str]:
    """The postcode and house number as given (checked for their form), and the
    neighbourhood they lie in when the postcode table knows it within this municipality."""
    code = c.text(postcode, "postcode", required=False, limit=7)
    number = c.text(str(house_number) if isinstance(house_number, int) else house_number,
                    "house_number", required=False, limit=10)
    if code:
        try:
            code = normalise_postcode(code)
        except ValidationError as exc:
            raise Refusal.invalid([field_error("postcode", exc)]) from None
    parsed: int | None = None
    if number:
        try:
            parsed = split_house_number(number)[0]
        except ValidationError as exc:
            raise Refusal.invalid([field_error("house_number", exc)]) from None
    hood = ""
    if code and parsed is not None:
        hood = (PostcodeAddress.objects.filter(
            postcode=code, house_number=parsed,
            neighbourhood__district__municipality=municipality)
            .values_list("neighbourhood_id", flat=True).first()) or ""
    return code, number, hood


MUNICIPALITY_CODE = re.compile(r"GM[0-9]{4}")


@audit.write_path
def report_public(actor: Actor, *, municipality_code: str, given_name: str, family_name: str,
                  birth_date: date | None = None, postcode: str = "", house_number: str = "",
                  question: str, life_domains: list[str], urgency: str, unsafe: bool,
                  desired_result: str = "", reporter_name: str = "",
                  reporter_relation: str = "", contact_phone: str = "",
                  contact_email: str = "", at: datetime | None = None) -> CareReport:
    """A report through the public form, by the anonymous actor of the request. Returns the
    report: its `reference` and `step_due_on` (the day the triage is due) are what the
    confirmation page shows; nothing of it is ever read back through this channel."""
    now = moment(at)
    code = str(municipality_code or "")
    # A CBS code (GMnnnn) before any look-up: anything else (a NUL, which PostgreSQL
    # refuses in a text parameter, included) is no municipality.
    municipality = (Municipality.objects.filter(pk=code).first()
                    if MUNICIPALITY_CODE.fullmatch(code) else None)
    if municipality is None:
        raise Refusal("unknown_municipality", _("Kies de gemeente waar het kind woont."),
                      field="municipality_code")
    draft = CareReport(trajectory_key=uuid.uuid4(), municipality=municipality,
                       reporter_kind=ReporterKind.PUBLIC, consent_to_share=False)
    audit.authorize(actor, Action.CREATE, Target(Data.CARE_REPORT, report=draft))
    draft.given_name = c.text(given_name, "given_name", limit=200)
    draft.family_name = c.text(family_name, "family_name", limit=200)
    if birth_date is not None and (not isinstance(birth_date, date)
                                   or isinstance(birth_date, datetime)
                                   or birth_date > timezone.localdate(now)):
        raise Refusal("birth_date", _("Een geboortedatum, niet na vandaag."),
                      field="birth_date")
    draft.birth_date = birth_date
    draft.postcode, draft.house_number, draft.neighbourhood_code = _address(
        postcode, house_number, municipality)
    draft.question = c.text(question, "question")
    draft.life_domains = c.life_domains(life_domains)
    draft.urgency = c.urgency(urgency)
    draft.unsafe = c.flag(unsafe, "unsafe")
    draft.desired_result = c.text(desired_result, "desired_result", required=False)
    draft.reporter_name = c.text(reporter_name, "reporter_name", required=False, limit=200)
    draft.reporter_relation = c.text(reporter_relation, "reporter_relation", required=False,
                                     limit=100)
    draft.contact_phone = c.phone(contact_phone, "contact_phone")
    draft.contact_email = c.email(contact_email, "contact_email")
    if not draft.contact_phone and not draft.contact_email:
        raise Refusal("contact", _("Vul een telefoonnummer of e-mailadres in, zodat het "
                                   "team u kan bereiken."), field="contact_phone")
    return received(draft, actor, now)
