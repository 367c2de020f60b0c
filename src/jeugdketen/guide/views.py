"""The Signaalgids pages: the decision aids as a step-by-step form, the advice, and the
organisation's completed aids.

The form is a normal multi-step POST: each step's page carries the earlier answers in
hidden fields, so it works without JavaScript. With htmx the same POST answers with only
the next step, swapped in place; the advice page is then reached through HX-Redirect.
Nothing is stored until the walk reaches an outcome; then `complete_session` stores it.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jeugdketen.core.errors import Refusal
from jeugdketen.guide import actions, engine, loader
from jeugdketen.guide.models import GuideSession
from jeugdketen.guide.schema import Aid, Question
from jeugdketen.registry.actions import read_listed, read_person
from jeugdketen.registry.models import Person
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, page, page_number

PER_PAGE = 25
CARRIED = "a-"  # hidden: an earlier step's answer
CURRENT = "q-"  # the inputs of the step on screen


def signal_register_url(person_id: Any = None) -> str | None:
    """Where "register a signal" lives (the reference index), or None while that page
    does not exist: the button is then left out."""
    try:
        url = reverse("signal_register")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'person': str(person_id)})}" if person_id else url


def _aid(slug: str) -> Aid:
    aid = loader.in_use(slug)
    if aid is None:
        raise Http404("unknown decision aid")
    return aid


def _uuid_or_empty(value: str | None) -> str:
    try:
        return str(uuid.UUID(str(value))) if value else ""
    except ValueError:
        return ""


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def can_open(user: Any) -> bool:
    """The Signaalgids' start page: the care roles fill in the aids; the functional
    administrator adapts them (README: "the aids are data that a functional administrator
    can adapt")."""
    return r.can_care(user) or "functional_admin" in r.roles_of(user)


@page(can_open)
def index(request: HttpRequest) -> HttpResponse:
    """The decision aids; with ?person=, about that child: only with a ground for them
    (checked and logged here, a denied attempt answers 403 like any other)."""
    person_id = _uuid_or_empty(request.GET.get("person"))
    person = None
    if person_id:
        actor = actor_for(request)
        person = read_person(actor, person_id)  # a logged read, as in the first step
        actions.may_start(actor, person_id)
    return render(request, "guide/index.html", {
        "can_fill_in": r.can_care(request.user),
        "can_adapt": "functional_admin" in r.roles_of(request.user),
        "aids": loader.all_in_use(), "person_id": person_id, "person": person,
    })


# --- the step-by-step form -----------------------------------------------------------------


def _carried_answers(aid: Aid, data: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question_id in data.getlist("answered"):
        question = aid.question(question_id)
        if question is None:
            continue
        name = CARRIED + question.id
        answers[question.id] = (data.getlist(name) if question.type == "choices"
                                else data.get(name))
    return answers


def _hidden(walk: engine.Walk) -> list[tuple[str, str]]:
    fields = []
    for question in walk.asked:
        fields.append(("answered", question.id))
        value = walk.answers[question.id]
        values = value if isinstance(value, list) else [value]
        fields += [(CARRIED + question.id, v) for v in values]
    return fields


def _render_step(request: HttpRequest, aid: Aid, walk: engine.Walk, question: Question, *,
                 value: Any = None, error: str = "", person_id: str = "",
                 person: Person | None = None) -> HttpResponse:
    selected = set(value or []) if question.type == "choices" else set()
    context = {
        "aid": aid,
        "question": question,
        "number": aid.questions.index(question) + 1,
        "total": len(aid.questions),
        "first": not walk.asked,
        "carried": _hidden(walk),
        "options": [{"option": o, "checked": o.id in selected, "index": i}
                    for i, o in enumerate(question.options)],
        "value": value if question.type == "yes_no" else None,
        "error": error,
        "person_id": person_id,
        "person": person,
        "swapped": _is_htmx(request),
        "field_name": CURRENT + question.id,
    }
    template = "guide/partials/step.html" if _is_htmx(request) else "guide/step.html"
    return render(request, template, context)


def _finish(request: HttpRequest, aid: Aid, walk: engine.Walk, person_id: str) -> HttpResponse:
    done = actions.complete_session(actor_for(request), aid.slug, walk.answers,
                                    person_id or None)
    url = reverse("guide_session", args=[done.session.pk])
    if _is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _web_message(exc: engine.AnswerInvalid) -> str:
    """The problem said for the person at the screen (the API names the question id)."""
    if exc.rule == "yes_or_no":
        return _("Kies ja of nee.")
    if exc.rule == "min_selected":
        return _("Vink ten minste %(count)s van de opties aan.") % exc.params
    return _("Kies uit de opties die hier staan.")


@page(r.can_care)
def step(request: HttpRequest, slug: str) -> HttpResponse:
    aid = _aid(slug)
    actor = actor_for(request)
    if request.method != "POST":
        person_id = _uuid_or_empty(request.GET.get("person"))
        person = None
        if person_id:
            # Reading the name is a logged read; the policy must allow an aid about them.
            person = read_person(actor, person_id)
            actions.may_start(actor, person_id)
        start = engine.walk(aid, {}, partial=True)
        assert start.pending is not None
        return _render_step(request, aid, start, start.pending, person_id=person_id,
                            person=person)

    data = request.POST
    person_id = _uuid_or_empty(data.get("person"))
    # The earlier answers, re-checked: anything tampered with or no longer on the walk
    # is left out (and asked again).
    walk = engine.walk(aid, _carried_answers(aid, data), partial=True)
    if data.get("nav") == "back" and walk.asked:
        previous = walk.asked[-1]
        kept = {q.id: walk.answers[q.id] for q in walk.asked[:-1]}
        before = engine.walk(aid, kept, partial=True)
        return _render_step(request, aid, before, previous,
                            value=walk.answers[previous.id], person_id=person_id)
    current = walk.pending
    if current is None:  # the carried answers already reach an outcome
        return _finish(request, aid, walk, person_id)
    if data.get("nav") == "back" or data.get("step") != current.id:
        return _render_step(request, aid, walk, current, person_id=person_id)
    name = CURRENT + current.id
    raw = data.getlist(name) if current.type == "choices" else data.get(name)
    try:
        value = engine.normalise(current, raw)
    except engine.AnswerInvalid as exc:
        return _render_step(request, aid, walk, current, value=raw, error=_web_message(exc),
                            person_id=person_id)
    following = engine.walk(aid, {**walk.answers, current.id: value}, partial=True)
    if following.pending is not None:
        return _render_step(request, aid, following, following.pending, person_id=person_id)
    try:
        return _finish(request, aid, following, person_id)
    except Refusal as exc:  # pragma: no cover - the walk was checked step by step
        if not exc.is_invalid_input:
            raise
        return _render_step(request, aid, walk, current, value=raw,
                            error=" ".join(exc.messages), person_id=person_id)


# --- the advice and the organisation's sessions ----------------------------------------------


def _answer_text(question: Question, value: Any) -> str:
    if question.type == "yes_no":
        return _("Ja") if value == "yes" else _("Nee")
    texts = [o.text.get(get_language()) for o in question.options if o.id in (value or [])]
    return "; ".join(texts) if texts else _("Niets aangevinkt")


def _summary(aid: Aid | None, session: GuideSession) -> list[dict[str, str]]:
    """The answers as the professional gave them, with the aid's texts when the version
    still matches (else the stored ids)."""
    language = get_language()
    rows = []
    for question_id, value in session.answers.items():
        question = aid.question(question_id) if aid and aid.version == session.version else None
        if question is None:
            shown = ", ".join(value) if isinstance(value, list) else str(value)
            rows.append({"question": question_id, "answer": shown})
        else:
            label = question.label or question.text
            rows.append({"question": label.get(language), "answer": _answer_text(question, value)})
    return rows


def _titles(session: GuideSession,
            known: dict[tuple[str, str], Aid | None] | None = None) -> tuple[str, str]:
    """The aid's and the outcome's titles as the session's version had them. `known`
    keeps the aids looked up for a list (one lookup per aid version, not per row)."""
    key = (session.slug, session.version)
    if known is not None and key in known:
        aid = known[key]
    else:
        aid = loader.at_version(session.slug, session.version) or loader.in_use(session.slug)
        if known is not None:
            known[key] = aid
    if aid is None:
        return session.slug, session.outcome
    outcome = aid.outcome(session.outcome)
    language = get_language()
    return aid.title.get(language), (outcome.title.get(language) if outcome else session.outcome)


@page(r.can_care)
def session_detail(request: HttpRequest, session_id: str) -> HttpResponse:
    actor = actor_for(request)
    session = actions.read_session(actor, session_id)
    person = read_person(actor, session.person_id) if session.person_id else None
    advice = actions.advice_for(session)
    aid_title, outcome_title = _titles(session)
    signal_url = None
    if advice is not None and advice["next"] == "register_signal":
        signal_url = signal_register_url(session.person_id)
    return render(request, "guide/session.html", {
        "session": session, "person": person, "advice": advice,
        "aid_title": aid_title, "outcome_title": outcome_title,
        "summary": _summary(loader.at_version(session.slug, session.version), session),
        "signal_url": signal_url,
    })


@page(r.can_care)
def sessions(request: HttpRequest) -> HttpResponse:
    """The organisation's sessions the professional may see, searched by the child's name,
    BSN or birth date (only among these), paged; each session and each person named is
    logged as read, in a number of queries that does not grow with the list."""
    from jeugdketen.registry.selectors import person_search
    from jeugdketen.ui import listing

    actor = actor_for(request)
    search = listing.search_text(request)
    where = person_search(search, prefix="person__")
    number = page_number(request)
    found = actions.list_sessions(actor, limit=PER_PAGE, offset=(number - 1) * PER_PAGE,
                                  where=where)
    paging = listing.Paging(total=found.total, page=number, per_page=PER_PAGE)
    persons: dict[Any, Person] = {}
    for session in found.sessions:
        if session.person is not None:
            persons.setdefault(session.person_id, session.person)
    # Naming a person counts as reading their base data: logged, all at once.
    shown: dict[Any, Person] = {p.pk: p for p in read_listed(actor, list(persons.values()))}
    rows = []
    known: dict[tuple[str, str], Aid | None] = {}
    for session in found.sessions:
        aid_title, outcome_title = _titles(session, known)
        rows.append({"session": session, "aid_title": aid_title,
                     "outcome_title": outcome_title,
                     "person": shown.get(session.person_id)})
    return render(request, "guide/sessions.html", {
        "rows": rows, "search": search, **paging.context(len(rows)),
    })
