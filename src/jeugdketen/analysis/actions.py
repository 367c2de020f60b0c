"""The only functions that change the integral analysis, and its logged reads.

An analysis belongs to a plan and is made by its coordinator with the family: for each
member the life domains that apply (adults the 13 ZRM domains, children the child
domains), the professional's score beside the family's own, strengths and concerns in
words, and for each child the stress judgement. It can be repeated; older analyses stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, decide
from jeugdketen.analysis.domains import ADULT_FROM_AGE, STALE_AFTER_DAYS, Stress, domains_for
from jeugdketen.analysis.models import Analysis, DomainScore, StressJudgement
from jeugdketen.chainlog.actions import moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.actions import emit_plan_event
from jeugdketen.plans.models import Plan
from jeugdketen.plans.selectors import plan_for, professional_of, target
from jeugdketen.registry.models import Person

MAX_TEXT = 2000


@dataclass
class ScoreInput:
    person_id: Any
    domain: str
    professional_score: int | None = None
    family_score: int | None = None
    strengths: str = ""
    concerns: str = ""


@dataclass
class StressInput:
    person_id: Any
    level: str
    note: str = ""


def _score(value: Any, field_name: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise Refusal("domain_score", _("Een score is een geheel getal van 1 tot 5."),
                      field=field_name)
    score: int = value
    return score


def _words(value: Any, field_name: str) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if len(text) > MAX_TEXT:
        raise Refusal("too_long", _("Hoogstens %(n)s tekens.") % {"n": MAX_TEXT},
                      field=field_name)
    return text


@audit.write_path
def record_analysis(actor: Actor, plan_id: Any, *, made_on: date,
                    scores: list[ScoreInput], stress: list[StressInput] | None = None,
                    at: datetime | None = None) -> Analysis:
    """`at` (default now) is when the analysis was recorded; only for loading history
    (see chainlog.actions.moment)."""
    now = moment(at)
    plan, members = plan_for(actor, plan_id, Action.CREATE, Data.ANALYSIS, lock=True)
    # The policy first: without a ground the input is not judged (its errors would tell
    # who belongs to the household, and their age group).
    whole = target(plan, members, Data.ANALYSIS)
    asked = decide(actor, Action.CREATE, whole)
    if not asked.allowed:
        raise audit.AccessDenied(actor, Action.CREATE, whole, asked)
    by_id = {str(m.pk): m for m in members}
    today = timezone.localdate(now)
    if not isinstance(made_on, date) or made_on > today or made_on < plan.started_on:
        raise Refusal("analysis_date", _("De datum ligt tussen de start van het plan en vandaag."),
                      field="made_on")
    rows: list[DomainScore] = []
    seen: set[tuple[str, str]] = set()
    scored_persons: dict[str, Person] = {}
    for i, item in enumerate(scores):
        where = f"scores[{i}]"
        person = by_id.get(str(item.person_id))
        if person is None:
            raise Refusal("person_not_in_household", _("Deze persoon hoort niet bij het gezin."),
                          field=f"{where}.person_id")
        if item.domain not in domains_for(person.age_on(made_on)):
            raise Refusal("domain_not_for_person", _(
                "Dit levensdomein hoort niet bij de leeftijd van deze persoon."),
                field=f"{where}.domain")
        key = (str(person.pk), item.domain)
        if key in seen:
            raise Refusal("domain_twice", _("Elk domein één keer per persoon."),
                          field=f"{where}.domain")
        seen.add(key)
        professional_score = _score(item.professional_score, f"{where}.professional_score")
        family_score = _score(item.family_score, f"{where}.family_score")
        strengths = _words(item.strengths, f"{where}.strengths")
        concerns = _words(item.concerns, f"{where}.concerns")
        if professional_score is None and family_score is None and not strengths and not concerns:
            continue  # a domain left empty is not scored
        rows.append(DomainScore(person=person, domain=item.domain,
                                professional_score=professional_score,
                                family_score=family_score, strengths=strengths,
                                concerns=concerns))
        scored_persons[str(person.pk)] = person
    judgements: list[StressJudgement] = []
    for i, judged in enumerate(stress or []):
        where = f"stress[{i}]"
        person = by_id.get(str(judged.person_id))
        if person is None or person.age_on(made_on) >= ADULT_FROM_AGE:
            raise Refusal("stress_for_child", _("Stress wordt per kind beoordeeld."),
                          field=f"{where}.person_id")
        if judged.level in (None, ""):
            continue
        if judged.level not in Stress.LABELS:
            raise Refusal("stress_level", _("Kies positieve, toelaatbare of toxische stress."),
                          field=f"{where}.level")
        judgements.append(StressJudgement(person=person, level=judged.level,
                                          note=_words(judged.note, f"{where}.note")))
        scored_persons[str(person.pk)] = person
    if not rows and not judgements:
        raise Refusal("analysis_empty", _("Vul voor minstens één domein een score of tekst in."),
                      field="scores")
    for person in scored_persons.values():
        audit.authorize(actor, Action.CREATE, target(plan, members, Data.ANALYSIS, person))
    analysis = Analysis.objects.create(plan=plan, made_on=made_on,
                                       made_by=professional_of(actor), created_at=now)
    for row in rows:
        row.analysis = analysis
    for judgement in judgements:
        judgement.analysis = analysis
    DomainScore.objects.bulk_create(rows)
    StressJudgement.objects.bulk_create(judgements)
    emit_plan_event(Activity.ANALYSIS_RECORDED, plan, members, actor, at=now,
                    domains=len(rows), persons=len(scored_persons),
                    mean_professional_score=_mean(r.professional_score for r in rows),
                    mean_family_score=_mean(r.family_score for r in rows),
                    toxic_stress=sum(1 for j in judgements if j.level == Stress.TOXIC),
                    number=Analysis.objects.filter(plan=plan).count())
    return analysis


def _mean(values: Any) -> float | None:
    found = [v for v in values if v is not None]
    return round(sum(found) / len(found), 2) if found else None


@dataclass
class PersonAnalyses:
    """One member's analyses over time, oldest first."""

    person: Person
    analyses: list[Analysis] = field(default_factory=list)
    # domain -> [(date, professional score, family score)]
    series: dict[str, list[tuple[date, int | None, int | None]]] = field(default_factory=dict)
    latest: dict[str, DomainScore] = field(default_factory=dict)
    stress: list[tuple[date, StressJudgement]] = field(default_factory=list)
    latest_on: date | None = None

    @property
    def stale(self) -> bool:
        return self.latest_on is not None and (
            timezone.localdate() - self.latest_on > timedelta(days=STALE_AFTER_DAYS))


@audit.write_path
def analyses_for(actor: Actor, plan: Plan, members: tuple[Person, ...]) -> dict[str, Any]:
    """Per member the actor may see the analysis of: their scores over time (each member's
    analysis read is logged). Three queries, however many analyses there are."""
    asked = [(m, t, decide(actor, Action.READ, t))
             for m in members for t in [target(plan, members, Data.ANALYSIS, m)]]
    allowed = [m for m, _t, decision in asked if decision.allowed]
    if not allowed:
        return {}
    # One write for all members' records (each policy answer asked once).
    audit.append([audit.entry(actor, Action.READ, t, decision)
                  for _m, t, decision in asked if decision.allowed])
    out = {str(m.pk): PersonAnalyses(person=m) for m in allowed}
    analyses = {a.pk: a for a in Analysis.objects.filter(plan=plan)}
    ordered = sorted(analyses.values(), key=lambda a: (a.made_on, a.created_at))
    scores = DomainScore.objects.filter(analysis__plan=plan, person_id__in=list(out))
    by_analysis: dict[int, list[DomainScore]] = {}
    for score in scores:
        by_analysis.setdefault(score.analysis_id, []).append(score)
    stress = StressJudgement.objects.filter(analysis__plan=plan, person_id__in=list(out))
    stress_by: dict[int, list[StressJudgement]] = {}
    for judgement in stress:
        stress_by.setdefault(judgement.analysis_id, []).append(judgement)
    for analysis in ordered:
        for score in by_analysis.get(analysis.pk, []):
            entry = out[str(score.person_id)]
            if not entry.analyses or entry.analyses[-1].pk != analysis.pk:
                entry.analyses.append(analysis)
            entry.series.setdefault(score.domain, []).append(
                (analysis.made_on, score.professional_score, score.family_score))
            entry.latest[score.domain] = score
            entry.latest_on = analysis.made_on
        for judgement in stress_by.get(analysis.pk, []):
            entry = out[str(judgement.person_id)]
            entry.stress.append((analysis.made_on, judgement))
            entry.latest_on = analysis.made_on
    return out
