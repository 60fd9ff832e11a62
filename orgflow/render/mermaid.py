"""``orgflow diagram --format mermaid``: a swimlane as a Mermaid flowchart for GitHub Markdown."""

from __future__ import annotations

from orgflow.diagram import Swimlane
from orgflow.escape import mermaid as escape_mermaid
from orgflow.render.formats import Renderer

#: Fill and border of a single point of failure, and of the critical path's arrows.
SPOF_STYLE = "fill:#fdecea,stroke:#c0392b,stroke-width:2px,color:#000"
STEP_STYLE = "fill:#f4f7fb,stroke:#5b6b7f,color:#000"
#: External waits and the end: outside the office (issue 13).
OUTSIDE_STYLE = "fill:#fff,stroke:#8a8f98,stroke-dasharray:4 3,color:#333"


def escape(text: str) -> str:
    """Text for a ``"quoted"`` Mermaid label: entity codes for the characters Mermaid or the
    HTML label would read (``#`` first, as it starts the codes), one line.

    Parameters
    ----------
    text : str
        The text.

    Returns
    -------
    str
        The escaped text.

    Examples
    --------
    >>> escape('say "hi" <b> & #1')
    'say #quot;hi#quot; #lt;b#gt; #amp; #35;1'
    """
    return escape_mermaid(text)


def render(sw: Swimlane) -> str:
    """``flowchart LR`` with one ``subgraph`` per lane, a node per step, ``==>`` for a
    handoff between lanes and ``-->`` for work continued at the same desk; single points of
    failure in class ``spof``.

    Parameters
    ----------
    sw : Swimlane
        The route to draw (:func:`orgflow.diagram.swimlane`).

    Returns
    -------
    str
        The Mermaid source.
    """
    out = [
        "flowchart LR",
        f"    %% {escape(sw.title)}",
        f"    %% {escape(sw.caption)}",
        "    %% ==> handoff to another desk; --> continued at the same desk; red: single point"
        " of failure",
    ]
    for lane in sw.lanes:
        out.append(f'    subgraph {lane.id}["{escape(lane.label)}"]')
        out.append("        direction LR")
        for box in sw.boxes:
            if box.lane == lane.id:
                label = "<br/>".join(escape(line) for line in sw.lines(box))
                out.append(f'        {box.id}["{label}"]')
        out.append("    end")
    wait_of = sw.wait_of()
    for arrow in sw.arrows:
        target = wait_of[arrow.target].id if arrow.target in wait_of else arrow.target
        out.append(f"    {arrow.source} {'==>' if arrow.handoff else '-->'} {target}")
    out += _routing(sw)
    out.append(f"    classDef step {STEP_STYLE}")
    out.append(f"    classDef spof {SPOF_STYLE}")
    plain = [b.id for b in sw.boxes if not b.spof]
    spof = [b.id for b in sw.boxes if b.spof]
    if plain:
        out.append(f"    class {','.join(plain)} step")
    if spof:
        out.append(f"    class {','.join(spof)} spof")
    if sw.waits or sw.end:
        out.append(f"    classDef outside {OUTSIDE_STYLE}")
        outside = [w.id for w in sw.waits] + ([sw.end] if sw.end else [])
        out.append(f"    class {','.join(outside)} outside")
    return "\n".join(out) + "\n"


def _routing(sw: Swimlane) -> list[str]:
    """Issue 13's additions, outside the lanes: each external wait a node on the way into its
    step (``-.->``), the end node with a dotted arrow from each step some requests end after
    (the share on it), and each rework a dotted arrow back (its probability on it)."""
    out = []
    for wait in sw.waits:
        out.append(f'    {wait.id}{{{{"{escape(sw.wait_label(wait))}"}}}}')
        out.append(f"    {wait.id} -.-> {wait.target}")
    if sw.end:
        out.append(f'    {sw.end}(["end"])')
        for box in sw.stopping():
            out.append(f'    {box.id} -.->|"{escape(sw.stop_label(box))}"| {sw.end}')
    wait_of = sw.wait_of()
    for rework in sw.reworks:
        # Back to the step's external wait when it has one: it is before every execution.
        target = wait_of[rework.target].id if rework.target in wait_of else rework.target
        label = escape(sw.rework_label(rework))
        out.append(f'    {rework.source} -.->|"{label}"| {target}')
    return out


def fenced(sw: Swimlane) -> str:
    """The diagram as a fenced ```` ```mermaid ```` block, for Markdown reports.

    Parameters
    ----------
    sw : Swimlane
        The route to draw (:func:`orgflow.diagram.swimlane`).

    Returns
    -------
    str
        The fenced block.
    """
    return f"```mermaid\n{render(sw)}```\n"


def render_markdown(sw: Swimlane) -> str:
    """The diagram in a Markdown file: a heading, the caption and a ```` ```mermaid ```` block.

    Parameters
    ----------
    sw : Swimlane
        The route to draw (:func:`orgflow.diagram.swimlane`).

    Returns
    -------
    str
        The Markdown file.
    """
    return (
        f"# {sw.title}\n\n{sw.caption}\n\n"
        "Each frame is a desk (a person, with any backups, or a pool). Thick arrows are "
        "handoffs between desks, thin ones work continued at the same desk; a red step is a "
        "single point of failure (one person away stops it). *work* is the touch time, *wait* "
        "the expected wait to reach the desk (queueing, handoff latency and absences); *d* are "
        "working days." + _routing_note(sw) + "\n\n" + fenced(sw)
    )


def _routing_note(sw: Swimlane) -> str:
    """What the dotted parts mean, on a route with issue 13's additions only."""
    if not (sw.waits or sw.reworks or sw.end):
        return ""
    return (
        " Outside the frames: ⏳ an external wait before a step (taken by nobody, no "
        "reorganisation shortens it) and *end*, where the share on a dotted arrow of the "
        "step's requests ends; a dotted arrow back is a rework, with its probability."
    )


class MermaidDiagram(Renderer[Swimlane]):
    """``diagram --format mermaid``: the flowchart of :func:`render`."""

    def render(self, result: Swimlane) -> str:
        return render(result)
