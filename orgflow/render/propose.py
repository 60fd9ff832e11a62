"""Reports of ``orgflow propose`` and ``orgflow compare``: the before/after table, the plan,
backups and the training plan, as text (rich), JSON or Markdown."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orgflow import __version__
from orgflow import escape as esc
from orgflow.analysis.compare import Row
from orgflow.render import finite, percent
from orgflow.render.compare import comparison_markdown, comparison_table, rows_dict
from orgflow.render.formats import Renderer
from orgflow.render.waves import waves_list, waves_markdown, waves_table

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
            "max_cover_utilization": p.options.cover_cap,
            "max_customers": p.options.max_customers,
            "no_learn": [{"person": q, "activity": a} for q, a in p.options.no_learn],
            "training_weeks": p.options.training_weeks,
        },
        "verdict": verdict(p),
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
                "backlog_hours": finite(b.backlog_hours),
                "covers": [
                    {
                        "backup": c.backup,
                        "backup_utilization": finite(c.utilization),
                        "backup_utilization_while_covering": finite(c.cover_utilization),
                        "backlog_hours": finite(c.backlog_hours),
                    }
                    for c in b.covers
                ],
            }
            for b in p.backups
        ],
        "worst_cover": finite(p.worst_cover),
        "external_wait_hours": finite(external_hours(p)),
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
        "waves": waves_list(p.waves),
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


def verdict(p: Proposal) -> str:
    """The plan in one line: feasible or not, the highest utilization while learning and once
    trained against the limit, the lead time today and after, and the worst backup cover.

    Parameters
    ----------
    p : Proposal
        The proposal.

    Returns
    -------
    str
        For instance ``Feasible: highest utilization 76% while learning, 63% once trained
        (limit 85%); lead time 16.6 h → 12.1 h (13.0 h while learning); worst backup cover
        103% (cap 170%)``.
    """
    from orgflow.output import working_time

    hpd = p.before.hours_per_day

    def lead(h: float) -> str:
        return working_time(h, hpd, "hours")

    learning, trained = p.highest_learning, p.highest_trained
    text = (
        ("Feasible" if p.feasible else "NOT feasible")
        + f": highest utilization {percent(learning)} while learning, "
        f"{percent(trained)} once trained (limit {p.options.max_utilization:.0%}); lead time "
        f"{lead(p.before.summary.lead_time_hours)} → "
        f"{lead(p.after_trained.summary.lead_time_hours)}"
    )
    if p.training:
        text += f" ({lead(p.after.summary.lead_time_hours)} while learning)"
    if p.backups:
        text += f"; worst backup cover {percent(p.worst_cover)} (cap {p.options.cover_cap:.0%})"
    if not p.feasible:
        text += f"; {len(p.problems)} problem{'' if len(p.problems) == 1 else 's'}"
    return text


def external_hours(p: Proposal) -> float:
    """The external waits (route ``delay``s) of the mean request: the same before and after,
    since the reorganisation keeps every process as it was."""
    return p.before.summary.parts.external


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
    # A plan, top down: the verdict, the headline, the plan in a few lines, who does what
    # with their backups, the training plan, (the migration plan's waves), before and after.
    parts.append(Text(esc.visible(verdict(p)), style="bold green" if p.feasible else "bold red"))
    parts.append(Text(esc.visible(proposal_headline(p)), style="bold"))
    parts.append(
        Panel(_plan_grid(p, output), title=f"[bold]{esc.rich(p.before.org_name)}[/bold] · proposal")
    )
    parts.append(_people_table(p))
    parts.append(_training_table(p))
    if p.waves:
        parts.append(waves_table(p.waves))
    parts.append(
        comparison_table(
            proposal_rows(p, simulated), COLUMNS, hpd, "Before and after (learning and trained)"
        )
    )
    return Group(*parts)


def _plan_grid(p: Proposal, output: str | None) -> RenderableType:
    """The plan in a few labelled lines: its shape, balance, continuity and training."""
    from rich.table import Table
    from rich.text import Text

    from orgflow.output import working_time

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
    if p.backups:
        worst = max(p.backups, key=lambda b: b.worst_cover)
        who = max(worst.covers, key=lambda c: c.cover_utilization).backup if worst.covers else ""
        head.add_row(
            "Backups",
            f"worst cover {percent(p.worst_cover)} ({who} while {worst.primary} is away; cap "
            f"{p.options.cover_cap:.0%}), backlog after a typical absence of "
            f"{working_time(p.before.absence_spell_hours, p.before.hours_per_day, 'words')}: "
            f"{sum(c.backlog_hours for b in p.backups for c in b.covers[:1]):.1f} h in all",
        )
    if external_hours(p) > 0:
        head.add_row(
            "External waits",
            f"{working_time(external_hours(p), p.before.hours_per_day, 'hours')} of the mean "
            "request's lead time, before and after: untouched by the reorganisation (waits "
            "outside the office)",
        )
    head.add_row("Output", output or "not written (use -o PROPOSAL.yaml)")
    for problem in p.problems:
        head.add_row(Text("Problem", style="bold red"), Text(problem, style="red"))
    for note in p.notes:
        head.add_row("Note", note)
    return head


def _people_table(p: Proposal) -> RenderableType:
    """Each primary with their customers, utilization, and every backup with their cover."""
    from rich.table import Table

    people = Table(title="Who does what", title_justify="left")
    for col in (
        "Primary",
        "Customers",
        "Utilization (learning / trained)",
        "Backups (while covering)",
        "Backlog after an absence",
    ):
        people.add_column(col, justify="left" if col in ("Primary", "Customers") else "right")
    per = p.customers_of
    cover = {b.primary: b for b in p.backups}
    learning, trained = p.utilization_learning, p.utilization_trained
    for s, customers in per.items():
        members = s.split("+")
        b = cover.get(s)
        names = ", ".join(customers[:4]) + (f" +{len(customers) - 4}" if len(customers) > 4 else "")
        util = (
            f"{max(learning.get(m, 0.0) for m in members):.0%} / "
            f"{max(trained.get(m, 0.0) for m in members):.0%}"
        )
        backups = (
            ", ".join(f"{c.backup} {percent(c.cover_utilization)}" for c in b.covers)
            if b
            else ("pool" if len(members) > 1 else "-")
        )
        people.add_row(s, names, util, backups, f"{b.backlog_hours:.1f} h" if b else "-")
    people.caption = (
        "Backups while covering: their utilization while carrying the primary's whole load "
        "(trained); backlog: the primary's work the first backup cannot absorb in their own "
        "week during a typical absence"
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
    from orgflow.output import working_time

    hpd = p.before.hours_per_day
    lines = [
        f"# {esc.markdown(p.before.org_name)}: proposal in parallel by {p.options.by}",
        "",
        f"**{esc.markdown(verdict(p))}**",
        "",
        esc.markdown(proposal_headline(p)),
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
    if external_hours(p) > 0:
        lines.append(
            f"- External waits: {working_time(external_hours(p), hpd, 'hours')} of the mean "
            "request's lead time, before and after: untouched by the reorganisation"
        )
    lines += [f"- Problem: {esc.markdown(x)}" for x in p.problems]
    lines += [f"- Note: {esc.markdown(x)}" for x in p.notes]
    lines += ["", "## Who does what", ""]
    lines += [
        "| Primary | Customers | Utilization (learning / trained) | Backups (while covering) "
        "| Backlog after an absence |",
        "|---|---|---|---|---|",
    ]
    cover = {b.primary: b for b in p.backups}
    learning, trained = p.utilization_learning, p.utilization_trained
    per = p.customers_of
    for s, customers in per.items():
        members = s.split("+")
        b = cover.get(s)
        backups = (
            ", ".join(f"{c.backup} {percent(c.cover_utilization)}" for c in b.covers)
            if b
            else ("pool" if len(members) > 1 else "-")
        )
        lines.append(
            f"| {esc.markdown(s)} | {esc.markdown(', '.join(customers))} | "
            f"{max(learning.get(m, 0.0) for m in members):.0%} / "
            f"{max(trained.get(m, 0.0) for m in members):.0%} | {esc.markdown(backups)} | "
            + (f"{b.backlog_hours:.1f} h |" if b else "- |")
        )
    lines += ["", "## Training plan", "", "| Person | Skill | For | h/week |", "|---|---|---|---|"]
    lines += [
        f"| {t.person} | {t.skill} | {', '.join(t.activities)} | {t.hours_per_week:.1f} |"
        for t in p.training
    ]
    if p.waves:
        lines += waves_markdown(p.waves)
    lines += ["", "## Before and after (learning and trained)", ""]
    lines += comparison_markdown(proposal_rows(p, simulated), COLUMNS, hpd)
    from orgflow.render.markdown import diagram_section

    lines += diagram_section(p.before, "Before") + diagram_section(p.after_trained, "After")
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
