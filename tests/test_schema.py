"""The JSON Schema of ``orgflow schema``: a valid draft 2020-12 schema that accepts every org file
orgflow accepts and rejects broken ones, as an editor would apply it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from orgflow import cli
from orgflow.diagnostics import OrgFileError
from orgflow.loader import load, load_text
from orgflow.schema import json_schema

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
VALID = sorted((ROOT / "tests" / "data" / "valid").glob("*.yaml"))
# YAML 1.1 retypes most of this file's values (yes -> true, 007 -> 7, ...): see
# test_yaml11_values_are_rejected_only_where_yaml_retypes_them.
YAML11 = ROOT / "tests" / "data" / "valid" / "yaml11-values.yaml"


def _validator() -> Draft202012Validator:
    # With the format checker, as editors check "format": "date" (absences).
    return Draft202012Validator(json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _iso_dates(value: Any) -> Any:
    """Dates back to the text they were written as.

    yaml.safe_load follows YAML 1.1, which reads 2026-08-03 as a date, while orgflow's loader
    keeps every scalar as text (and editors, on YAML 1.2, read it as a string). JSON has no
    dates, so a date object can only be the text that was in the file: turn it back."""
    if isinstance(value, dict):
        return {k: _iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso_dates(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def editor_view(text_or_bytes: str | bytes) -> Any:
    """The document as an editor checks it against the schema: YAML parsed to plain data, where
    numbers are numbers and booleans booleans (unlike orgflow's loader, which keeps text and
    lets pydantic convert). Bytes are decoded by PyYAML from their byte-order mark."""
    return _iso_dates(yaml.safe_load(text_or_bytes))


def _errors(doc: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in _validator().iter_errors(doc)
    ]


# --- the schema itself ------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object"
    assert schema["required"] == ["version"]
    assert schema["additionalProperties"] is False


def test_schema_command_prints_the_schema() -> None:
    result = CliRunner().invoke(cli.app, ["schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(json.dumps(json_schema()))


def _defaults(node: Any, path: str = "") -> list[tuple[str, Any, dict[str, Any]]]:
    """Every (place, default, schema) in the schema."""
    found = []
    if isinstance(node, dict):
        if "default" in node:
            found.append((path, node["default"], node))
        for key, value in node.items():
            if key != "default":
                found += _defaults(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _defaults(value, f"{path}/{i}")
    return found


def test_every_default_fits_its_own_schema() -> None:
    # Editors offer the default on completion: it must be a value the schema accepts.
    schema = json_schema()
    bad = []
    for place, default, node in _defaults(schema):
        sub = {k: v for k, v in node.items() if k != "default"}
        sub["$defs"] = schema["$defs"]
        if list(Draft202012Validator(sub).iter_errors(default)):
            bad.append(f"{place}: {default!r}")
    assert bad == []


# --- valid files ------------------------------------------------------------------------


def _valid_files() -> list[Any]:
    return [pytest.param(path, id=path.name) for path in SAMPLES + VALID if path != YAML11]


def test_the_files_are_org_files_orgflow_accepts() -> None:
    # What the schema tests below rely on: these are the files, and orgflow loads each one.
    names = {p.name for p in SAMPLES + VALID}
    assert {"minimal.yaml", "yaml11-values.yaml"}.issubset(names)
    assert len(SAMPLES) >= 4
    for path in SAMPLES + VALID:
        load(path)


@pytest.mark.parametrize("path", _valid_files())
def test_schema_accepts_valid_file(path: Path) -> None:
    assert _errors(editor_view(path.read_bytes())) == []


@pytest.mark.parametrize("path", SAMPLES + VALID, ids=lambda p: p.name)
def test_schema_rejects_valid_files_only_for_known_reasons(path: Path) -> None:
    # Every error on a file orgflow accepts must be, in yaml11-values.yaml, a value YAML 1.1
    # retypes. Anything else is a disagreement between the schema and orgflow.
    doc = editor_view(path.read_bytes())
    other = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in _validator().iter_errors(doc)
        if not (path == YAML11 and _retyped(e.instance))
    ]
    assert other == []


def _retyped(value: Any) -> bool:
    """A value YAML 1.1 read as a boolean or a number where the file meant text."""
    if isinstance(value, list):
        return any(_retyped(v) for v in value)
    return isinstance(value, bool | int)


def test_yaml11_values_are_rejected_only_where_yaml_retypes_them() -> None:
    # orgflow keeps `id: no`, `id: 007`, `id: 0x1F` as text; yaml.safe_load (YAML 1.1) reads
    # them as false, 7 and 31, which a string field rightly rejects. Editors on YAML 1.2 read
    # yes/no/on/off as strings but still read 007, 0x1F and 1e3 as numbers: such ids need
    # quotes for the editor. Checked by hand from the file: these places, and no others.
    doc = editor_view(YAML11.read_bytes())
    retyped = sorted("/".join(map(str, e.absolute_path)) for e in _validator().iter_errors(doc))
    people = [f"people/{i}/skills/{j}" for i in range(3) for j in range(3)]
    assert retyped == sorted(
        [
            "people/0/id",  # no -> false
            "people/0/region",  # no
            "people/1/id",  # 007 -> 7
            "people/1/region",  # NO
            *people,  # [yes, on, off]
            "activities/0/id",  # yes
            "activities/1/id",  # on
            "activities/2/id",  # off
            "processes/0/steps/0",  # yes
            "processes/0/steps/1",  # on
            "processes/0/steps/2",  # off
            "customers/0/region",  # no
            "customers/1/id",  # 0x1F -> 31
            "customers/1/region",  # NO
            "assignments/0/region",  # no
            "assignments/0/people",  # [no, 007]
            "assignments/1/customers",  # [0x1F]
            "assignments/1/pool",  # [007, 1e3]
        ]
    )


# --- forms one at a time ----------------------------------------------------------------

# A small org in the long forms only, so that the cases below change one thing each.
BASE = """\
version: 1
people:
  - {id: ann, skills: [a], availability: 0.9}
activities:
  - {id: a, effort: {dist: exponential, mean: 1h}}
processes:
  - {id: p, steps: [{activity: a}]}
customers:
  - {id: c, region: north, demand: {p: 2/week}}
assignments:
  - {activity: [a], people: [ann]}
"""


def _variant(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def test_base_is_valid_for_orgflow_and_the_schema() -> None:
    load_text(BASE)
    assert _errors(editor_view(BASE)) == []


ACCEPTED = {
    "pert-without-dist": ("{dist: exponential, mean: 1h}", "{min: 1h, likely: 2h, max: 4h}"),
    "lognormal-without-dist": ("{dist: exponential, mean: 1h}", "{mean: 1h, cv: 0.5}"),
    "uniform": ("{dist: exponential, mean: 1h}", "{dist: uniform, min: 1h, max: 2h}"),
    "triangular": (
        "{dist: exponential, mean: 1h}",
        "{dist: triangular, min: 1h, likely: 2h, max: 4h}",
    ),
    "pool": ("people: [ann]", "pool: [ann]"),
    "capacity-and-absence": (
        "availability: 0.9}",
        "capacity: 6h/day, absences: [{from: 2026-08-03, to: 2026-08-21, reason: holiday}]}",
    ),
    "org-settings": (
        "version: 1\n",
        "version: 1\norg: {name: Office, hours_per_day: 7.5, days_per_week: 5, "
        "handoff_delay: 2h, absence_spell: 3d}\n",
    ),
    "policy-limits": (
        "version: 1\n",
        "version: 1\npolicy: {max_handoffs: 3, max_lead_time: 3d, max_utilization: 85%, "
        "min_bus_factor: {limit: 2, level: warning}, max_blocked_share: off, "
        "min_truck_factor: {enabled: false}}\n",
    ),
    "null-name": ("{id: ann,", "{id: ann, name: ~,"),
    # Issue 13's additions.
    "delay-stop-probability": (
        "steps: [{activity: a}]",
        "steps: [{activity: a, delay: {mean: 200h, cv: 1.4}, stop: 0.1, probability: 0.5}]",
    ),
    "rework-with-max": (
        "steps: [{activity: a}]",
        "steps: [{activity: a, rework: {to: a, probability: 1, max: 2}}]",
    ),
    "pickup-any-and-rule-effort": ("people: [ann]", "pool: [ann], pickup: any, effort: 2h"),
    "demand-by-month": (
        "version: 1\n",
        "version: 1\norg: {demand_by_month: {jan: 2, feb: 1.4, mar: 1, apr: 1, may: 1, jun: 1, "
        "jul: 1, aug: 0.6, sep: 1, oct: 0.6, nov: 0.8, dec: 0.6}}\n",
    ),
}


@pytest.mark.parametrize(("old", "new"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_schema_accepts_long_forms(old: str, new: str) -> None:
    text = _variant(old, new)
    load_text(text)  # orgflow accepts it ...
    assert _errors(editor_view(text)) == []  # ... and so does the schema


SHORT_FORMS = {
    "effort-as-duration": ("{dist: exponential, mean: 1h}", "1h"),
    "step-as-activity-id": ("steps: [{activity: a}]", "steps: [a]"),
    "after-as-one-step": (
        "steps: [{activity: a}]",
        "steps: [{activity: a}, {id: a2, activity: a, after: a}]",
    ),
    "rule-activity-as-one-id": ("activity: [a]", "activity: a"),
    "rule-customers-as-one-id": ("activity: [a]", "customers: c"),
    "rule-region-as-one-name": ("activity: [a]", "region: north"),
}


@pytest.mark.parametrize(("old", "new"), SHORT_FORMS.values(), ids=SHORT_FORMS.keys())
def test_schema_accepts_short_forms(old: str, new: str) -> None:
    text = _variant(old, new)
    load_text(text)
    assert _errors(editor_view(text)) == []


def test_schema_accepts_exclusive_alternatives() -> None:
    text = (
        BASE.replace("processes:", "  - {id: b, effort: 2h}\nprocesses:")
        .replace(
            "steps: [{activity: a}]", "steps: [{id: pay, activity: [a, b], shares: [0.3, 0.7]}]"
        )
        .replace("activity: [a], people", "activity: [a, b], people")
    )
    assert load_text(text).processes[0].steps[0].alternatives == (("a", 0.3), ("b", 0.7))
    assert _errors(editor_view(text)) == []


def test_schema_accepts_a_policy_rule_set_to_null() -> None:
    text = _variant("version: 1\n", "version: 1\npolicy:\n  max_handoffs:\n")
    assert load_text(text).policy is not None
    assert _errors(editor_view(text)) == []


# Each broken file: what changes, and where the schema reports it (worked out by hand).
REJECTED = {
    "unknown-top-level-key": ("version: 1\n", "version: 1\npeeple: []\n", ""),
    "unknown-person-key": ("skills: [a]", "skils: [a]", "people/0"),
    "missing-version": ("version: 1\n", "", ""),
    "version-2": ("version: 1", "version: 2", "version"),
    "missing-person-id": ("{id: ann, skills", "{skills", "people/0"),
    "missing-activity-id": ("{id: a, effort", "{effort", "activities/0"),
    "missing-effort": ("{id: a, effort: {dist: exponential, mean: 1h}}", "{id: a}", "activities/0"),
    "availability-as-text": ("availability: 0.9", "availability: high", "people/0/availability"),
    "availability-over-1": ("availability: 0.9", "availability: 1.5", "people/0/availability"),
    "skills-not-a-list": ("skills: [a]", "skills: a", "people/0/skills"),
    "id-with-space": ("{id: c,", "{id: c d,", "customers/0/id"),
    "flag-not-boolean": ("mean: 1h}}", "mean: 1h}, specialist: maybe}", "activities/0/specialist"),
    "hours-per-day-25": ("version: 1\n", "version: 1\norg: {hours_per_day: 25}\n", "org"),
    "rate-without-slash": ("2/week", "2 per week", "customers/0/demand/p"),
    "duration-without-number": ("mean: 1h", "mean: soon", "activities/0/effort"),
    "unknown-dist": ("dist: exponential", "dist: gamma", "activities/0/effort"),
    "cv-on-fixed": (
        "{dist: exponential, mean: 1h}",
        "{dist: fixed, mean: 1h, cv: 0.5}",
        "activities/0/effort",
    ),
    "pert-without-max": (
        "{dist: exponential, mean: 1h}",
        "{dist: pert, min: 1h, likely: 2h}",
        "activities/0/effort",
    ),
    "no-steps": ("steps: [{activity: a}]", "steps: []", "processes/0/steps"),
    "rule-without-people": ("people: [ann]", "people: []", "assignments/0/people"),
    "absence-not-a-date": (
        "availability: 0.9}",
        "availability: 0.9, absences: [{from: next monday, to: 2026-08-21}]}",
        "people/0/absences/0/from",
    ),
    "policy-unknown-rule": ("version: 1\n", "version: 1\npolicy: {max_handofs: 2}\n", "policy"),
    "policy-bad-level": (
        "version: 1\n",
        "version: 1\npolicy: {max_handoffs: {limit: 2, level: fatal}}\n",
        "policy",
    ),
    "policy-rule-true": ("version: 1\n", "version: 1\npolicy: {max_handoffs: true}\n", "policy"),
    "stop-over-1": ("steps: [{activity: a}]", "steps: [{activity: a, stop: 1.5}]", "processes/0"),
    "probability-text": (
        "steps: [{activity: a}]",
        "steps: [{activity: a, probability: often}]",
        "processes/0",
    ),
    "rework-max-0": (
        "steps: [{activity: a}]",
        "steps: [{activity: a, rework: {to: a, probability: 0.5, max: 0}}]",
        "processes/0",
    ),
    "share-over-1": (
        "steps: [{activity: a}]",
        "steps: [{activity: [a, a2], shares: [1.5, 0.5]}]",
        "processes/0",
    ),
    "pickup-unknown": ("people: [ann]", "pool: [ann], pickup: anyone", "assignments/0"),
    "delay-not-a-duration": (
        "steps: [{activity: a}]",
        "steps: [{activity: a, delay: soon}]",
        "processes/0",
    ),
    "month-misspelt": (
        "version: 1\n",
        "version: 1\norg: {demand_by_month: {janu: 1, feb: 1, mar: 1, apr: 1, may: 1, jun: 1, "
        "jul: 1, aug: 1, sep: 1, oct: 1, nov: 1, dec: 1}}\n",
        "org/demand_by_month",
    ),
}


@pytest.mark.parametrize(("old", "new", "where"), REJECTED.values(), ids=REJECTED.keys())
def test_schema_rejects_broken_files(old: str, new: str, where: str) -> None:
    text = _variant(old, new)
    with pytest.raises(OrgFileError):  # orgflow rejects it ...
        load_text(text)
    errors = list(_validator().iter_errors(editor_view(text)))
    assert errors, "the schema accepts it"  # ... and so does the schema, at that place
    places = {"/".join(map(str, e.absolute_path)) for e in errors}
    assert all(p.startswith(where) for p in places), places


def test_committed_schema_file_is_up_to_date() -> None:
    # The samples point editors at ../orgflow.schema.json: it must match `orgflow schema`.
    from orgflow.schema import json_schema_text

    assert (ROOT / "orgflow.schema.json").read_text() == json_schema_text()
