"""Random routes through a process (issue 13): expected visits, lead time over routes, expected
handoffs, and the monthly demand profile. Pure functions of the process and of per-step figures
the queueing analysis supplies; nothing here knows about people or queues.

A request's route is random when steps are optional (``probability``), end the request
(``stop``), choose among exclusive alternatives (``activity: [a, b], shares``) or send it back
(``rework``). Every figure is an expectation over the routes (README: What the figures mean).

**Structure.** A rework loop (``rework: {to: A}`` on step B) is the set of steps on a path from
A to B; the loader makes loops nest and be entered at A and left at B only. A loop is then one
*block* in its enclosing scope (the process, or the loop around it), and its steps form a scope
of their own, done once per *pass*. Each block has

- ``through``: the probability that, once reached, it does not end the request (no ``stop``
  fires inside it);
- the expected number of executions of each of its steps, once reached.

A block is reached when no block it waits for (directly or not) ends the request: each
block's "would stop" depends on its own draws only, so the probabilities multiply (the first
block in topological order that would stop is always reached). These are the traffic equations
of the route, solved in closed form over the blocks (exact for any such process).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from random import Random

from orgflow.graph import step_predecessors
from orgflow.model import Process
from orgflow.route_checks import ancestors, rework_loop, topological_order
from orgflow.units import Calendar

# --- the route model ---------------------------------------------------------------------


@dataclass(frozen=True)
class Moments:
    """Mean and variance of a time, in working hours."""

    mean: float = 0.0
    var: float = 0.0

    def __add__(self, other: Moments) -> Moments:
        return Moments(self.mean + other.mean, self.var + other.var)


ZERO = Moments()


@dataclass(frozen=True)
class RoutedStep:
    """One step as the routing sees it."""

    id: str
    preds: tuple[str, ...]
    #: (activity, share) of each exclusive alternative; one pair of share 1 otherwise.
    activities: tuple[tuple[str, float], ...]
    probability: float = 1.0
    stop: float = 0.0
    rework_to: str | None = None
    rework_probability: float = 0.0
    rework_max: int | None = None
    #: The external wait before each execution of the step (taken by nobody).
    delay: Moments = ZERO


@dataclass(frozen=True)
class Loop:
    """A rework loop: ``steps`` are done again, from ``start`` to ``end``."""

    start: str
    end: str
    probability: float
    max: int | None
    steps: frozenset[str]


@dataclass
class RouteModel:
    """A process's steps in topological order, their ancestors and rework loops."""

    steps: dict[str, RoutedStep]
    order: list[str]
    before: dict[str, set[str]]
    loops: list[Loop]
    #: The innermost loop holding each step (``None``: the process itself).
    scope_of: dict[str, Loop | None] = field(default_factory=dict)
    #: The loops directly inside each scope.
    children: dict[Loop | None, list[Loop]] = field(default_factory=dict)


def routed_steps(process: Process, cal: Calendar) -> list[RoutedStep]:
    """The steps of ``process`` with their routing and delays (delay moments in hours)."""
    preds = step_predecessors(process)
    out = []
    for step in process.steps:
        delay = ZERO
        if step.delay is not None:
            delay = Moments(step.delay.mean_hours(cal), step.delay.variance_hours(cal))
        rework = step.rework
        out.append(
            RoutedStep(
                id=step.step_id,
                preds=tuple(preds[step.step_id]),
                activities=step.alternatives,
                probability=step.probability,
                stop=step.stop,
                rework_to=None if rework is None else rework.to,
                rework_probability=0.0 if rework is None else rework.probability,
                rework_max=None if rework is None else rework.max,
                delay=delay,
            )
        )
    return out


def route_model(steps: Sequence[RoutedStep]) -> RouteModel:
    """The structure of a loader-checked process (acyclic, loops nested, entered at their
    start and left at their end)."""
    by_id = {s.id: s for s in steps}
    preds = {s.id: list(s.preds) for s in steps}
    order = topological_order(preds)
    if order is None:
        raise ValueError("the steps wait for each other in a cycle or for unknown steps")
    before = ancestors(preds, order)
    loops = [
        Loop(s.rework_to, s.id, s.rework_probability, s.rework_max, frozenset())
        for s in steps
        if s.rework_to is not None
    ]
    loops = [
        Loop(
            lp.start,
            lp.end,
            lp.probability,
            lp.max,
            frozenset(rework_loop(lp.start, lp.end, before)),
        )
        for lp in loops
    ]
    loops.sort(key=lambda lp: len(lp.steps))  # inner loops first
    model = RouteModel(by_id, order, before, loops)
    for sid in order:
        model.scope_of[sid] = next((lp for lp in loops if sid in lp.steps), None)
    model.children = {None: []}
    for lp in loops:
        model.children.setdefault(lp, [])
    for i, lp in enumerate(loops):
        parent = next((o for o in loops[i + 1 :] if lp.steps < o.steps), None)
        model.children[parent].append(lp)
    return model


# --- blocks and the number of passes ------------------------------------------------------


def passes(r: float, max_loops: int | None) -> Moments:
    """Mean and variance of the number of passes K through a loop whose every pass goes back
    with probability ``r``, at most ``max_loops`` times: P(K > k) = r^k for k <= max.

    >>> passes(0.5, None)  # geometric: mean 1 / (1 - r) = 2, variance r / (1 - r)^2 = 2
    Moments(mean=2.0, var=2.0)
    >>> passes(0.5, 1)  # 1 or 2 passes, half and half: mean 1.5, variance 0.25
    Moments(mean=1.5, var=0.25)
    """
    if max_loops is None:
        if r >= 1:
            return Moments(math.inf, math.inf)
        return Moments(1 / (1 - r), r / (1 - r) ** 2)
    mean = sum(r**k for k in range(max_loops + 1))
    second = sum((2 * k + 1) * r**k for k in range(max_loops + 1))  # E[K^2] = sum (2k+1) P(K>k)
    return Moments(mean, second - mean * mean)


@dataclass
class _Scope:
    """One pass of a scope: each step's expected executions, each block's reach."""

    executions: dict[str, float]
    reach: dict[str, float]  # per block entry step: probability the block is reached


@dataclass
class _LoopFigures:
    passes: Moments
    through: float
    per_pass: _Scope


def _blocks(model: RouteModel, scope: Loop | None) -> list[tuple[str, Loop | None]]:
    """The blocks directly in ``scope``, in topological order, as (entry step, loop or None
    for a single step)."""
    out: list[tuple[str, Loop | None]] = []
    inner = model.children[scope]
    for sid in model.order:
        if scope is not None and sid not in scope.steps:
            continue
        holder = next((lp for lp in inner if sid in lp.steps), None)
        if holder is None:
            if model.scope_of[sid] is scope:
                out.append((sid, None))
        elif sid == holder.start:
            out.append((sid, holder))
    return out


def _solve(model: RouteModel) -> tuple[_Scope, dict[Loop, _LoopFigures]]:
    loops: dict[Loop, _LoopFigures] = {}
    for lp in model.loops:  # inner loops first
        per_pass = _scope(model, lp, loops)
        end = model.steps[lp.end]
        u = per_pass.reach[lp.end]
        q = end.probability
        r = u * q * lp.probability
        k = passes(r, lp.max)
        cont = u * (1 - q) + u * q * (1 - lp.probability - end.stop)
        last = u * (1 - q) + u * q * (1 - end.stop)
        if lp.max is None:
            through = cont / (1 - r) if r < 1 else 0.0
        else:
            through = sum(r**i for i in range(lp.max)) * cont + r**lp.max * last
        loops[lp] = _LoopFigures(k, through, per_pass)
    return _scope(model, None, loops), loops


def _scope(model: RouteModel, scope: Loop | None, loops: dict[Loop, _LoopFigures]) -> _Scope:
    blocks = _blocks(model, scope)
    through: dict[str, float] = {}
    block_of: dict[str, str] = {}
    for entry, lp in blocks:
        for sid in lp.steps if lp is not None else (entry,):
            block_of[sid] = entry
    executions: dict[str, float] = {}
    reach: dict[str, float] = {}
    for entry, lp in blocks:
        waits = {block_of[a] for a in model.before[entry] if a in block_of}
        reached = math.prod(through[b] for b in waits)
        reach[entry] = reached
        if lp is None:
            step = model.steps[entry]
            executions[entry] = reached * step.probability
            own_stop = 0.0 if scope is not None and entry == scope.end else step.stop
            through[entry] = 1 - step.probability * own_stop
        else:
            figures = loops[lp]
            for sid, n in figures.per_pass.executions.items():
                executions[sid] = reached * figures.passes.mean * n
            through[entry] = figures.through
    return _Scope(executions, reach)


@dataclass(frozen=True)
class Visits:
    """Expected executions per request: of each step, and of each (step, activity)."""

    steps: dict[str, float]
    activities: dict[tuple[str, str], float]


def expected_visits(steps: Sequence[RoutedStep]) -> Visits:
    """Expected executions of each step per request: the traffic equations of the route.

    >>> a = RoutedStep("a", (), (("a", 1.0),), rework_to="a", rework_probability=0.5)
    >>> expected_visits([a]).steps  # a geometric number of passes: 1 / (1 - 0.5)
    {'a': 2.0}
    """
    model = route_model(steps)
    top, _ = _solve(model)
    per_step = {sid: top.executions[sid] for sid in model.order}
    per_activity = {
        (sid, activity): n * share
        for sid, n in per_step.items()
        for activity, share in model.steps[sid].activities
    }
    return Visits(per_step, per_activity)


# --- lead time over routes ---------------------------------------------------------------


def _phi(x: float) -> float:
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def _cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


def clark_max_normal(
    mean1: float, var1: float, mean2: float, var2: float, cov: float = 0.0
) -> tuple[float, float, float]:
    """Clark (1961): mean and variance of max(X, Y) for jointly normal X, Y, and the weight
    Phi(alpha) of X in its linear part (cov(max, Z) = w cov(X, Z) + (1 - w) cov(Y, Z)).

    a^2 = var1 + var2 - 2 cov, alpha = (mean1 - mean2) / a,
    E[max] = mean1 Phi(alpha) + mean2 Phi(-alpha) + a phi(alpha),
    E[max^2] = (mean1^2 + var1) Phi(alpha) + (mean2^2 + var2) Phi(-alpha)
               + (mean1 + mean2) a phi(alpha).

    Examples
    --------
    >>> m, v, w = clark_max_normal(0.0, 1.0, 0.0, 1.0)  # E[max of two N(0,1)] = 1/sqrt(pi)
    >>> round(m, 6), round(v, 6), w
    (0.56419, 0.68169, 0.5)
    """
    if math.isinf(mean1) or math.isinf(mean2):
        return math.inf, math.inf, 1.0 if math.isinf(mean1) else 0.0
    a2 = var1 + var2 - 2 * cov
    if a2 <= 1e-18 * max(1.0, mean1 * mean1, mean2 * mean2):
        return (mean1, var1, 1.0) if mean1 >= mean2 else (mean2, var2, 0.0)
    a = math.sqrt(a2)
    alpha = (mean1 - mean2) / a
    p, q, d = _cdf(alpha), _cdf(-alpha), _phi(alpha)
    m = mean1 * p + mean2 * q + a * d
    m2 = (mean1 * mean1 + var1) * p + (mean2 * mean2 + var2) * q + (mean1 + mean2) * a * d
    return m, max(m2 - m * m, 0.0), p


def clark_max(a: Moments, b: Moments) -> Moments:
    """Mean and variance of the maximum of two independent normal times (Clark 1961).

    >>> m = clark_max(Moments(0, 1), Moments(0, 1))  # E max = 1/sqrt(pi) = 0.5642
    >>> round(m.mean, 4), round(m.var, 4)  # Var = 1 - 1/pi = 0.6817
    (0.5642, 0.6817)
    """
    mean, var, _weight = clark_max_normal(a.mean, a.var, b.mean, b.var)
    return Moments(mean, var)


def _mixture(pairs: Sequence[tuple[float, Moments]]) -> Moments:
    """Moments of a time that is each ``Moments`` with its probability, else 0."""
    mean = sum(p * m.mean for p, m in pairs)
    second = sum(p * (m.var + m.mean**2) for p, m in pairs)
    return Moments(mean, max(second - mean * mean, 0.0))


StepTime = Callable[[str, str], Moments]


def lead_time(steps: Sequence[RoutedStep], step_time: StepTime) -> Moments:
    """Mean (and variance) of the lead time over the routes a request takes.

    ``step_time(step, activity)`` is the time one execution of that alternative takes at the
    office (waits, work, handoff latency); each step's ``delay`` is added before it. A step
    done with probability P adds its time with probability P (a mixture); a loop adds the sum
    of a random number K of passes (mean E[K] E[T], Wald; variance E[K] Var T + Var K E[T]^2);
    alternatives mix by their shares. Parallel branches join with :func:`clark_max`. The mean
    is exact for a process without parallel branches (a sum of expectations); with them, the
    branches are taken as independent normal times, as Clark's method does.
    """
    model = route_model(steps)
    top, loops = _solve(model)
    return _scope_time(model, None, top, loops, step_time)


def _scope_time(
    model: RouteModel,
    scope: Loop | None,
    figures: _Scope,
    loops: dict[Loop, _LoopFigures],
    step_time: StepTime,
) -> Moments:
    blocks = _blocks(model, scope)
    block_of: dict[str, str] = {}
    for entry, lp in blocks:
        for sid in lp.steps if lp is not None else (entry,):
            block_of[sid] = entry
    done: dict[str, Moments] = {}
    has_successor: set[str] = set()
    for entry, lp in blocks:
        first = model.steps[entry]
        start: Moments | None = None
        for pred in first.preds:
            if pred in block_of:
                pb = block_of[pred]
                has_successor.add(pb)
                start = done[pb] if start is None else clark_max(start, done[pb])
        start = start or ZERO
        if lp is None:
            step = model.steps[entry]
            work = _mixture([(share, step_time(entry, a)) for a, share in step.activities])
            took = _mixture([(figures.executions[entry], step.delay + work)])
        else:
            inner = loops[lp]
            per_pass = _scope_time(model, lp, inner.per_pass, loops, step_time)
            k = inner.passes
            total = Moments(
                k.mean * per_pass.mean, k.mean * per_pass.var + k.var * per_pass.mean**2
            )
            took = _mixture([(figures.reach[entry], total)])
        done[entry] = start + took
    ends = [done[e] for e, _ in blocks if e not in has_successor]
    result = ends[0]
    for other in ends[1:]:
        result = clark_max(result, other)
    return result


def external_part(steps: Sequence[RoutedStep], step_time: StepTime) -> float:
    """The *external* part of the mean lead time: the lead time minus the lead time of the
    same process with every delay 0 (with the same office times)."""
    without = [
        RoutedStep(
            s.id,
            s.preds,
            s.activities,
            s.probability,
            s.stop,
            s.rework_to,
            s.rework_probability,
            s.rework_max,
            ZERO,
        )
        for s in steps
    ]
    return lead_time(steps, step_time).mean - lead_time(without, step_time).mean


# --- handoffs -----------------------------------------------------------------------------


def pool_change_probability(present_capacities: Sequence[float]) -> float:
    """Probability that the next step at a ``pickup: any`` pool goes to another member than
    the one who did the step before: members take work in proportion to their present
    capacity pi_j, independently from step to step, so the same one takes both with
    probability sum pi_j^2.

    >>> pool_change_probability([40, 40, 40])  # (n - 1) / n for n equal members
    0.6666666666666667
    """
    total = sum(present_capacities)
    if total <= 0:
        return 0.0
    return 1 - sum((c / total) ** 2 for c in present_capacities)


#: ``desk(step, activity)``: the desk doing that alternative of the step on this route.
Desk = Callable[[str, str], str]
#: ``same_desk_change(desk)``: probability a person changes between two consecutive steps at
#: the same desk (0 for a chain's primary or a ``pickup: same`` pool).
SameDeskChange = Callable[[str], float]


def _done_given_later(
    s: RoutedStep, loop_of_end: Mapping[str, Loop], solved: Mapping[Loop, _LoopFigures]
) -> float:
    """Probability ``s`` was done (on its last pass), given a step after it was reached:
    ``s`` did not end the request, nor go back. q(1 - st) / (1 - q st) for a step; for a
    loop's last step, over the passes k the loop may leave on, each reached with
    probability r^k: sum r^k u q (1 - p - st) (the last pass: 1 - st) over sum r^k
    (u (1 - q) + u q (1 - p - st))."""
    q, st = s.probability, s.stop
    lp = loop_of_end.get(s.id)
    if lp is None:
        return q * (1 - st) / (1 - q * st) if q * st < 1 else 0.0
    u = solved[lp].per_pass.reach[lp.end]
    r = u * q * lp.probability
    on_done, on_skip = u * q * (1 - lp.probability - st), u * (1 - q)
    if lp.max is None:
        total = on_done + on_skip
        return on_done / total if total > 0 else 0.0
    weights = [r**k for k in range(lp.max)]
    last = r**lp.max
    done = sum(weights) * on_done + last * u * q * (1 - st)
    total = done + (sum(weights) + last) * on_skip
    return done / total if total > 0 else 0.0


def expected_handoffs(
    steps: Sequence[RoutedStep], desk: Desk, same_desk_change: SameDeskChange
) -> float:
    """Expected handoffs per request: over the precedence edges a request takes, the
    probability that the person changes (another desk: 1; the same desk: ``same_desk_change``).

    A skipped step passes the request on from the steps it waits for; a step gone back to by a
    rework receives the request from the loop's last step on every pass after the first. Given
    a step is done, each step it waits for was done with probability q(1 - s)/(1 - q s) (q its
    probability, s its stop: it did not end the request).
    """
    model = route_model(steps)
    visits = expected_visits(steps).steps
    loops_by_start: dict[str, list[Loop]] = {}
    for lp in model.loops:  # inner loops first
        loops_by_start.setdefault(lp.start, []).append(lp)
    solved = _solve(model)[1]
    k_mean = {lp: solved[lp].passes.mean for lp in model.loops}

    def change(a: str, b: str) -> float:
        return 1.0 if a != b else same_desk_change(a)

    def desks(sid: str) -> list[tuple[str, float]]:
        return [(desk(sid, a), share) for a, share in model.steps[sid].activities]

    def sources(s: RoutedStep) -> list[tuple[str, float, bool]]:
        """Where a request reaching ``s`` comes from: (step, weight, surely done). For the
        start of loops: the innermost loop's end on its passes after the first ((E[K] - 1) /
        E[K] of the executions; that end was done, or there would be no loop back), the next
        loop's end on the rest of its passes, and so on; the steps it waits for on the very
        first pass."""
        out: list[tuple[str, float, bool]] = []
        rest = 1.0
        for lp in loops_by_start.get(s.id, []):  # inner loops first
            k = k_mean[lp]
            out.append((lp.end, rest * (1 - 1 / k), True))
            rest /= k
        return out + [(p, rest, False) for p in s.preds]

    loop_of_end = {lp.end: lp for lp in model.loops}

    def done_given_later(s: RoutedStep) -> float:
        return _done_given_later(s, loop_of_end, solved)

    def here(sid: str, to_desk: str) -> float:
        return sum(share * change(d, to_desk) for d, share in desks(sid))

    def from_steps(to_desk: str) -> dict[str, float]:
        """f(x): expected person changes into ``to_desk`` from step x, or, if x was skipped,
        from where x would have received the request: f = done here + (1 - done) sum w f,
        a linear system (skipped steps around a loop refer to each other), solved by
        iteration (each way round multiplies by a skip probability below 1)."""
        f = dict.fromkeys(model.order, 0.0)
        for _ in range(10_000):
            moved = 0.0
            for sid in model.order:
                s = model.steps[sid]
                done = done_given_later(s)
                passed = sum(w * (here(p, to_desk) if sure else f[p]) for p, w, sure in sources(s))
                value = done * here(sid, to_desk) + (1 - done) * passed
                moved = max(moved, abs(value - f[sid]))
                f[sid] = value
            if moved < 1e-13:
                break
        return f

    cache: dict[str, dict[str, float]] = {}
    total = 0.0
    for sid in model.order:
        if visits[sid] == 0:
            continue
        for to_desk, share in desks(sid):
            if to_desk not in cache:
                cache[to_desk] = from_steps(to_desk)
            f = cache[to_desk]
            received = sum(
                w * (here(p, to_desk) if sure else f[p]) for p, w, sure in sources(model.steps[sid])
            )
            total += visits[sid] * share * received
    return total


# --- one request's route, drawn ------------------------------------------------------------


@dataclass(frozen=True)
class Execution:
    """One execution of a step on a drawn route: the alternative done and the executions it
    waits for (indices into the route)."""

    step: str
    activity: str
    waits_for: tuple[int, ...]


@dataclass
class _Drawn:
    """A block's outcome on one route: the executions a step after it waits for, whether it
    ended the request, whether a step before it did."""

    exits: tuple[int, ...]
    stopped: bool = False
    dead: bool = False
    done: bool = False  # a step block: the step was done (not skipped)


def draw_route(model: RouteModel, rng: Random) -> list[Execution]:
    """The steps one request does, drawn with ``rng`` (each step's ``probability`` and
    ``stop``, the alternatives' shares, the reworks), in an order where each execution comes
    after the ones it waits for. A skipped step passes on what it waited for; a loop's
    passes after the first wait for the previous pass's last execution. The engines draw a
    request's route at its arrival; this is also the Monte Carlo reference of the expected
    figures above.
    """
    route: list[Execution] = []
    _draw_scope(model, None, (), rng, route)
    return route


def _draw_scope(
    model: RouteModel,
    scope: Loop | None,
    entry: tuple[int, ...],
    rng: Random,
    route: list[Execution],
) -> dict[str, _Drawn]:
    blocks = _blocks(model, scope)
    block_of: dict[str, str] = {}
    for first, lp in blocks:
        for sid in lp.steps if lp is not None else (first,):
            block_of[sid] = first
    out: dict[str, _Drawn] = {}
    for first, lp in blocks:
        before = [out[block_of[p]] for p in model.steps[first].preds if p in block_of]
        waits: tuple[int, ...] = tuple(dict.fromkeys(i for b in before for i in b.exits))
        if not before:
            waits = entry
        dead = any(b.dead or b.stopped for b in before)
        if dead:
            out[first] = _Drawn((), dead=True)
        elif lp is None:
            out[first] = _draw_step(model.steps[first], waits, rng, route, scope)
        else:
            out[first] = _draw_loop(model, lp, waits, rng, route)
    return out


def _draw_step(
    step: RoutedStep,
    waits: tuple[int, ...],
    rng: Random,
    route: list[Execution],
    scope: Loop | None,
) -> _Drawn:
    if rng.random() >= step.probability:
        return _Drawn(waits)  # skipped: passes on what it waited for
    activity = step.activities[-1][0]
    u = rng.random()
    for name, share in step.activities:
        if u < share:
            activity = name
            break
        u -= share
    route.append(Execution(step.id, activity, waits))
    # A loop's last step draws its stop together with its rework, in the loop.
    stops = scope is None or step.id != scope.end
    return _Drawn((len(route) - 1,), stopped=stops and rng.random() < step.stop, done=True)


def _draw_loop(
    model: RouteModel, lp: Loop, waits: tuple[int, ...], rng: Random, route: list[Execution]
) -> _Drawn:
    end = model.steps[lp.end]
    loops = 0
    while True:
        inner = _draw_scope(model, lp, waits, rng, route)
        last = inner[next(e for e, _ in reversed(_blocks(model, lp)))]
        if last.dead or last.stopped:
            return _Drawn((), stopped=True)
        if not last.done:
            return _Drawn(last.exits)  # the last step was skipped: the loop ends
        u = rng.random()
        if lp.max is None or loops < lp.max:
            if u < lp.probability:
                loops += 1
                waits = last.exits
                continue
            return _Drawn(last.exits, stopped=u < lp.probability + end.stop)
        return _Drawn(last.exits, stopped=u < end.stop)  # no loop left: stop or go on


# --- monthly demand ----------------------------------------------------------------------

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class MonthPeak:
    """The busiest month: its number (1 to 12), name and multiplier of the average rate."""

    month: int
    name: str
    factor: float


def busiest_month(factors: Sequence[float]) -> MonthPeak:
    """The month with the highest multiplier (the first, on a tie).

    >>> busiest_month([2.0, 1.4, 1, 1, 1, 1, 1, 0.6, 1, 0.6, 0.8, 0.6])
    MonthPeak(month=1, name='January', factor=2.0)
    """
    i = max(range(12), key=lambda m: (factors[m], -m))
    return MonthPeak(i + 1, MONTH_NAMES[i], float(factors[i]))


def overloaded_only_in(peak: float, utilizations: Mapping[str, float]) -> list[str]:
    """The people below 100% utilization on average who reach it when the rate is multiplied
    by ``peak`` (a month's utilization is the average one times its multiplier)."""
    return sorted(p for p, u in utilizations.items() if u < 1 <= u * peak)


def month_starts(start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    """The dates from which each calendar month's multiplier applies between ``start`` and
    ``end``: (``start``, its month), then the first of every following month before ``end``.

    >>> [(d.isoformat(), m) for d, m in month_starts(dt.date(2026, 1, 20), dt.date(2026, 3, 2))]
    [('2026-01-20', 1), ('2026-02-01', 2), ('2026-03-01', 3)]
    """
    out = [(start, start.month)]
    year, month = start.year, start.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        first = dt.date(year, month, 1)
        if first >= end:
            return out
        out.append((first, month))
