"""The one evaluation engine for every decision aid. It knows questions, options,
conditions, exits and result rules; it knows nothing about a particular aid. What the
Meldcode or the reporting guidance decides is in their YAML files.

A walk goes through the questions in order. A question whose `when` does not hold is
skipped. After each answer its `exits` are tried: the first that holds ends the walk with
its outcome. After the last question the `result` rules give the outcome (the last rule
always applies). The statutory risks are those of the ticked options on the walk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jeugdketen.core.errors import FieldError, Refusal
from jeugdketen.guide.schema import (
    NO,
    YES,
    Aid,
    AllOf,
    AnswerIncludes,
    AnswerIs,
    AnyOf,
    NotOf,
    Outcome,
    Question,
    Risk,
    RisksAre,
    Text,
)

MAX_KEY = 64


class AnswerInvalid(Exception):
    def __init__(self, rule: str, message: Any, params: dict[str, Any] | None = None):
        super().__init__(rule)
        self.rule = rule
        self.message = message
        self.params = params or {}

    def as_error(self, field: str) -> FieldError:
        """This answer's problem as the error of input field `field` (the message with its
        parameters filled in)."""
        message = self.message % self.params if self.params else self.message
        return FieldError(field, self.rule, str(message))


def normalise(question: Question, value: Any) -> Any:
    """One answer in its stored form: "yes"/"no", or the ticked option ids in the aid's
    order. Raises AnswerInvalid naming the rule."""
    params = {"question": question.id}
    if question.type == "yes_no":
        if value is True or value == YES:
            return YES
        if value is False or value == NO:
            return NO
        raise AnswerInvalid("yes_or_no", _("Vraag %(question)s: antwoord met yes of no."),
                            params)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerInvalid("list_of_options",
                            _("Vraag %(question)s: geef een lijst met de aangevinkte opties."),
                            params)
    options = {o.id: o for o in question.options}
    seen: set[str] = set()
    for choice in value:
        option = options.get(choice)
        if option is None:
            raise AnswerInvalid("unknown_option",
                                _("Vraag %(question)s heeft geen optie %(option)s."),
                                params | {"option": choice[:MAX_KEY]})
        if not option.tickable:
            raise AnswerInvalid("not_tickable",
                                _("Vraag %(question)s: optie %(option)s kunt u niet aanvinken."),
                                params | {"option": choice})
        if choice in seen:
            raise AnswerInvalid("duplicate_option",
                                _("Vraag %(question)s: optie %(option)s staat er twee keer in."),
                                params | {"option": choice})
        seen.add(choice)
    if len(seen) < question.min_selected:
        raise AnswerInvalid("min_selected",
                            _("Vraag %(question)s: vink ten minste %(count)s opties aan."),
                            params | {"count": question.min_selected})
    return [o.id for o in question.options if o.id in seen]


@dataclass
class Walk:
    """Where a set of answers leads."""

    aid: Aid
    asked: list[Question] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)  # normalised, only asked questions
    outcome: Outcome | None = None
    pending: Question | None = None  # the next question to ask (partial walks)
    risk_codes: set[str] = field(default_factory=set)
    errors: dict[str, AnswerInvalid] = field(default_factory=dict)

    @property
    def risks(self) -> list[Risk]:
        return [r for r in self.aid.risks if r.code in self.risk_codes]

    @property
    def reminders(self) -> list[Text]:
        """The reminders of options on the walk that were not ticked."""
        out = []
        for question in self.asked:
            if question.type != "choices":
                continue
            ticked = set(self.answers.get(question.id) or [])
            out += [o.reminder for o in question.options
                    if o.reminder is not None and o.tickable and o.id not in ticked]
        return out

    def error(self) -> Refusal:
        """Invalid input naming every question (as `answers.<question id>`) with its rule."""
        return Refusal.invalid([problem.as_error(f"answers.{key}")
                                for key, problem in self.errors.items()])


def holds(cond: Any, answers: dict[str, Any], risk_codes: set[str]) -> bool:
    if isinstance(cond, AnswerIs):
        return answers.get(cond.answer) == cond.is_
    if isinstance(cond, AnswerIncludes):
        return bool(set(answers.get(cond.answer) or []) & set(cond.includes_any))
    if isinstance(cond, RisksAre):
        return bool(risk_codes) == (cond.risks == "any")
    if isinstance(cond, AllOf):
        return all(holds(c, answers, risk_codes) for c in cond.all)
    if isinstance(cond, AnyOf):
        return any(holds(c, answers, risk_codes) for c in cond.any)
    if isinstance(cond, NotOf):
        return not holds(cond.not_, answers, risk_codes)
    raise TypeError(f"unknown condition {cond!r}")  # pragma: no cover - the schema prevents it


def walk(aid: Aid, answers: dict[str, Any], *, partial: bool = False) -> Walk:
    """Follow the answers through the aid.

    partial=False (completing): every problem is in `errors` (unknown question, invalid
    answer, a required answer missing, an answer to a question the walk does not ask).
    partial=True (the step-by-step form): invalid or superfluous answers are left out,
    and the walk stops at the first question without an answer (`pending`).
    """
    result = Walk(aid)
    given: dict[str, Any] = {}
    for key, value in answers.items():
        question = aid.question(key) if isinstance(key, str) else None
        if question is None:
            result.errors[str(key)[:MAX_KEY]] = AnswerInvalid(
                "unknown_question", _("Deze beslishulp heeft geen vraag %(question)s."),
                {"question": str(key)[:MAX_KEY]})
            continue
        try:
            given[key] = normalise(question, value)
        except AnswerInvalid as exc:
            result.errors[key] = exc
    if result.errors and not partial:
        return result  # the walk cannot be trusted with invalid answers

    for question in aid.questions:
        if question.when is not None and not holds(question.when, result.answers,
                                                   result.risk_codes):
            continue
        if question.id in given:
            value = given[question.id]
        elif partial:
            result.pending = question
            break
        elif question.type == "choices" and question.min_selected == 0:
            value = []  # left out: nothing ticked
        else:
            result.errors[question.id] = AnswerInvalid(
                "required", _("Vraag %(question)s moet beantwoord worden."),
                {"question": question.id})
            break
        result.asked.append(question)
        result.answers[question.id] = value
        if question.type == "choices":
            for option in question.options:
                if option.id in value:
                    result.risk_codes.update(option.risks)
        for exit_ in question.exits:
            if holds(exit_.when, result.answers, result.risk_codes):
                result.outcome = aid.outcome(exit_.outcome)
                break
        if result.outcome is not None:
            break
    else:
        for rule in aid.result:
            if rule.when is None or holds(rule.when, result.answers, result.risk_codes):
                result.outcome = aid.outcome(rule.outcome)
                break

    if not partial and result.outcome is not None:
        for key in given:
            if key not in result.answers:
                result.errors[key] = AnswerInvalid(
                    "not_asked",
                    _("Vraag %(question)s wordt na deze antwoorden niet gesteld; laat het "
                      "antwoord weg."), {"question": key})
    return result


def complete(aid: Aid, answers: dict[str, Any]) -> Walk:
    """A full walk that ends in an outcome, or a Refusal (invalid input) naming every
    question (as `answers.<question id>`) with its rule."""
    result = walk(aid, answers)
    if result.errors:
        raise result.error()
    assert result.outcome is not None  # the last result rule always applies
    return result


# --- what the API and the pages show ------------------------------------------------------


def _text(text: Text | None, language: str) -> str | None:
    return text.get(language) if text is not None else None


def advice(aid: Aid, result: Walk, language: str | None = None) -> dict[str, Any]:
    language = language or get_language() or "nl"
    outcome = result.outcome
    assert outcome is not None
    return {
        "title": outcome.title.get(language),
        "text": outcome.text.get(language),
        "level": outcome.level,
        "statutory_risks": [{"code": r.code, "text": r.text.get(language)}
                            for r in result.risks],
        "consult_colleague": aid.consult_colleague is not None,
        "consult_colleague_text": _text(aid.consult_colleague, language),
        "reminders": [r.get(language) for r in result.reminders],
        "next": outcome.next,
    }


def _condition(cond: Any) -> Any:
    return cond.model_dump(by_alias=True) if cond is not None else None


def describe(aid: Aid, language: str | None = None) -> dict[str, Any]:
    """The public structure of an aid, in one language (no personal data in it)."""
    lang = language or get_language() or "nl"
    return {
        "slug": aid.slug,
        "version": aid.version,
        "kind": aid.kind,
        "language": "en" if lang.startswith("en") else "nl",
        "title": aid.title.get(lang),
        "intro": aid.intro.get(lang),
        "consult_colleague": _text(aid.consult_colleague, lang),
        "statutory_risks": [{"code": r.code, "text": r.text.get(lang)} for r in aid.risks],
        "questions": [
            {
                "id": q.id,
                "type": q.type,
                "text": q.text.get(lang),
                "help": _text(q.help, lang),
                "min_selected": q.min_selected,
                "options": [
                    {"id": o.id, "text": o.text.get(lang), "help": _text(o.help, lang),
                     "risks": list(o.risks), "tickable": o.tickable}
                    for o in q.options
                ],
                "when": _condition(q.when),
                "exits": [{"when": _condition(e.when), "outcome": e.outcome} for e in q.exits],
            }
            for q in aid.questions
        ],
        "result": [{"when": _condition(r.when), "outcome": r.outcome} for r in aid.result],
        "outcomes": [
            {"id": o.id, "title": o.title.get(lang), "text": o.text.get(lang), "next": o.next}
            for o in aid.outcomes
        ],
    }
