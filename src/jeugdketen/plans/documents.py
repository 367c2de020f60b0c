"""The family plan as a PDF: for the family (in their own view) and for the coordinator and
the care team (for the case discussion). The same way of building as the information
letter and the rights report: plain data (a title, lines under it and sections of
paragraphs and tables), rendered by `referral_index.documents.pdf` in the embedded Unicode
font. The content is what the viewer's own page of the plan shows, read through
`plans.actions.read_plan` (logged as a print of the plan for every member)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jeugdketen.plans.actions import FamilyPage
from jeugdketen.plans.models import GOAL_LEVELS
from jeugdketen.plans.templatetags.plan_page import euro, t_change, t_score
from jeugdketen.ui.pdf import Document, Section, pdf


def _day(day: date | None) -> str:
    return date_format(day, "j F Y") if day else "–"


def _level(key: str) -> str:
    return key if key.startswith("-") or key == "0" else f"+{key}"


def _performer(item: Any) -> str:
    if item.performer_professional is not None:
        prof = item.performer_professional
        return f"{prof.full_name} ({prof.organisation.name})"
    related = item.performer_related
    return f"{related.name} ({related.relation})" if related is not None else "–"


def _text(value: str) -> list[str]:
    lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
    return lines or [_("Dit is nog niet ingevuld.")]


def plan_document(page: FamilyPage, *, for_family: bool, today: date | None = None) -> Document:
    """The plan as a document. `for_family`: the words of the family's own view, and
    without the budget and product codes (which their page does not show either)."""
    from jeugdketen.plans.family_views import LEVEL_WORDS, t_score_words

    today = today or timezone.localdate()
    plan = page.plan
    members = ", ".join(_("%(name)s (%(age)s jaar)") % {"name": m, "age": m.age_on(today)}
                        for m in page.members)
    status = _("loopt") if plan.is_open else _("afgesloten op %(day)s") % {
        "day": _day(plan.closed_on)}
    lines = [_("Voor: %(members)s") % {"members": members},
             _("Gestart op %(day)s; %(status)s.") % {"day": _day(plan.started_on),
                                                    "status": status},
             _("Afgedrukt op %(day)s.") % {"day": _day(today)}]
    latest = page.latest_version
    if latest is not None:
        if latest.approved_at is not None:
            lines.append(_("Versie %(number)s is goedgekeurd op %(day)s.") % {
                "number": latest.number,
                "day": _day(timezone.localdate(latest.approved_at))})
        else:
            lines.append(_("Versie %(number)s wacht op goedkeuring van het gezin.") % {
                "number": latest.number})
        if not page.version_current:
            lines.append(_("Het plan is daarna nog veranderd."))

    coordinator = plan.coordinator
    contact = [_("%(name)s, %(organisation)s") % {
        "name": coordinator.full_name, "organisation": coordinator.organisation.name}]
    if coordinator.phone:
        contact.append(_("Telefoon: %(phone)s") % {"phone": coordinator.phone})
    if coordinator.email:
        contact.append(_("E-mail: %(email)s") % {"email": coordinator.email})
    team = [m for m in page.team if m.left_at is None]
    team_rows = [[_("Naam"), _("Rol in het plan")]]
    for member in team:
        if member.professional is not None:
            if member.professional_id == plan.coordinator_id:
                continue
            name = f"{member.professional.full_name} ({member.professional.organisation.name})"
        elif member.related_person is not None:
            related = member.related_person
            name = f"{related.name} ({related.relation})"
            if related.phone:
                name += f", {related.phone}"
        else:
            continue
        team_rows.append([name, member.role])

    sections = [
        Section(_("Regisseur"), contact),
        Section(_("Wie helpen er mee"), [] if len(team_rows) > 1 else [
            _("Er zijn nog geen anderen in het team.")],
            rows=team_rows if len(team_rows) > 1 else [], widths=(3, 2)),
    ]
    for handover in page.handovers:
        sections[-1].paragraphs.append(_(
            "%(day)s: %(old)s droeg het plan over aan %(new)s. De reden: %(reason)s") % {
            "day": _day(handover.on), "old": handover.from_professional.full_name,
            "new": handover.to_professional.full_name, "reason": handover.reason})
    sections += [
        Section(_("Wat goed gaat"), _text(plan.goes_well)),
        Section(_("Zorgen"), [_("%(text)s (hoe belangrijk: %(priority)s)") % {
            "text": c.text, "priority": c.get_priority_display()} for c in page.concerns]
            or [_("Dit is nog niet ingevuld.")]),
        Section(_("Wat het gezin en het netwerk zelf doen"), _text(plan.own_strength)),
        Section(_("Waar hulp bij nodig is"), _text(plan.support_needed)),
    ]

    # The goals with their five levels, and where each stands at the latest evaluation.
    scores: dict[int, tuple[date, int]] = {}
    for evaluation in page.evaluations or []:
        for score in evaluation.scores.all():
            scores[score.goal_id] = (evaluation.on, score.score)
    if not page.goals:
        sections.append(Section(_("Doelen"), [_("Er staan nog geen doelen in het plan.")]))
    for number, goal in enumerate(page.goals, start=1):
        paragraphs = [_("Voor: %(persons)s") % {
            "persons": ", ".join(str(p) for p in goal.persons.all())}]
        if not for_family:
            paragraphs.append(_("Weging: %(weight)s") % {"weight": goal.weight})
        now = scores.get(goal.pk)
        if now is not None:
            paragraphs.append(_("Zo gaat het nu (evaluatie van %(day)s): %(level)s") % {
                "day": _day(now[0]), "level": _level(str(now[1]))})
        elif page.evaluations is not None:
            paragraphs.append(_("Dit doel is nog niet geëvalueerd."))
        rows = [[_("Niveau"), _("Wat dat betekent")]]
        for key in reversed(GOAL_LEVELS):
            words = f"{_level(key)} {LEVEL_WORDS[key]}" if for_family else _level(key)
            if now is not None and str(now[1]) == key:
                words = _("%(level)s (hier staat het nu)") % {"level": words}
            rows.append([words, (goal.levels or {}).get(key, "")])
        sections.append(Section(_("Doel %(number)s: %(title)s") % {
            "number": number, "title": goal.title}, paragraphs, rows, widths=(2, 3)))

    # Who does what by when.
    if page.actions:
        head = [_("Wat"), _("Wie"), _("Organisatie"), _("Uiterlijk op"), _("Gedaan")]
        if not for_family:
            head.append(_("Budget (productcode)"))
        rows = [head]
        for item in page.actions:
            row = [item.description, _performer(item), item.organisation.name,
                   _day(item.due_on),
                   _("ja, op %(day)s") % {"day": _day(item.done_on)} if item.done_on
                   else _("nog niet")]
            if not for_family:
                code = f" ({item.product_code})" if item.product_code else ""
                row.append(euro(item.budget_eur) + code)
            rows.append(row)
        paragraphs = []
        if not for_family:
            paragraphs.append(_("Totaal budget %(budget)s, uitgegeven %(spent)s.") % {
                "budget": euro(page.budget_eur), "spent": euro(page.spent_eur)})
        sections.append(Section(_("Wie doet wat"), paragraphs, rows,
                                widths=(5, 4, 3, 3, 2) if for_family else (4, 4, 3, 3, 2, 4)))
    else:
        sections.append(Section(_("Wie doet wat"), [_("Er staan nog geen afspraken in het plan.")]))

    # The evaluations, where the viewer may see them.
    if page.evaluations is not None:
        if page.evaluations:
            rows = [[_("Datum"), _("T-score"), _("Vergeleken met de vorige keer"),
                     _("Toelichting")]]
            previous: float | None = None
            for evaluation in page.evaluations:
                delta = None if previous is None else evaluation.t_score - previous
                note = evaluation.note
                if for_family:
                    note = " ".join(part for part in (
                        t_score_words(evaluation.t_score) + ".", note) if part)
                on = _day(evaluation.on)
                if evaluation.final:
                    on = _("%(day)s (eindevaluatie)") % {"day": on}
                rows.append([on, t_score(evaluation.t_score), t_change(delta), note])
                previous = evaluation.t_score
            sections.append(Section(_("Evaluaties"), [_(
                "De T-score zegt in één getal hoe het met de doelen gaat: 50 is zoals "
                "afgesproken, meer is beter, minder is minder goed.")], rows, widths=(3, 2, 3, 6)))
        else:
            sections.append(Section(_("Evaluaties"), [_("Er is nog geen evaluatie geweest.")]))

    family_name = " / ".join(dict.fromkeys(m.family_name for m in page.members))
    return Document(
        title=_("Gezinsplan %(name)s") % {"name": family_name},
        addressee=lines, sections=sections,
        filename=f"gezinsplan-{str(plan.pk)[:8]}.pdf")


def pdf_response(document: Document) -> HttpResponse:
    response = HttpResponse(pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response
