"""One finding per root cause, at the line whose change caused it (issue 16, point 3)."""

from __future__ import annotations

import re
from pathlib import Path

from orgflow.check.runner import check_file

ROOT = Path(__file__).resolve().parent.parent.parent
SERIAL = (ROOT / "samples" / "serial.yaml").read_text()

POLICY = """\
policy:
  max_handoffs: 3
  max_lead_time: 5d
  min_bus_factor: 2
  max_blocked_share: 0.5
  max_contacts_per_customer: 1
"""


def _tripled(tmp_path: Path) -> tuple[Path, int]:
    """The serial sample with rossi's order_to_cash demand raised from 3 to 12 a week (the
    change of a pull request) and a policy; returns the file and the changed line."""
    text = SERIAL.replace(
        "order_to_cash: 3/week, certified_order", "order_to_cash: 12/week, certified_order"
    )
    assert text != SERIAL
    path = tmp_path / "org.yaml"
    path.write_text(text + POLICY)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "12/week" in ln)
    return path, line


def test_an_overload_is_one_finding_at_the_demand_that_changed(tmp_path: Path) -> None:
    path, changed = _tripled(tmp_path)
    found = check_file(path, None).findings
    lead = [f for f in found if f.code == "max_lead_time"]
    # 12/week of rossi's orders put giulia (order entry) and paolo (planning) over 100%:
    # every route through them is unbounded; one root cause, one finding.
    assert len(lead) == 1
    assert lead[0].line == changed
    assert "giulia" in lead[0].message
    assert "paolo" in lead[0].message
    assert "rossi's order_to_cash demand (12/week)" in lead[0].message
    # The overloaded people themselves are named at their own lines by the loader.
    assert {f.line for f in found if f.code == "overloaded"} == {15, 16}


def test_routes_are_named_by_chain_and_customers_never_by_number(tmp_path: Path) -> None:
    path, _ = _tripled(tmp_path)
    for f in check_file(path, None).findings:
        assert not re.search(r"\broute \d", f.message), f.message
    handoffs = [f for f in check_file(path, None).findings if f.code == "max_handoffs"]
    assert any(
        "order_to_cash (lucia -> marco -> giulia -> paolo -> sara -> elena; customers rossi"
        in f.message
        for f in handoffs
    )


def test_hints_name_only_people_of_the_file(tmp_path: Path) -> None:
    import yaml

    path, _ = _tripled(tmp_path)
    people = {p["id"] for p in yaml.safe_load(path.read_text())["people"]}
    for f in check_file(path, None).findings:
        for names in re.findall(r"(?:people|pool): \[([^\]]*)\]", f.hint or ""):
            assert {n.strip() for n in names.split(",")} <= people, f.hint


def test_customers_with_the_same_contacts_are_one_finding(tmp_path: Path) -> None:
    path, _ = _tripled(tmp_path)
    contacts = [f for f in check_file(path, None).findings if f.code == "max_contacts_per_customer"]
    # All eight customers talk to lucia, marco, giulia and sara: one cause, the serial rules.
    assert len(contacts) == 1
    assert contacts[0].message.startswith("8 customers (rossi, verdi, neri and 5 more) talk to 4")


def test_activities_left_alone_by_one_rule_are_one_finding(tmp_path: Path) -> None:
    path, _ = _tripled(tmp_path)
    bus = [f for f in check_file(path, None).findings if f.code == "min_bus_factor"]
    # order_entry and confirmation share giulia's rule: one finding there.
    giulia = [f for f in bus if "giulia" in f.message]
    assert len(giulia) == 1
    assert "'order_entry' and 'confirmation'" in giulia[0].message
    assert len({f.line for f in bus}) == len(bus)
