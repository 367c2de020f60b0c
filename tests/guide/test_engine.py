"""The one engine, driven by the built-in YAML: every branch of the Meldcode's weighing
framework, and the reporting guidance's risk mapping and advice (domain.md section 2)."""

from __future__ import annotations

import pytest

from jeugdketen.core.errors import Refusal
from jeugdketen.guide import engine, loader

from .conftest import GOOD_MELDCODE

STEPS = ["map_signals", "consult", "talk_client"]


def meldcode():
    return loader.load("").aids["meldcode"]


def meldrichtlijn():
    return loader.load("").aids["meldrichtlijn"]


def rule_of(exc: Refusal, question: str) -> str:
    return next(e.rule for e in exc.errors if e.field == f"answers.{question}")


# --- the Meldcode -------------------------------------------------------------------------

WEIGHING = ["suspicion", "unsafe", "help_possible", "help_accepted", "lasting_safety"]


def test_the_meldcode_lists_the_five_steps_then_the_five_questions_in_order():
    aid = meldcode()
    assert aid.questions[0].type == "choices"
    assert [o.id for o in aid.questions[0].options] == [
        "map_signals", "consult", "talk_client", "weigh", "decide"]
    assert [q.id for q in aid.questions[1:]] == WEIGHING
    assert all(q.type == "yes_no" for q in aid.questions[1:])
    assert {o.id for o in aid.outcomes} == {
        "close_and_record", "organise_help_and_monitor", "report_to_veilig_thuis"}


@pytest.mark.parametrize(("answers", "outcome", "asked"), [
    # 1. No suspicion: close and record; nothing more is asked.
    ({"suspicion": "no"}, "close_and_record", ["steps", "suspicion"]),
    # 2. Acute or structural unsafety: straight to Veilig Thuis (3-5 are answered with them).
    ({"suspicion": "yes", "unsafe": "yes"}, "report_to_veilig_thuis",
     ["steps", "suspicion", "unsafe"]),
    # 3. No sufficient effective help possible: report.
    ({"suspicion": "yes", "unsafe": "no", "help_possible": "no"}, "report_to_veilig_thuis",
     ["steps", "suspicion", "unsafe", "help_possible"]),
    # 4. Help not accepted: report.
    ({"suspicion": "yes", "unsafe": "no", "help_possible": "yes", "help_accepted": "no"},
     "report_to_veilig_thuis", ["steps", *WEIGHING[:4]]),
    # 5. No lasting safety: report (again).
    ({"suspicion": "yes", "unsafe": "no", "help_possible": "yes", "help_accepted": "yes",
      "lasting_safety": "no"}, "report_to_veilig_thuis", ["steps", *WEIGHING]),
    # 5. Lasting safety: organise help, close with monitoring agreements.
    ({"suspicion": "yes", "unsafe": "no", "help_possible": "yes", "help_accepted": "yes",
      "lasting_safety": "yes"}, "organise_help_and_monitor", ["steps", *WEIGHING]),
])
def test_every_branch_of_the_weighing_framework(answers, outcome, asked):
    walk = engine.complete(meldcode(), {"steps": STEPS, **answers})
    assert walk.outcome.id == outcome
    assert [q.id for q in walk.asked] == asked


def test_the_advice_for_each_meldcode_outcome_says_what_to_do_next():
    aid = meldcode()
    nexts = {o.id: o.next for o in aid.outcomes}
    assert nexts == {"close_and_record": "record", "organise_help_and_monitor": "organise_help",
                     "report_to_veilig_thuis": "report_to_veilig_thuis"}
    advice = engine.advice(aid, engine.complete(aid, {"steps": STEPS, "suspicion": "yes",
                                                      "unsafe": "yes"}), "nl")
    assert advice["next"] == "report_to_veilig_thuis"
    assert advice["consult_colleague"] is True and advice["consult_colleague_text"]
    assert advice["statutory_risks"] == []


def test_a_question_after_an_exit_is_not_asked_and_answering_it_is_refused():
    with pytest.raises(Refusal) as caught:
        engine.complete(meldcode(), {"suspicion": "yes", "unsafe": "yes", "help_possible": "no"})
    assert rule_of(caught.value, "help_possible") == "not_asked"


def test_a_missing_answer_names_the_question():
    with pytest.raises(Refusal) as caught:
        engine.complete(meldcode(), {"suspicion": "yes", "unsafe": "no"})
    assert rule_of(caught.value, "help_possible") == "required"


def test_invalid_answers_name_the_question_and_the_rule():
    with pytest.raises(Refusal) as caught:
        engine.complete(meldcode(), {"steps": ["map_signals", "fly"], "suspicion": "maybe",
                                     "bogus": "yes"})
    assert rule_of(caught.value, "steps") == "unknown_option"
    assert rule_of(caught.value, "suspicion") == "yes_or_no"
    assert rule_of(caught.value, "bogus") == "unknown_question"


def test_a_step_the_aid_does_itself_cannot_be_ticked():
    with pytest.raises(Refusal) as caught:
        engine.complete(meldcode(), {"steps": ["weigh"], "suspicion": "no"})
    assert rule_of(caught.value, "steps") == "not_tickable"


def test_booleans_are_accepted_for_yes_and_no():
    walk = engine.complete(meldcode(), {"suspicion": True, "unsafe": True})
    assert walk.outcome.id == "report_to_veilig_thuis"
    assert walk.answers == {"steps": [], "suspicion": "yes", "unsafe": "yes"}


def test_unticked_meldcode_steps_come_back_as_reminders():
    aid = meldcode()
    walk = engine.complete(aid, {"steps": ["map_signals"], "suspicion": "no"})
    reminders = engine.advice(aid, walk, "en")["reminders"]
    assert len(reminders) == 2
    assert any("consulted" in r for r in reminders)
    assert any("Talk with the client" in r for r in reminders)
    full = engine.complete(aid, GOOD_MELDCODE)
    assert engine.advice(aid, full, "en")["reminders"] == []


# --- the reporting guidance -----------------------------------------------------------------

LIFE_AREAS = ["material", "health", "family", "school_work", "social"]


def test_the_five_life_areas_hold_the_items_of_the_guidance():
    aid = meldrichtlijn()
    areas = [q for q in aid.questions if q.type == "choices"]
    assert [q.id for q in areas] == LIFE_AREAS
    # domain.md section 2: I 5 items, II 7, III 7, IV 6, V 8.
    assert [len(q.options) for q in areas] == [5, 7, 7, 6, 8]
    assert [r.code for r in aid.risks] == list("abcdefghijkl")


def test_every_statutory_risk_is_reachable_from_some_item():
    aid = meldrichtlijn()
    mapped = {code for q in aid.questions for o in q.options for code in o.risks}
    assert mapped == set("abcdefghijkl")
    assert all(o.risks for q in aid.questions for o in q.options)


@pytest.mark.parametrize(("area", "item", "risk"), [
    ("material", "no_fixed_home", "h"),
    ("material", "money", "g"),
    ("health", "unexplained_injuries", "a"),
    ("health", "young_parent", "d"),
    ("health", "addiction", "b"),
    ("family", "child_abuse", "a"),
    ("family", "parenting_problems", "k"),
    ("school_work", "absent", "e"),
    ("school_work", "no_work_qualification", "f"),
    ("social", "criminal_measure", "j"),
    ("social", "neighbourhood_crime", "l"),
    ("health", "emotional_behaviour", "i"),
    ("family", "family_conflict", "c"),
])
def test_a_ticked_item_shows_its_statutory_risk(area, item, risk):
    aid = meldrichtlijn()
    walk = engine.complete(aid, {area: [item], "real_threat": "yes"})
    assert risk in walk.risk_codes
    advice = engine.advice(aid, walk, "nl")
    assert risk in [r["code"] for r in advice["statutory_risks"]]


def test_risks_of_several_items_are_combined_once_in_the_statutory_order():
    aid = meldrichtlijn()
    walk = engine.complete(aid, {"material": ["no_fixed_home", "money"],
                                 "family": ["child_abuse"], "real_threat": "no"})
    assert [r.code for r in walk.risks] == ["a", "g", "h", "k"]


def test_risk_and_reasonable_suspicion_advise_a_signal():
    aid = meldrichtlijn()
    walk = engine.complete(aid, {"health": ["unexplained_injuries"], "real_threat": "yes"})
    assert walk.outcome.id == "signal_warranted"
    advice = engine.advice(aid, walk, "nl")
    assert advice["next"] == "register_signal"
    assert advice["consult_colleague"] is True
    assert "Melden mag, afwegen moet" in advice["consult_colleague_text"]
    assert advice["statutory_risks"] == [
        {"code": "a", "text": aid.risk("a").text.nl}]


def test_a_risk_without_reasonable_suspicion_advises_no_signal():
    aid = meldrichtlijn()
    walk = engine.complete(aid, {"social": ["bullying"], "real_threat": "no"})
    assert walk.outcome.id == "no_signal"
    advice = engine.advice(aid, walk, "en")
    assert advice["next"] == "record"
    assert [r["code"] for r in advice["statutory_risks"]] == ["b", "c"]
    assert advice["consult_colleague"] is True


def test_without_any_risk_the_confirming_question_is_not_asked_and_no_signal_follows():
    aid = meldrichtlijn()
    walk = engine.complete(aid, {})
    assert walk.outcome.id == "no_signal"
    assert "real_threat" not in [q.id for q in walk.asked]
    assert walk.answers == {area: [] for area in LIFE_AREAS}
    with pytest.raises(Refusal) as caught:
        engine.complete(aid, {"real_threat": "yes"})
    assert rule_of(caught.value, "real_threat") == "not_asked"


def test_with_a_risk_the_confirming_question_must_be_answered():
    with pytest.raises(Refusal) as caught:
        engine.complete(meldrichtlijn(), {"material": ["money"]})
    assert rule_of(caught.value, "real_threat") == "required"


def test_a_partial_walk_stops_at_the_next_question_and_ignores_bad_answers():
    aid = meldcode()
    walk = engine.walk(aid, {"steps": ["nope"], "suspicion": "yes"}, partial=True)
    assert walk.pending.id == "steps"  # the bad answer is left out and asked again
    walk = engine.walk(aid, {"steps": [], "suspicion": "yes"}, partial=True)
    assert walk.pending.id == "unsafe" and walk.outcome is None


def test_the_public_structure_has_the_branching_in_one_language():
    aid = meldcode()
    described = engine.describe(aid, "en")
    assert described["language"] == "en"
    assert described["title"] == aid.title.en
    unsafe = next(q for q in described["questions"] if q["id"] == "unsafe")
    assert unsafe["exits"] == [{"when": {"answer": "unsafe", "is": "yes"},
                                "outcome": "report_to_veilig_thuis"}]
