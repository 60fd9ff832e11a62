"""Reference checks on a schema-valid org: ids, cycles, coverage, skills and overload."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from orgflow.diagnostics import Diagnostic
from orgflow.graph import step_predecessors
from orgflow.model import Activity, Customer, Org, Person, Process

if TYPE_CHECKING:
    from orgflow.loader import SourceMap


def _suggest(name: str, known: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def check_references(org: Org, smap: SourceMap) -> list[Diagnostic]:
    """Every reference problem in ``org``: errors first make the file unusable, warnings do not."""
    out: list[Diagnostic] = []

    def err(path: tuple[str | int, ...], message: str, code: str, hint: str | None) -> None:
        out.append(smap.diagnostic(path, message, code=code, hint=hint))

    def warn(path: tuple[str | int, ...], message: str, code: str, hint: str | None) -> None:
        out.append(smap.diagnostic(path, message, code=code, hint=hint, level="warning"))

    # Duplicate ids within each kind.
    sections: tuple[tuple[str, Sequence[Person | Activity | Process | Customer]], ...] = (
        ("people", org.people),
        ("activities", org.activities),
        ("processes", org.processes),
        ("customers", org.customers),
    )
    for section, items in sections:
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in first:
                line = smap.at((section, first[item.id]))[0]
                err(
                    (section, i, "id"),
                    f"duplicate id '{item.id}' in {section} (first at line {line})",
                    "duplicate-id",
                    "ids must be unique within their kind",
                )
            else:
                first[item.id] = i

    people = {p.id: p for p in org.people}
    activities = {a.id: a for a in org.activities}
    processes = {p.id: p for p in org.processes}
    customers = {c.id: c for c in org.customers}
    regions = {c.region for c in org.customers if c.region is not None}

    # Processes: known activities, unique step ids, known and acyclic `after`.
    for pi, process in enumerate(org.processes):
        seen: dict[str, int] = {}
        for si, step in enumerate(process.steps):
            path = ("processes", pi, "steps", si)
            if step.activity not in activities:
                err(
                    (*path, "activity"),
                    f"unknown activity '{step.activity}' in process '{process.id}'",
                    "unknown-activity",
                    _suggest(step.activity, activities) or "define it under activities:",
                )
            if step.step_id in seen:
                err(
                    path,
                    f"step '{step.step_id}' appears twice in process '{process.id}'",
                    "duplicate-step",
                    "give repeated activities distinct ids: {id: check_2, activity: check}",
                )
            seen[step.step_id] = si
        step_ids = {s.step_id for s in process.steps}
        bad_after = False
        for si, step in enumerate(process.steps):
            for ai, ref in enumerate(step.after or []):
                if ref not in step_ids:
                    bad_after = True
                    err(
                        ("processes", pi, "steps", si, "after", ai),
                        f"step '{step.step_id}' waits for unknown step '{ref}'",
                        "unknown-step",
                        _suggest(ref, step_ids)
                        or f"steps of '{process.id}': {', '.join(sorted(step_ids))}",
                    )
                elif ref == step.step_id:
                    bad_after = True
                    err(
                        ("processes", pi, "steps", si, "after", ai),
                        f"step '{ref}' waits for itself",
                        "cycle",
                        "remove it from its own after:",
                    )
        if not bad_after and len(seen) == len(process.steps):
            cycle = _find_cycle(step_predecessors(process))
            if cycle:
                si = next(i for i, s in enumerate(process.steps) if s.step_id == cycle[0])
                err(
                    ("processes", pi, "steps", si),
                    f"steps of '{process.id}' wait for each other in a cycle: "
                    + " -> ".join([*cycle, cycle[0]]),
                    "cycle",
                    "a step can only wait for steps that finish before it; break the cycle",
                )

    # Customers: demand on known processes.
    for ci, customer in enumerate(org.customers):
        for pid in customer.demand:
            if pid not in processes:
                out.append(
                    smap.diagnostic(
                        ("customers", ci, "demand", pid),
                        f"customer '{customer.id}' has demand for unknown process '{pid}'",
                        code="unknown-process",
                        key=True,
                        hint=_suggest(pid, processes) or "define it under processes:",
                    )
                )

    # Rules: known ids.
    region_warned: set[int] = set()
    for ri, rule in enumerate(org.assignments):
        for key, known, kind in (
            ("activity", activities, "activity"),
            ("customers", customers, "customer"),
        ):
            for i, ref in enumerate(getattr(rule, key) or []):
                if ref not in known:
                    err(
                        ("assignments", ri, key, i),
                        f"unknown {kind} '{ref}' in assignment rule",
                        f"unknown-{kind}",
                        _suggest(ref, known) or f"check the {kind} ids",
                    )
        for key in ("people", "pool"):
            for i, ref in enumerate(getattr(rule, key) or []):
                if ref not in people:
                    err(
                        ("assignments", ri, key, i),
                        f"unknown person '{ref}' in assignment rule",
                        "unknown-person",
                        _suggest(ref, people) or "define them under people:",
                    )
        for i, region in enumerate(rule.region or []):
            if region not in regions:
                region_warned.add(ri)
                warn(
                    ("assignments", ri, "region", i),
                    f"no customer is in region '{region}', so this rule never matches",
                    "rule-never-matches",
                    _suggest(region, regions)
                    or f"customer regions: {', '.join(sorted(regions)) or 'none'}",
                )

    if any(d.level == "error" for d in out):
        return out
    out += _coverage(org, smap, region_warned)
    return out


def _find_cycle(preds: dict[str, list[str]]) -> list[str] | None:
    """A cycle among the steps, in order, or ``None`` (graphlib: no networkx import at load)."""
    import graphlib

    try:
        graphlib.TopologicalSorter(preds).prepare()
    except graphlib.CycleError as exc:
        # Each node is an immediate predecessor of the next; the first is repeated last.
        return list(exc.args[1])[:-1]
    return None


def _coverage(org: Org, smap: SourceMap, region_warned: set[int]) -> list[Diagnostic]:
    """Uncovered (customer, step) pairs, rules that never apply, work without the skill."""
    from orgflow.analysis.routes import build_routes
    from orgflow.assign import Resolver

    out: list[Diagnostic] = []
    resolver = Resolver(org)
    activities = {a.id: a for a in org.activities}
    skills = {p.id: set(p.skills) for p in org.people}
    missed: list[tuple[str, str, int]] = []
    applied: set[tuple[int, str]] = set()
    routes = build_routes(org, resolver, uncovered=missed, rules_used=applied)
    used = {index for index, _activity in applied}
    uncovered: dict[tuple[str, str], list[int]] = {}
    for pid, sid, ci in missed:
        cis = uncovered.setdefault((pid, sid), [])
        if not cis or cis[-1] != ci:
            cis.append(ci)
    rule_skills = dict.fromkeys(
        sorted({(index, activities[act].skill_id) for index, act in applied})
    )
    missing_skill: dict[tuple[int, str, str], None] = {}
    for index, skill in rule_skills:  # once per rule and skill, not per customer
        for person in org.assignments[index].members:
            if skill not in skills[person]:
                missing_skill[(index, person, skill)] = None

    for (pid, sid), cis in uncovered.items():
        first = org.customers[cis[0]]
        n = len(cis) - 1
        others = f" and {n} other customer{'' if n == 1 else 's'}" if n else ""
        out.append(
            smap.diagnostic(
                ("customers", cis[0], "demand", pid),
                f"no assignment rule covers step '{sid}' of '{pid}' for customer "
                f"'{first.id}'{others}",
                code="uncovered",
                hint=f"add a rule, e.g. {{activity: {sid}, people: [...]}}, or a catch-all "
                "{people: [...]} at the end of assignments:",
            )
        )
    for ri, _rule in enumerate(org.assignments):
        if ri not in used and ri not in region_warned:
            out.append(
                smap.diagnostic(
                    ("assignments", ri),
                    f"assignment rule {ri + 1} never applies: no (customer, step) with demand "
                    "matches it, or rules above it match first",
                    code="rule-never-matches",
                    level="warning",
                    hint="remove it, or move it above the rule that takes its work",
                )
            )
    for ri, person, skill in missing_skill:
        key = "pool" if org.assignments[ri].is_pool else "people"
        pos = org.assignments[ri].members.index(person)
        out.append(
            smap.diagnostic(
                ("assignments", ri, key, pos),
                f"'{person}' is assigned work that needs skill '{skill}', which they do not have",
                code="missing-skill",
                level="warning",
                hint=f"add {skill} to their skills once trained, or assign someone who has it",
            )
        )
    if any(d.level == "error" for d in out):
        return out

    from orgflow.analysis.workload import workload

    smap.routes = routes
    for load in workload(org, smap.routes):
        if load.utilization >= 1:
            pi = next(i for i, p in enumerate(org.people) if p.id == load.person)
            out.append(
                smap.diagnostic(
                    ("people", pi, "id"),
                    f"'{load.person}' is overloaded: {load.load_hours_per_week:.1f} h/week of work "
                    f"for {load.available_hours_per_week:.1f} h/week present "
                    f"(utilization {load.utilization:.0%})",
                    code="overloaded",
                    level="warning",
                    hint="their queue grows without bound: move work to others or add capacity",
                )
            )
    return out
