"""The studio's form and the YAML: every shipped file survives form → YAML → form."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.console.studio.coverage import uneditable
from bot.console.studio.spec import Spec, action_specs, file_spec
from bot.console.studio.yaml_form import FormUnavailable, read_form, write_form
from bot.nlu.intents import KNOWN_INTENTS
from bot.policies.loader import _model_for, parse_document, parse_policies
from bot.policies.source import POLICY_FILES, read_directory
from tests.conftest import ROOT

SHIPPED = ROOT / "stage_policies"
MARK = " ✓"


def shipped() -> dict[str, str]:
    files, problems = read_directory(SHIPPED)
    assert problems == []
    return files


def edit_everything(value: Any, spec: Spec) -> Any:
    """What a marketer could do in the form: every text changed, a button added to every
    button list, the first two items of every list swapped."""
    kind = spec["kind"]
    if kind in ("text", "line"):
        return {lang: text + MARK for lang, text in value.items()}
    if kind == "object":
        fields = {f["key"]: f["spec"] for f in spec["fields"]}
        edited = {k: edit_everything(v, fields[k]) if k in fields else v for k, v in value.items()}
        if spec["model"] in {"ReplyArgs", "TrialArgs", "PlanInfoArgs"} and "buttons" in edited:
            edited["buttons"].append(
                {"title": {"vi": "Gọi", "en": "Call"}, "payload": "/request_human"}
            )
        return edited
    if kind == "list":
        items = [edit_everything(item, spec["item"]) for item in value]
        if len(items) > 1 and spec["item"].get("model") in {
            "ButtonSpec",
            "ChecklistStep",
            "Plan",
            "EventSpec",
        }:
            items[0], items[1] = items[1], items[0]
        return items
    if kind == "actions":
        return [_edit_call(call) for call in value]
    return value


def _edit_call(call: dict[str, Any]) -> dict[str, Any]:
    ((name, args),) = call.items()
    if not isinstance(args, dict):
        return call
    return {name: edit_everything(args, action_specs()[name]["fields"])}


@pytest.mark.parametrize("name", POLICY_FILES)
def test_an_untouched_form_writes_the_file_byte_for_byte(name: str) -> None:
    text = shipped()[name]
    assert write_form(text, read_form(text)) == text


@pytest.mark.parametrize("name", POLICY_FILES)
def test_the_form_edits_every_part_of_the_shipped_file(name: str) -> None:
    assert uneditable(read_form(shipped()[name]), file_spec(name)) == []


@pytest.mark.parametrize("name", POLICY_FILES)
def test_edited_forms_survive_the_yaml_and_parse_to_what_the_form_says(name: str) -> None:
    files = shipped()
    form = read_form(files[name])
    edited = edit_everything(copy.deepcopy(form), file_spec(name))
    assert edited != form
    text = write_form(files[name], edited)
    assert read_form(text) == edited  # every form field survives
    context = {"intents": KNOWN_INTENTS}
    written, _, problems = parse_document(_model_for(name), text, name, context)
    assert problems == []
    assert written == _model_for(name).model_validate(edited, context=context)
    # Only what was edited changed: comments and untouched lines stay.
    kept = [line for line in files[name].splitlines() if line.lstrip().startswith("#")]
    assert all(line in text.splitlines() for line in kept)
    parse_policies({**files, name: text}, KNOWN_INTENTS)


def test_a_changed_text_changes_only_its_line_and_a_new_button_looks_like_the_others() -> None:
    files = shipped()
    form = read_form(files["decision.yml"])
    trial = form["rules"][0]["do"][0]["trial_offer"]
    trial["offer"]["vi"] = "Mã của bạn: {{ code }}\nDùng đến {{ expires }}."
    trial["buttons"].append(
        {"title": {"vi": "Gặp người", "en": "A person"}, "payload": "/request_human"}
    )
    text = write_form(files["decision.yml"], form)
    before, after = files["decision.yml"].splitlines(), text.splitlines()
    changed = [line for line in after if line not in before]
    assert changed == [
        '            vi: "Mã của bạn: {{ code }}\\nDùng đến {{ expires }}."',
        '            - {title: {vi: "Gặp người", en: "A person"}, payload: /request_human}',
    ]
    assert len(after) == len(before) + 1


def test_reordered_rules_keep_their_text_and_a_new_rule_follows_the_house_style() -> None:
    files = shipped()
    form = read_form(files["common.yml"])
    rules = form["rules"]
    rules[0], rules[1] = rules[1], rules[0]
    rules.append(
        {
            "name": "tet",
            "when": {"intent": "greet"},
            "do": [{"reply": {"text": {"vi": "Chúc mừng năm mới", "en": "Happy new year"}}}],
        }
    )
    text = write_form(files["common.yml"], form)
    assert read_form(text)["rules"] == rules
    assert "    when: {intent: greet}\n    do:\n      - reply:\n" in text
    assert 'vi: "Chúc mừng năm mới"' in text
    assert text.startswith("# Rules that hold in every stage")


def test_an_unknown_construct_is_reported_and_kept_when_the_rest_is_edited(tmp_path: Path) -> None:
    files = shipped()
    text = files["awareness.yml"].replace(
        "  - name: pitch\n", "  - name: pitch\n    priority: {weight: 3, note: from a newer bot}\n"
    )
    form = read_form(text)
    assert uneditable(form, file_spec("awareness.yml")) == [("rules", 0, "priority")]
    form["rules"][0]["do"][0]["reply"]["text"]["en"] = "SaleMate, in short."
    written = write_form(text, form)
    assert "    priority: {weight: 3, note: from a newer bot}\n" in written
    assert 'en: "SaleMate, in short."' in written


def test_a_file_that_does_not_parse_has_no_form() -> None:
    with pytest.raises(FormUnavailable):
        read_form("rules: [unclosed\n")
    with pytest.raises(FormUnavailable):
        write_form("rules: [unclosed\n", {})


def test_the_cli_validates_what_the_form_wrote(tmp_path: Path) -> None:
    files = shipped()
    for name in POLICY_FILES:
        edited = edit_everything(read_form(files[name]), file_spec(name))
        (tmp_path / name).write_text(write_form(files[name], edited), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "policies", "validate", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid (6 stages" in result.stdout
