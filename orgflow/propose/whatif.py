"""What-if in one command (``orgflow propose --scenarios``, issue 15): several plans of one
office side by side, on the same figures.

The scenarios, each a :func:`orgflow.propose.plan.propose` with the user's other options:

- **by customer** (``--by customer``, no pods);
- **by region** (``--by region``, no pods);
- **pods of N** (``--by customer --pods N``; N is ``--pods`` when given, else 2);
- **one person more**: the office with a *new person* holding the most common skill set among
  the people who stay (ties: the set of the first in the file's order), with the capacity,
  availability and region of the first person holding it; when no two people share a skill
  set, a generalist: every skill of the non-specialist activities, with the first person's
  capacity, availability and region. Planned like the user's plan (``--by``, ``--pods``);
- **one person less**: the person whose leaving hurts least, the one with the least work
  today (hours per week, ties: the first in the file's order) among those whose leaving
  leaves every skill of a specialist activity with someone; planned like the user's plan
  with ``--without`` them.

The figures of each (:class:`Figures`) are the analysis of its written file: the highest
utilization while learning and once trained, the spread of utilization (standard
deviation, once trained), the mean lead time while learning and once trained, the worst
backup's utilization while covering their primary's whole load, the weekly hours of work in
new skills, and whether it is feasible under ``--max-utilization``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from orgflow.errors import ProposalError

if TYPE_CHECKING:
    from orgflow.analysis.summary import Analysis
    from orgflow.model import Person
    from orgflow.office import Office
    from orgflow.propose.plan import Proposal, ProposeOptions

#: The id of the person added by *one person more* (with ``_2``, ``_3``... if taken).
NEW_PERSON = "new_person"


@dataclass(frozen=True)
class Figures:
    """A plan's figures (or today's: the same figure in both columns)."""

    highest_learning: float
    highest_trained: float
    spread: float  # standard deviation of utilization, once trained
    lead_time_learning: float  # hours
    lead_time_trained: float  # hours
    worst_cover: float | None  # the highest backup utilization while covering; None: none
    training_hours: float  # hours/week of work in new skills
    feasible: bool


@dataclass(frozen=True)
class Scenario:
    """One plan of the comparison: its name, what it is, its figures (``None`` when it cannot
    be planned, ``error`` saying why) and its proposal."""

    name: str
    description: str
    figures: Figures | None
    proposal: Proposal | None = None
    error: str | None = None


@dataclass(frozen=True)
class WhatIf:
    """``propose --scenarios``: today's figures and the scenarios in order."""

    org_name: str
    hours_per_day: float
    options: ProposeOptions
    today: Figures
    scenarios: list[Scenario]


def figures_of(p: Proposal) -> Figures:
    """The figures of a proposal (the analysis of its written file)."""
    from orgflow.analysis.compare import utilization_spread

    covers = [b.cover_utilization for b in p.backups]
    return Figures(
        highest_learning=p.highest_learning,
        highest_trained=p.highest_trained,
        spread=utilization_spread(p.after_trained),
        lead_time_learning=p.after.summary.lead_time_hours,
        lead_time_trained=p.after_trained.summary.lead_time_hours,
        worst_cover=max(covers) if covers else None,
        training_hours=p.training_hours,
        feasible=p.feasible,
    )


def today_figures(before: Analysis, limit: float) -> Figures:
    """Today's figures: no learning, no training, today's backups not counted."""
    from orgflow.analysis.compare import utilization_spread
    from orgflow.propose.plan import analysed_highest

    highest = analysed_highest(before)[1]
    return Figures(
        highest_learning=highest,
        highest_trained=highest,
        spread=utilization_spread(before),
        lead_time_learning=before.summary.lead_time_hours,
        lead_time_trained=before.summary.lead_time_hours,
        worst_cover=None,
        training_hours=0.0,
        feasible=highest <= limit,
    )


def new_person(office: Office, options: ProposeOptions) -> tuple[Person, str]:
    """The person *one person more* adds (see the module's docstring), and whose capacity,
    availability and region they have.

    >>> from orgflow.loader import load_text
    >>> from orgflow.office import resolve
    >>> from orgflow.propose.plan import ProposeOptions
    >>> office = resolve(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a]}, {id: bob, skills: [a, b], capacity: 20h/week},
    ...          {id: cid, skills: [b, a]}]
    ... activities: [{id: a, effort: 1h}, {id: b, effort: 1h}]
    ... processes: [{id: p, steps: [a, b]}]
    ... customers: [{id: x, demand: {p: 1/week}}]
    ... assignments: [{people: [ann, bob, cid]}]
    ... '''))
    >>> p, model = new_person(office, ProposeOptions())  # {a, b}: bob and cid; bob first
    >>> p.id, sorted(p.skills), model, p.capacity == office.org.people[1].capacity
    ('new_person', ['a', 'b'], 'bob', True)
    """
    people = [p for p in office.org.people if p.id not in options.without]
    if not people:
        raise ProposalError("nobody to copy for one person more")
    sets = Counter(frozenset(p.skills) for p in people)
    top = max(sets.values())
    model = next(p for p in people if sets[frozenset(p.skills)] == top)
    skills = list(model.skills)
    if top < 2:  # nobody shares a skill set: a generalist
        model = people[0]
        skills = sorted({a.skill_id for a in office.org.activities if not a.specialist})
    taken = {p.id for p in office.org.people}
    pid, n = NEW_PERSON, 1
    while pid in taken:
        n += 1
        pid = f"{NEW_PERSON}_{n}"
    person = model.model_copy(
        update={
            "id": pid,
            "name": f"New person (like {model.id})",
            "skills": skills,
        }
    )
    return person, model.id


def least_missed(office: Office, before: Analysis, options: ProposeOptions) -> str | None:
    """The person whose leaving hurts least: the least work today among those whose leaving
    leaves every specialist activity's skill with someone else (``None``: nobody may leave).

    >>> from orgflow.loader import load_text
    >>> from orgflow.office import resolve
    >>> from orgflow.analysis.summary import analyze
    >>> from orgflow.propose.plan import ProposeOptions
    >>> office = resolve(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [s, g]}, {id: bob, skills: [g]}, {id: cid, skills: [g]}]
    ... activities: [{id: s, effort: 1h, specialist: true}, {id: g, effort: 1h}]
    ... processes: [{id: ps, steps: [s]}, {id: pg, steps: [g]}]
    ... customers: [{id: x, demand: {ps: 1/week, pg: 5/week}}, {id: y, demand: {pg: 2/week}}]
    ... assignments: [{activity: s, people: [ann]}, {customers: [x], activity: g, people: [bob]},
    ...               {customers: [y], activity: g, people: [cid]}]
    ... '''))
    >>> least_missed(office, analyze(office), ProposeOptions())  # ann: 1 h, but holds s alone
    'cid'
    """
    org = office.org
    gone = set(options.without)
    present = [p for p in org.people if p.id not in gone]
    needed = {a.skill_id for a in org.activities if a.specialist}
    load = {p.id: p.load.load_hours_per_week for p in before.people}
    kept = {p for _, p in options.keep}

    def can_leave(person: Person) -> bool:
        others = [p for p in present if p.id != person.id]
        return person.id not in kept and all(any(s in p.skills for p in others) for s in needed)

    candidates = [p for p in present if can_leave(p)]
    if len(present) < 2 or not candidates:
        return None
    return min(candidates, key=lambda p: load.get(p.id, 0.0)).id


def what_if(office: Office, options: ProposeOptions) -> WhatIf:
    """The scenarios of ``propose --scenarios`` for ``office`` (see the module's docstring).

    A scenario that cannot be planned (a ``--keep`` outside the person's area with ``--by
    region``, nobody who may leave) is listed with the reason instead of its figures."""
    from orgflow.analysis.lint import open_office
    from orgflow.analysis.summary import analyze
    from orgflow.propose.plan import propose

    before = analyze(office)
    pods = options.pods or 2
    plans: list[tuple[str, str, ProposeOptions, Office | None]] = [
        (
            "by customer",
            "one person per customer",
            replace(options, by="customer", pods=None),
            office,
        ),
        ("by region", "people serving one area", replace(options, by="region", pods=None), office),
        (
            f"pods of {pods}",
            f"teams of {pods} sharing one pool, by customer",
            replace(options, by="customer", pods=pods),
            office,
        ),
    ]
    shape = f"by {options.by}" + (f", pods of {options.pods}" if options.pods else "")
    try:
        extra, model = new_person(office, options)
        bigger = open_office(office.org.model_copy(update={"people": [*office.org.people, extra]}))
        plans.append(
            (
                "one person more",
                f"{extra.id}: skills {', '.join(extra.skills)}; capacity and availability of "
                f"{model}; {shape}",
                options,
                bigger,
            )
        )
    except ProposalError as exc:
        plans.append(("one person more", str(exc), options, None))
    leaver = least_missed(office, before, options)
    if leaver is None:
        plans.append(("one person less", "nobody may leave", options, None))
    else:
        plans.append(
            (
                "one person less",
                f"without {leaver} (the least work today); {shape}",
                replace(options, without=(*options.without, leaver)),
                office,
            )
        )
    scenarios = []
    for name, description, opts, org_office in plans:
        if org_office is None:
            scenarios.append(Scenario(name, description, None, None, description))
            continue
        try:
            plan = propose(org_office, opts, before if org_office is office else None)
        except ProposalError as exc:
            scenarios.append(Scenario(name, description, None, None, str(exc)))
            continue
        scenarios.append(Scenario(name, description, figures_of(plan), plan))
    return WhatIf(
        before.org_name,
        before.hours_per_day,
        options,
        today_figures(before, options.max_utilization),
        scenarios,
    )
