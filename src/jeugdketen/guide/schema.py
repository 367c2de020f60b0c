"""The schema of a decision aid: what a YAML file in `aids/` (or in the directory named by
JEUGDKETEN_GUIDES_DIR) must look like. docs/guides.md explains it for administrators.

Two layers, both reported the same way (file, path inside the file, rule, message):
1. the shape, as pydantic v2 models (`Aid`): unknown keys, missing texts, wrong types;
2. the references between parts (`check_references`): unique ids, known risks, options
   and outcomes, conditions that only look back at earlier questions, and a result list
   that always ends in exactly one outcome.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
)
from pydantic_core import PydanticCustomError

SCHEMA_VERSION = 1
# Used as URL parts under /signaalgids/: "sessies" is the list of sessions, "beheer" the
# administrator's pages.
RESERVED_SLUGS = frozenset({"sessies", "beheer"})

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,39}$")]
RiskCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{1,2}$")]
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]

YES, NO = "yes", "no"
NEXT_STEPS = ("register_signal", "report_to_veilig_thuis", "organise_help", "record", "none")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(Strict):
    """Every text in Dutch (first, plain language) and English."""

    nl: Words
    en: Words

    def get(self, language: str | None) -> str:
        return self.en if (language or "").lower().startswith("en") else self.nl


def yes_no(value: Any) -> Any:
    """YAML 1.1 reads an unquoted yes/no as a boolean: accept both spellings."""
    if value is True:
        return YES
    if value is False:
        return NO
    return value


# --- conditions --------------------------------------------------------------------------


class AnswerIs(Strict):
    """`{answer: q1, is: yes}`: a yes/no question was answered so."""

    answer: Id
    is_: Literal["yes", "no"] = Field(alias="is")

    @field_validator("is_", mode="before")
    @classmethod
    def _yes_no(cls, value: Any) -> Any:
        return yes_no(value)


class AnswerIncludes(Strict):
    """`{answer: q, includes_any: [x, y]}`: at least one of these options was ticked."""

    answer: Id
    includes_any: list[Id] = Field(min_length=1)


class RisksAre(Strict):
    """`{risks: any}` / `{risks: none}`: the options ticked so far map to a statutory risk."""

    risks: Literal["any", "none"]


class AllOf(Strict):
    all: list[Condition] = Field(min_length=1)


class AnyOf(Strict):
    any: list[Condition] = Field(min_length=1)


class NotOf(Strict):
    not_: Condition = Field(alias="not")


# Tags never collide with key names: they are stripped from error paths (see `_path`).
_TAGS = {
    AnswerIs: "if-answer-is", AnswerIncludes: "if-answer-includes", RisksAre: "if-risks",
    AllOf: "if-all", AnyOf: "if-any", NotOf: "if-not",
}
TAG_NAMES = frozenset(_TAGS.values())


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return _TAGS.get(type(value))
    if not isinstance(value, dict):
        return None
    for key, tag in (("all", "if-all"), ("any", "if-any"), ("not", "if-not"),
                     ("risks", "if-risks")):
        if key in value:
            return tag
    if "answer" in value:
        return "if-answer-includes" if "includes_any" in value else "if-answer-is"
    return None


Condition = Annotated[
    Annotated[AnswerIs, Tag("if-answer-is")]
    | Annotated[AnswerIncludes, Tag("if-answer-includes")]
    | Annotated[RisksAre, Tag("if-risks")]
    | Annotated[AllOf, Tag("if-all")]
    | Annotated[AnyOf, Tag("if-any")]
    | Annotated[NotOf, Tag("if-not")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition_kind",
        custom_error_message=(
            "a condition is one of: {answer, is}, {answer, includes_any}, {risks}, "
            "{all: [...]}, {any: [...]}, {not: ...}"
        ),
    ),
]

for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()


# --- the parts of an aid -----------------------------------------------------------------


class Risk(Strict):
    """A statutory risk (for the reference index: a-l of the Jeugdwet)."""

    code: RiskCode
    text: Text


class Option(Strict):
    id: Id
    text: Text
    help: Text | None = None
    # Ticking this option means these statutory risks may apply.
    risks: list[RiskCode] = Field(default_factory=list)
    # Shown with the advice when this option was NOT ticked (e.g. "talk with the client").
    reminder: Text | None = None
    # False: shown in the list, but not something to tick (a step this aid does itself).
    tickable: bool = True


class Exit(Strict):
    """After the question is answered: when the condition holds, the aid ends here."""

    when: Condition
    outcome: Id


class ResultRule(Strict):
    """After the last question: the first rule whose condition holds gives the outcome.
    The last rule has no condition."""

    when: Condition | None = None
    outcome: Id


class Question(Strict):
    id: Id
    type: Literal["choices", "yes_no"]
    text: Text
    help: Text | None = None
    # A short name for overviews ("Leefgebied I"); the text is used when left out.
    label: Text | None = None
    options: list[Option] = Field(default_factory=list)
    # choices: how many options must be ticked at least (0: "none of these" is an answer).
    min_selected: int = Field(0, ge=0)
    # Ask this question only when the condition holds (it may look at earlier questions).
    when: Condition | None = None
    exits: list[Exit] = Field(default_factory=list)


class Outcome(Strict):
    id: Id
    title: Text
    text: Text
    # What the professional does next; "register_signal" shows the button to the index.
    next: Literal["register_signal", "report_to_veilig_thuis", "organise_help", "record", "none"]
    level: Literal["info", "ok", "warning", "error"] = "info"


class Aid(Strict):
    schema_: Literal[1] = Field(alias="schema")
    slug: Slug
    version: str = Field(min_length=1, max_length=30)
    kind: Literal["reporting_guidance", "meldcode", "custom"]
    title: Text
    intro: Text
    # Always shown with the advice ("melden mag, afwegen moet").
    consult_colleague: Text | None = None
    risks: list[Risk] = Field(default_factory=list)
    questions: list[Question] = Field(min_length=1)
    result: list[ResultRule] = Field(min_length=1)
    outcomes: list[Outcome] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            raise PydanticCustomError(
                "version_is_text",
                'the version is text: put it in quotes, for example version: "2026.1"')
        return value

    @field_validator("slug")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_SLUGS:
            raise PydanticCustomError("reserved_slug", "this slug is reserved: {slug}",
                                      {"slug": value})
        return value

    # Lookups used by the engine (the model is frozen, so these are stable).
    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def outcome(self, outcome_id: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.id == outcome_id), None)

    def risk(self, code: str) -> Risk | None:
        return next((r for r in self.risks if r.code == code), None)


# --- problems ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file: where, which rule, and what to do."""

    file: str
    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path or '(the whole file)'}: {self.message} [rule: {self.rule}]"


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if part in TAG_NAMES:
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def shape_problems(file: str, errors: Sequence[Mapping[str, Any]]) -> list[Problem]:
    """pydantic's errors as problems (the path uses the YAML keys, e.g. `is`, `schema`)."""
    return [Problem(file, _path(tuple(e.get("loc", ()))), str(e.get("type", "invalid")),
                    str(e.get("msg", ""))) for e in errors]


# --- references between parts -------------------------------------------------------------


def _conditions(cond: Any, path: str) -> Iterator[tuple[Any, str]]:
    """Every leaf condition inside `cond`, with its path."""
    if isinstance(cond, AllOf | AnyOf):
        key = "all" if isinstance(cond, AllOf) else "any"
        items = cond.all if isinstance(cond, AllOf) else cond.any
        for i, inner in enumerate(items):
            yield from _conditions(inner, f"{path}.{key}[{i}]")
    elif isinstance(cond, NotOf):
        yield from _conditions(cond.not_, f"{path}.not")
    else:
        yield cond, path


def check_references(aid: Aid, file: str) -> list[Problem]:
    problems: list[Problem] = []

    def bad(path: str, rule: str, message: str) -> None:
        problems.append(Problem(file, path, rule, message))

    def unique(items: list[Any], attr: str, where: str) -> None:
        seen: set[str] = set()
        for i, item in enumerate(items):
            value = getattr(item, attr)
            if value in seen:
                bad(f"{where}[{i}].{attr}", "duplicate_id", f"{value!r} is used twice")
            seen.add(value)

    unique(aid.risks, "code", "risks")
    unique(aid.questions, "id", "questions")
    unique(aid.outcomes, "id", "outcomes")
    risk_codes = {r.code for r in aid.risks}
    outcome_ids = {o.id for o in aid.outcomes}
    used_outcomes: set[str] = set()
    position = {q.id: i for i, q in reversed(list(enumerate(aid.questions)))}

    def check_condition(cond: Any, path: str, last_allowed: int) -> None:
        """`last_allowed`: the index of the last question the condition may look at."""
        for leaf, where in _conditions(cond, path):
            if isinstance(leaf, RisksAre):
                if not aid.risks:
                    bad(f"{where}.risks", "no_risks_defined",
                        "the aid defines no statutory risks under `risks`")
                continue
            index = position.get(leaf.answer)
            if index is None:
                bad(f"{where}.answer", "unknown_question", f"no question {leaf.answer!r}")
                continue
            if index > last_allowed:
                bad(f"{where}.answer", "later_question",
                    f"question {leaf.answer!r} comes later: a condition only looks at "
                    "questions answered before it")
                continue
            question = aid.questions[index]
            if isinstance(leaf, AnswerIs) and question.type != "yes_no":
                bad(f"{where}.is", "yes_no_only",
                    f"`is` needs a yes_no question; {leaf.answer!r} is {question.type}")
            if isinstance(leaf, AnswerIncludes):
                if question.type != "choices":
                    bad(f"{where}.includes_any", "choices_only",
                        f"`includes_any` needs a choices question; {leaf.answer!r} is yes_no")
                options = {o.id for o in question.options}
                for j, option in enumerate(leaf.includes_any):
                    if option not in options:
                        bad(f"{where}.includes_any[{j}]", "unknown_option",
                            f"question {leaf.answer!r} has no option {option!r}")

    def check_outcome(outcome: str, path: str) -> None:
        used_outcomes.add(outcome)
        if outcome not in outcome_ids:
            bad(path, "unknown_outcome", f"no outcome {outcome!r} under `outcomes`")

    for i, question in enumerate(aid.questions):
        where = f"questions[{i}]"
        if question.type == "yes_no" and question.options:
            bad(f"{where}.options", "no_options_for_yes_no",
                "a yes_no question has no options (its answers are yes and no)")
        if question.type == "choices":
            if not question.options:
                bad(f"{where}.options", "options_required", "a choices question needs options")
            unique(question.options, "id", f"{where}.options")
            tickable = sum(1 for o in question.options if o.tickable)
            if question.min_selected > tickable:
                bad(f"{where}.min_selected", "min_selected_too_high",
                    f"asks for {question.min_selected} ticks but only {tickable} options "
                    "can be ticked")
        for j, option in enumerate(question.options):
            for k, code in enumerate(option.risks):
                if code not in risk_codes:
                    bad(f"{where}.options[{j}].risks[{k}]", "unknown_risk",
                        f"no statutory risk {code!r} under `risks`")
        if question.when is not None:
            check_condition(question.when, f"{where}.when", i - 1)
        for j, exit_ in enumerate(question.exits):
            check_condition(exit_.when, f"{where}.exits[{j}].when", i)
            check_outcome(exit_.outcome, f"{where}.exits[{j}].outcome")

    last = len(aid.questions) - 1
    for i, rule in enumerate(aid.result):
        if rule.when is None and i != len(aid.result) - 1:
            bad(f"result[{i}].when", "fallback_last",
                "only the last rule may leave out `when` (the rules after it never apply)")
        if rule.when is not None:
            check_condition(rule.when, f"result[{i}].when", last)
        check_outcome(rule.outcome, f"result[{i}].outcome")
    if aid.result[-1].when is not None:
        bad(f"result[{len(aid.result) - 1}]", "fallback_required",
            "leave out `when` in the last rule, so that every walk through the aid ends "
            "in an outcome")
    for i, outcome in enumerate(aid.outcomes):
        if outcome.id not in used_outcomes:
            bad(f"outcomes[{i}].id", "unused_outcome",
                f"outcome {outcome.id!r} is never reached (no exit or result rule names it)")
    return problems
