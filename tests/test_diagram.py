"""The swimlane of a route with issue 13's additions (orgflow/diagram.py), and how Mermaid, DOT
and SVG draw them: external waits as nodes outside the lanes, the end node with the share that
stops, alternatives with their shares, optional steps, rework arrows with their probability.
Figures worked out by hand in the comments."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import orgflow
from orgflow.diagram import Rework, Swimlane, swimlane
from orgflow.render import dot, mermaid, svg

ROOT = Path(__file__).resolve().parent.parent

# ann does everything but d (bob's). b waits 6 h outside the office first; 10% of the requests
# doing b end there. pick is done for half the requests, c or d (25% / 75%), and sends the
# request back to b half the time, at most twice.
OFFICE = """\
version: 1
org: {name: 'Tricky "co" <b> & #1'}
people: [{id: ann, skills: [a, b, c, d]}, {id: bob, skills: [a, b, c, d]}]
activities:
  - {id: a, name: 'Ask <supplier> & "wait"', effort: 1h}
  - {id: b, effort: 1h}
  - {id: c, effort: 2h}
  - {id: d, effort: 1h}
processes:
  - id: p
    steps:
      - a
      - {activity: b, delay: 6h, stop: 0.1}
      - {id: pick, activity: [c, d], shares: [0.25, 0.75], probability: 0.5,
         rework: {to: b, probability: 0.5, max: 2}}
customers: [{id: x, demand: {p: 2/week}}]
assignments: [{activity: d, people: [bob]}, {people: [ann]}]
"""


@pytest.fixture(scope="module")
def sw() -> Swimlane:
    return swimlane(orgflow.analyze(orgflow.load_text(OFFICE)))


def test_the_model_carries_the_routing(sw: Swimlane) -> None:
    box = {b.step: b for b in sw.boxes}
    # One wait, before b, of 6 h; one end node; one rework, pick back to b.
    assert [(w.id, w.target, w.hours) for w in sw.waits] == [("w_b", "s_b", 6.0)]
    assert box["b"].delay_hours == 6.0
    assert box["b"].stop == 0.1
    assert sw.end == "x_end"
    assert sw.reworks == (Rework("s_pick", "s_b", 0.5, 2),)
    # The loop {b, pick}: b is reached on a pass, goes on 90% of the time, pick is done for
    # half of those, and goes back half the time: r = 0.9 x 0.5 x 0.5 = 0.225 a pass; at
    # most 2 loops: 1 + 0.225 + 0.225^2 = 1.275625 passes; b is done once a pass.
    assert box["b"].visits == pytest.approx(1.275625)
    assert box["pick"].visits == pytest.approx(0.45 * 1.275625)
    assert box["pick"].probability == 0.5
    # d is done at bob's desk, not the box's (ann's): named beside its share.
    assert box["pick"].alternatives == (("c", 0.25, ""), ("d", 0.75, "bob"))
    assert box["pick"].title == "pick"
    assert sw.lines(box["pick"])[-3:] == ["25% c", "75% d · bob", "done 50% of the time"]
    assert sw.lines(box["b"])[-1] == "1.28 visits per request"
    # SVG draws no node for the wait and the end: the box says them.
    marked = sw.lines(box["b"], marks=True)
    assert marked[1] == "⏳ 6.0 h wait before"
    assert marked[-1] == "⏹ 10% end here"
    # The caption gives expected handoffs on a random route, not a long float.
    assert re.search(r" · \d+\.\d expected handoffs · ", sw.caption)


def test_mermaid_draws_waits_ends_and_reworks_outside_the_lanes(sw: Swimlane) -> None:
    text = mermaid.render(sw)
    lines = [line.strip() for line in text.splitlines()]
    # The arrow into b goes through its wait, and the rework too (a wait before every pass).
    assert "s_a --> w_b" in lines
    assert 'w_b{{"⏳ 6.0 h wait"}}' in lines
    assert "w_b -.-> s_b" in lines
    assert 'x_end(["end"])' in lines
    assert 's_b -.->|"10% end here"| x_end' in lines
    assert 's_pick -.->|"rework 50%, at most 2 loops"| w_b' in lines
    # The wait and the end are declared after the last lane closes: outside every lane.
    last_end = max(i for i, line in enumerate(lines) if line == "end")
    assert lines.index('w_b{{"⏳ 6.0 h wait"}}') > last_end
    assert "class w_b,x_end outside" in lines
    # Text from the file is escaped as everywhere else.
    assert "Ask #lt;supplier#gt; #amp; #quot;wait#quot;" in text
    assert "<supplier>" not in text


def test_dot_draws_waits_ends_and_reworks(sw: Swimlane) -> None:
    text = dot.render(sw)
    assert '"s_a" -> "w_b" [color="#777777"];' in text
    assert 'label="⏳ 6.0 h wait"' in text
    assert '"s_b" -> "x_end" [style=dashed, color="#8a8f98", label="10% end here"];' in text
    assert (
        '"s_pick" -> "w_b" [style=dashed, color="#b9770e", constraint=false, '
        'label="rework 50%, at most 2 loops"];'
    ) in text
    # The wait and the end are outside every cluster: after the last cluster's "}".
    body = text.split("\n  }\n")[-1]
    assert '"w_b" [shape=hexagon' in body
    assert '"x_end" [shape=oval' in body
    assert 'Ask <supplier> &amp; \\"wait\\"' in text


def test_svg_marks_waits_ends_and_draws_the_rework(sw: Swimlane) -> None:
    drawn = svg.swimlane_svg(sw)
    root = ET.fromstring(drawn)  # well-formed: every text escaped
    texts = [t.text or "" for t in root.iter("text")]
    assert "⏳ 6.0 h wait before" in texts
    assert "⏹ 10% end here" in texts
    assert "↺ rework 50%, at most 2 loops" in texts
    assert "rework: back to an earlier step" in texts  # its legend
    assert len([p for p in root.iter("path") if "rework" in p.get("class", "")]) == 1
    assert "Ask <supplier> &" in texts  # the title, wrapped on two lines
    assert '"wait"' in texts


def test_an_office_without_additions_draws_none_of_them() -> None:
    sw = swimlane(orgflow.analyze(orgflow.load(ROOT / "samples" / "serial.yaml")))
    assert (sw.waits, sw.reworks, sw.end) == ((), (), "")
    assert "w_" not in mermaid.render(sw)
    assert "rework" not in svg.swimlane_svg(sw)


def test_purchasing_diagram_shows_every_delay_stop_and_rework() -> None:
    office = orgflow.load(ROOT / "samples" / "purchasing.yaml")
    sw = swimlane(orgflow.analyze(office))
    steps = office.org.processes[0].steps
    delayed = [s.step_id for s in steps if s.delay is not None]
    assert [w.target for w in sw.waits] == [f"s_{s}" for s in delayed]
    assert {b.step for b in sw.stopping()} == {"analyze_requisition", "analyze_rfq"}
    assert sw.reworks == (
        Rework("s_amend_rfq", "s_analyze_rfq", 1.0, None),
        Rework("s_settle_order_dispute", "s_release_po", 1.0, None),
    )
    text = mermaid.render(sw)
    assert 's_amend_rfq -.->|"rework 100%"| w_analyze_rfq' in text
    assert 's_analyze_requisition -.->|"17% end here"| x_end' in text


def test_markdown_explains_the_dotted_parts_only_when_there_are_some(sw: Swimlane) -> None:
    assert "⏳ an external wait before a step" in mermaid.render_markdown(sw)
    serial = swimlane(orgflow.analyze(orgflow.load(ROOT / "samples" / "serial.yaml")))
    assert "external wait" not in mermaid.render_markdown(serial)
