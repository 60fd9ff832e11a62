"""Checks of the additions that make a request's route random or add time outside the office
(issue 13: ``delay``, ``stop``, ``probability``, exclusive alternatives, ``rework``, a rule's
``effort``), on a schema-valid org, each at its ``file:line:column`` with a hint.

Also the graph helpers the checks and :mod:`orgflow.routing` share: a step's
ancestors and a rework loop's steps.
"""

from __future__ import annotations

import graphlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from orgflow.diagnostics import Diagnostic
from orgflow.graph import step_predecessors
from orgflow.model import Org, Process

if TYPE_CHECKING:
    from orgflow.source import SourceMap
    from orgflow.units import Calendar


def topological_order(preds: Mapping[str, Sequence[str]]) -> list[str] | None:
    """Steps in an order where each comes after the steps it waits for (the written order
    where ``after`` allows it), or ``None`` if they wait for each other in a cycle or for
    unknown steps."""
    if any(p not in preds for ps in preds.values() for p in ps):
        return None
    sorter = graphlib.TopologicalSorter({s: list(ps) for s, ps in preds.items()})
    try:
        sorter.prepare()
    except graphlib.CycleError:
        return None
    rank = {s: i for i, s in enumerate(preds)}
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=rank.__getitem__)
        for s in ready:
            order.append(s)
            sorter.done(s)
    return order


def ancestors(preds: Mapping[str, Sequence[str]], order: Sequence[str]) -> dict[str, set[str]]:
    """Every step each step waits for, directly or through others."""
    out: dict[str, set[str]] = {}
    for s in order:
        found: set[str] = set()
        for p in preds[s]:
            found.add(p)
            found |= out[p]
        out[s] = found
    return out


def rework_loop(start: str, end: str, before: Mapping[str, set[str]]) -> set[str]:
    """The steps a rework from ``end`` back to ``start`` does again: every step on a path
    from ``start`` to ``end``, both included (``before``: :func:`ancestors`)."""
    return {start, end} | {s for s in before[end] if start in before[s]}


def check_routes(org: Org, smap: SourceMap) -> list[Diagnostic]:
    """Problems with the route additions; empty for a file without them."""
    out: list[Diagnostic] = []
    activities = {a.id for a in org.activities}
    cal = org.calendar
    for pi, process in enumerate(org.processes):
        out += _check_process(pi, process, activities, cal, smap)
    for ri, rule in enumerate(org.assignments):
        if rule.effort is not None:
            out += _effort_bounds(("assignments", ri, "effort"), rule.effort, cal, smap)
    return out


def _check_process(
    pi: int, process: Process, activities: set[str], cal: Calendar, smap: SourceMap
) -> list[Diagnostic]:
    from orgflow.suggest import Suggestions

    out: list[Diagnostic] = []
    for si, step in enumerate(process.steps):
        path = ("processes", pi, "steps", si)
        for ai, name in enumerate(step.activities[1:], start=1):
            if name not in activities:
                out.append(
                    smap.diagnostic(
                        (*path, "activity", ai),
                        f"unknown activity '{name}' among the alternatives of step "
                        f"'{step.step_id}' in process '{process.id}'",
                        code="unknown-activity",
                        hint=Suggestions(activities).hint(name) or "define it under activities:",
                    )
                )
        if step.delay is not None:
            out += _effort_bounds((*path, "delay"), step.delay, cal, smap)
        if step.rework is not None and step.stop + step.rework.probability > 1 + 1e-12:
            out.append(
                smap.diagnostic(
                    (*path, "stop"),
                    f"after step '{step.step_id}' {step.stop:g} of the requests stop and "
                    f"{step.rework.probability:g} go back: more than all of them",
                    code="route",
                    hint="stop and rework's probability are shares of the same requests; "
                    "their sum is at most 1",
                )
            )
    preds = step_predecessors(process)
    if len(preds) != len(process.steps):
        return out  # repeated step ids: reported by the reference checks
    order = topological_order(preds)
    if order is None:
        return out  # unknown steps or a cycle: reported by the reference checks
    before = ancestors(preds, order)
    index = {s.step_id: i for i, s in enumerate(process.steps)}
    names = Suggestions(preds)
    loops: list[tuple[int, str, set[str]]] = []
    for si, step in enumerate(process.steps):
        rework = step.rework
        if rework is None:
            continue
        sid = step.step_id
        where = ("processes", pi, "steps", si, "rework", "to")
        if rework.to not in preds:
            out.append(
                smap.diagnostic(
                    where,
                    f"step '{sid}' goes back to unknown step '{rework.to}'",
                    code="unknown-step",
                    hint=names.hint(rework.to)
                    or f"steps of '{process.id}': {', '.join(sorted(preds))}",
                )
            )
            continue
        if rework.to != sid and rework.to not in before[sid]:
            earlier = sorted(before[sid], key=index.__getitem__)
            out.append(
                smap.diagnostic(
                    where,
                    f"step '{sid}' goes back to '{rework.to}', which does not come before it "
                    "(it is not a step it waits for, directly or through others)",
                    code="route",
                    hint="a rework goes back to the step itself or to an earlier one: "
                    + (", ".join([*earlier, sid])),
                )
            )
            continue
        loops.append((si, sid, rework_loop(rework.to, sid, before)))
    out += _check_loops(pi, process, preds, loops, smap)
    return out


def _check_loops(
    pi: int,
    process: Process,
    preds: Mapping[str, Sequence[str]],
    loops: list[tuple[int, str, set[str]]],
    smap: SourceMap,
) -> list[Diagnostic]:
    """Rework loops must nest or stay apart, and only their last step may be waited for
    from outside (the other steps are done again: which time would a step outside wait for?)."""
    out: list[Diagnostic] = []
    for i, (si, sid, steps) in enumerate(loops):
        where = ("processes", pi, "steps", si, "rework")
        for _sj, other, other_steps in loops[:i]:
            crossing = steps & other_steps
            if crossing and not (steps <= other_steps or other_steps <= steps):
                out.append(
                    smap.diagnostic(
                        where,
                        f"the rework loops of '{other}' and '{sid}' overlap without one "
                        f"holding the other (both redo {', '.join(sorted(crossing))})",
                        code="route",
                        hint="make one loop hold the other: go back to the same step or to "
                        "one inside the other loop",
                    )
                )
        rework = process.steps[si].rework
        start = rework.to if rework is not None else sid
        for inside in sorted(steps):
            entering = sorted(p for p in preds[inside] if p not in steps)
            if inside != start and entering:
                ii = next(k for k, s in enumerate(process.steps) if s.step_id == inside)
                out.append(
                    smap.diagnostic(
                        ("processes", pi, "steps", ii),
                        f"step '{inside}' is inside the rework loop of '{sid}' but waits for "
                        f"'{entering[0]}', outside it",
                        code="route",
                        hint=f"a loop is entered at the step it goes back to, '{start}': make "
                        f"'{start}' wait for '{entering[0]}' instead",
                    )
                )
        for outside, waits in preds.items():
            if outside in steps:
                continue
            inner = sorted(p for p in waits if p in steps and p != sid)
            if inner:
                oi = next(k for k, s in enumerate(process.steps) if s.step_id == outside)
                out.append(
                    smap.diagnostic(
                        ("processes", pi, "steps", oi),
                        f"step '{outside}' waits for '{inner[0]}', which the rework of "
                        f"'{sid}' does again",
                        code="route",
                        hint=f"make '{outside}' wait for '{sid}', the loop's last step, or put "
                        "it inside the loop",
                    )
                )
    return out


def _effort_bounds(
    path: tuple[str | int, ...], effort: object, cal: Calendar, smap: SourceMap
) -> list[Diagnostic]:
    """A delay's or a rule effort's durations within the bounds of every duration."""
    from orgflow.units import MAX_DURATION_HOURS, Duration

    out: list[Diagnostic] = []
    for name in ("mean", "min", "likely", "max"):
        value = getattr(effort, name, None)
        if isinstance(value, Duration) and value.hours(cal) > MAX_DURATION_HOURS:
            out.append(
                smap.diagnostic(
                    (*path, name),
                    f"{path[-1]} {name} of {value} is {value.hours(cal):,.0f} working hours, "
                    f"more than the {MAX_DURATION_HOURS:,.0f} hours a duration may be",
                    code="bounds",
                    hint="check the unit (m, h, d, w); see README: Bounds of the format",
                )
            )
    return out
