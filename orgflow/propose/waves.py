"""The migration plan of a proposal: waves of customer moves that keep everyone's load under
the limit while they learn (issue 15).

A **move** hands one customer's non-specialist work from the people who do it today to its
proposed desk (a primary with backups, or a pod), each person their expected share as
``analyze`` counts it; customers whose work stays with the same people do not move. The moves
are grouped into **waves**, one after the other. During wave k each person's load (hours per
week) is

    today's load
    - the work today's people do for the customers moved in waves 1..k (handed over)
    + the work of those customers at their new primary: at the learning pace in a skill the
      primary learns in wave k, at the trained effort in a skill they had or learnt in an
      earlier wave,

so today's work is still held until it is handed over and new work is slow while it is being
learnt. A wave in which someone learns a skill lasts ``training_weeks`` (the time a new skill
takes to reach the trained pace); one without new skills lasts :data:`HANDOVER_WEEKS`. Its
**training hours** are the hours of work in skills new in that wave over the wave (weekly
hours at the trained effort x weeks).

Waves are filled largest move first: a move joins the current wave when nobody whose load it
raises goes over ``limit`` of their present capacity (people over the limit today may only go
down); moves that do not fit wait for the next wave. When no single move fits, all the moves
left make one wave if they fit together (a cycle: a hands over to b, b to c, c to a); else the
move raising its busiest person least gets a wave of its own, and a note says who goes over.
Specialist desks stay as today (specialist work does not move).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgflow.assign import Owners
    from orgflow.office import Office
    from orgflow.propose.balance import Unit

#: Weeks a wave without new skills takes: the handover of its customers.
HANDOVER_WEEKS = 1.0


@dataclass(frozen=True)
class Move:
    """One customer handed over: from its account owner today to its proposed primary."""

    customer: str
    source: str | None  # today's account owner (JSON ``from``)
    target: str  # the primary: a person or a pod (``a+b``)
    hours: float  # hours/week of the customer's work at the new primary, trained


@dataclass(frozen=True)
class Wave:
    wave: int  # 1, 2, ...
    moves: tuple[Move, ...]
    training_hours: float  # hours of work in skills new in this wave, over the wave
    weeks: float
    highest_utilization: float  # the busiest person during the wave (learning counted)
    busiest: str | None

    @property
    def customers(self) -> tuple[str, ...]:
        return tuple(m.customer for m in self.moves)


@dataclass(frozen=True)
class Handover:
    """What :func:`plan_waves` needs of one customer: the hours per week each person does for
    it today, and per member of its new primary the hours per week per skill (trained)."""

    customer: str
    source: str | None
    target: str
    today: Mapping[str, float]
    new: Mapping[str, Mapping[str, float]]  # person -> skill -> hours/week

    @property
    def moves(self) -> bool:
        """Whether any of the work changes hands."""
        stay = {p: sum(h.values()) for p, h in self.new.items()}
        return any(h > 1e-9 and p not in stay for p, h in self.today.items()) or any(
            abs(h - self.today.get(p, 0.0)) > 1e-9 for p, h in stay.items()
        )


def plan_waves(
    handovers: Sequence[Handover],
    load: Mapping[str, float],
    capacity: Mapping[str, float],
    skills: Mapping[str, frozenset[str]],
    *,
    limit: float,
    pace: float,
    training_weeks: float,
) -> tuple[list[Wave], list[str]]:
    """Group the handovers into waves that keep everyone under ``limit`` while learning.

    Parameters
    ----------
    handovers
        The customers to hand over (those whose work does not change hands are skipped).
    load
        Each person's hours per week today (people not there today: 0).
    capacity
        Each person's present capacity, hours per week.
    skills
        Each person's skills today.
    limit, pace, training_weeks
        ``--max-utilization``, ``--learning-pace`` and the weeks a new skill takes.

    Returns
    -------
    (waves, notes)
        The waves in order, and a note naming the waves that raise someone over the limit.

    Examples
    --------
    ann (40 h, at 30 h today of which 20 h for x) hands x to bob (40 h, idle), who lacks its
    skill g: during the wave bob works 20 x 1.25 = 25 h, 25 / 40 = 62.5%; ann 10 h; the wave
    lasts the 4 training weeks, 20 h x 4 = 80 h of work in the new skill.

    >>> x = Handover("x", "ann", "bob", {"ann": 20.0}, {"bob": {"g": 20.0}})
    >>> waves, _ = plan_waves([x], {"ann": 30.0}, {"ann": 40.0, "bob": 40.0},
    ...     {"ann": frozenset({"g"}), "bob": frozenset()}, limit=0.85, pace=1.25,
    ...     training_weeks=4)
    >>> waves[0].highest_utilization, waves[0].training_hours, waves[0].weeks
    (0.625, 80.0, 4)
    """
    current = {p: load.get(p, 0.0) for p in set(load) | set(capacity)}
    learnt = {p: set(s) for p, s in skills.items()}
    pending = sorted(
        (h for h in handovers if h.moves),
        key=lambda h: -sum(sum(s.values()) for s in h.new.values()),
    )
    waves: list[Wave] = []
    overs: list[tuple[float, int, str]] = []  # (utilization, wave, person) over the limit
    while pending:
        during, learning, taken = _fill(current, pending, learnt, capacity, limit, pace)
        gone = {id(h) for h in taken}
        pending = [h for h in pending if id(h) not in gone]
        busiest = max(during, key=lambda p: (_utilization(capacity, p, during[p]), p), default=None)
        highest = _utilization(capacity, busiest, during[busiest]) if busiest is not None else 0.0
        weeks = training_weeks if any(learning.values()) else HANDOVER_WEEKS
        new_hours = sum(
            hours
            for h in taken
            for person, by_skill in h.new.items()
            for skill, hours in by_skill.items()
            if skill in learning.get(person, set())
        )
        moves = tuple(
            Move(h.customer, h.source, h.target, sum(sum(s.values()) for s in h.new.values()))
            for h in taken
        )
        waves.append(Wave(len(waves) + 1, moves, new_hours * weeks, weeks, highest, busiest))
        raised = [p for p in during if during[p] > current.get(p, 0.0) + 1e-9]
        over = max(raised, key=lambda p: (_utilization(capacity, p, during[p]), p), default=None)
        if over is not None and _utilization(capacity, over, during[over]) > limit + 1e-9:
            overs.append((_utilization(capacity, over, during[over]), len(waves), over))
        # After the wave its skills are learnt: its work counts at the trained effort.
        for h in taken:
            for person, by_skill in h.new.items():
                current[person] = current.get(person, 0.0) + sum(by_skill.values())
            for person, hours in h.today.items():
                current[person] = current.get(person, 0.0) - hours
        for person, new in learning.items():
            learnt.setdefault(person, set()).update(new)
    notes = []
    if overs:
        worst, wave, person = max(overs, key=lambda o: (o[0], -o[1]))
        notes.append(
            f"{'wave' if len(overs) == 1 else f'{len(overs)} waves'} "
            f"{', '.join(str(o[1]) for o in overs[:5])}{' ...' if len(overs) > 5 else ''} "
            f"{'puts' if len(overs) == 1 else 'put'} someone over the {limit:.0%} limit while "
            f"learning (moves that fit under it in no wave); the worst: wave {wave}, {person} "
            f"at {worst:.0%}"
        )
    return waves, notes


def _utilization(capacity: Mapping[str, float], person: str, hours: float) -> float:
    cap = capacity.get(person, 0.0)
    return hours / cap if cap > 0 else (0.0 if hours <= 1e-9 else float("inf"))


def _delta(h: Handover, learnt: Mapping[str, set[str]], pace: float) -> dict[str, float]:
    """How ``h`` changes each of its people's load in the wave (learning counted)."""
    out: dict[str, float] = {}
    for person, hours in h.today.items():
        out[person] = out.get(person, 0.0) - hours
    for person, by_skill in h.new.items():
        known = learnt.get(person, set())
        out[person] = out.get(person, 0.0) + sum(
            hours * (1.0 if skill in known else pace) for skill, hours in by_skill.items()
        )
    return out


def _worst_raised(
    during: Mapping[str, float], delta: Mapping[str, float], capacity: Mapping[str, float]
) -> float:
    """The highest utilization, with ``delta``, among the people whose load it raises."""
    return max(
        (_utilization(capacity, p, during.get(p, 0.0) + d) for p, d in delta.items() if d > 1e-9),
        default=0.0,
    )


def _apply(during: dict[str, float], delta: Mapping[str, float]) -> None:
    for p, d in delta.items():
        during[p] = during.get(p, 0.0) + d


def _fill(
    current: Mapping[str, float],
    pending: Sequence[Handover],
    learnt: Mapping[str, set[str]],
    capacity: Mapping[str, float],
    limit: float,
    pace: float,
) -> tuple[dict[str, float], dict[str, set[str]], list[Handover]]:
    """One wave: its loads while learning, the skills learnt in it, the handovers it takes."""
    during = dict(current)
    learning: dict[str, set[str]] = {}
    taken: list[int] = []
    left = list(range(len(pending)))
    for _scan in range(3):  # a move that relieves someone may let an earlier one in
        kept = []
        for i in left:
            delta = _delta(pending[i], learnt, pace)
            if _worst_raised(during, delta, capacity) <= limit + 1e-9:
                _apply(during, delta)
                _learn(pending[i], learnt, learning)
                taken.append(i)
            else:
                kept.append(i)
        if len(kept) == len(left):
            break
        left = kept
    if taken:
        return during, learning, [pending[i] for i in taken]
    # No single move fits; moves in a cycle (a to b, b to c, c to a) fit only together: all
    # of them at once, if that fits.
    total: dict[str, float] = {}
    for h in pending:
        for p, d in _delta(h, learnt, pace).items():
            total[p] = total.get(p, 0.0) + d
        _learn(h, learnt, learning)
    if _worst_raised(during, total, capacity) <= limit + 1e-9:
        _apply(during, total)
        return during, learning, list(pending)
    # Nothing fits: the move that raises its busiest person least goes alone.
    learning = {}
    h = min(pending, key=lambda h: _worst_raised(during, _delta(h, learnt, pace), capacity))
    _apply(during, _delta(h, learnt, pace))
    _learn(h, learnt, learning)
    return during, learning, [h]


def _learn(h: Handover, learnt: Mapping[str, set[str]], learning: dict[str, set[str]]) -> None:
    """Record the skills ``h`` makes its new people learn in this wave."""
    for person, by_skill in h.new.items():
        known = learnt.get(person, set())
        learning.setdefault(person, set()).update(s for s in by_skill if s not in known)


def handovers(
    office: Office,
    units: Sequence[Unit],
    primary_of: Mapping[str, str],
    owners_of: Mapping[str, Owners],
    proposed: Office,
) -> list[Handover]:
    """Each placed customer's handover: who does its non-specialist work today (hours per
    week at today's efforts, each person's expected share of their desk), and who will do it:
    the new desk's people (``owners_of`` server: a primary and backups, or a pod's pool), each
    their expected share (:func:`orgflow.analysis.workload.member_shares`, with ``proposed``'s
    availabilities) of the unit's hours on the primary (or pod), by skill.

    ``units`` are the plan's customers (:func:`orgflow.propose.plan._units`), ``primary_of``
    customer -> server."""
    from orgflow.analysis.workload import member_shares

    org = office.org
    skill_of = {a.id: a.skill_id for a in org.activities}
    effort: dict[tuple[Owners, str], float] = {}  # both asked once per desk
    shares: dict[Owners, list[tuple[str, float]]] = {}
    out = []
    for unit in units:
        if unit.id not in primary_of:
            continue
        today: dict[str, float] = {}
        for route, per_week in office.routes.by_customer.get(unit.id, []):
            for s in route.steps:
                for activity, share, owners in s.doings:
                    if activity not in unit.hours:
                        continue  # specialist work stays where it is
                    if (owners, activity) not in effort:
                        effort[owners, activity] = office.effort_of(owners, activity)[0]
                    if owners not in shares:
                        shares[owners] = member_shares(
                            owners, office.availability, office.present_capacity
                        )
                    hours = per_week * s.visits * share * effort[owners, activity]
                    for person, cut in shares[owners]:
                        today[person] = today.get(person, 0.0) + hours * cut
        desk = owners_of[primary_of[unit.id]]
        members = desk.people if desk.pool else desk.people[:1]
        cuts = member_shares(desk, proposed.availability, proposed.present_capacity)
        new: dict[str, dict[str, float]] = {}
        for activity, hours in unit.hours_on(members).items():
            for person, cut in cuts:
                by_skill = new.setdefault(person, {})
                skill = skill_of[activity]
                by_skill[skill] = by_skill.get(skill, 0.0) + hours * cut
        source = unit.incumbents[0] if unit.incumbents else None
        out.append(Handover(unit.id, source, primary_of[unit.id], today, new))
    return out
