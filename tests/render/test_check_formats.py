"""Reports of ``orgflow check``: SARIF against the official schema, GitHub workflow commands
with their escaping, and the JSON summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, Draft7Validator
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from typer.testing import CliRunner

from orgflow import cli
from orgflow.render.check import escape_data, escape_property

SARIF_SCHEMA = Path(__file__).resolve().parent.parent / "data" / "sarif" / "sarif-schema-2.1.0.json"

runner = CliRunner()

# Two desks in series: ann does a, bob does b. Lines and columns are counted by hand below.
ORG = """\
version: 1
people:
  - {id: ann, skills: [a, b]}
  - {id: bob, skills: [a, b]}
activities:
  - {id: a, effort: 1h, customer_facing: true}
  - {id: b, effort: 1h, customer_facing: true}
processes:
  - {id: p, steps: [a, b]}
customers:
  - {id: c, demand: {p: 10/week}}
assignments:
  - {activity: a, people: [ann]}
  - {activity: b, people: [bob]}
"""
POLICY = """\
max_handoffs: 0
min_bus_factor: 2
max_contacts_per_customer: {limit: 1, level: warning}
max_utilization: 0.2
"""
# A loader finding: unknown key 'skils' on line 3; "  - {id: ann, " is 14 characters, so the
# key starts at column 15.
BROKEN = "version: 1\npeople:\n  - {id: ann, skils: [a]}\n"

# What ORG breaks under POLICY, worked out by hand. Every item line starts "  - {", so each
# item's "{" is at column 5.
# - max_utilization 0.2: ann and bob each do 10 requests/week x 1 h = 10 h of a 40 h week
#   (availability 1): 25% > 20%. Reported at their people entries, lines 3 and 4.
# - max_contacts_per_customer 1 (warning): c's customer-facing steps a and b are done by ann
#   and bob, 2 contacts. Reported at customers[0], line 11.
# - min_bus_factor 2: a is done by ann alone (rule on line 13), b by bob alone (line 14).
# - max_handoffs 0: route p is ann -> bob, 1 handoff, made by step b: the rule on line 14.
EXPECTED = [
    (3, 5, "error", "max_utilization"),
    (4, 5, "error", "max_utilization"),
    (11, 5, "warning", "max_contacts_per_customer"),
    (13, 5, "error", "min_bus_factor"),
    (14, 5, "error", "max_handoffs"),
    (14, 5, "error", "min_bus_factor"),
]


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with org.yaml, broken.yaml and policy.yml, made the working directory so the
    reports carry relative paths, as in CI."""
    (tmp_path / "org.yaml").write_text(ORG)
    (tmp_path / "broken.yaml").write_text(BROKEN)
    (tmp_path / "policy.yml").write_text(POLICY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(*args: str, env: dict[str, str | None] | None = None) -> tuple[int, str]:
    result = runner.invoke(cli.app, ["check", *args], env=env)
    return result.exit_code, result.stdout


def _sarif_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return schema


# --- SARIF ------------------------------------------------------------------------------


def test_vendored_schema_is_the_oasis_sarif_2_1_0_schema() -> None:
    schema = _sarif_schema()
    assert schema["id"] == (
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    )
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    # The schema declares draft-04; it is a valid schema under that draft and draft-07 too.
    assert validator_for(schema) is Draft4Validator
    Draft4Validator.check_schema(schema)
    Draft7Validator.check_schema(schema)


@pytest.mark.parametrize("validator", [Draft4Validator, Draft7Validator])
def test_sarif_report_is_valid_sarif(office: Path, validator: type[Validator]) -> None:
    code, out = _check("org.yaml", "broken.yaml", "--policy", "policy.yml", "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    checker = validator(_sarif_schema(), format_checker=validator.FORMAT_CHECKER)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in checker.iter_errors(log)]
    assert errors == []


def test_sarif_rules_and_results(office: Path) -> None:
    _, out = _check("org.yaml", "broken.yaml", "--policy", "policy.yml", "--format", "sarif")
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "orgflow"
    rules = driver["rules"]
    # One rule per code reported, each once.
    assert sorted(r["id"] for r in rules) == [
        "max_contacts_per_customer",
        "max_handoffs",
        "max_utilization",
        "min_bus_factor",
        "schema",
    ]
    for rule in rules:
        assert rule["shortDescription"]["text"].strip()
        assert rule["help"]["text"].strip()
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")

    results = run["results"]
    got = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            r["level"],
            r["ruleId"],
        )
        for r in results
    ]
    assert got == [("org.yaml", *e) for e in EXPECTED] + [("broken.yaml", 3, 15, "error", "schema")]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["message"]["text"].strip()
        (location,) = r["locations"]
        assert set(location["physicalLocation"]) == {"artifactLocation", "region"}
    # A policy finding's message carries the measured value and the limit.
    assert results[0]["message"]["text"].startswith(
        "'ann' is at 25% utilization (10.0 h/week for 40.0 h present), limit 20%"
    )


def test_sarif_regions_match_the_json_findings(office: Path) -> None:
    args = ("org.yaml", "broken.yaml", "--policy", "policy.yml")
    _, sarif_out = _check(*args, "--format", "sarif")
    _, json_out = _check(*args, "--format", "json")
    findings = [f for file in json.loads(json_out)["files"] for f in file["findings"]]
    results = json.loads(sarif_out)["runs"][0]["results"]
    assert len(results) == len(findings) == 7
    for finding, result in zip(findings, results, strict=True):
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == finding["file"]
        assert location["region"] == {
            "startLine": finding["line"],
            "startColumn": finding["column"],
        }
        assert (result["ruleId"], result["level"]) == (finding["code"], finding["level"])


def test_sarif_uri_escapes_the_path(office: Path) -> None:
    (office / "we:ird, name.yaml").write_text(ORG)
    _, out = _check("we:ird, name.yaml", "--policy", "policy.yml", "--format", "sarif")
    log = json.loads(out)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    # ':' would read as a URI scheme; ',' and ' ' are percent-encoded too (RFC 3986).
    assert uris == {"we%3Aird%2C%20name.yaml"}


def test_sarif_without_findings_is_valid(office: Path) -> None:
    (office / "quiet.yml").write_text("max_handoffs: 5\n")
    code, out = _check("org.yaml", "--policy", "quiet.yml", "--format", "sarif")
    assert code == 0
    log = json.loads(out)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"] == []
    assert list(Draft4Validator(_sarif_schema()).iter_errors(log)) == []


# --- GitHub workflow commands -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain text", "plain text"),
        ("100%", "100%25"),
        ("a\nb", "a%0Ab"),
        ("a\r\nb", "a%0D%0Ab"),
        # '%' is escaped first, so an escape already in the text is kept as typed.
        ("%0A", "%250A"),
        # Data keeps ':' and ','.
        ("key: a, b", "key: a, b"),
    ],
)
def test_escape_data(text: str, escaped: str) -> None:
    assert escape_data(text) == escaped


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("org.yaml", "org.yaml"),
        ("we:ird,name.yaml", "we%3Aird%2Cname.yaml"),
        ("50%:\r\n,", "50%25%3A%0D%0A%2C"),
        ("%3A", "%253A"),
    ],
)
def test_escape_property(text: str, escaped: str) -> None:
    assert escape_property(text) == escaped


def test_github_annotations(office: Path) -> None:
    (office / "we:ird,name.yaml").write_text(ORG)
    code, out = _check(
        "we:ird,name.yaml", "broken.yaml", "--policy", "policy.yml", "--format", "github"
    )
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 7  # one command per finding: a message never spans lines
    file_prop = "file=we%3Aird%2Cname.yaml"
    # The message ('%' twice) and, after an escaped newline, the rule's hint ('%' once).
    assert lines[0] == (
        f"::error {file_prop},line=3,col=5,title=orgflow max_utilization::"
        "'ann' is at 25%25 utilization (10.0 h/week for 40.0 h present), limit 20%25"
        "%0AQueues grow steeply as utilization nears 100%25. Move work or add capacity."
    )
    assert lines[2].startswith(
        f"::warning {file_prop},line=11,col=5,title=orgflow max_contacts_per_customer::"
        "customer 'c' talks to 2 people (ann, bob), limit 1%0A"
    )
    assert lines[4].startswith(
        f"::error {file_prop},line=14,col=5,title=orgflow max_handoffs::"
        "1 handoff per request, limit 0, on p (ann -> bob; customers c); this rule "
    )
    assert lines[6] == (
        "::error file=broken.yaml,line=3,col=15,title=orgflow schema::"
        "unknown key 'skils' in people[0] (ann)%0Adid you mean 'skills'?"
    )


def test_github_is_the_default_format_under_github_actions(office: Path) -> None:
    _, out = _check("broken.yaml", env={"GITHUB_ACTIONS": "true"})
    assert out.startswith("::error file=broken.yaml,line=3,col=15,title=orgflow schema::")
    # Anywhere else the default is the text report.
    for env in ({"GITHUB_ACTIONS": None}, {"GITHUB_ACTIONS": "false"}):
        _, out = _check("broken.yaml", env=env)
        assert not out.startswith("::")
        assert "broken.yaml:3:15: error: unknown key 'skils'" in out
    # An explicit --format wins.
    _, out = _check("broken.yaml", "--format", "json", env={"GITHUB_ACTIONS": "true"})
    assert json.loads(out)["summary"]["errors"] == 1


def test_github_without_findings_prints_nothing(office: Path) -> None:
    (office / "quiet.yml").write_text("max_handoffs: 5\n")
    code, out = _check("org.yaml", "--policy", "quiet.yml", "--format", "github")
    assert (code, out) == (0, "")


# --- JSON -------------------------------------------------------------------------------


def test_json_summary_counts_the_findings(office: Path) -> None:
    (office / "copy.yaml").write_text(ORG)
    _, out = _check("org.yaml", "broken.yaml", "copy.yaml", "--policy", "policy.yml", "-f", "json")
    doc = json.loads(out)
    by_file = {f["file"]: f for f in doc["files"]}
    assert list(by_file) == ["org.yaml", "broken.yaml", "copy.yaml"]
    # By hand: org.yaml and its copy have 5 errors and 1 warning each (EXPECTED), broken.yaml
    # 1 error (it cannot be analyzed, so no policy finding).
    assert [(f["errors"], f["warnings"]) for f in doc["files"]] == [(5, 1), (1, 0), (5, 1)]
    assert doc["summary"] == {"files": 3, "errors": 11, "warnings": 2}
    assert [
        (f["line"], f["column"], f["level"], f["code"]) for f in by_file["org.yaml"]["findings"]
    ] == EXPECTED
    # And the counts agree with the findings listed.
    findings = [f for file in doc["files"] for f in file["findings"]]
    assert doc["summary"]["errors"] == sum(f["level"] == "error" for f in findings)
    assert doc["summary"]["warnings"] == sum(f["level"] == "warning" for f in findings)
    for file in doc["files"]:
        assert file["errors"] == sum(f["level"] == "error" for f in file["findings"])
        assert file["warnings"] == sum(f["level"] == "warning" for f in file["findings"])
    assert by_file["broken.yaml"]["analyzed"] is False
    assert by_file["org.yaml"]["analyzed"] is True


def test_json_without_findings(office: Path) -> None:
    (office / "quiet.yml").write_text("max_handoffs: 5\n")
    code, out = _check("org.yaml", "--policy", "quiet.yml", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["summary"] == {"files": 1, "errors": 0, "warnings": 0}
    assert doc["files"][0]["findings"] == []
