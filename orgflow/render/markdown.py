"""``--format markdown``: the analyze report as GitHub-flavoured Markdown tables."""

from __future__ import annotations

from orgflow.analysis.leadtime import PARTS_MEANING
from orgflow.analysis.summary import Analysis
from orgflow.escape import markdown as escape_markdown
from orgflow.output import working_time
from orgflow.render import count, percent
from orgflow.render.formats import Renderer


def _cell(text: str) -> str:
    return escape_markdown(text)


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def render(a: Analysis) -> str:
    """The ``analyze`` report as GitHub-flavoured Markdown.

    Parameters
    ----------
    a : Analysis
        The office's analysis.

    Returns
    -------
    str
        The headline, the summary figures, the handoff chains, the single points of failure,
        the people, the busiest route's diagram and the file's warnings.
    """
    from orgflow.render.headline import headline

    lines = [f"# {escape_markdown(a.org_name)}", "", f"**{escape_markdown(headline(a))}**", ""]
    lines += _summary_table(a)
    lines += ["", f"_Parts of the lead time: {PARTS_MEANING}._"]
    lines += ["", "## Handoff chains", ""]
    lines += _table(
        ["#", "Process", "Chain", "Customers", "Req/wk", "Handoffs", "Lead time", "Critical path"],
        [
            [
                str(r.route.number),
                r.route.process,
                " → ".join(r.chain),
                ", ".join(r.route.customers),
                f"{r.route.requests_per_week:.1f}",
                count(r.handoffs),
                working_time(r.lead.lead_time_hours, a.hours_per_day),
                " → ".join(r.lead.critical_path),
            ]
            for r in a.routes
        ],
    )
    lines += ["", "## Single points of failure", ""]
    lines += _table(
        ["Activity", "Bus factor", "Done by"],
        [
            [act.id, str(act.bus_factor), ", ".join(act.people)]
            for act in a.activities
            if act.bus_factor is not None
        ],
    )
    lines += ["", "## People", ""]
    lines += _table(
        ["Person", "Load h/wk", "Utilization", "Absence stops"],
        [
            [
                p.id,
                f"{p.load.load_hours_per_week:.1f}",
                percent(p.load.utilization),
                f"{p.blocked_share:.0%}",
            ]
            for p in a.people
        ],
    )
    lines += diagram_section(a)
    if a.warnings:
        lines += ["", "## Warnings", ""]
        lines += [
            f"- `{d.file.replace('`', chr(39))}:{d.line}:{d.column}` {escape_markdown(d.message)}"
            for d in a.warnings
        ]
    return "\n".join(lines) + "\n"


def _summary_table(a: Analysis) -> list[str]:
    """The headline figures, one row each."""
    s = a.summary
    hpd = a.hours_per_day
    tf = s.truck_factor
    p = s.parts
    tf_text = (
        "n/a"
        if tf.value is None
        else (
            f"{tf.value} ({', '.join(tf.people)})"
            + ("" if tf.method == "exact" else f", greedy bound, at least {tf.lower_bound}")
        )
    )
    return _table(
        ["Figure", "Value"],
        [
            ["Requests per week", f"{s.requests_per_week:.1f}"],
            ["Handoffs per request", f"{s.handoffs_per_request:.2f}"],
            [
                "Contacts per customer",
                f"{s.contacts_per_customer:.2f}"
                + (
                    " (no step is marked customer_facing: true)"
                    if s.contacts_per_customer == 0 and s.requests_per_week > 0
                    else ""
                ),
            ],
            ["Lead time (mean)", working_time(s.lead_time_hours, hpd)],
            ["Touch time", working_time(p.touch, hpd)],
            ["Queueing", working_time(p.queueing, hpd)],
            ["Handoff latency", working_time(p.handoff, hpd)],
            ["Absences", working_time(p.absence, hpd)],
            *([["External waits", working_time(p.external, hpd)]] if p.external > 0 else []),
            ["Flow efficiency", percent(s.flow_efficiency)],
            ["Truck factor", tf_text],
            [
                "Worst person risk",
                f"{s.worst_person} ({s.worst_blocked_share:.0%} of requests)"
                if s.worst_person
                else "none",
            ],
            ["Overloaded", ", ".join(s.overloaded) or "nobody"],
        ],
    )


def diagram_section(a: Analysis, label: str = "") -> list[str]:
    """The busiest route as a Mermaid swimlane diagram (renders in GitHub Markdown).

    Parameters
    ----------
    a : Analysis
        The office's analysis.
    label : str
        What names the second office in the sentence.

    Returns
    -------
    list of str
        Markdown lines (none when there is no route).
    """
    if not a.routes:
        return []
    from orgflow.diagram import swimlane
    from orgflow.render.mermaid import fenced

    sw = swimlane(a)
    title = f"{label}: {sw.title}" if label else sw.title
    caption = escape_markdown(sw.caption)
    return ["", f"## {escape_markdown(title)}", "", caption, "", fenced(sw).rstrip("\n")]


class AnalysisMarkdown(Renderer[Analysis]):
    """``analyze --format markdown``: the report of :func:`render`."""

    def render(self, result: Analysis) -> str:
        return render(result)
