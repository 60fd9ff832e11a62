"""The lint pass over a resolved :class:`~orgflow.office.Office`: steps no rule covers (errors),
rules that never apply, work given to people without the skill, and overloaded people
(warnings), each at its place in the file.

The loader checks the file itself (YAML, format, ids, cycles, bounds); this pass checks what
only the resolved office shows. :func:`open_office` runs both halves' results together: an
office with an error here is as unusable as a file the loader refuses (exit 2).
"""

from __future__ import annotations

from dataclasses import replace

from orgflow.diagnostics import Diagnostic, OrgFileError, sort_diagnostics
from orgflow.model import Org
from orgflow.office import Office, resolve


def open_office(org: Org) -> Office:
    """Resolve a loaded org and lint it: the :class:`Office`, its ``warnings`` those of the
    loader and of :func:`lint`, sorted by position.

    Raises :class:`~orgflow.diagnostics.OrgFileError` with every problem (the loader's
    warnings too) when the lint pass finds an error.

    Examples
    --------
    >>> from orgflow.loader import load_text
    >>> org = load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a]}]
    ... activities: [{id: a, effort: 1h}, {id: b, effort: 1h}]
    ... processes: [{id: p, steps: [a, b]}]
    ... customers: [{id: c, demand: {p: 1/week}}]
    ... assignments: [{activity: a, people: [ann]}]
    ... ''', file="x.yaml")
    >>> try:
    ...     open_office(org)
    ... except OrgFileError as exc:
    ...     print(exc.diagnostics[0].format().splitlines()[0])
    x.yaml:6:33: error: no assignment rule covers step 'b' of 'p' for customer 'c' [uncovered]
    """
    from orgflow.gc_pause import paused_gc

    with paused_gc():  # millions of small objects, none of them garbage: as the loader does
        office = resolve(org)
        found = lint(office)
    problems = [*office.warnings, *found]
    if any(d.level == "error" for d in found):
        raise OrgFileError(problems)
    return replace(office, warnings=tuple(sort_diagnostics(problems)))


def lint(office: Office) -> list[Diagnostic]:
    """Every problem of a resolved office: uncovered steps (errors), rules that never apply,
    missing skills and, when there is no error, overloaded people (warnings).

    Examples
    --------
    >>> from orgflow.loader import load_text
    >>> from orgflow.office import resolve
    >>> office = resolve(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a], capacity: 10h/week}]
    ... activities: [{id: a, effort: 1h}]
    ... processes: [{id: p, steps: [a]}]
    ... customers: [{id: c, demand: {p: 12/week}}]
    ... assignments: [{people: [ann]}]
    ... ''', file="x.yaml"))
    >>> [d.message for d in lint(office)]  # 12 h of work for 10 h present
    ["'ann' is overloaded: 12.0 h/week of work for 10.0 h/week present (utilization 120%)"]
    """
    out = _coverage(office) + _unused_rules(office) + _missing_skills(office)
    if any(d.level == "error" for d in out):
        return out
    return out + _overloaded(office)


def _coverage(office: Office) -> list[Diagnostic]:
    """One error per uncovered (process, step), naming its first customer and counting the
    others."""
    org, smap = office.org, office.source
    uncovered: dict[tuple[str, str], list[int]] = {}
    for pid, sid, ci in office.uncovered:
        cis = uncovered.setdefault((pid, sid), [])
        if not cis or cis[-1] != ci:
            cis.append(ci)
    out = []
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
    return out


def _unused_rules(office: Office) -> list[Diagnostic]:
    """Rules that apply to no (customer, step) with demand; a rule naming a region no customer
    is in was already reported by the loader (``rule-never-matches`` at the region)."""
    org, smap = office.org, office.source
    regions = {c.region for c in org.customers if c.region is not None}
    used = {index for index, _activity in office.rules_used}
    out = []
    for ri, rule in enumerate(org.assignments):
        if ri in used or any(region not in regions for region in rule.region or []):
            continue
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
    return out


def _missing_skills(office: Office) -> list[Diagnostic]:
    """People a rule gives work that needs a skill they do not have: once per rule, person and
    skill (not per customer)."""
    org, smap = office.org, office.source
    activities = {a.id: a for a in org.activities}
    rule_skills = dict.fromkeys(
        sorted({(index, activities[act].skill_id) for index, act in office.rules_used})
    )
    missing: dict[tuple[int, str, str], None] = {}
    for index, skill in rule_skills:
        for person in org.assignments[index].members:
            if skill not in office.people[person].skills:
                missing[(index, person, skill)] = None
    out = []
    for ri, person, skill in missing:
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
    return out


def _overloaded(office: Office) -> list[Diagnostic]:
    """People with more expected work than present hours (utilization of 1 or more)."""
    from orgflow.analysis.workload import workload

    index = {p.id: i for i, p in enumerate(office.org.people)}
    out = []
    for load in workload(office):
        if load.utilization >= 1:
            out.append(
                office.source.diagnostic(
                    ("people", index[load.person], "id"),
                    f"'{load.person}' is overloaded: {load.load_hours_per_week:.1f} h/week of work "
                    f"for {load.available_hours_per_week:.1f} h/week present "
                    f"(utilization {load.utilization:.0%})",
                    code="overloaded",
                    level="warning",
                    hint="their queue grows without bound: move work to others or add capacity",
                )
            )
    return out
