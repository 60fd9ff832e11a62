"""``orgflow propose --scenarios``: today and each scenario side by side on the same figures
(:mod:`orgflow.propose.whatif`), as text (rich), JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from orgflow import __version__
from orgflow import escape as esc
from orgflow.render import finite
from orgflow.render.formats import Renderer

if TYPE_CHECKING:
    from rich.console import RenderableType

    from orgflow.propose.whatif import Figures, WhatIf


def _percent(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.1%}" if x != float("inf") else "unbounded"


def _rows(w: WhatIf) -> list[tuple[str, Callable[[Figures], str]]]:
    """The figures, each a label and how it is written."""
    from orgflow.output import working_time

    def hours(h: float) -> str:
        return working_time(h, w.hours_per_day)

    return [
        ("Highest (learning)", lambda f: _percent(f.highest_learning)),
        ("Highest (trained)", lambda f: _percent(f.highest_trained)),
        ("Spread (std. dev.)", lambda f: _percent(f.spread)),
        ("Lead time (learning)", lambda f: hours(f.lead_time_learning)),
        ("Lead time (trained)", lambda f: hours(f.lead_time_trained)),
        ("Worst cover", lambda f: _percent(f.worst_cover)),
        ("New-skill work", lambda f: f"{f.training_hours:.1f} h/week"),
        ("Feasible", lambda f: "yes" if f.feasible else "no"),
    ]


def whatif_dict(w: WhatIf) -> dict[str, Any]:
    """``propose --scenarios --format json``: ``{orgflow_version, schema_version, options,
    today{figures}, scenarios[]{name, description, error, figures{...}}}``."""

    def figures(f: Figures | None) -> dict[str, Any] | None:
        if f is None:
            return None
        return {
            "highest_utilization_learning": finite(f.highest_learning),
            "highest_utilization_trained": finite(f.highest_trained),
            "utilization_spread": finite(f.spread),
            "lead_time_hours_learning": finite(f.lead_time_learning),
            "lead_time_hours_trained": finite(f.lead_time_trained),
            "worst_cover_utilization": None if f.worst_cover is None else finite(f.worst_cover),
            "training_hours_per_week": finite(f.training_hours),
            "feasible": f.feasible,
        }

    return {
        "orgflow_version": __version__,
        "schema_version": 1,
        "options": {
            "by": w.options.by,
            "pods": w.options.pods,
            "backups": w.options.backups,
            "max_utilization": w.options.max_utilization,
            "learning_pace": w.options.learning_pace,
            "without": list(w.options.without),
        },
        "today": figures(w.today),
        "scenarios": [
            {
                "name": s.name,
                "description": s.description,
                "error": s.error,
                "figures": figures(s.figures),
                "problems": s.proposal.problems if s.proposal else [],
            }
            for s in w.scenarios
        ],
    }


def _cells(w: WhatIf) -> tuple[list[str], list[list[str]]]:
    heads = ["today"] + [s.name for s in w.scenarios]
    body = []
    for label, show in _rows(w):
        row = [label, show(w.today)]
        row += [show(s.figures) if s.figures else "-" for s in w.scenarios]
        body.append(row)
    return heads, body


class WhatIfJson(Renderer["WhatIf"]):
    """``propose --scenarios --format json``: :func:`whatif_dict`."""

    def render(self, result: WhatIf) -> str:
        return esc.json_text(json.dumps(whatif_dict(result), indent=2, ensure_ascii=False)) + "\n"


class WhatIfText(Renderer["WhatIf"]):
    """``propose --scenarios``: a table, then what each scenario is."""

    def render(self, result: WhatIf) -> RenderableType:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        heads, body = _cells(result)
        table = Table(
            title=f"{esc.rich(result.org_name)}: what if (utilization; the analysis of each "
            "proposed file; worst cover: the busiest backup while covering)",
            title_justify="left",
        )
        table.add_column("")
        for h in heads:
            table.add_column(esc.rich(h), justify="right")
        for row in body:
            table.add_row(*(esc.rich(c) for c in row))
        notes = [
            Text(esc.visible(f"{s.name}: {s.error or s.description}")) for s in result.scenarios
        ]
        return Group(table, *notes)


class WhatIfMarkdown(Renderer["WhatIf"]):
    """``propose --scenarios --format markdown``: the table and the scenarios as a list."""

    def render(self, result: WhatIf) -> str:
        heads, body = _cells(result)
        lines = [
            f"# {esc.markdown(result.org_name)}: what if",
            "",
            "Utilization and lead time from the analysis of each proposed file; worst cover: "
            "the busiest backup while covering their primary's whole load.",
            "",
            "| | " + " | ".join(esc.markdown(h) for h in heads) + " |",
            "|---" * (len(heads) + 1) + "|",
        ]
        lines += ["| " + " | ".join(esc.markdown(c) for c in row) + " |" for row in body]
        lines.append("")
        lines += [
            f"- **{esc.markdown(s.name)}**: {esc.markdown(s.error or s.description)}"
            for s in result.scenarios
        ]
        return "\n".join(lines) + "\n"
