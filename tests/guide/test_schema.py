"""The YAML files are validated at start-up, and a broken file gets an error that names
the file, the path inside it and the rule."""

from __future__ import annotations

import textwrap

import pytest
from django.apps import apps

from jeugdketen.guide import checks, loader
from jeugdketen.guide.loader import GuideConfigError

MINIMAL = textwrap.dedent("""\
    schema: 1
    slug: {slug}
    version: "1"
    kind: custom
    title: {{nl: Proef, en: Trial}}
    intro: {{nl: Een proef., en: A trial.}}
    questions:
      - id: ok
        type: yes_no
        text: {{nl: "Gaat het goed?", en: "Is it going well?"}}
    result:
      - when: {{answer: ok, is: "yes"}}
        outcome: fine
      - outcome: worried
    outcomes:
      - {{id: fine, next: record, title: {{nl: Goed, en: Fine}}, text: {{nl: Goed., en: Fine.}}}}
      - {{id: worried, next: none, title: {{nl: Zorg, en: Worry}}, text: {{nl: Zorg., en: Worry.}}}}
    """)


def minimal(slug: str = "proef", **replace: str) -> str:
    text = MINIMAL.format(slug=slug)
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def problems_of(directory) -> list:
    return list(loader.load(str(directory)).problems)


def only(problems, rule):
    found = [p for p in problems if p.rule == rule]
    assert found, f"no problem with rule {rule!r} in {[str(p) for p in problems]}"
    return found[0]


def test_the_built_in_aids_are_valid():
    loaded = loader.load("")
    assert loaded.problems == ()
    assert {"meldrichtlijn", "meldcode"} <= set(loaded.aids)


def test_a_valid_extra_aid_is_added_and_the_built_ins_stay(aids_dir):
    directory = aids_dir({"proef.yaml": minimal()})
    loaded = loader.reload()
    assert set(loaded.aids) == {"meldcode", "meldrichtlijn", "proef"}
    assert loaded.sources["proef"] == directory / "proef.yaml"
    assert loader.get("proef").title.get("en") == "Trial"


def test_an_administrators_file_replaces_the_built_in_aid_with_the_same_slug(aids_dir):
    aids_dir({"meldcode.yaml": minimal("meldcode", **{'version: "1"': 'version: "2099.1-lokaal"'})})
    loader.reload()
    assert loader.get("meldcode").version == "2099.1-lokaal"
    assert loader.get("meldrichtlijn") is not None


def test_a_missing_translation_names_file_path_and_rule(tmp_path):
    (tmp_path / "proef.yaml").write_text(minimal(**{"en: Trial}": "}"}))
    problem = only(problems_of(tmp_path), "missing")
    assert problem.file == str(tmp_path / "proef.yaml")
    assert problem.path == "title.en"
    assert "proef.yaml: title.en:" in str(problem) and "[rule: missing]" in str(problem)


def test_a_misspelled_key_is_refused(tmp_path):
    (tmp_path / "proef.yaml").write_text(minimal(**{"type: yes_no": "type: yes_no\n    tekst: x"}))
    assert only(problems_of(tmp_path), "extra_forbidden").path == "questions[0].tekst"


def test_an_unquoted_version_is_refused_with_a_hint(tmp_path):
    (tmp_path / "proef.yaml").write_text(minimal(**{'version: "1"': "version: 1.10"}))
    problem = only(problems_of(tmp_path), "version_is_text")
    assert problem.path == "version" and "quotes" in problem.message


def test_an_unknown_condition_shape_is_named(tmp_path):
    (tmp_path / "proef.yaml").write_text(minimal(**{'{answer: ok, is: "yes"}': "{antwoord: ok}"}))
    problem = only(problems_of(tmp_path), "condition_kind")
    assert problem.path == "result[0].when"


def test_references_are_checked(tmp_path):
    text = minimal(**{
        "outcome: fine": "outcome: fijn",
        '{answer: ok, is: "yes"}': "{answer: nope, is: yes}",
    })
    (tmp_path / "proef.yaml").write_text(text)
    problems = problems_of(tmp_path)
    assert only(problems, "unknown_outcome").path == "result[0].outcome"
    assert only(problems, "unknown_question").path == "result[0].when.answer"
    assert only(problems, "unused_outcome").path == "outcomes[0].id"


def test_a_condition_may_not_look_ahead(tmp_path):
    text = minimal(**{'text: {nl: "Gaat het goed?", en: "Is it going well?"}':
                      'text: {nl: "Gaat het goed?", en: "Is it going well?"}\n'
                      "    when: {answer: later, is: no}\n"
                      "  - id: later\n    type: yes_no\n    text: {nl: Later, en: Later}"})
    (tmp_path / "proef.yaml").write_text(text)
    assert only(problems_of(tmp_path), "later_question").path == "questions[0].when.answer"


def test_the_result_must_end_in_exactly_one_outcome(tmp_path):
    (tmp_path / "proef.yaml").write_text(minimal(**{"  - outcome: worried":
                                                    "  - when: {answer: ok, is: no}\n"
                                                    "    outcome: worried"}))
    assert only(problems_of(tmp_path), "fallback_required").path == "result[1]"


def test_an_unknown_statutory_risk_is_named(tmp_path):
    text = minimal(**{
        "questions:": "risks:\n  - {code: a, text: {nl: Geweld, en: Violence}}\nquestions:",
        "  - id: ok\n": "  - id: seen\n    type: choices\n    text: {nl: 'Wat?', en: 'What?'}\n"
                       "    options:\n      - {id: x, text: {nl: X, en: X}, risks: [a, q]}\n"
                       "  - id: ok\n",
    })
    (tmp_path / "proef.yaml").write_text(text)
    assert only(problems_of(tmp_path), "unknown_risk").path == "questions[0].options[0].risks[1]"


def test_yaml_syntax_errors_name_the_line(tmp_path):
    (tmp_path / "proef.yaml").write_text("schema: 1\nslug: proef\n  version: [\n")
    problem = only(problems_of(tmp_path), "yaml_syntax")
    assert problem.path.startswith("line 3")


def test_a_key_written_twice_is_refused(tmp_path):
    (tmp_path / "proef.yaml").write_text(minimal() + 'version: "2"\n')
    problem = only(problems_of(tmp_path), "duplicate_key")
    assert "version" in problem.message


def test_the_file_name_must_match_the_slug(tmp_path):
    (tmp_path / "andere-naam.yaml").write_text(minimal())
    assert only(problems_of(tmp_path), "slug_matches_file_name").path == "slug"


def test_a_missing_directory_is_named(tmp_path):
    problem = only(problems_of(tmp_path / "bestaat-niet"), "not_a_directory")
    assert loader.ENV_VAR in problem.message


def test_start_up_refuses_broken_aids_and_lists_every_problem(aids_dir):
    aids_dir({"proef.yaml": minimal(**{"en: Trial}": "}", 'version: "1"': "version: 2"})})
    with pytest.raises(GuideConfigError) as caught:
        apps.get_app_config("guide").ready()
    message = str(caught.value)
    assert "proef.yaml: title.en:" in message and "[rule: missing]" in message
    assert "proef.yaml: version:" in message and "[rule: version_is_text]" in message
    # The aids in use stay as they were.
    assert loader.get("meldcode") is not None and loader.get("proef") is None


def test_the_system_check_reports_each_problem(aids_dir):
    directory = aids_dir({"proef.yaml": minimal(**{"en: Trial}": "}"})})
    errors = checks.guides_are_valid()
    assert [e.id for e in errors] == ["guide.E001"]
    assert errors[0].obj == str(directory / "proef.yaml")
    assert "title.en" in errors[0].msg and "[rule: missing]" in errors[0].msg


def test_the_system_check_is_quiet_for_valid_aids(aids_dir):
    aids_dir({"proef.yaml": minimal()})
    assert checks.guides_are_valid() == []


def test_the_check_command_lists_problems_instead_of_stopping(aids_dir, monkeypatch):
    """`jeugdketen check` starts Django without raising, so guide.E001 can list them."""
    aids_dir({"proef.yaml": minimal(**{"en: Trial}": "}"})})
    monkeypatch.setattr("sys.argv", ["jeugdketen", "check", "--tag", "guides"])
    apps.get_app_config("guide").ready()
    assert [e.id for e in checks.guides_are_valid()] == ["guide.E001"]
