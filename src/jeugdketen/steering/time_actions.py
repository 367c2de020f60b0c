"""The write path and logged reads of time and satisfaction (issue 13; docs/steering.md,
"Time and satisfaction").

- `answer_time`: a professional's hours of the ISO week just ended, on families and on
  accountability (once a week: a second answer is refused). Nothing enters the chain log
  yet: an answer is emitted only when its week closes.
- `close_time_weeks`: the platform closes every week whose answering week has ended: its
  answers enter the chain log now, one `time.answered` per team (the team, its
  municipality and neighbourhoods, the number of respondents and their summed hours; no
  person key, no event per person), the teams shuffled, all at the closing moment,
  without an actor, and `time.week_closed`; no answer for it is taken after.
- `own_time_answers`: the professional's own answers (nobody else reads one).
- `send_time_questions`: `jeugdketen steering ask-time` (after `close_time_weeks`): the
  question by e-mail to whoever has not answered the week just ended, and at most one
  reminder.
- `answer_survey`: the year's job-satisfaction survey, anonymous by construction: the
  answer WITHOUT the respondent and without a time, and a separate flag (professional,
  year) against a second answer, in one transaction with nothing that links the two.
- `close_survey`: the municipal analyst closes the year's survey: its answers enter the
  chain log now, shuffled, all with the closing moment and without an actor.
- `set_team_areas` / `team_areas`: the neighbourhoods a team works in (the analyst's).
- `figures`: the time and survey figures per team or area, from the insight store,
  suppressed below the municipality's threshold.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Decision, Ground, Target
from jeugdketen.access.policy.base import CARE_ROLES
from jeugdketen.access.policy.target import Scope as PolicyScope
from jeugdketen.chainlog.actions import emit, emit_many, moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import FieldError, Refusal
from jeugdketen.insight import actions as insight_actions
from jeugdketen.insight import kpis, selectors, store
from jeugdketen.insight.scope import Scope
from jeugdketen.registry.models import Neighbourhood, Organisation, Professional
from jeugdketen.steering import survey
from jeugdketen.steering.models import (
    WEEK_HOURS,
    SurveyAnswer,
    SurveyClosing,
    SurveyResponse,
    TeamArea,
    TimeAnswer,
    TimeQuestionSent,
    TimeWeekClosing,
)

REMINDER_AFTER_DAYS = 2  # the reminder goes on a run at least this long after the question


# --- weeks ----------------------------------------------------------------------------------


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def open_week(today: date) -> date:
    """The Monday of the ISO week just ended: the week the question asks about."""
    return monday(today) - timedelta(days=7)


def last_closable_week(today: date) -> date:
    """The Monday of the latest week whose question is closed on `today`: a week is asked
    about during the week after it (open_week), so it closes when that one has ended."""
    return open_week(today) - timedelta(days=7)


def week_is_closed(week: date) -> bool:
    return TimeWeekClosing.objects.filter(week=week).exists()


def week_label(week: date) -> str:
    year, number, _weekday = week.isocalendar()
    return f"{year}-W{number:02d}"


def asks(professional: Professional) -> bool:
    """Is the question (and the survey) for this professional: a care role (professional
    or coordinator) in an active organisation, with an active account?"""
    return (any(r in professional.roles for r in CARE_ROLES)
            and professional.organisation.active and professional.user.is_active)


def team_neighbourhoods(organisation_id: int) -> list[str]:
    return sorted(TeamArea.objects.filter(organisation_id=organisation_id)
                  .values_list("neighbourhood_id", flat=True))


def _own_target(data: Data, professional: Professional) -> Target:
    return Target(data, object_id=str(professional.pk))


def _whole(value: Any) -> Any:
    """A string of ASCII digits as its int; anything else as it is (then refused). Not
    str.isdigit(): it is True for "²" or "①", which int() refuses with a ValueError; and
    at most 18 digits (int() refuses more than 4300, and no answer needs more)."""
    if isinstance(value, str):
        digits = value.strip()
        if digits.isascii() and digits.isdigit() and len(digits) <= 18:
            return int(digits)
    return value


def _hours(value: Any, name: str, errors: list[FieldError]) -> int:
    value = _whole(value)
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(FieldError(name, "integer", _("Vul een heel aantal uren in.")))
        return 0
    if not 0 <= value <= WEEK_HOURS:
        errors.append(FieldError(name, "range", _(
            "Vul een aantal uren van 0 tot en met %(max)s in.") % {"max": WEEK_HOURS}))
    return int(value)


# --- the weekly time question ---------------------------------------------------------------


def time_question_week(actor: Actor, today: date | None = None) -> date | None:
    """The week the actor is asked about now, or None: not theirs to answer, or answered
    already. Reads only whether the own answer exists (not logged: no record is shown)."""
    prof = actor.professional
    if prof is None or not asks(prof):
        return None
    week = open_week(today or timezone.localdate())
    if TimeAnswer.objects.filter(professional=prof, week=week).exists() or week_is_closed(week):
        return None
    return week


def _lock_week(week: date, *, shared: bool) -> None:
    """An answer for a week (shared) and the week's closing (exclusive) do not overlap: a
    closing waits for the answers being written, and an answer begun after it finds the
    week closed. PostgreSQL: a transaction-level advisory lock on the week; SQLite: BEGIN
    IMMEDIATE already serialises writers."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(f"time-week:{week.isoformat()}".encode()).digest()[:8],
                         "big", signed=True)
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [key])


@audit.write_path
def answer_time(actor: Actor, *, help_hours: Any, accountability_hours: Any,
                at: datetime | None = None) -> TimeAnswer:
    """The actor's hours of the week just ended (on `at`'s date): on families, and on
    registration, reports, invoicing and other accountability. Whole hours 0..80 each,
    together at most 80. Once a week: a second answer is refused (`already_answered`); an
    answer for a closed week too (`week_closed`). No chain event now: the week's answers
    enter the chain log together when it closes (`close_time_weeks`), so nothing in the log
    follows the moment or the order of answering."""
    prof = actor.professional
    if prof is None:
        raise audit.AccessDenied(actor, Action.CREATE, Target(Data.TIME_ANSWER),
                                 Decision.deny("not a professional"))
    audit.authorize(actor, Action.CREATE, _own_target(Data.TIME_ANSWER, prof))
    errors: list[FieldError] = []
    helped = _hours(help_hours, "help_hours", errors)
    accounted = _hours(accountability_hours, "accountability_hours", errors)
    if not errors and helped + accounted > WEEK_HOURS:
        errors.append(FieldError("accountability_hours", "week_total", _(
            "Samen zijn het meer dan %(max)s uur. Vul de uren van één week in.")
            % {"max": WEEK_HOURS}))
    if errors:
        raise Refusal.invalid(errors)
    when = moment(at)
    week = open_week(timezone.localdate(when))
    if not prof.organisation.active:
        raise Refusal("organisation_inactive", _("Uw organisatie doet niet meer mee."))
    _lock_week(week, shared=True)
    if week_is_closed(week):
        raise Refusal("week_closed", _(
            "De vraag over week %(week)s is gesloten: de antwoorden zijn al geteld.")
            % {"week": week_label(week)}, status=409)
    Professional.objects.select_for_update().filter(pk=prof.pk).first()  # one at a time
    if TimeAnswer.objects.filter(professional=prof, week=week).exists():
        raise Refusal("already_answered", _(
            "U heeft de vraag over week %(week)s al beantwoord. Een week telt één keer.")
            % {"week": week_label(week)}, status=409)
    return TimeAnswer.objects.create(
        professional=prof, week=week, help_hours=helped, accountability_hours=accounted,
        organisation_id=prof.organisation_id, answered_at=when)


# The access-log record of a week's closing: the platform's own step (the operator's
# command), one record per week naming the week, not the professionals (a record per
# answer, in any order, would give the join back that the closing takes away).
CLOSING = Decision(True, Ground.ADMINISTRATION, "platform_admin")


def _shuffle(teams: list[int]) -> None:
    random.SystemRandom().shuffle(teams)  # the log's order says nothing of the answers'


@audit.write_path
def close_time_weeks(actor: Actor, *, at: datetime | None = None) -> list[TimeWeekClosing]:
    """The platform (`jeugdketen steering ask-time`, the operator) closes every week with
    answers whose question has closed (its answering week ended before `at`'s date) and
    that is not closed yet, the oldest first. Per week: its answers enter the chain log
    now, one `time.answered` per team (the team as `organisation_id`; the week, the number
    of respondents, the sums of their hours on help and on accountability, the municipality
    and the team's neighbourhoods now), the teams in random order, all with the closing
    moment and without an actor; then `time.week_closed` (week, answers); a
    `TimeWeekClosing` row (unique per week) and one access-log record naming the week.
    No event per person (issue 13: time figures are never per person to anyone but the
    person): the figures need only the counts and sums. A team's week with one respondent
    still has that person's hours as its sums (`respondents` 1), a group the figures never
    show (the threshold). Safe to rerun and to run twice at once: a week is closed, and
    emitted, once."""
    if not actor.operator:
        raise audit.AccessDenied(actor, Action.UPDATE, Target(Data.TIME_ANSWER),
                                 Decision.deny("the platform closes the weeks"))
    when = moment(at)
    last = last_closable_week(timezone.localdate(when))
    weeks = sorted(set(TimeAnswer.objects.filter(week__lte=last).exclude(
        week__in=TimeWeekClosing.objects.values("week")).values_list("week", flat=True)))
    closed = []
    for week in weeks:
        _lock_week(week, shared=False)  # waits for answers being written, and another closing
        if week_is_closed(week):
            continue  # closed by a run at the same moment
        # Per team the count and the sums, added up by the database: the closing never
        # holds one person's answer.
        totals = {row["organisation_id"]: row for row in TimeAnswer.objects.filter(week=week)
                  .order_by().values("organisation_id", "organisation__municipality_id")
                  .annotate(respondents=Count("id"), helped=Sum("help_hours"),
                            accounted=Sum("accountability_hours"))}
        teams = sorted(totals)
        _shuffle(teams)
        answers = sum(row["respondents"] for row in totals.values())
        events = []
        for team in (totals[key] for key in teams):
            events.append({"activity": Activity.TIME_ANSWERED,
                           "organisation_id": team["organisation_id"], "at": when,
                           "attributes": {
                               "week": week.isoformat(), "respondents": team["respondents"],
                               "help_hours": team["helped"],
                               "accountability_hours": team["accounted"],
                               "municipality": team["organisation__municipality_id"],
                               "neighbourhoods": team_neighbourhoods(team["organisation_id"])}})
        events.append({"activity": Activity.TIME_WEEK_CLOSED, "at": when,
                       "attributes": {"week": week.isoformat(), "answers": answers}})
        # The row first: were a closing at the same moment not held off by the lock, its
        # insert would fail on the unique week and roll this one back, events and all.
        closed.append(TimeWeekClosing.objects.create(week=week, closed_at=when,
                                                     answers=answers))
        emit_many(events)
        audit.append([audit.entry(actor, Action.UPDATE, Target(
            Data.TIME_ANSWER, object_id=week_label(week)), CLOSING)])
    return closed


@audit.write_path
def own_time_answers(actor: Actor, limit: int = 104) -> list[TimeAnswer]:
    """The actor's own answers, the latest week first (logged: their own data)."""
    prof = actor.professional
    if prof is None:
        raise audit.AccessDenied(actor, Action.READ, Target(Data.TIME_ANSWER),
                                 Decision.deny("not a professional"))
    audit.authorize(actor, Action.READ, _own_target(Data.TIME_ANSWER, prof))
    return list(TimeAnswer.objects.filter(professional=prof).order_by("-week")[:limit])


@dataclass(frozen=True)
class Sent:
    week: date
    questions: int
    reminders: int


@audit.write_path
def send_time_questions(actor: Actor, *, base_url: str, today: date | None = None) -> Sent:
    """`jeugdketen steering ask-time` (the operator): for the week just ended, the question
    by e-mail to each professional it is for who has not answered and was not asked yet;
    a reminder, once, to who was asked at least REMINDER_AFTER_DAYS before and has still
    not answered. What is sent is recorded first, so a second run sends nothing twice.
    The e-mail links to the answer page, which asks to log in first."""
    if not actor.operator:
        raise audit.AccessDenied(actor, Action.CREATE, Target(Data.TIME_ANSWER),
                                 Decision.deny("the time question is sent by the platform"))
    now = timezone.now()
    day = today or timezone.localdate(now)
    week = open_week(day)
    if week_is_closed(week):
        return Sent(week, 0, 0)  # (only after the upgrade that began closing weeks)
    answered = set(TimeAnswer.objects.filter(week=week).values_list("professional_id",
                                                                     flat=True))
    sent: dict[int, dict[str, datetime]] = {}
    for prof_id, kind, sent_at in TimeQuestionSent.objects.filter(week=week).values_list(
            "professional_id", "kind", "sent_at"):
        sent.setdefault(prof_id, {})[kind] = sent_at
    link = base_url.rstrip("/") + reverse("steering:time")
    outbox: list[tuple[str, str, str]] = []
    rows = []
    for prof in (Professional.objects.select_related("organisation", "user")
                 .filter(organisation__active=True, user__is_active=True).order_by("pk")):
        if prof.pk in answered or not asks(prof) or not prof.email:
            continue
        mine = sent.get(prof.pk, {})
        if TimeQuestionSent.QUESTION not in mine:
            kind = TimeQuestionSent.QUESTION
        elif (TimeQuestionSent.REMINDER not in mine
              and timezone.localdate(mine[TimeQuestionSent.QUESTION])
              <= day - timedelta(days=REMINDER_AFTER_DAYS)):
            kind = TimeQuestionSent.REMINDER
        else:
            continue
        rows.append(TimeQuestionSent(professional=prof, week=week, kind=kind, sent_at=now))
        outbox.append((prof.email, *_question_mail(week, link, kind)))
    TimeQuestionSent.objects.bulk_create(rows)
    if outbox:
        transaction.on_commit(lambda: _send(outbox))
    reminders = sum(1 for r in rows if r.kind == TimeQuestionSent.REMINDER)
    return Sent(week, len(rows) - reminders, reminders)


def _question_mail(week: date, link: str, kind: str) -> tuple[str, str]:
    subject = (_("Herinnering: uw uren van week %(week)s") if kind == TimeQuestionSent.REMINDER
               else _("Eén vraag over uw uren van week %(week)s")) % {"week": week_label(week)}
    body = "\n\n".join([
        _("Van de werkuren van vorige week: ongeveer hoeveel gingen naar gezinnen (contact, "
          "reizen, overleg met anderen over een gezin), en hoeveel naar registratie, "
          "rapportages, facturen en andere verantwoording?"),
        _("Beantwoorden duurt minder dan een minuut. U logt eerst in:"),
        link,
        _("Uw antwoord ziet alleen u zelf. De gemeente ziet alleen cijfers per team of wijk, "
          "van groepen die groot genoeg zijn."),
    ])
    return subject, body


def _send(outbox: Iterable[tuple[str, str, str]]) -> None:
    for address, subject, body in outbox:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)


# --- the yearly survey ----------------------------------------------------------------------


def survey_year(today: date | None = None) -> int:
    return (today or timezone.localdate()).year


def survey_is_open(actor: Actor, today: date | None = None) -> bool:
    """May the actor answer this year's survey now: it is for them, their municipality has
    not closed it, and they have not answered it (not logged: nothing is shown)."""
    prof = actor.professional
    if prof is None or not asks(prof):
        return False
    year = survey_year(today)
    if SurveyClosing.objects.filter(municipality_id=prof.organisation.municipality_id,
                                    year=year).exists():
        return False
    return not SurveyResponse.objects.filter(professional=prof, year=year).exists()


def _score(value: Any, name: str, low: int, high: int, errors: list[FieldError]) -> int:
    value = _whole(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.append(FieldError(name, "range", _(
            "Kies een antwoord van %(low)s tot en met %(high)s.") % {"low": low, "high": high}))
        return low
    return int(value)


@audit.write_path
def answer_survey(actor: Actor, *, scores: Any, overall: Any,
                  today: date | None = None) -> None:
    """The actor's answer to the year's survey. Stored without them and without a time;
    the flag (professional, year) refuses a second answer (`already_answered`). Returns
    nothing: there is no record of the answer the respondent could be shown by."""
    prof = actor.professional
    if prof is None:
        raise audit.AccessDenied(actor, Action.CREATE, Target(Data.SURVEY),
                                 Decision.deny("not a professional"))
    audit.authorize(actor, Action.CREATE, _own_target(Data.SURVEY, prof))
    errors: list[FieldError] = []
    given = scores if isinstance(scores, dict) else {}
    if not isinstance(scores, dict):
        errors.append(FieldError("scores", "object", _("Beantwoord de stellingen.")))
    else:
        unknown = sorted(set(given) - {i.key for i in survey.ITEMS})
        if unknown:
            errors.append(FieldError("scores", "unknown_item", _(
                "Onbekende stelling: %(items)s.") % {"items": ", ".join(map(str, unknown))}))
    kept = {i.key: _score(given.get(i.key), i.key, survey.AGREE_MIN, survey.AGREE_MAX, errors)
            for i in survey.ITEMS}
    score = _score(overall, "overall", survey.OVERALL_MIN, survey.OVERALL_MAX, errors)
    if errors:
        raise Refusal.invalid(errors)
    year = survey_year(today)
    organisation = prof.organisation
    Professional.objects.select_for_update().filter(pk=prof.pk).first()
    if SurveyClosing.objects.filter(municipality_id=organisation.municipality_id,
                                    year=year).exists():
        raise Refusal("survey_closed", _("Het onderzoek van %(year)s is gesloten.")
                      % {"year": year}, status=409)
    if SurveyResponse.objects.filter(professional=prof, year=year).exists():
        raise Refusal("already_answered", _(
            "U heeft het onderzoek van %(year)s al ingevuld.") % {"year": year}, status=409)
    SurveyResponse.objects.create(professional=prof, year=year)
    SurveyAnswer.objects.create(
        organisation=organisation, municipality_id=organisation.municipality_id,
        neighbourhoods=team_neighbourhoods(organisation.pk), year=year,
        version=survey.VERSION, scores=kept, overall=score)


def _municipality_target(data: Data, municipality: str, object_id: str = "") -> Target:
    return Target(data, object_id=(object_id or municipality)[:64],
                  scope=PolicyScope(municipality_id=municipality))


def _own_municipality(actor: Actor) -> str:
    return selectors.actor_municipality(actor) or ""


@audit.write_path
def close_survey(actor: Actor, year: Any, *, at: datetime | None = None) -> SurveyClosing:
    """The municipal analyst closes the year's survey of their municipality: its answers
    enter the chain log now (`survey.answer` each, in random order, all at the closing
    moment, no actor), then `survey.closed`. Refused when closed already or the year is
    still to come."""
    municipality = _own_municipality(actor)
    audit.authorize(actor, Action.UPDATE, _municipality_target(
        Data.SURVEY, municipality, f"{municipality}/{year}"))
    when = moment(at)
    year = _whole(year)
    if isinstance(year, bool) or not isinstance(year, int) or not (
            2000 <= year <= timezone.localdate(when).year):
        raise Refusal.invalid([FieldError("year", "year", _(
            "Kies een jaar dat begonnen is."))])
    if SurveyClosing.objects.select_for_update().filter(municipality_id=municipality,
                                                        year=year).exists():
        raise Refusal("survey_closed", _("Het onderzoek van %(year)s is al gesloten.")
                      % {"year": year}, status=409)
    answers = list(SurveyAnswer.objects.filter(municipality_id=municipality, year=year))
    random.SystemRandom().shuffle(answers)  # the log's order says nothing of the answers'
    for answer in answers:
        emit(Activity.SURVEY_ANSWER, organisation_id=answer.organisation_id, at=when,
             attributes={"year": year, "version": answer.version,
                         "municipality": municipality,
                         "neighbourhoods": list(answer.neighbourhoods),
                         "scores": dict(answer.scores), "overall": answer.overall,
                         **survey.scale_means(answer.scores)})
    emit(Activity.SURVEY_CLOSED, at=when, attributes={
        "municipality": municipality, "year": year, "answers": len(answers),
        "version": survey.VERSION})
    return SurveyClosing.objects.create(municipality_id=municipality, year=year,
                                        closed_at=when, answers=len(answers))


@audit.write_path
def survey_state(actor: Actor, today: date | None = None) -> dict[str, Any]:
    """For the analyst's closing: this year's and last year's state (closed when, how many
    answered so far: a count, no answer), read as the survey's figures."""
    municipality = _own_municipality(actor)
    audit.authorize(actor, Action.READ, _municipality_target(Data.SURVEY, municipality))
    year = survey_year(today)
    closings = {c.year: c for c in SurveyClosing.objects.filter(municipality_id=municipality,
                                                                year__in=(year - 1, year))}
    counts = {y: SurveyAnswer.objects.filter(municipality_id=municipality, year=y).count()
              for y in (year - 1, year)}
    return {"years": [{"year": y, "closing": closings.get(y), "answers": counts[y]}
                      for y in (year, year - 1)]}


# --- the teams' neighbourhoods --------------------------------------------------------------


@audit.write_path
def team_areas(actor: Actor) -> list[tuple[Organisation, list[str]]]:
    """The organisations of the actor's municipality with the neighbourhoods they work in
    (the analyst's and the coordinator's)."""
    municipality = _own_municipality(actor)
    audit.authorize(actor, Action.READ, _municipality_target(Data.TEAM_AREAS, municipality))
    found: dict[int, list[str]] = {}
    for org_id, code in TeamArea.objects.filter(
            organisation__municipality_id=municipality).values_list("organisation_id",
                                                                    "neighbourhood_id"):
        found.setdefault(org_id, []).append(code)
    return [(org, sorted(found.get(org.pk, []))) for org in
            Organisation.objects.filter(municipality_id=municipality, active=True)
            .order_by("name")]


@audit.write_path
def set_team_areas(actor: Actor, organisation_id: Any, neighbourhoods: Any,
                   *, at: datetime | None = None) -> list[str]:
    """The neighbourhoods a team of the analyst's municipality works in (replacing what
    was set); each a neighbourhood of that municipality. Emits `team.areas_set`. Answers
    given before keep the neighbourhoods they were given with (a time answer: those of
    its team when its week closed; a survey answer: when it was given)."""
    municipality = _own_municipality(actor)
    audit.authorize(actor, Action.UPDATE, _municipality_target(
        Data.TEAM_AREAS, municipality, str(organisation_id)))
    try:
        org = Organisation.objects.get(pk=int(organisation_id), municipality_id=municipality)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Refusal("unknown_team", _("Kies een organisatie van de eigen gemeente."),
                      status=404, field="team") from None
    codes = neighbourhoods if isinstance(neighbourhoods, list | tuple) else None
    if codes is None or not all(isinstance(c, str) for c in codes):
        raise Refusal.invalid([FieldError("neighbourhoods", "list", _(
            "Geef een lijst van buurtcodes."))])
    wanted = sorted(set(codes))
    # A code PostgreSQL cannot even compare (a NUL byte) or no code's length is unknown.
    known = set(Neighbourhood.objects.filter(
        pk__in=[c for c in wanted if "\x00" not in c and len(c) <= 20],
        district__municipality_id=municipality).values_list("pk", flat=True))
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise Refusal.invalid([FieldError("neighbourhoods", "unknown_neighbourhood", _(
            "Geen buurt van de gemeente: %(codes)s.") % {"codes": ", ".join(unknown)[:200]})])
    TeamArea.objects.filter(organisation=org).exclude(neighbourhood_id__in=wanted).delete()
    have = set(TeamArea.objects.filter(organisation=org).values_list("neighbourhood_id",
                                                                      flat=True))
    TeamArea.objects.bulk_create([TeamArea(organisation=org, neighbourhood_id=c)
                                  for c in wanted if c not in have])
    emit(Activity.TEAM_AREAS_SET, organisation_id=org.pk, at=moment(at), attributes={
        "municipality": municipality, "neighbourhoods": wanted})
    return wanted


# --- the figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    municipality: str
    threshold: int
    start: date
    end: date  # the period's last day, included
    refreshed_at: datetime | None
    time: list[Any]  # insight.effort.TimeShare
    survey: list[Any]  # insight.effort.Satisfaction


BY = ("team", "neighbourhood")


@audit.write_path
def figures(actor: Actor, data: Data, *, by: Any = "team",
            today: date | None = None) -> Figures:
    """The time figures (data TIME_ANSWER) or the survey's (SURVEY) of the actor's
    municipality over the last twelve whole months, per team or per neighbourhood, from the
    insight store: no group below the municipality's threshold. The municipality's analyst
    and coordinator; the read is logged with the municipality as its object."""
    municipality = _own_municipality(actor)
    audit.authorize(actor, Action.READ, _municipality_target(data, municipality))
    if by not in BY:
        raise Refusal.invalid([FieldError("by", "by", _(
            "Kies per team of per buurt."))])
    threshold, _follow_up = selectors.publication_for(municipality)
    day = today or timezone.localdate()
    last = insight_actions.latest_end(day)
    con = store.reader()
    time_figures: list[Any] = []
    survey_figures: list[Any] = []
    if data is Data.TIME_ANSWER:
        # Twelve whole months, as the dashboard (no two periods subtracted to a week).
        scope = Scope(municipality, insight_actions.window_start(last),
                      last + timedelta(days=1), last)
        time_figures = _cached((data, scope, threshold, by), lambda: kpis.time_on_help(
            con, scope, threshold=threshold, by=by))
    else:
        # Every survey closed up to today (a year's figures do not change once closed).
        last = day
        scope = Scope(municipality, date(day.year - 10, 1, 1), day + timedelta(days=1), day)
        survey_figures = _cached((data, scope, threshold, by), lambda: kpis.job_satisfaction(
            con, scope, threshold=threshold, by=by))
    return Figures(municipality, threshold, scope.start, last, store.refreshed_at(),
                   time_figures, survey_figures)


# The figures asked for lately, per published snapshot (they change only when a refresh
# publishes another; suppressing a year of weeks takes a moment). Per process, bounded;
# the labels are the store's names, the same in every language.
_CACHE: OrderedDict[tuple[Any, ...], list[Any]] = OrderedDict()
_CACHE_SIZE = 32
_CACHE_LOCK = threading.Lock()


def _cached(key: tuple[Any, ...], make: Callable[[], list[Any]]) -> list[Any]:
    full = (store.snapshot(), *key)
    with _CACHE_LOCK:
        found = _CACHE.get(full)
        if found is not None:
            _CACHE.move_to_end(full)
            return found
    made = make()
    with _CACHE_LOCK:
        _CACHE[full] = made
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return made
