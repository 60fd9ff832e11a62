"""Issue 15, the report as a plan: a one-line verdict first, who does what with every backup's
cover, the training plan, then before and after; external waits shown as untouched."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from orgflow import cli

# ann and bob of 40 h, nobody away; x and y bring 10 requests a week each of one fixed 1 h
# step, after an external wait (delay) of 4 h; each customer with its own person today.
OFFICE = """\
version: 1
people: [{id: ann, skills: [g]}, {id: bob, skills: [g]}]
activities: [{id: g, effort: 1h, customer_facing: true}]
processes: [{id: pg, steps: [{activity: g, delay: 4h}]}]
customers:
  - {id: x, demand: {pg: 10/week}}
  - {id: y, demand: {pg: 10/week}}
assignments: [{customers: [x], people: [ann]}, {customers: [y], people: [bob]}]
"""

# The plan keeps x with ann and y with bob (10 / 40 = 25% each; nobody learns anything) and
# makes them each other's backup: (10 + 10) / 40 = 50% while covering. Lead time, before and
# after (nobody is away, so the backups change nothing): the 4 h wait, the 1 h of work, and
# the queue of a 25% busy desk with fixed work, rho / (1 - rho) x (1 + 0) / 2 x 1 h =
# 1/3 x 1/2 = 0.17 h: 5.17 h, printed 5.2 h.
VERDICT = (
    "Feasible: highest utilization 25% while learning, 25% once trained (limit 85%); lead "
    "time 5.2 h → 5.2 h; worst backup cover 50% (cap 170%)"
)


def _flat(text: str) -> str:
    """The text report without its boxes and line breaks."""
    return " ".join(text.replace("│", " ").split())


def _run(tmp_path: Path, *args: str) -> str:
    org = tmp_path / "org.yaml"
    org.write_text(OFFICE, encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["propose", str(org), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_verdict_opens_every_format(tmp_path: Path) -> None:
    markdown = _run(tmp_path, "-f", "markdown")
    assert markdown.splitlines()[2] == f"**{VERDICT}**"
    doc = json.loads(_run(tmp_path, "-f", "json"))
    assert doc["verdict"] == VERDICT
    text = _run(tmp_path)
    assert _flat(text).startswith(VERDICT)


def test_the_text_reads_as_a_plan_in_order(tmp_path: Path) -> None:
    text = _run(tmp_path)
    order = [text.index(s) for s in ("Who does what", "Training plan", "Before and after")]
    assert order == sorted(order)
    flat = _flat(text)
    assert "bob 50%" in flat  # ann's backup and their cover


def test_external_waits_are_shown_as_untouched(tmp_path: Path) -> None:
    # The 4 h delay is outside the office: the same before and after.
    flat = _flat(_run(tmp_path))
    assert (
        "External waits 4.0 h of the mean request's lead time, before and after: untouched by "
        "the reorganisation"
    ) in flat
    assert json.loads(_run(tmp_path, "-f", "json"))["external_wait_hours"] == 4.0
    markdown = _run(tmp_path, "-f", "markdown")
    assert (
        "- External waits: 4.0 h of the mean request's lead time, before and after: untouched "
        "by the reorganisation"
    ) in markdown


def test_the_html_report_puts_the_plan_before_the_figures(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    _run(tmp_path, "--report", str(page))
    html = page.read_text(encoding="utf-8")
    assert f"<strong>{VERDICT}</strong>" in html
    order = [
        html.index(f"<h2>{s}</h2>") for s in ("The proposal", "Who does what", "Before and after")
    ]
    assert order == sorted(order)
