"""``orgflow diagram --format dot``: a swimlane as a Graphviz digraph with a cluster per lane."""

from __future__ import annotations

from orgflow.diagram import Swimlane
from orgflow.escape import dot as escape_dot
from orgflow.escape import visible as escape_visible
from orgflow.render.formats import Renderer, RenderError

SPOF_FILL = "#fdecea"
SPOF_LINE = "#c0392b"
STEP_FILL = "#f4f7fb"
STEP_LINE = "#5b6b7f"


def _escape(text: str) -> str:
    return escape_dot(text)


def quote(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, one line.

    In a label a backslash starts an escape (``\\n``, ``\\l``, ``\\N``...), so it is doubled
    and shows as itself; Graphviz also reads ``&amp;``-style entities, so ``&`` is ``&amp;``.

    Parameters
    ----------
    text : str
        The text.

    Returns
    -------
    str
        The quoted string.

    Examples
    --------
    >>> print(quote('say "hi" \\\\ & end'))
    "say \\"hi\\" \\\\ &amp; end"
    """
    return f'"{_escape(text)}"'


def label(lines: list[str]) -> str:
    """Several lines as one DOT label, each centred (``\\n`` between them).

    Parameters
    ----------
    lines : list of str
        The lines, in order.

    Returns
    -------
    str
        The DOT label.

    Examples
    --------
    >>> print(label(["a", 'b "c"']))
    "a\\nb \\"c\\""
    """
    return '"' + "\\n".join(_escape(line) for line in lines) + '"'


def render(sw: Swimlane) -> str:
    """``digraph`` left to right, a ``cluster_`` subgraph per lane; handoffs are bold arrows,
    work continued at the same desk a thin one; single points of failure filled red.

    Parameters
    ----------
    sw : Swimlane
        The route to draw (:func:`orgflow.diagram.swimlane`).

    Returns
    -------
    str
        The DOT source.
    """
    out = [
        f"// {escape_visible(' '.join(sw.title.split()))}",
        f"// {escape_visible(' '.join(sw.caption.split()))}",
        'digraph "swimlane" {',
        "  graph [rankdir=LR, fontname=Helvetica, fontsize=12, labelloc=t, "
        f"label={quote(sw.title + ' · ' + sw.caption)}];",
        '  node [shape=box, style="rounded,filled", fontname=Helvetica, fontsize=10, '
        f'fillcolor="{STEP_FILL}", color="{STEP_LINE}"];',
        "  edge [fontname=Helvetica, fontsize=9];",
    ]
    for i, lane in enumerate(sw.lanes):
        out.append(f'  subgraph "cluster_{i}_{lane.id}" {{')
        out.append(
            f'    label={quote(lane.label)}; style="filled"; fillcolor="#fffbe6"; '
            'color="#d6c98a"; labeljust=l;'
        )
        for box in sw.boxes:
            if box.lane != lane.id:
                continue
            attrs = [f"label={label(sw.lines(box))}"]
            if box.spof:
                attrs.append(f'fillcolor="{SPOF_FILL}", color="{SPOF_LINE}", penwidth=2')
            out.append(f'    "{box.id}" [{", ".join(attrs)}];')
        out.append("  }")
    wait_of = sw.wait_of()
    for arrow in sw.arrows:
        style = "penwidth=2.2" if arrow.handoff else 'color="#777777"'
        target = wait_of[arrow.target].id if arrow.target in wait_of else arrow.target
        out.append(f'  "{arrow.source}" -> "{target}" [{style}];')
    out += _routing(sw)
    out.append("}")
    return "\n".join(out) + "\n"


def _routing(sw: Swimlane) -> list[str]:
    """Issue 13's additions, outside the clusters: each external wait a dashed hexagon on the
    way into its step, the end node with a dashed arrow from each step some requests end
    after (the share on it), and each rework a dashed arrow back (its probability on it)."""
    out = []
    outside = 'style="dashed,filled", fillcolor="#ffffff", color="#8a8f98"'
    for wait in sw.waits:
        out.append(f'  "{wait.id}" [shape=hexagon, {outside}, label={quote(sw.wait_label(wait))}];')
        out.append(f'  "{wait.id}" -> "{wait.target}" [style=dashed, color="#8a8f98"];')
    if sw.end:
        out.append(f'  "{sw.end}" [shape=oval, {outside}, label="end"];')
        for box in sw.stopping():
            out.append(
                f'  "{box.id}" -> "{sw.end}" [style=dashed, color="#8a8f98", '
                f"label={quote(sw.stop_label(box))}];"
            )
    wait_of = sw.wait_of()
    for rework in sw.reworks:
        # Back to the step's external wait when it has one: it is before every execution.
        target = wait_of[rework.target].id if rework.target in wait_of else rework.target
        out.append(
            f'  "{rework.source}" -> "{target}" [style=dashed, color="#b9770e", '
            f"constraint=false, label={quote(sw.rework_label(rework))}];"
        )
    return out


class DotDiagram(Renderer[Swimlane]):
    """``diagram --format dot``: the digraph of :func:`render`."""

    def render(self, result: Swimlane) -> str:
        return render(result)


class PngDiagram(Renderer[Swimlane]):
    """``diagram --format png``: the DOT drawing rendered by Graphviz's ``dot -Tpng``."""

    def render(self, result: Swimlane) -> bytes:
        """The PNG image.

        Raises
        ------
        RenderError
            When Graphviz's ``dot`` is not on the PATH, or fails.
        """
        import shutil
        import subprocess

        dot = shutil.which("dot")
        if dot is None:
            raise RenderError(
                "--format png needs Graphviz's `dot` on the PATH "
                "(apt-get install graphviz, brew install graphviz); --format svg needs nothing"
            )
        done = subprocess.run(
            [dot, "-Tpng"], input=render(result).encode(), capture_output=True, check=False
        )
        if done.returncode != 0:
            raise RenderError(f"Graphviz failed: {done.stderr.decode().strip()}")
        return done.stdout
