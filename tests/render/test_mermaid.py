"""``orgflow diagram --format mermaid``: the swimlane model, and the Mermaid text read back by a
small parser of the subset we emit (subgraph/end blocks, ``id["label"]`` nodes, ``-->`` and
``==>`` edges, ``class`` lines), checked against the analysis of the samples."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import orgflow
from orgflow.analysis.summary import Analysis
from orgflow.diagram import DiagramError, pick_route, safe_id, swimlane
from orgflow.render import mermaid

ROOT = Path(__file__).resolve().parents[2]
SERIAL = ROOT / "samples" / "serial.yaml"
PARALLEL = ROOT / "samples" / "parallel-by-customer.yaml"
DOCS_DIAGRAM = ROOT / "docs" / "serial-diagram.md"

#: Words Mermaid's flowchart grammar reserves; no id may be one of them.
RESERVED = {
    "end", "graph", "flowchart", "subgraph", "class", "classDef", "style", "linkStyle",
    "click", "call", "href", "direction", "default", "interpolate", "callback", "TB", "TD",
    "BT", "RL", "LR",
}  # fmt: skip

# Ids may hold letters, digits, '.', '-' and '_': "end", "class", "style" are valid ids, and
# "a-b" and "a.b" both become a_b once sanitised. Names are free text.
TRICKY = """\
version: 1
org: {name: '<script>alert("x")</script> & "Co" #1'}
people:
  - {id: end, skills: [end, class, a-b, a.b]}
  - {id: style, skills: [end, class, a-b, a.b]}
activities:
  - {id: end, name: 'Say "hi" <b>bold</b> & #quot; \\ back', effort: 1h}
  - {id: class, name: "graph; subgraph x --> y", effort: 2h}
  - {id: a-b, effort: 30m}
  - {id: a.b, effort: 30m}
processes:
  - id: p
    steps: [end, class, a-b, a.b]
customers:
  - {id: c, demand: {p: 2/week}}
assignments:
  - {activity: [end, a-b], people: [end]}
  - {activity: [class, a.b], people: [style, end]}
"""


@dataclass
class Parsed:
    lanes: list[tuple[str, str]] = field(default_factory=list)  # (id, label)
    nodes: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (lane id, label)
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (source, arrow, target)
    classes: dict[str, str] = field(default_factory=dict)  # node id -> class


ENTITIES = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}


def unescape(label: str) -> str:
    """Mermaid entity codes back to text, in one pass: ``#quot;``, ``#35;``..."""

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        return chr(int(code)) if code.isdigit() else ENTITIES[code]

    return re.sub(r"#(\w+);", one, label)


def parse(text: str) -> Parsed:
    """Read the subset of Mermaid flowcharts that the renderer writes; fail on anything else."""
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    out = Parsed()
    lane: str | None = None
    label = r'"([^"]*)"'  # a quoted label holds no raw double quote
    ident = r"([A-Za-z0-9_]+)"
    for raw in lines[1:]:
        line = raw.strip()
        if not line or line.startswith(("%%", "classDef ")):
            continue
        if m := re.fullmatch(rf"subgraph {ident}\[{label}\]", line):
            assert lane is None, "nested subgraph"
            lane = m.group(1)
            out.lanes.append((lane, unescape(m.group(2))))
        elif line == "end":
            assert lane is not None
            lane = None
        elif line == "direction LR":
            assert lane is not None
        elif m := re.fullmatch(rf"{ident}\[{label}\]", line):
            assert lane is not None, "a node outside every lane"
            assert m.group(1) not in out.nodes, "node defined twice"
            out.nodes[m.group(1)] = (lane, unescape(m.group(2)))
        elif m := re.fullmatch(rf"{ident} (-->|==>) {ident}", line):
            out.edges.append((m.group(1), m.group(2), m.group(3)))
        elif m := re.fullmatch(rf"class ({ident}(?:,{ident})*) {ident}", line):
            for node in m.group(1).split(","):
                out.classes[node] = line.rsplit(" ", 1)[1]
        else:
            raise AssertionError(f"unexpected line: {raw!r}")
    assert lane is None, "unclosed subgraph"
    return out


def analysis(path: Path) -> Analysis:
    return orgflow.analyze(orgflow.load(path))


def test_serial_route_1_lanes_steps_and_handoffs() -> None:
    a = analysis(SERIAL)
    got = parse(mermaid.render(swimlane(a)))
    # Route 1 is order_to_cash (14.5 requests/week): one desk per activity, in the order a
    # request first reaches them.
    assert [lbl for _, lbl in got.lanes] == ["lucia", "marco", "giulia", "paolo", "sara", "elena"]
    lane_of = {node: dict(got.lanes)[lane] for node, (lane, _) in got.nodes.items()}
    # 7 steps, each in its owner's lane; confirmation is giulia's (the order_entry rule).
    assert lane_of == {
        "s_intake": "lucia",
        "s_quotation": "marco",
        "s_order_entry": "giulia",
        "s_scheduling": "paolo",
        "s_confirmation": "giulia",
        "s_dispatch": "sara",
        "s_invoicing": "elena",
    }
    # The precedence edges: intake->quotation->order_entry, order_entry->scheduling,
    # order_entry->confirmation, scheduling->dispatch, confirmation->dispatch,
    # dispatch->invoicing: 7 edges. order_entry->confirmation stays with giulia, so
    # 7 - 1 = 6 cross lanes: 6 handoff arrows (==>), the analysis' 6 handoffs for route 1.
    assert len(got.edges) == 7
    handoffs = [(s, t) for s, arrow, t in got.edges if arrow == "==>"]
    crossing = [(s, t) for s, _, t in got.edges if lane_of[s] != lane_of[t]]
    assert handoffs == crossing
    assert len(handoffs) == 6 == a.routes[0].handoffs
    assert [(s, t) for s, arrow, t in got.edges if arrow == "-->"] == [
        ("s_order_entry", "s_confirmation")
    ]
    # Every step is done by one person in the serial office: all seven are single points.
    assert set(got.classes) == set(got.nodes)
    assert set(got.classes.values()) == {"spof"}


def test_serial_labels_carry_effort_and_wait() -> None:
    got = parse(mermaid.render(swimlane(analysis(SERIAL))))
    # intake: 30m at lucia's pace (full-time): work 0.5 h. Its wait, worked by hand:
    # lucia gets 17 requests/week = 17/40 = 0.425 per hour of S = 0.5 h (fixed), A = 0.9,
    # spells D = 24 h. f = (1 - A)/(A D) = 0.1/21.6; E[C^2] = 0.25/0.81 + f*0.5*2*576
    # = 0.3086 + 2.6667 = 2.9753; rho = 0.425*0.5/0.9 = 0.2361;
    # W = 0.425*2.9753/(2*(1 - 0.2361)) = 0.8277; with pi_0 = 0.1 she is away and the item
    # also waits D/1 = 24 h: 0.9*0.8277 + 0.1*(24 + 0.8277) = 3.2277 h -> "wait 3.2 h".
    assert got.nodes["s_intake"][1].split("<br/>") == [
        "Receive and log the request",
        "work 0.5 h · wait 3.2 h",
        "⚠ only lucia",
    ]
    # confirmation continues at giulia's desk right after order entry: no wait.
    assert got.nodes["s_confirmation"][1].split("<br/>")[1] == "work 0.5 h · no wait"
    # scheduling: 1.5 h; its wait is shown in working days of 8 h. It was 20.0 h with Poisson
    # arrivals; paolo is downstream of giulia's absences, whose bursts raise it (QNA).
    (step,) = [s for s in analysis(SERIAL).routes[0].lead.steps if s.step == "scheduling"]
    assert step.entry.total > 20
    label = f"work 1.5 h · wait {step.entry.total / 8:.1f} d"
    assert got.nodes["s_scheduling"][1].split("<br/>")[1] == label


def test_labels_match_the_analysis_figures() -> None:
    a = analysis(SERIAL)
    sw = swimlane(a)
    for box, timing in zip(sw.boxes, a.routes[0].lead.steps, strict=True):
        assert box.step == timing.step
        assert box.effort_hours == timing.work.touch
        assert box.wait_hours == timing.entry.total


def test_parallel_office_has_one_lane_and_no_handoff() -> None:
    a = analysis(PARALLEL)
    # Route 1: rossi's order_to_cash, 3/week, lucia from A to Z with marco as backup.
    got = parse(mermaid.render(swimlane(a)))
    assert got.lanes == [("lane_lucia", "lucia (backup marco)")]
    assert len(got.nodes) == 7
    assert len(got.edges) == 7
    assert all(arrow == "-->" for _, arrow, _ in got.edges)
    assert set(got.classes.values()) == {"step"}  # two people for every step: no spof


def test_parallel_certified_route_marks_the_specialist() -> None:
    a = analysis(PARALLEL)
    # Route 7: rossi's certified_order; certificates go to sandro alone.
    got = parse(mermaid.render(swimlane(a, route=7)))
    assert [lbl for _, lbl in got.lanes] == ["lucia (backup marco)", "sandro"]
    # scheduling -> certificates and certificates -> dispatch cross desks: 2 handoffs.
    assert sorted((s, t) for s, arrow, t in got.edges if arrow == "==>") == [
        ("s_certificates", "s_dispatch"),
        ("s_scheduling", "s_certificates"),
    ]
    assert a.routes[6].handoffs == 2
    assert [n for n, c in got.classes.items() if c == "spof"] == ["s_certificates"]


def test_default_route_is_the_busiest_of_the_first_process() -> None:
    a = analysis(PARALLEL)
    # order_to_cash routes: rossi 3.0/week, then 2.5, 2.5, 2.5, 2.0, 2.0.
    assert pick_route(a).route.number == 1
    assert pick_route(a, process="certified_order").route.number == 7
    assert pick_route(a, route=9).route.customers == ["gallo"]


@pytest.mark.parametrize(
    ("process", "route", "message"),
    [
        (None, 10, "no route 10: routes are numbered 1 to 9"),
        ("order_to_cash", 7, "route 7 belongs to process 'certified_order'"),
        ("nope", None, "no route for process 'nope'"),
    ],
)
def test_bad_route_choices(process: str | None, route: int | None, message: str) -> None:
    with pytest.raises(DiagramError, match=re.escape(message)):
        pick_route(analysis(PARALLEL), process, route)


def test_ids_are_sanitised_unique_and_never_reserved() -> None:
    a = orgflow.analyze(orgflow.load_text(TRICKY, "tricky.yaml"))
    text = mermaid.render(swimlane(a))
    got = parse(text)
    ids = [lane for lane, _ in got.lanes] + list(got.nodes)
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert not set(ids) & RESERVED
    # "a-b" and "a.b" both sanitise to a_b: the second gets a suffix.
    assert list(got.nodes) == ["s_end", "s_a_b", "s_class", "s_a_b_2"]
    assert got.lanes == [("lane_end", "end"), ("lane_style", "style (backup end)")]
    # Labels read back exactly, quotes and all; nothing of them leaks out as syntax.
    assert got.nodes["s_end"][1].split("<br/>")[0] == 'Say "hi" <b>bold</b> & #quot; \\ back'
    assert got.nodes["s_class"][1].split("<br/>")[0] == "graph; subgraph x --> y"
    # end -> class -> a-b -> a.b alternate between the two desks: 3 handoffs.
    assert [arrow for _, arrow, _ in got.edges] == ["==>"] * 3
    assert "<script>" not in text


def test_safe_id() -> None:
    taken: set[str] = set()
    assert safe_id("order-entry", "s_", taken) == "s_order_entry"
    assert safe_id("order.entry", "s_", taken) == "s_order_entry_2"
    assert safe_id("order_entry", "s_", taken) == "s_order_entry_3"
    assert safe_id("größe", "s_", taken) == "s_gr__e"


def test_escape() -> None:
    assert mermaid.escape('a "b"') == "a #quot;b#quot;"
    assert mermaid.escape("#quot;") == "#35;quot;"  # a literal entity stays literal
    assert mermaid.escape("two\nlines") == "two lines"
    assert unescape(mermaid.escape('<a href="x">&#1`')) == '<a href="x">&#1`'


def test_docs_example_is_current() -> None:
    """docs/serial-diagram.md is generated: regenerate it with
    ``ORGFLOW_UPDATE_DOCS=1 pytest tests/render/test_mermaid.py`` when the analysis changes."""
    import os

    expected = mermaid.render_markdown(swimlane(analysis(SERIAL)))
    if os.environ.get("ORGFLOW_UPDATE_DOCS") == "1":
        DOCS_DIAGRAM.parent.mkdir(exist_ok=True)
        DOCS_DIAGRAM.write_text(expected, encoding="utf-8")
    assert DOCS_DIAGRAM.read_text(encoding="utf-8") == expected
    block = expected.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert len(parse(block).nodes) == 7
