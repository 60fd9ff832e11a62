"""``--format markdown``: the analyze report as GitHub-flavoured Markdown tables."""

from __future__ import annotations

from orgflow.analysis.leadtime import PARTS_MEANING
from orgflow.analysis.summary import Analysis
from orgflow.escape import markdown as escape_markdown
from orgflow.render import hours, percent


def _cell(text: str) -> str:
    return escape_markdown(text)


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def render(a: Analysis) -> str:
    s = a.summary
    hpd = a.hours_per_day
    tf = s.truck_factor
    from orgflow.render.headline import headline

    lines = [f"# {escape_markdown(a.org_name)}", "", f"**{escape_markdown(headline(a))}**", ""]
    p = s.parts
    tf_text = (
        "n/a"
        if tf.value is None
        else (
            f"{tf.value} ({', '.join(tf.people)})"
            + ("" if tf.method == "exact" else f", greedy bound, at least {tf.lower_bound}")
        )
    )
    lines += _table(
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
            ["Lead time (mean)", hours(s.lead_time_hours, hpd)],
            ["Touch time", hours(p.touch, hpd)],
            ["Queueing", hours(p.queueing, hpd)],
            ["Handoff latency", hours(p.handoff, hpd)],
            ["Absences", hours(p.absence, hpd)],
            *([["External waits", hours(p.external, hpd)]] if p.external > 0 else []),
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
                str(r.handoffs),
                hours(r.lead.lead_time_hours, hpd),
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


def diagram_section(a: Analysis, label: str = "") -> list[str]:
    """The busiest route as a Mermaid swimlane diagram (renders in GitHub Markdown)."""
    if not a.routes:
        return []
    from orgflow.diagram import swimlane
    from orgflow.render.mermaid import fenced

    sw = swimlane(a)
    title = f"{label}: {sw.title}" if label else sw.title
    caption = escape_markdown(sw.caption)
    return ["", f"## {escape_markdown(title)}", "", caption, "", fenced(sw).rstrip("\n")]
