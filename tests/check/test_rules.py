"""Each policy rule passes and fails on a small office, at the line to change."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgflow.check.runner import check_file
from orgflow.diagnostics import Diagnostic

# Two people, two steps of 1 h and 2 h, one customer at 4 requests a week (0.1 per hour).
# Lines are numbered in the comments: findings must point at them.
SERIAL = """\
version: 1
org: {{handoff_delay: 0h}}
people:
  - {{id: ann, skills: [a, b]}}
  - {{id: bob, skills: [a, b]}}
activities:
  - {{id: a, effort: 1h, customer_facing: true}}
  - {{id: b, effort: 2h, customer_facing: true}}
processes:
  - {{id: p, steps: [a, b]}}
customers:
  - {{id: c1, demand: {{p: 4/week}}}}
assignments:
  - {{activity: a, people: [ann]}}
  - {{activity: b, people: [bob]}}
policy:
  {rule}
"""
# Line 4: ann, line 5: bob (the flow mapping starts at column 5); line 12: the customer;
# line 13: "assignments:"; line 14: ann's rule for a; line 15: bob's rule for b.

PARALLEL = SERIAL.replace(
    "  - {{activity: a, people: [ann]}}\n  - {{activity: b, people: [bob]}}\n",
    "  - {{people: [ann, bob]}}\n",
)


def findings(tmp_path: Path, template: str, rule: str) -> list[Diagnostic]:
    path = tmp_path / "org.yaml"
    path.write_text(template.format(rule=rule))
    result = check_file(path, None)
    assert result.loaded, result.findings
    return [f for f in result.findings if f.code != "rule-never-matches"]


def places(found: list[Diagnostic]) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.level, f.code) for f in found]


def test_max_handoffs(tmp_path: Path) -> None:
    # Serial: a (ann) -> b (bob) is one handoff; over a limit of 0 the handoff is made by
    # bob's rule (line 15).
    found = findings(tmp_path, SERIAL, "max_handoffs: 0")
    assert places(found) == [(15, 5, "error", "max_handoffs")]
    assert "1 handoff per request, limit 0" in found[0].message
    # In parallel ann does both steps: no handoff.
    assert findings(tmp_path, PARALLEL, "max_handoffs: 0") == []


def test_min_bus_factor(tmp_path: Path) -> None:
    # Serial: a only by ann (rule on line 14), b only by bob (line 15).
    found = findings(tmp_path, SERIAL, "min_bus_factor: 2")
    assert places(found) == [(14, 5, "error", "min_bus_factor"), (15, 5, "error", "min_bus_factor")]
    # Parallel: ann with bob as backup: two people for every step.
    assert findings(tmp_path, PARALLEL, "min_bus_factor: 2") == []


def test_max_lead_time(tmp_path: Path) -> None:
    # Serial, lambda = 0.1/h, fixed efforts (M/D/1 at each desk):
    # ann: rho = 0.1, Wq = 0.1 * 1^2 / (2 * 0.9) = 0.0556 h; bob: rho = 0.2,
    # Wq = 0.1 * 2^2 / (2 * 0.8) = 0.25 h. Lead = 0.0556 + 1 + 0.25 + 2 = 3.306 h.
    # Over 3h it fails at the step with the longest wait plus work: b (2.25 h), line 15.
    found = findings(tmp_path, SERIAL, "max_lead_time: 3h")
    assert places(found) == [(15, 5, "error", "max_lead_time")]
    assert "3.3 h" in found[0].message
    assert findings(tmp_path, SERIAL, "max_lead_time: 4h") == []


def test_max_utilization(tmp_path: Path) -> None:
    # bob: 4 requests/week * 2 h = 8 h of 40 h = 20%; ann: 4 h = 10%.
    found = findings(tmp_path, SERIAL, "max_utilization: 0.15")
    assert places(found) == [(5, 5, "error", "max_utilization")]
    assert "20% utilization" in found[0].message
    assert findings(tmp_path, SERIAL, "max_utilization: 25%") == []


def test_an_overloaded_person_gets_one_finding(tmp_path: Path) -> None:
    # 25 requests/week: bob does 25 * 2 h = 50 h of 40 h = 125%, ann 25 h = 62.5%. The loader
    # warns 'overloaded' at bob's id (line 5, column 10) and max_utilization finds him at his
    # entry (line 5, column 5): one root cause, so only the rule's finding, with the limit.
    busy = SERIAL.replace("4/week", "25/week")
    found = findings(tmp_path, busy, "max_utilization: 0.85")
    assert places(found) == [(5, 5, "error", "max_utilization")]
    assert found[0].message == (
        "'bob' is at 125% utilization (50.0 h/week for 40.0 h present), limit 85%; "
        "overloaded: their queue grows without bound"
    )
    # A limit above his load finds nothing: the loader's warning stays, the one finding.
    found = findings(tmp_path, busy, "max_utilization: 1.5")
    assert places(found) == [(5, 10, "warning", "overloaded")]
    assert "50.0 h/week of work for 40.0 h/week present" in found[0].message
    # Without the rule, the warning alone as well.
    found = findings(tmp_path, busy, "max_handoffs: 5")
    assert places(found) == [(5, 10, "warning", "overloaded")]


def test_max_contacts_per_customer(tmp_path: Path) -> None:
    # Serial: c1 talks to ann (a) and bob (b); in parallel only to ann.
    found = findings(tmp_path, SERIAL, "max_contacts_per_customer: 1")
    assert places(found) == [(12, 5, "error", "max_contacts_per_customer")]
    assert findings(tmp_path, PARALLEL, "max_contacts_per_customer: 1") == []


def test_max_blocked_share(tmp_path: Path) -> None:
    # Serial: ann alone does a, bob alone does b: each one's absence stops 100% of requests.
    found = findings(tmp_path, SERIAL, "max_blocked_share: 0.5")
    assert places(found) == [
        (14, 5, "error", "max_blocked_share"),
        (15, 5, "error", "max_blocked_share"),
    ]
    assert findings(tmp_path, PARALLEL, "max_blocked_share: 0.5") == []


def test_min_truck_factor(tmp_path: Path) -> None:
    # Serial: ann alone stops everything (truck factor 1); parallel needs both away (2).
    found = findings(tmp_path, SERIAL, "min_truck_factor: 2")
    assert places(found) == [(13, 1, "error", "min_truck_factor")]
    assert findings(tmp_path, PARALLEL, "min_truck_factor: 2") == []


def test_rule_switched_off(tmp_path: Path) -> None:
    assert findings(tmp_path, SERIAL, "max_handoffs: off") == []
    assert findings(tmp_path, SERIAL, "max_handoffs: {limit: 0, enabled: false}") == []


def test_rule_set_to_warning(tmp_path: Path) -> None:
    found = findings(tmp_path, SERIAL, "max_handoffs: {limit: 0, level: warning}")
    assert places(found) == [(15, 5, "warning", "max_handoffs")]


def test_policy_file_overrides_the_org_policy(tmp_path: Path) -> None:
    from orgflow.check.runner import load_policy

    policy_path = tmp_path / "policy.yaml"
    policy_path.write_text("max_handoffs: 5\nmin_truck_factor: 2\n")
    org = tmp_path / "org.yaml"
    org.write_text(SERIAL.format(rule="max_handoffs: 0"))
    result = check_file(org, load_policy(policy_path))
    codes = [f.code for f in result.findings]
    # max_handoffs 5 from the policy file replaces 0; min_truck_factor comes from the file.
    assert "max_handoffs" not in codes
    assert codes.count("min_truck_factor") == 1


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ("max_handoffs: lots\n", "1:15", "'lots' is not a number"),
        ("max_lead_time: 3 parsecs\n", "1:16", "unknown time unit 'parsecs'"),
        ("max_handofs: 3\n", "1:1", "unknown key 'max_handofs'"),
        ("policy:\n  min_bus_factor: {limit: 2, level: fatal}\n", "2:19", "level is error or"),
    ],
)
def test_bad_policy_file_is_unusable(tmp_path: Path, text: str, where: str, fragment: str) -> None:
    from orgflow.check.runner import CheckUsageError, load_policy

    path = tmp_path / "policy.yaml"
    path.write_text(text)
    with pytest.raises(CheckUsageError) as exc:
        load_policy(path)
    message = "\n".join(exc.value.lines)
    assert f"{path}:{where}:" in message
    assert fragment in message
