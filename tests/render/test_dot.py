"""``orgflow diagram --format dot``: read back with pydot (a real DOT parser), and rendered by
Graphviz when ``dot`` is installed."""

from __future__ import annotations

import html
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pydot
import pytest

import orgflow
from orgflow.diagram import Swimlane, swimlane
from orgflow.render import dot

# pydot 4 still calls pyparsing's camelCase names, deprecated in pyparsing 3.3.
pytestmark = pytest.mark.filterwarnings("ignore:'\\w+' deprecated - use:DeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]
SERIAL = ROOT / "samples" / "serial.yaml"

TRICKY = """\
version: 1
org: {name: 'Back "office" \\ <&>'}
people:
  - {id: node, skills: [edge, graph, a-b]}
  - {id: subgraph, skills: [edge, graph, a-b]}
activities:
  - {id: edge, name: 'Say "hi" \\" \\n <b>&amp;</b> {x} [y];', effort: 1h}
  - {id: graph, name: 'ends with a backslash \\', effort: 2h}
  - {id: a-b, effort: 30m}
processes:
  - {id: p, steps: [edge, graph, a-b]}
customers:
  - {id: c, demand: {p: 1/week}}
assignments:
  - {activity: [edge, a-b], people: [node]}
  - {activity: graph, people: [subgraph]}
"""


KEYWORDS = {"graph", "node", "edge"}  # attribute statements, which pydot lists as nodes


def unquote(text: str) -> str:
    """A DOT quoted label as Graphviz shows it: ``\\"`` is a quote (DOT), then in the label
    ``\\\\`` is a backslash and ``\\n`` a line break (Graphviz escString), and entities such
    as ``&amp;`` are characters."""
    assert text.startswith('"'), text
    assert text.endswith('"'), text
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({'"': '"', "\\": "\\", "n": "\n"}.get(nxt, c + nxt))
            i += 2
        else:
            assert c != '"', f"unescaped quote in {text}"
            out.append(c)
            i += 1
    return html.unescape("".join(out))


def parsed(sw: Swimlane) -> pydot.Dot:
    graphs = pydot.graph_from_dot_data(dot.render(sw))
    assert graphs is not None
    assert len(graphs) == 1
    return graphs[0]


def serial() -> Swimlane:
    return swimlane(orgflow.analyze(orgflow.load(SERIAL)))


def tricky() -> Swimlane:
    return swimlane(orgflow.analyze(orgflow.load_text(TRICKY, "tricky.yaml")))


def lanes_and_nodes(graph: pydot.Dot) -> list[tuple[str, str, list[str]]]:
    """(cluster name, lane label, node ids) per cluster, in order."""
    out = []
    for sub in graph.get_subgraphs():
        name = sub.get_name().strip('"')
        nodes = [n.get_name().strip('"') for n in sub.get_nodes() if n.get_name() not in KEYWORDS]
        out.append((name, unquote(sub.get("label")), nodes))
    return out


def test_serial_clusters_nodes_and_edges() -> None:
    sw = serial()
    graph = parsed(sw)
    assert graph.get_type() == "digraph"
    clusters = lanes_and_nodes(graph)
    assert all(name.startswith("cluster_") for name, _, _ in clusters)
    assert [label for _, label, _ in clusters] == [
        "lucia",
        "marco",
        "giulia",
        "paolo",
        "sara",
        "elena",
    ]
    lane_of = {node: label for _, label, nodes in clusters for node in nodes}
    assert len(lane_of) == 7
    assert lane_of["s_order_entry"] == lane_of["s_confirmation"] == "giulia"
    edges = [
        (e.get_source().strip('"'), e.get_destination().strip('"'), e.get("penwidth"))
        for e in graph.get_edges()
    ]
    # 7 precedence edges; the 6 between two desks are bold handoffs, order_entry ->
    # confirmation (both giulia's) is not.
    assert len(edges) == 7
    bold = [(s, t) for s, t, width in edges if width is not None]
    assert bold == [(s, t) for s, t, _ in edges if lane_of[s] != lane_of[t]]
    assert len(bold) == 6 == sw.handoffs


def test_serial_labels_and_single_points() -> None:
    sw = serial()
    graph = parsed(sw)
    nodes = {n.get_name().strip('"'): n for sub in graph.get_subgraphs() for n in sub.get_nodes()}
    for box in sw.boxes:
        node = nodes[box.id]
        assert unquote(node.get("label")).split("\n") == sw.lines(box)
        # one person per step in the serial office: every box filled red
        assert node.get("fillcolor").strip('"') == dot.SPOF_FILL
    assert unquote(nodes["s_intake"].get("label")) == (
        "Receive and log the request\nwork 0.5 h · wait 3.2 h\n⚠ only lucia"
    )


def test_tricky_names_round_trip() -> None:
    sw = tricky()
    graph = parsed(sw)
    clusters = lanes_and_nodes(graph)
    assert [(label, nodes) for _, label, nodes in clusters] == [
        ("node", ["s_edge", "s_a_b"]),
        ("subgraph", ["s_graph"]),
    ]
    nodes = {n.get_name().strip('"'): n for sub in graph.get_subgraphs() for n in sub.get_nodes()}
    assert unquote(nodes["s_edge"].get("label")).split("\n")[0] == (
        'Say "hi" \\" \\n <b>&amp;</b> {x} [y];'
    )
    assert unquote(nodes["s_graph"].get("label")).split("\n")[0] == "ends with a backslash \\"
    assert unquote(graph.get_graph_defaults()[0]["label"]).startswith(
        'Back "office" \\ <&>: p, route 1'
    )


def test_quote() -> None:
    assert dot.quote('a "b"') == '"a \\"b\\""'
    assert dot.quote("a\\b") == '"a\\\\b"'
    assert dot.quote("a & b") == '"a &amp; b"'
    assert dot.quote("two\nlines") == '"two lines"'
    assert dot.label(["one", "two"]) == '"one\\ntwo"'


def _graphviz() -> str:
    found = shutil.which("dot")
    if found is None:
        pytest.skip("Graphviz `dot` is not installed (apt-get install graphviz): not rendered")
    return found


@pytest.mark.parametrize("which", ["serial", "tricky"])
def test_graphviz_renders(which: str) -> None:
    exe = _graphviz()
    sw = serial() if which == "serial" else tricky()
    done = subprocess.run(
        [exe, "-Tsvg"],
        input=dot.render(sw),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr, done.stderr
    assert "Error" not in done.stderr, done.stderr
    svg = ET.fromstring(done.stdout)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    groups = svg.findall(".//svg:g", ns)
    kinds = [g.get("class") for g in groups]
    assert kinds.count("cluster") == len(sw.lanes)
    assert kinds.count("node") == len(sw.boxes)
    assert kinds.count("edge") == len(sw.arrows)
    texts = ["".join(t.itertext()) for t in svg.findall(".//svg:text", ns)]
    for box in sw.boxes:
        for line in sw.lines(box):
            assert line in texts
