"""Reports of ``orgflow propose`` and ``orgflow compare``: the before/after table, the plan,
backups and the training plan, as text (rich), JSON or Markdown."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orgflow import __version__
from orgflow import escape as esc
from orgflow.analysis.compare import Row
from orgflow.render import finite
from orgflow.render.compare import comparison_markdown, comparison_table, rows_dict
from orgflow.render.formats import Renderer

if TYPE_CHECKING:
    from rich.console import RenderableType

    from orgflow.propose.plan import Proposal


COLUMNS = ["before", "after (learning)", "after (trained)"]


@dataclass(frozen=True)
class ProposalReport:
    """A proposal as ``orgflow propose`` reports it: where the proposed file was written
    (``None``: not written), and the simulated mean lead times before, after while learning and
    after once trained (``None``: not simulated)."""

    proposal: Proposal
    output: str | None = None
    simulated: list[float | None] | None = None


def proposal_rows(p: Proposal, simulated: list[float | None] | None = None) -> list[Row]:
    """The before/after table of a proposal: before, after while learning, after once trained.

    Parameters
    ----------
    p : Proposal
        The proposal.
    simulated : list of float, optional
        The simulated mean lead times before, after while learning and once trained (None:
        not simulated).

    Returns
    -------
    list of Row
        Before, after while learning and after once trained.
    """
    from orgflow.analysis.compare import comparison_rows

    return comparison_rows(
        [p.before, p.after, p.after_trained],
        simulated=simulated,
        training_hours=[0.0, p.training_hours, p.training_hours],
    )


def proposal_dict(
    p: Proposal, output: str | None, simulated: list[float | None] | None = None
) -> dict[str, Any]:
    """The report of ``propose --format json`` as plain data.

    Parameters
    ----------
    p : Proposal
        The proposal.
    output : str, optional
        Where the proposed org file was written (None: not written).
    simulated : list of float, optional
        The simulated mean lead times before, after while learning and once trained (None:
        not simulated).

    Returns
    -------
    dict
        The document of ``propose --format json``.
    """
    # Over 80 lines: one literal, the JSON document in its order, easier to read whole.
    return {
        "orgflow_version": __version__,
        "schema_version": 1,
        "options": {
            "by": p.options.by,
            "pods": p.options.pods,
            "backups": p.options.backups,
            "keep_specialists": p.options.keep_specialists,
            "max_utilization": p.options.max_utilization,
            "learning_pace": p.options.learning_pace,
            "priorities": list(p.options.priorities),
            "without": list(p.options.without),
            "keep": [{"customer": c, "person": q} for c, q in p.options.keep],
        },
        "feasible": p.feasible,
        "problems": p.problems,
        "notes": p.notes,
        "output": output,
        "optimizer": {
            "method": p.method,
            "highest_utilization": finite(p.highest_utilization),
            "lower_bound": finite(p.lower_bound),
            "gap": finite(p.gap),
            "scopes": [
                {
                    "scope": scope,
                    "method": b.method,
                    "highest_utilization": finite(b.highest),
                    "lower_bound": finite(b.lower_bound),
                    "gap": finite(b.gap),
                }
                for scope, b in p.balances
            ],
        },
        "customers_changing_contact": p.changed_contacts,
        "customers_moved": p.customers_moved,
        "before_after": rows_dict(
            proposal_rows(p, simulated), ["before", "after_learning", "after_trained"]
        ),
        "primaries": [{"customer": c, "primary": s} for c, s in sorted(p.primary_of.items())],
        "backups": [
            {
                "primary": b.primary,
                "backups": list(b.backups),
                "backup_utilization": finite(b.expected_utilization),
                "backup_utilization_while_covering": finite(b.cover_utilization),
            }
            for b in p.backups
        ],
        "training": {
            "total_hours_per_week": finite(p.training_hours),
            "items": [
                {
                    "person": t.person,
                    "skill": t.skill,
                    "activities": list(t.activities),
                    "hours_per_week": finite(t.hours_per_week),
                }
                for t in p.training
            ],
        },
    }


def proposal_headline(p: Proposal) -> str:
    """The headline of a proposal: today, what changes once trained, and while learning.

    Parameters
    ----------
    p : Proposal
        The proposal.

    Returns
    -------
    str
        The headline.
    """
    from orgflow.output import working_time
    from orgflow.render.headline import headline

    label = f"In parallel by {p.options.by}" + (
        f" in pods of {p.options.pods}" if p.options.pods else ""
    )
    text = headline(p.before, p.after_trained, label)
    learning = p.after.summary.lead_time_hours
    if p.training and learning != p.after_trained.summary.lead_time_hours:
        text += (
            " While people learn their new skills: "
            + (
                working_time(learning, p.before.hours_per_day, "words")
                if learning != float("inf")
                else "no bounded lead time"
            )
            + "."
        )
    return text


def render_proposal_json(
    p: Proposal, output: str | None, simulated: list[float | None] | None = None
) -> str:
    """``propose --format json``: :func:`proposal_dict` as JSON.

    Parameters
    ----------
    p : Proposal
        The proposal.
    output : str, optional
        Where the proposed org file was written (None: not written).
    simulated : list of float, optional
        The simulated mean lead times before, after while learning and once trained (None:
        not simulated).

    Returns
    -------
    str
        The JSON document, indented, with a final newline.
    """
    return (
        esc.json_text(json.dumps(proposal_dict(p, output, simulated), indent=2, ensure_ascii=False))
        + "\n"
    )


def render_proposal_text(
    p: Proposal, output: str | None, simulated: list[float | None] | None = None
) -> RenderableType:
    """The report of ``orgflow propose`` for a terminal.

    Parameters
    ----------
    p : Proposal
        The proposal.
    output : str, optional
        Where the proposed org file was written (``None``: not written).
    simulated : list of float, optional
        The simulated mean lead times before, after while learning and once trained.

    Returns
    -------
    rich renderable
        The headline, the plan, the before/after table, who does what and the training plan.
    """
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    hpd = p.before.hours_per_day
    parts: list[RenderableType] = []
    parts.append(Text(esc.visible(proposal_headline(p)), style="bold"))
    parts.append(
        Panel(_plan_grid(p, output), title=f"[bold]{esc.rich(p.before.org_name)}[/bold] · proposal")
    )
    parts.append(comparison_table(proposal_rows(p, simulated), COLUMNS, hpd, "Before and after"))
    parts.append(_people_table(p))
    parts.append(_training_table(p))
    return Group(*parts)


def _plan_grid(p: Proposal, output: str | None) -> RenderableType:
    """The plan in a few labelled lines: its shape, balance, continuity and training."""
    from rich.table import Table
    from rich.text import Text

    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    verdict = (
        Text("feasible", style="bold green")
        if p.feasible
        else Text("NOT feasible under the limit", style="bold red")
    )
    head.add_row(
        "Plan",
        Text.assemble(
            f"in parallel by {p.options.by}"
            + (f", pods of {p.options.pods}" if p.options.pods else "")
            + f", {p.options.backups} backup{'' if p.options.backups == 1 else 's'}; ",
            verdict,
        ),
    )
    head.add_row(
        "Balance",
        f"highest utilization {p.highest_utilization:.0%} (limit "
        f"{p.options.max_utilization:.0%}; the analysis of the proposed file), lower bound "
        f"{p.lower_bound:.0%} (learning and backups counted), gap {p.gap:.1%}, method {p.method}",
    )
    head.add_row(
        "Continuity", f"{p.changed_contacts} of {len(p.primary_of)} customers change their contact"
    )
    head.add_row(
        "Training",
        f"{p.training_hours:.1f} h/week of work in new skills, "
        f"{len(p.training)} skill{'' if len(p.training) == 1 else 's'} to learn; new work at "
        f"{p.options.learning_pace:g}x "
        "effort while learning",
    )
    head.add_row("Output", output or "not written (use -o PROPOSAL.yaml)")
    for problem in p.problems:
        head.add_row(Text("Problem", style="bold red"), Text(problem, style="red"))
    for note in p.notes:
        head.add_row("Note", note)
    return head


def _people_table(p: Proposal) -> RenderableType:
    """Each primary with their customers, backups and utilization."""
    from rich.table import Table

    people = Table(title="Who does what", title_justify="left")
    for col in ("Primary", "Customers", "Backups", "Utilization after", "Backup while covering"):
        people.add_column(
            col, justify="left" if col in ("Primary", "Customers", "Backups") else "right"
        )
    per: dict[str, list[str]] = {}
    for c, s in p.primary_of.items():
        per.setdefault(s, []).append(c)
    cover = {b.primary: b for b in p.backups}
    util = {x.id: x.load.utilization for x in p.after.people}
    for s, customers in per.items():
        members = s.split("+")
        u = max(util.get(m, 0.0) for m in members)
        b = cover.get(s)
        names = ", ".join(customers[:4]) + (f" +{len(customers) - 4}" if len(customers) > 4 else "")
        people.add_row(
            s,
            names,
            ", ".join(b.backups) if b else ("pool" if len(members) > 1 else "-"),
            f"{u:.0%}",
            f"{b.cover_utilization:.0%}" if b else "-",
        )
    return people


def _training_table(p: Proposal) -> RenderableType:
    """The skills to learn, ranked by weekly hours of new work (the first 25)."""
    from rich.table import Table

    training = Table(
        title="Training plan (ranked by weekly hours of new work)", title_justify="left"
    )
    for col in ("Person", "Skill", "For", "h/week"):
        training.add_column(col, justify="right" if col == "h/week" else "left")
    for t in p.training[:25]:
        training.add_row(t.person, t.skill, ", ".join(t.activities), f"{t.hours_per_week:.1f}")
    if len(p.training) > 25:
        training.caption = f"... and {len(p.training) - 25} more (see --format json)"
    return training


def render_proposal_markdown(
    p: Proposal, output: str | None, simulated: list[float | None] | None = None
) -> str:
    """``propose --format markdown``: the headline, the plan, the before/after table, the diagrams
    and the training plan.

    Parameters
    ----------
    p : Proposal
        The proposal.
    output : str, optional
        Where the proposed org file was written (None: not written).
    simulated : list of float, optional
        The simulated mean lead times before, after while learning and once trained (None:
        not simulated).

    Returns
    -------
    str
        The Markdown report.
    """
    hpd = p.before.hours_per_day
    lines = [
        f"# {esc.markdown(p.before.org_name)}: proposal in parallel by {p.options.by}",
        "",
        f"**{esc.markdown(proposal_headline(p))}**",
        "",
    ]
    lines.append(
        f"- Feasible under {p.options.max_utilization:.0%}: {'yes' if p.feasible else 'no'}"
    )
    lines.append(
        f"- Highest utilization {p.highest_utilization:.0%} (the analysis of the proposed "
        f"file), lower bound {p.lower_bound:.0%} (learning and backups counted), gap {p.gap:.1%} "
        f"({p.method})"
    )
    lines.append(f"- {p.changed_contacts} of {len(p.primary_of)} customers change their contact")
    lines.append(f"- Training: {p.training_hours:.1f} h/week of work in new skills")
    lines += [f"- Problem: {x}" for x in p.problems] + [f"- Note: {x}" for x in p.notes]
    lines += ["", "## Before and after", ""]
    lines += comparison_markdown(proposal_rows(p, simulated), COLUMNS, hpd)
    from orgflow.render.markdown import diagram_section

    lines += diagram_section(p.before, "Before") + diagram_section(p.after_trained, "After")
    lines += ["", "## Training plan", "", "| Person | Skill | For | h/week |", "|---|---|---|---|"]
    lines += [
        f"| {t.person} | {t.skill} | {', '.join(t.activities)} | {t.hours_per_week:.1f} |"
        for t in p.training
    ]
    return "\n".join(lines) + "\n"


class ProposalJson(Renderer[ProposalReport]):
    """``propose --format json``: the schema of :func:`proposal_dict`."""

    def render(self, result: ProposalReport) -> str:
        return render_proposal_json(result.proposal, result.output, result.simulated)


class ProposalText(Renderer[ProposalReport]):
    """``propose --format text``: the report of :func:`render_proposal_text`."""

    def render(self, result: ProposalReport) -> RenderableType:
        return render_proposal_text(result.proposal, result.output, result.simulated)


class ProposalMarkdown(Renderer[ProposalReport]):
    """``propose --format markdown``: the report of :func:`render_proposal_markdown`."""

    def render(self, result: ProposalReport) -> str:
        return render_proposal_markdown(result.proposal, result.output, result.simulated)
