"""The event engine compiled with numba: the same rules, the same events in the same order and
the same arithmetic as :class:`orgflow.simulate.events.EventRun`, so the same figures to the
last bit (tested), at a fraction of a microsecond per event instead of several.

The kernel is plain Python on numpy arrays, compiled one of two ways (:func:`compile_kernel`):

- ahead of time, at install: ``setup.py`` builds it with numba.pycc (:func:`aot_compiler`) into
  the extension ``orgflow.simulate._kernel_aot`` (its entry points :data:`ENTRY_POINTS`, and the
  digest of this file it was built from): a run imports neither numba nor numba's cache, so a
  few milliseconds instead of about half a second. Used when present and built from this very
  text (``ORGFLOW_NO_AOT`` set: never);
- else at first use, each function wrapped with ``numba.njit(cache=True)`` (the machine code is
  cached on disk next to this file, or in numba's user cache when that is not writable, or
  ``NUMBA_CACHE_DIR``).

Both without reference counting (``_nrt=False``: the kernel allocates nothing, every array is
the caller's; counting the references of every array of the state at every call doubled the
time of a run); built ahead of time, with the functions an event calls inlined
(:data:`INLINED`). numba is in the build requirements and an optional extra (``pip install
'orgflow[fast]'``); without the extension and numba, for runs shorter than
:data:`SMALL_RUN_BUILT` or :data:`SMALL_RUN` steps, or with ``ORGFLOW_NO_KERNEL`` set, the event
engine runs as :class:`~orgflow.simulate.events.EventRun`. A change of the rules goes into both:
``tests/simulate/test_kernel.py`` holds them to identical figures.

State, all in arrays (no object per request, per event or per queued item):

- the event heap: parallel arrays of time, key (kind << 58 | sequence: equal times in the order
  of the kinds, then in the order the events were made, as the Python engine's tuples), two
  integers and a float;
- people (``pf``: floats, ``pi``: integers, one row a person), pools (``pq``);
- requests in flight: slots of fixed width (the longest route), taken at arrival and given
  back at completion, with per step the effort, touch, queueing, handoff, absence, end and
  the predecessors still to finish;
- items waiting in a queue: records linked into FIFO lists (a person's queue, the list of
  items waiting for their return, a pool's queue), reused from a free list.

The Python side (:class:`KernelRun`) draws the arrivals and their efforts per window of 8,192
from the same numpy streams as the Python engine, grows an array when the kernel says it is
full, and keeps the lead-time samples.

Random routes (issue 13's rework loops, ``pickup: any`` pools, alternatives, optional steps,
stops, delays; issue 17): a request's drawn route is a plan of the tables like a route's,
added when first drawn (a rework loop gives one plan per number of passes). On an office
whose random routes are chains (steps one after the other, loops side by side), the routes
are drawn by :func:`draw_chains` from the uniforms of the Python engine's ``random.Random``
(numpy's Mersenne Twister set to its state: the same numbers), their efforts and delays by
numpy per sampler as :meth:`~orgflow.simulate.model.SimOffice.draw_routes` draws them, and a
request's plan is found by a hash of its executions; other offices draw with
:func:`orgflow.routing.draw_route` one request at a time, as the Python engine does. Either
way the same figures as the Python engine.
"""

from __future__ import annotations

import math
import os
from array import array
from collections.abc import Callable
from random import Random
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from orgflow.simulate.streams import CHUNK, arrival_chunks

if TYPE_CHECKING:
    from orgflow.simulate.model import Drawn, RunResult, SimOffice

# Event kinds, as in the Python engine (their order breaks ties at equal times).
ABSENCE_END, SERVICE_END, ABSENCE_START, ARRIVE_AT_DESK, REQUEST = range(5)
KIND_SHIFT = 58
TIE = 1e-9

# What :func:`advance` returns.
DONE, NEED_CHUNK, NEED_SPACE, PROGRESS = range(4)

# Columns of ``pf`` (per person, floats).
(
    REMAINING,
    HAND_MARK,
    AWAY_SINCE,
    BACK_AT,
    AWAY_TOTAL,
    BUSY_SINCE,
    BUSY_TOTAL,
    Q_AREA,
    SNAP_BUSY,
    SNAP_AWAY,
    IDLE_SINCE,
) = range(11)
NPF = 11
# Columns of ``pi`` (per person, integers): three lists are head, tail, length.
(
    PRESENT,
    HAND_REQ,
    HAND_STEP,
    VERSION,
    HELD,
    OWN,
    Q_MAX,
    ITEMS,
    DELAYED,
    Q_HEAD,
    Q_TAIL,
    Q_LEN,
    W_HEAD,
    W_TAIL,
    W_LEN,
) = range(15)
NPI = 15
# Columns of ``pq`` (per pool).
PQ_HEAD, PQ_TAIL, PQ_LEN, PQ_HELD = range(4)
# Planes of ``rs`` (per request slot, per step): ``DELAY`` is the external delay before the
# step (issue 13's random routes; 0 elsewhere).
WORK, TOUCH, WAIT, HAND, AWAY, END, DELAY = range(7)
NPLANES = 7
# Columns of ``ri`` (per request slot).
ROUTE, CUSTOMER, COUNTED, NUMBER, LEFT, LAST, PCH, RCH = range(8)
NRI = 8
# Columns of an item: ``it_f`` and ``it_i``.
I_SINCE, I_MARK, I_HELD = range(3)
I_REQ, I_STEP, I_OWN, I_NEXT = range(4)
# Scalars: ``sc_i``.
(
    SEQ,
    HEAP_N,
    OPENED,
    FINISHED,
    COMPLETED,
    OPEN_AT_WARMUP,
    WARM,
    FREE_N,
    ITEM_FREE,
    ITEMS_FREE_N,
    OUT_N,
    CHUNK_POS,
    CHUNK_N,
    MORE,
    NEED_NEXT,
    PROGRESS_ON,
    MARGIN,
    PERSON_CHANGES,
    ROLE_CHANGES,
) = range(19)
NSCI = 19
# Scalars: ``sc_f``.
NOW, NEXT_TICK, TICK, HORIZON, WARMUP, HANDOFF, PART0 = range(7)
NSCF = PART0 + 5  # touch, queueing, handoff, absence, external delay


class Tables(NamedTuple):
    """The office, as integer-indexed tables of plans (steps numbered across plans:
    ``step_off``). A plan is what a request does: plan ``r`` for ``r`` below the number of
    routes is route ``r``'s (every request of a plain route); then one plan per distinct drawn
    route (issue 13's random routes: the executions a request drew at arrival), added as they
    are first drawn. A request's "route" in the kernel is its plan."""

    speed: Any  # per person
    pof_ptr: Any  # pools of a person: pof_idx[pof_ptr[p]:pof_ptr[p + 1]]
    pof_idx: Any
    pm_ptr: Any  # members of a pool
    pm_idx: Any
    pm_share: Any  # each pool member's share (floats; 0 in a pool without shares)
    step_off: Any  # route -> its first step's number
    st_pool: Any  # step -> pool, or -1 for a chain
    st_npreds: Any
    pred_ptr: Any  # step -> its predecessors (steps of the route)
    pred_idx: Any
    nx_ptr: Any  # step -> its successors, and whether each is at the same desk
    nx_step: Any
    nx_same: Any  # continues at once with the same person when they own it
    nx_gap: Any  # the handoff delay when not continued (floats)
    own_ptr: Any  # step -> its owners, in order
    own_idx: Any
    src_ptr: Any  # route -> its first steps
    src_idx: Any
    serial: Any  # route -> whether its steps run one after the other
    choice_route: Any
    choice_customer: Any
    plan_route: Any  # plan -> its route
    role: Any  # person -> their role (issue 14's changes of role)
    st_act: Any  # step -> its activity


class State(NamedTuple):
    """Everything that changes during a run."""

    sc_i: Any
    sc_f: Any
    h_t: Any
    h_key: Any
    h_a: Any
    h_b: Any
    h_x: Any
    pf: Any
    pi: Any
    pq: Any
    rs: Any
    ri: Any
    r_arrival: Any
    r_left: Any
    r_free: Any
    it_f: Any
    it_i: Any
    o_lead: Any
    o_i: Any
    ch_t: Any
    ch_c: Any
    ch_w: Any
    ch_p: Any
    ch_d: Any
    pm_given: Any
    act_n: Any


# -- the state's arrays ------------------------------------------------------------------------
# Regions: (name, rows, columns, integer); a name is a size. ``rs`` has six rows a request slot
# (its planes): ``rs[req * NPLANES + plane, step]``.
REGIONS: tuple[tuple[str, str, int | str, bool], ...] = (
    ("sc_i", "nsci", 1, True),
    ("sc_f", "nscf", 1, False),
    ("h_t", "heap", 1, False),
    ("h_key", "heap", 1, True),
    ("h_a", "heap", 1, True),
    ("h_b", "heap", 1, True),
    ("h_x", "heap", 1, False),
    ("pf", "n", NPF, False),
    ("pi", "n", NPI, True),
    ("pq", "pools", 4, True),
    ("rs", "slotsP", "width", False),
    ("ri", "slots", NRI, True),
    ("r_arrival", "slots", 1, False),
    ("r_left", "slots", "width", True),
    ("r_free", "slots", 1, True),
    ("it_f", "items", 3, False),
    ("it_i", "items", 4, True),
    ("o_lead", "out", 1, False),
    ("o_i", "out", 3, True),
    ("ch_t", "chunk", 1, False),
    ("ch_c", "chunk", 1, True),
    ("ch_w", "chunk", "width", False),
    ("ch_p", "chunk", 1, True),
    ("ch_d", "chunk", "width", False),
    ("pm_given", "pmembers", 1, False),
    ("act_n", "acts", 1, True),
)
assert tuple(r[0] for r in REGIONS) == State._fields


def region(at: int, dims: dict[str, int]) -> Any:
    """The zeroed array of region ``REGIONS[at]`` for the sizes ``dims``."""
    sizes = {**dims, "slotsP": NPLANES * dims["slots"], "nsci": NSCI, "nscf": NSCF}
    _name, rows, cols, is_int = REGIONS[at]
    shape = (
        (sizes[rows],)
        if cols == 1
        else (sizes[rows], sizes[cols] if isinstance(cols, str) else cols)
    )
    return np.zeros(shape, dtype=np.int64 if is_int else np.float64)


def allocate(dims: dict[str, int]) -> State:
    """Zeroed arrays of the given sizes."""
    return State(*(region(at, dims) for at in range(len(REGIONS))))


# -- the heap ---------------------------------------------------------------------------------


def rise(
    ht: Any,
    hk: Any,
    ha: Any,
    hb: Any,
    hx: Any,
    i: int,
    t: float,
    key: int,
    a: int,
    b: int,
    x: float,
) -> None:
    """Put the entry (t, key, a, b, x) in the heap's hole at ``i``, moving it up past every
    later parent (the parents moved down into the hole)."""
    while i > 0:
        up = (i - 1) >> 1
        tu = ht[up]
        if t < tu or (t == tu and key < hk[up]):
            ht[i] = tu
            hk[i] = hk[up]
            ha[i] = ha[up]
            hb[i] = hb[up]
            hx[i] = hx[up]
            i = up
        else:
            break
    ht[i] = t
    hk[i] = key
    ha[i] = a
    hb[i] = b
    hx[i] = x


def push(s: State, t: float, kind: int, a: int, b: int, x: float) -> None:
    seq = s.sc_i[SEQ]
    s.sc_i[SEQ] = seq + 1
    i = s.sc_i[HEAP_N]
    s.sc_i[HEAP_N] = i + 1
    rise(s.h_t, s.h_key, s.h_a, s.h_b, s.h_x, i, t, (kind << KIND_SHIFT) | seq, a, b, x)


def pop(s: State) -> tuple[float, int, int, int, float]:
    """The earliest event (the least time, then the least key: unique, so any heap pops the
    same sequence). Bottom-up: the hole left at the root goes down to a leaf by the earlier
    child (one comparison a level), then the last entry rises from there (rarely more than
    a level: it is usually among the latest), about half the comparisons of sifting it
    down from the root."""
    ht, hk, ha, hb, hx = s.h_t, s.h_key, s.h_a, s.h_b, s.h_x
    t0, k0, a0, b0, x0 = ht[0], hk[0], ha[0], hb[0], hx[0]
    n = s.sc_i[HEAP_N] - 1
    s.sc_i[HEAP_N] = n
    if n > 0:
        i = 0
        c = 1
        while c < n:
            d = c + 1
            if d < n:
                td = ht[d]
                tc = ht[c]
                if td < tc or (td == tc and hk[d] < hk[c]):
                    c = d
            ht[i] = ht[c]
            hk[i] = hk[c]
            ha[i] = ha[c]
            hb[i] = hb[c]
            hx[i] = hx[c]
            i = c
            c = 2 * i + 1
        rise(ht, hk, ha, hb, hx, i, ht[n], hk[n], ha[n], hb[n], hx[n])
    return t0, k0 >> KIND_SHIFT, a0, b0, x0


# -- lists of items ---------------------------------------------------------------------------


def new_item(
    s: State,
    since: float,
    req: int,
    step: int,
    mark: float,
    held: float,
    own: int,
) -> Any:
    i = s.sc_i[ITEM_FREE]
    s.sc_i[ITEM_FREE] = s.it_i[i, I_NEXT]
    s.sc_i[ITEMS_FREE_N] -= 1
    s.it_f[i, I_SINCE] = since
    s.it_f[i, I_MARK] = mark
    s.it_f[i, I_HELD] = held
    s.it_i[i, I_REQ] = req
    s.it_i[i, I_STEP] = step
    s.it_i[i, I_OWN] = own
    s.it_i[i, I_NEXT] = -1
    return i


def free_item(s: State, i: int) -> None:
    s.it_i[i, I_NEXT] = s.sc_i[ITEM_FREE]
    s.sc_i[ITEM_FREE] = i
    s.sc_i[ITEMS_FREE_N] += 1


def append(s: State, rows: Any, row: int, col: int, item: int) -> None:
    """Append to the list whose head, tail and length are ``rows[row, col:col + 3]``."""
    s.it_i[item, I_NEXT] = -1
    tail = rows[row, col + 1]
    if tail < 0:
        rows[row, col] = item
    else:
        s.it_i[tail, I_NEXT] = item
    rows[row, col + 1] = item
    rows[row, col + 2] += 1


def appendleft(s: State, rows: Any, row: int, col: int, item: int) -> None:
    head = rows[row, col]
    s.it_i[item, I_NEXT] = head
    rows[row, col] = item
    if head < 0:
        rows[row, col + 1] = item
    rows[row, col + 2] += 1


def popleft(s: State, rows: Any, row: int, col: int) -> Any:
    item = rows[row, col]
    following = s.it_i[item, I_NEXT]
    rows[row, col] = following
    if following < 0:
        rows[row, col + 1] = -1
    rows[row, col + 2] -= 1
    return item


# -- the clocks -------------------------------------------------------------------------------


def away_clock(s: State, p: int, now: float) -> Any:
    if s.pi[p, PRESENT]:
        return s.pf[p, AWAY_TOTAL]
    return s.pf[p, AWAY_TOTAL] + now - s.pf[p, AWAY_SINCE]


def busy_clock(s: State, p: int, now: float) -> Any:
    if s.pi[p, HAND_REQ] >= 0 and s.pi[p, PRESENT]:
        return s.pf[p, BUSY_TOTAL] + now - s.pf[p, BUSY_SINCE]
    return s.pf[p, BUSY_TOTAL]


# -- work -------------------------------------------------------------------------------------


def start(k: Tables, s: State, p: int, req: int, si: int, now: float) -> None:
    pool = k.st_pool[k.step_off[s.ri[req, ROUTE]] + si]
    if pool >= 0 and k.pm_share[k.pm_ptr[pool]] > 0:  # a pool with shares: its work begun
        for j in range(k.pm_ptr[pool], k.pm_ptr[pool + 1]):
            if k.pm_idx[j] == p:
                s.pm_given[j] += s.rs[req * NPLANES + WORK, si]
    last = s.ri[req, LAST]
    if last != p and last >= 0:  # a change of person (issue 14), and maybe of role
        s.ri[req, PCH] += 1
        if k.role[last] != k.role[p]:
            s.ri[req, RCH] += 1
    s.ri[req, LAST] = p
    work = s.rs[req * NPLANES + WORK, si] / k.speed[p]
    s.rs[req * NPLANES + TOUCH, si] = work
    s.pi[p, HAND_REQ] = req
    s.pi[p, HAND_STEP] = si
    s.pf[p, HAND_MARK] = s.pf[p, AWAY_TOTAL]
    s.pf[p, REMAINING] = work
    s.pf[p, BUSY_SINCE] = now
    v = s.pi[p, VERSION] + 1
    s.pi[p, VERSION] = v
    push(s, now + work, SERVICE_END, p, v, 0.0)


def note(k: Tables, s: State, p: int) -> None:
    waiting = s.pi[p, Q_LEN] - s.pi[p, OWN] + s.pi[p, HELD]
    for j in range(k.pof_ptr[p], k.pof_ptr[p + 1]):
        q = k.pof_idx[j]
        waiting += s.pq[q, PQ_LEN] + s.pq[q, PQ_HELD]
    if waiting > s.pi[p, Q_MAX]:
        s.pi[p, Q_MAX] = waiting


def note_wait(k: Tables, s: State, p: int, req: int, si: int, since: float, now: float) -> None:
    h = s.sc_f[HORIZON]
    wait = min(now, h) - min(since, h)
    g = k.step_off[s.ri[req, ROUTE]] + si
    if k.st_pool[g] >= 0:
        for j in range(k.own_ptr[g], k.own_ptr[g + 1]):
            s.pf[k.own_idx[j], Q_AREA] += wait
    else:
        s.pf[p, Q_AREA] += wait


def take(k: Tables, s: State, p: int, item: int, now: float) -> None:
    since = s.it_f[item, I_SINCE]
    mark = s.it_f[item, I_MARK]
    held_for = s.it_f[item, I_HELD]
    req = s.it_i[item, I_REQ]
    si = s.it_i[item, I_STEP]
    own = s.it_i[item, I_OWN]
    free_item(s, item)
    waited = now - since
    away = 0.0 if mark < 0 else min(max(s.pf[p, AWAY_TOTAL] - mark, 0.0), waited)
    s.rs[req * NPLANES + WAIT, si] += waited - away
    s.rs[req * NPLANES + AWAY, si] += away
    if own:
        s.pi[p, OWN] -= 1
    else:
        if mark < 0:
            note_wait(k, s, p, req, si, since - held_for, now)
        else:
            h = s.sc_f[HORIZON]
            s.pf[p, Q_AREA] += min(now, h) - min(since - held_for, h)
        s.pi[p, ITEMS] += 1
        if away > 0 or held_for > 0:
            s.pi[p, DELAYED] += 1
    start(k, s, p, req, si, now)


def serve(k: Tables, s: State, p: int, now: float) -> None:
    """If ``p`` is present and free, they take the oldest item of their queues."""
    if s.pi[p, HAND_REQ] >= 0 or not s.pi[p, PRESENT]:
        return
    lo, hi = k.pof_ptr[p], k.pof_ptr[p + 1]
    if lo == hi:
        if s.pi[p, Q_LEN]:
            take(k, s, p, popleft(s, s.pi, p, Q_HEAD), now)
        return
    which = -2  # -1: their own queue; else a pool
    since = math.inf
    if s.pi[p, Q_LEN]:
        which = -1
        since = s.it_f[s.pi[p, Q_HEAD], I_SINCE]
    for j in range(lo, hi):
        q = k.pof_idx[j]
        if s.pq[q, PQ_LEN] and s.it_f[s.pq[q, PQ_HEAD], I_SINCE] < since:
            which = q
            since = s.it_f[s.pq[q, PQ_HEAD], I_SINCE]
    if which == -2:
        return
    if which == -1:
        take(k, s, p, popleft(s, s.pi, p, Q_HEAD), now)
    else:
        take(k, s, p, popleft(s, s.pq, which, PQ_HEAD), now)


def below_share(k: Tables, s: State, pool: int) -> int:
    """Of the pool's present free members, the one whose work begun of the pool's divided by
    their share is the least; at a tie, the one idle the longest, then the first in order
    (-1: nobody free)."""
    chosen = -1
    best = 0.0
    for j in range(k.pm_ptr[pool], k.pm_ptr[pool + 1]):
        m = k.pm_idx[j]
        if not s.pi[m, PRESENT] or s.pi[m, HAND_REQ] >= 0:
            continue
        ratio = s.pm_given[j] / k.pm_share[j]
        if (
            chosen < 0
            or ratio < best
            or (ratio == best and s.pf[m, IDLE_SINCE] < s.pf[chosen, IDLE_SINCE])
        ):
            chosen = m
            best = ratio
    return chosen


def rejoin(k: Tables, s: State, pool: int, p: int) -> None:
    """``p`` is back in the pool (with shares): their work begun of the pool's rises to their
    share times the least ratio (work over share) of the others present."""
    me = -1
    low = -1.0
    for j in range(k.pm_ptr[pool], k.pm_ptr[pool + 1]):
        m = k.pm_idx[j]
        if m == p:
            me = j
        elif s.pi[m, PRESENT]:
            ratio = s.pm_given[j] / k.pm_share[j]
            if low < 0 or ratio < low:
                low = ratio
    if low >= 0 and s.pm_given[me] / k.pm_share[me] < low:
        s.pm_given[me] = low * k.pm_share[me]


def arrive(k: Tables, s: State, now: float, req: int, si: int) -> None:
    """Step ``si`` reaches its desk: the first present member's queue, or the pool's."""
    g = k.step_off[s.ri[req, ROUTE]] + si
    pool = k.st_pool[g]
    lo, hi = k.own_ptr[g], k.own_ptr[g + 1]
    pi = s.pi
    if pool >= 0:
        anyone = False
        for j in range(lo, hi):
            if pi[k.own_idx[j], PRESENT]:
                anyone = True
                break
        if anyone:
            append(
                s,
                s.pq,
                pool,
                PQ_HEAD,
                new_item(s, now, req, si, -1.0, 0.0, 0),
            )
            # The free member idle the longest takes it (at a tie, the first in order);
            # with shares, the one furthest below their share.
            chosen = -1
            if k.pm_share[k.pm_ptr[pool]] > 0:
                chosen = below_share(k, s, pool)
            else:
                for j in range(lo, hi):
                    m = k.own_idx[j]
                    if (
                        pi[m, PRESENT]
                        and pi[m, HAND_REQ] < 0
                        and (chosen < 0 or s.pf[m, IDLE_SINCE] < s.pf[chosen, IDLE_SINCE])
                    ):
                        chosen = m
            if chosen >= 0:
                serve(k, s, chosen, now)
            for j in range(lo, hi):
                note(k, s, k.own_idx[j])
            return
    else:
        for j in range(lo, hi):
            m = k.own_idx[j]
            if pi[m, PRESENT]:
                if pi[m, HAND_REQ] < 0 and pi[m, Q_LEN] == 0 and k.pof_ptr[m] == k.pof_ptr[m + 1]:
                    pi[m, ITEMS] += 1  # free, nothing queued: begun at once, never waited
                    start(k, s, m, req, si, now)
                    return
                append(
                    s,
                    pi,
                    m,
                    Q_HEAD,
                    new_item(s, now, req, si, s.pf[m, AWAY_TOTAL], 0.0, 0),
                )
                if pi[m, HAND_REQ] < 0:
                    serve(k, s, m, now)
                note(k, s, m)
                return
    # Nobody is there: it waits for the first back (in the desk's order at a tie).
    first = k.own_idx[lo]
    for j in range(lo + 1, hi):
        m = k.own_idx[j]
        if s.pf[m, BACK_AT] < s.pf[first, BACK_AT]:
            first = m
    append(s, pi, first, W_HEAD, new_item(s, now, req, si, 0.0, 0.0, 0))
    if pool >= 0:
        s.pq[pool, PQ_HELD] += 1
        for j in range(lo, hi):
            note(k, s, k.own_idx[j])
    else:
        pi[first, HELD] += 1
        note(k, s, first)


def latest_of(s: State, req: int, steps: Any, lo: int, hi: int) -> Any:
    """Of the steps ``steps[lo:hi]``, the one that finished last; at a tie (within
    :data:`TIE`) the first of them."""
    last = s.rs[req * NPLANES + END, steps[lo]]
    for j in range(lo + 1, hi):
        e = s.rs[req * NPLANES + END, steps[j]]
        if e > last:
            last = e
    for j in range(lo, hi):
        if s.rs[req * NPLANES + END, steps[j]] >= last - TIE:
            return steps[j]
    return steps[lo]


def complete(k: Tables, s: State, req: int, now: float) -> None:
    """The request's last step is done: its lead time and the parts of its critical path."""
    s.sc_i[FINISHED] += 1
    if not s.ri[req, COUNTED]:
        return
    s.sc_i[COMPLETED] += 1
    route = s.ri[req, ROUTE]
    off = k.step_off[route]
    n = k.step_off[route + 1] - off
    s.sc_i[PERSON_CHANGES] += s.ri[req, PCH]
    s.sc_i[ROLE_CHANGES] += s.ri[req, RCH]
    for j in range(n):
        s.act_n[k.st_act[off + j]] += 1
    touch = queue = hand = away = external = 0.0
    rs = s.rs
    if k.serial[route]:
        for j in range(n):
            external += rs[req * NPLANES + DELAY, j]
        for j in range(n):
            touch += rs[req * NPLANES + TOUCH, j]
        for j in range(n):
            queue += rs[req * NPLANES + WAIT, j]
        for j in range(n):
            hand += rs[req * NPLANES + HAND, j]
        for j in range(n):
            away += rs[req * NPLANES + AWAY, j]
    else:
        # The last step to finish (over every step), then back through the predecessor that
        # finished last.
        node = 0
        last = rs[req * NPLANES + END, 0]
        for j in range(1, n):
            if rs[req * NPLANES + END, j] > last:
                last = rs[req * NPLANES + END, j]
        for j in range(n):
            if rs[req * NPLANES + END, j] >= last - TIE:
                node = j
                break
        while node >= 0:
            touch += rs[req * NPLANES + TOUCH, node]
            queue += rs[req * NPLANES + WAIT, node]
            hand += rs[req * NPLANES + HAND, node]
            away += rs[req * NPLANES + AWAY, node]
            external += rs[req * NPLANES + DELAY, node]
            g = off + node
            lo, hi = k.pred_ptr[g], k.pred_ptr[g + 1]
            node = latest_of(s, req, k.pred_idx, lo, hi) if hi > lo else -1
    o = s.sc_i[OUT_N]
    s.sc_i[OUT_N] = o + 1
    s.o_lead[o] = now - s.r_arrival[req]
    s.o_i[o, 0] = k.plan_route[route]
    s.o_i[o, 1] = s.ri[req, CUSTOMER]
    s.o_i[o, 2] = s.ri[req, NUMBER]
    s.sc_f[PART0] += touch
    s.sc_f[PART0 + 1] += queue
    s.sc_f[PART0 + 2] += hand
    s.sc_f[PART0 + 3] += away
    s.sc_f[PART0 + 4] += external


def finish(k: Tables, s: State, p: int, now: float) -> None:
    """``p`` finishes the job in hand; the request moves on."""
    req = s.pi[p, HAND_REQ]
    si = s.pi[p, HAND_STEP]
    s.pi[p, HAND_REQ] = -1
    s.pf[p, IDLE_SINCE] = now
    s.pf[p, BUSY_TOTAL] += now - s.pf[p, BUSY_SINCE]
    s.rs[req * NPLANES + END, si] = now
    s.rs[req * NPLANES + AWAY, si] += s.pf[p, AWAY_TOTAL] - s.pf[p, HAND_MARK]
    s.ri[req, LEFT] -= 1
    done = s.ri[req, LEFT] == 0
    if done:
        complete(k, s, req, now)
    route = s.ri[req, ROUTE]
    off = k.step_off[route]
    g = off + si
    continued = False
    for j in range(k.nx_ptr[g], k.nx_ptr[g + 1]):
        t = k.nx_step[j]
        s.r_left[req, t] -= 1
        if s.r_left[req, t]:
            continue
        gt = off + t
        # The request stays with whoever has it while the next step is at the desk of the
        # step just finished (its primary, or the same pool) and they own it.
        owner = False
        if k.nx_same[j]:
            for o in range(k.own_ptr[gt], k.own_ptr[gt + 1]):
                if k.own_idx[o] == p:
                    owner = True
        if owner:
            if not continued:
                continued = True  # handed to oneself: continues at once
                start(k, s, p, req, t, now)
            elif k.st_pool[gt] < 0:  # a second branch: next, at the front of their queue
                item = new_item(s, now, req, t, s.pf[p, AWAY_TOTAL], 0.0, 1)
                appendleft(s, s.pi, p, Q_HEAD, item)
                s.pi[p, OWN] += 1
            else:  # a second branch in a pool's visit: the pool's queue, no handoff
                arrive(k, s, now, req, t)
        else:
            # After the handoff delay from another desk and the external delay, if any.
            gap = k.nx_gap[j]
            later = gap + s.rs[req * NPLANES + DELAY, t]
            if gap > 0:
                s.rs[req * NPLANES + HAND, t] = gap
            if later > 0:
                push(s, now + later, ARRIVE_AT_DESK, req, t, 0.0)
            else:
                arrive(k, s, now, req, t)
    if done:  # the slot is free for another request
        s.r_free[s.sc_i[FREE_N]] = req
        s.sc_i[FREE_N] += 1
    if not continued:
        serve(k, s, p, now)


def absence_start(s: State, now: float, p: int, back: float) -> None:
    if not s.pi[p, PRESENT]:
        return
    s.pi[p, PRESENT] = 0
    s.pf[p, AWAY_SINCE] = now
    s.pf[p, BACK_AT] = back
    if s.pi[p, HAND_REQ] >= 0:  # the job in hand waits for their return
        s.pf[p, BUSY_TOTAL] += now - s.pf[p, BUSY_SINCE]
        s.pf[p, REMAINING] -= now - s.pf[p, BUSY_SINCE]
        s.pi[p, VERSION] += 1


def absence_end(k: Tables, s: State, now: float, p: int) -> None:
    if s.pi[p, PRESENT]:
        return
    s.pi[p, PRESENT] = 1
    s.pf[p, AWAY_TOTAL] += now - s.pf[p, AWAY_SINCE]
    for j in range(k.pof_ptr[p], k.pof_ptr[p + 1]):
        if k.pm_share[k.pm_ptr[k.pof_idx[j]]] > 0:
            rejoin(k, s, k.pof_idx[j], p)
    if s.pi[p, HAND_REQ] >= 0:
        s.pf[p, BUSY_SINCE] = now
        s.pi[p, VERSION] += 1
        push(s, now + s.pf[p, REMAINING], SERVICE_END, p, s.pi[p, VERSION], 0.0)
    item = s.pi[p, W_HEAD]
    s.pi[p, W_HEAD] = -1
    s.pi[p, W_TAIL] = -1
    s.pi[p, W_LEN] = 0
    while item >= 0:
        following = s.it_i[item, I_NEXT]
        req = s.it_i[item, I_REQ]
        si = s.it_i[item, I_STEP]
        held_for = now - s.it_f[item, I_SINCE]
        s.rs[req * NPLANES + AWAY, si] += held_for
        pool = k.st_pool[k.step_off[s.ri[req, ROUTE]] + si]
        s.it_f[item, I_SINCE] = now
        s.it_f[item, I_HELD] = held_for
        s.it_i[item, I_OWN] = 0
        if pool >= 0:  # from waiting for a member to the pool's queue
            s.pq[pool, PQ_HELD] -= 1
            s.it_f[item, I_MARK] = -1.0
            append(s, s.pq, pool, PQ_HEAD, item)
        else:
            s.pi[p, HELD] -= 1
            s.it_f[item, I_MARK] = s.pf[p, AWAY_TOTAL]
            append(s, s.pi, p, Q_HEAD, item)
        item = following
    serve(k, s, p, now)


def next_arrival(s: State) -> Any:
    """Put the next request of the window on the heap; whether a new window is needed."""
    pos = s.sc_i[CHUNK_POS]
    if pos < s.sc_i[CHUNK_N]:
        push(s, s.ch_t[pos], REQUEST, pos, 0, 0.0)
        s.sc_i[CHUNK_POS] = pos + 1
        return False
    return s.sc_i[MORE] != 0


def request(k: Tables, s: State, now: float, row: int) -> Any:
    """A request arrives: its first steps reach their desks (after their external delay, if
    any). Whether a new window of arrivals is needed."""
    choice = s.ch_c[row]
    route = s.ch_p[row]
    n = s.sc_i[FREE_N] - 1
    s.sc_i[FREE_N] = n
    req = s.r_free[n]
    off = k.step_off[route]
    steps = k.step_off[route + 1] - off
    for j in range(steps):
        s.rs[req * NPLANES + WORK, j] = s.ch_w[row, j]
        s.rs[req * NPLANES + TOUCH, j] = 0.0
        s.rs[req * NPLANES + WAIT, j] = 0.0
        s.rs[req * NPLANES + HAND, j] = 0.0
        s.rs[req * NPLANES + AWAY, j] = 0.0
        s.rs[req * NPLANES + END, j] = 0.0
        s.rs[req * NPLANES + DELAY, j] = s.ch_d[row, j]
        s.r_left[req, j] = k.st_npreds[off + j]
    s.ri[req, ROUTE] = route
    s.ri[req, CUSTOMER] = k.choice_customer[choice]
    s.ri[req, COUNTED] = 1 if now >= s.sc_f[WARMUP] else 0
    s.ri[req, NUMBER] = s.sc_i[OPENED]
    s.ri[req, LEFT] = steps
    s.ri[req, LAST] = -1
    s.ri[req, PCH] = 0
    s.ri[req, RCH] = 0
    s.r_arrival[req] = now
    s.sc_i[OPENED] += 1
    if steps == 0:  # every step skipped: done at once, the slot free again
        complete(k, s, req, now)
        s.r_free[s.sc_i[FREE_N]] = req
        s.sc_i[FREE_N] += 1
    for j in range(k.src_ptr[route], k.src_ptr[route + 1]):
        si = k.src_idx[j]
        delay = s.rs[req * NPLANES + DELAY, si]
        if delay > 0:
            push(s, now + delay, ARRIVE_AT_DESK, req, si, 0.0)
        else:
            arrive(k, s, now, req, si)
    return next_arrival(s)


def advance(k: Tables, s: State) -> int:
    """Run events until the horizon, or until the Python side must act (a new window of
    arrivals, more room, a progress tick): returns :data:`DONE` or what is needed."""
    if s.sc_i[NEED_NEXT]:
        if next_arrival(s):
            return NEED_CHUNK
        s.sc_i[NEED_NEXT] = 0
    margin = s.sc_i[MARGIN]
    horizon = s.sc_f[HORIZON]
    warmup = s.sc_f[WARMUP]
    n_people = s.pi.shape[0]
    while s.sc_i[HEAP_N] > 0:
        if (
            s.sc_i[HEAP_N] + margin > s.h_t.shape[0]
            or s.sc_i[ITEMS_FREE_N] < margin
            or s.sc_i[FREE_N] < 1
            or s.sc_i[OUT_N] >= s.o_lead.shape[0]
        ):
            return NEED_SPACE
        now, kind, a, b, x = pop(s)
        if now > horizon:
            s.sc_f[NOW] = horizon
            s.sc_i[HEAP_N] = 0
            return DONE
        s.sc_f[NOW] = now
        if not s.sc_i[WARM] and now >= warmup:
            s.sc_i[WARM] = 1
            s.sc_i[OPEN_AT_WARMUP] = s.sc_i[OPENED] - s.sc_i[FINISHED]
            for p in range(n_people):
                s.pf[p, SNAP_BUSY] = busy_clock(s, p, warmup)
                s.pf[p, SNAP_AWAY] = away_clock(s, p, warmup)
        tick = False
        if s.sc_i[PROGRESS_ON] and now >= s.sc_f[NEXT_TICK]:
            s.sc_f[NEXT_TICK] = now + s.sc_f[TICK]
            tick = True
        if kind == SERVICE_END:
            if s.pi[a, VERSION] == b and s.pi[a, HAND_REQ] >= 0 and s.pi[a, PRESENT]:
                finish(k, s, a, now)
        elif kind == ARRIVE_AT_DESK:
            arrive(k, s, now, a, b)
        elif kind == REQUEST:
            if request(k, s, now, a):
                s.sc_i[NEED_NEXT] = 1
                return NEED_CHUNK
        elif kind == ABSENCE_START:
            absence_start(s, now, a, x)
        else:
            absence_end(k, s, now, a)
        if tick:
            return PROGRESS
    return DONE


def finalize(k: Tables, s: State) -> None:
    """Items still waiting at the end waited until then; the state at the warm-up when
    nothing happened after it."""
    horizon = s.sc_f[HORIZON]
    for p in range(s.pi.shape[0]):
        for col in (Q_HEAD, W_HEAD):
            item = s.pi[p, col]
            while item >= 0:
                if not s.it_i[item, I_OWN]:
                    since = s.it_f[item, I_SINCE] - s.it_f[item, I_HELD]
                    note_wait(
                        k,
                        s,
                        p,
                        s.it_i[item, I_REQ],
                        s.it_i[item, I_STEP],
                        since,
                        horizon,
                    )
                item = s.it_i[item, I_NEXT]
    for q in range(s.pq.shape[0]):
        first = k.pm_idx[k.pm_ptr[q]]
        item = s.pq[q, PQ_HEAD]
        while item >= 0:
            since = s.it_f[item, I_SINCE] - s.it_f[item, I_HELD]
            note_wait(k, s, first, s.it_i[item, I_REQ], s.it_i[item, I_STEP], since, horizon)
            item = s.it_i[item, I_NEXT]
    if not s.sc_i[WARM]:
        now = s.sc_f[NOW]
        for p in range(s.pi.shape[0]):
            s.pf[p, SNAP_BUSY] = busy_clock(s, p, now)
            s.pf[p, SNAP_AWAY] = away_clock(s, p, now)


def seed_absences(s: State, who: Any, start_at: Any, end_at: Any) -> None:
    """Put every absence on the heap (its start, then its end), person by person."""
    for j in range(who.shape[0]):
        push(s, start_at[j], ABSENCE_START, who[j], 0, end_at[j])
        push(s, end_at[j], ABSENCE_END, who[j], 0, 0.0)


def draw_chains(
    row_route: Any,
    c_lo: Any,
    c_hi: Any,
    st_prob: Any,
    st_stop: Any,
    st_lstart: Any,
    st_lp: Any,
    st_lmax: Any,
    act_ptr: Any,
    act_share: Any,
    act_doing: Any,
    u: Any,
    io: Any,
    out_doing: Any,
    out_step: Any,
    out_n: Any,
) -> None:
    """Draw the routes of a window's requests on chain routes (steps one after the other,
    rework loops side by side) from the uniforms ``u``, consuming them exactly as
    :func:`orgflow.routing.draw_route` consumes ``random()`` (``u`` is the same stream): per
    step done, one uniform for its ``probability``, one for the alternatives and, but at a
    loop's end, one for its ``stop``; at a loop's end one for the rework (and stop). From row
    ``io[0]`` and uniform ``io[1]``, executions written from ``io[2]``; rows whose route is
    not random (``row_route`` -1) draw nothing. Stops at the first request that could run
    out of uniforms (``io[3]`` 1) or room (2), to be drawn again from its start; else
    ``io[3]`` 0."""
    row, k, n = io[0], io[1], io[2]
    m = row_route.shape[0]
    nu = u.shape[0]
    room = out_doing.shape[0]
    io[3] = 0
    while row < m:
        r = row_route[row]
        if r < 0:
            out_n[row] = 0
            row += 1
            continue
        k0, n0 = k, n
        i, hi = c_lo[r], c_hi[r]
        loops = 0
        short = False
        while i < hi:
            if k + 3 > nu:
                short = True  # more uniforms
                break
            if n >= room:
                short = True
                io[3] = 2  # more room
                break
            is_end = st_lstart[i] >= 0
            done = False
            stopped = False
            if u[k] < st_prob[i]:
                k += 1
                x = u[k]
                k += 1
                lo, top = act_ptr[i], act_ptr[i + 1]
                doing = act_doing[top - 1]
                for j in range(lo, top):
                    if x < act_share[j]:
                        doing = act_doing[j]
                        break
                    x -= act_share[j]
                out_doing[n] = doing
                out_step[n] = i
                n += 1
                done = True
                if not is_end:
                    stopped = u[k] < st_stop[i]
                    k += 1
            else:
                k += 1
            if stopped:
                break
            if is_end:
                if not done:  # the loop's last step skipped: the loop ends
                    loops = 0
                    i += 1
                    continue
                x = u[k]
                k += 1
                if st_lmax[i] < 0 or loops < st_lmax[i]:
                    if x < st_lp[i]:
                        loops += 1
                        i = st_lstart[i]
                        continue
                    if x < st_lp[i] + st_stop[i]:
                        break
                elif x < st_stop[i]:
                    break
                loops = 0
            i += 1
        if short:
            io[0], io[1], io[2] = row, k0, n0
            if io[3] == 0:
                io[3] = 1
            return
        out_n[row] = n - n0
        row += 1
    io[0], io[1], io[2] = row, k, n


def place_chains(
    row_route: Any,
    out_doing: Any,
    out_n: Any,
    doing_effort: Any,
    doing_delay: Any,
    eff_val: Any,
    eff_at: Any,
    del_val: Any,
    del_at: Any,
    ht_key: Any,
    ht_plan: Any,
    ch_w: Any,
    ch_d: Any,
    ch_p: Any,
    row_hash: Any,
    unknown: Any,
) -> Any:
    """Place the routes :func:`draw_chains` drew for a window into its arrays: per request on a
    random route (``row_route`` not -1), each execution's effort (the next value of its effort
    sampler's block of ``eff_val``, from ``eff_at[key]`` on: the values in the order of the
    executions, as numpy draws them per sampler) and external delay (likewise, ``del_val``; 0
    without a delay) into ``ch_w`` and ``ch_d``, and its plan into ``ch_p``, found by a hash of
    its route and executions in the open-addressing table ``ht_key`` -> ``ht_plan`` (0: an
    empty place). The hash of each request goes into ``row_hash``; the requests whose plan is
    not in the table yet into ``unknown``, their number returned. The other rows' delays are
    0."""
    m = row_route.shape[0]
    mask = ht_key.shape[0] - 1
    width = ch_d.shape[1]
    at = 0
    found = 0
    for row in range(m):
        r = row_route[row]
        if r < 0:
            for j in range(width):
                ch_d[row, j] = 0.0
            continue
        n = out_n[row]
        h = r * -4417276706812531889 + n * -7046029254386353131  # 64 bits, wrapping
        power = 1
        for x in range(n):
            d = out_doing[at + x]
            key = doing_effort[d]
            ch_w[row, x] = eff_val[eff_at[key]]
            eff_at[key] += 1
            key = doing_delay[d]
            code = d * 2 + 1
            if key >= 0:
                v = del_val[del_at[key]]
                del_at[key] += 1
                ch_d[row, x] = v
                if v > 0:
                    code += 1
            else:
                ch_d[row, x] = 0.0
            h += code * power
            power *= 1_000_003
        at += n
        if h == 0:
            h = 1
        row_hash[row] = h
        i = (h ^ (h >> 29)) & mask
        while ht_key[i] != 0 and ht_key[i] != h:
            i = (i + 1) & mask
        if ht_key[i] == h:
            ch_p[row] = ht_plan[i]
        else:
            unknown[found] = row
            found += 1
    return found


# -- compiling --------------------------------------------------------------------------------

_KERNEL_FUNCTIONS = (
    "rise",
    "push",
    "pop",
    "new_item",
    "free_item",
    "append",
    "appendleft",
    "popleft",
    "away_clock",
    "busy_clock",
    "start",
    "note",
    "note_wait",
    "take",
    "serve",
    "below_share",
    "rejoin",
    "arrive",
    "latest_of",
    "complete",
    "finish",
    "absence_start",
    "absence_end",
    "next_arrival",
    "request",
    "advance",
    "finalize",
    "seed_absences",
    "draw_chains",
    "place_chains",
)
#: Compiled into their callers (numba's ``inline="always"``) rather than called, in the
#: extension built at install: a call between compiled functions passes every array of ``k``
#: and ``s`` as separate arguments (pointer, shape, strides: about 300 values), which cost more
#: than the work of an event (a run of the six-desk benchmark: 1.0 s called, 0.15 s inlined).
#: Compiling then takes several times as long: at first use (numba's cache), they stay calls.
INLINED = ("rise", "start", "take", "serve", "arrive", "complete", "finish", "request")
_compiled = False
#: How the kernel runs, once :func:`compile_kernel` has chosen: "ahead of time" (the extension
#: built at install), or "numba" (compiled at first use, then loaded from numba's cache).
compiled_by = ""
#: The functions the Python side calls; the ahead-of-time extension exports these only.
ENTRY_POINTS = ("advance", "finalize", "seed_absences", "draw_chains", "place_chains")
#: The extension :func:`aot_compiler` builds (``setup.py``, at install): next to this file.
AOT_MODULE = "_kernel_aot"


#: Runs of fewer step events than this use the Python engine when the kernel is compiled by
#: numba at first use: importing numba and loading the kernel from its cache take about half a
#: second, what the Python engine needs for some 100,000 events.
SMALL_RUN = 200_000
#: The same for the kernel built ahead of time, which loads in a few milliseconds: below this,
#: either engine takes a few milliseconds.
SMALL_RUN_BUILT = 10_000


def source_digest() -> int:
    """A digest of this file: the extension built ahead of time is used only when it was built
    from the same text (an edited kernel falls back to numba, never to stale machine code)."""
    import zlib

    with open(__file__, "rb") as f:
        return zlib.crc32(f.read())


def _ahead_of_time() -> Any:
    """The extension built at install from this very file, or None (not built: no numba or no
    C compiler at install; built from another text; ``ORGFLOW_NO_AOT`` set)."""
    if os.environ.get("ORGFLOW_NO_AOT"):
        return None
    import importlib

    try:
        module = importlib.import_module(f"orgflow.simulate.{AOT_MODULE}")
    except ImportError:
        return None
    return module if module.source_digest() == source_digest() else None


def available() -> bool:
    """Whether the kernel can run: built ahead of time, or numba can be imported (and
    ``ORGFLOW_NO_KERNEL`` is not set)."""
    if os.environ.get("ORGFLOW_NO_KERNEL"):
        return False
    if _ahead_of_time() is not None:
        return True
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def worth_it(sim: SimOffice, horizon: float) -> bool:
    """Whether a run of ``horizon`` hours should use the compiled kernel: it can run, and the
    run is expected to have at least :data:`SMALL_RUN_BUILT` steps (built ahead of time) or
    :data:`SMALL_RUN` (numba)."""
    if os.environ.get("ORGFLOW_NO_KERNEL"):
        return False
    steps = sim.total_rate * horizon * sim.steps_per_request()
    if _ahead_of_time() is not None:
        return steps >= SMALL_RUN_BUILT
    return steps >= SMALL_RUN and available()


def _options(name: str, inline: bool = True, cache: bool = False) -> dict[str, Any]:
    """numba's options for the kernel function ``name``: no reference counting (see the
    module's docstring), inlined when ``inline`` and it is one of :data:`INLINED`."""
    options: dict[str, Any] = {"_nrt": False, "cache": cache}
    if inline and name in INLINED:
        options["inline"] = "always"
    return options


def compile_kernel() -> None:
    """Make the kernel's functions machine code: the entry points of the extension built ahead
    of time, else each function wrapped by ``numba.njit`` (from numba's disk cache when it is
    there)."""
    global _compiled, compiled_by
    if _compiled:
        return
    names = globals()
    built = _ahead_of_time()
    if built is not None:
        for name in ENTRY_POINTS:
            names[name] = getattr(built, name)
        compiled_by = "ahead of time"
    else:
        import numba

        for name in _KERNEL_FUNCTIONS:
            names[name] = numba.njit(**_options(name, inline=False, cache=True))(names[name])
        compiled_by = "numba"
    _compiled = True


def aot_compiler(output_dir: str | None = None) -> Any:
    """numba.pycc's compiler of the kernel into the extension :data:`AOT_MODULE`: the entry
    points for the types of :class:`Tables` and :class:`State`, and this file's digest.
    ``setup.py`` builds it at install (``compile()`` builds it into ``output_dir``)."""
    import warnings

    import numba

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba.pycc's pending deprecation
        from numba import pycc

    types: Any = numba.types
    names = globals()
    for name in _KERNEL_FUNCTIONS:  # the callees as dispatchers, as numba compiles them
        if not hasattr(names[name], "py_func"):
            names[name] = numba.njit(**_options(name))(names[name])

    def array(is_int: bool, ndim: int) -> Any:
        return types.Array(types.int64 if is_int else types.float64, ndim, "C")

    table_types = [array(name not in ("speed", "nx_gap", "pm_share"), 1) for name in Tables._fields]
    state_types = [array(is_int, 1 if cols == 1 else 2) for _, _, cols, is_int in REGIONS]
    k = types.NamedTuple(table_types, Tables)
    s = types.NamedTuple(state_types, State)
    compiler: Any = getattr(pycc, "CC")  # noqa: B009 (not in numba's stubs)
    cc = compiler(AOT_MODULE, source_module=__name__)
    if output_dir is not None:
        cc.output_dir = output_dir
    cc.use_nrt = False  # no reference counting (see the module's docstring)
    digest = source_digest()

    def built_from() -> int:
        return digest

    i1, f1 = array(True, 1), array(False, 1)
    signatures = {
        "advance": types.int64(k, s),
        "finalize": types.void(k, s),
        "seed_absences": types.void(s, i1, f1, f1),
        "draw_chains": types.void(i1, i1, i1, f1, f1, i1, f1, i1, i1, f1, i1, f1, i1, i1, i1, i1),
        "place_chains": types.int64(
            i1, i1, i1, i1, i1, f1, i1, f1, i1, i1, i1, array(False, 2), array(False, 2), i1, i1, i1
        ),
    }
    cc.export("source_digest", types.int64())(built_from)
    for name in ENTRY_POINTS:
        cc.export(name, signatures[name])(names[name].py_func)
    return cc


# -- the Python side --------------------------------------------------------------------------


def _csr(rows: list[list[int]]) -> tuple[Any, Any]:
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(r) for r in rows]) if rows else []
    flat = [x for r in rows for x in r]
    return ptr, np.asarray(flat if flat else [0], dtype=np.int64)


def tables(
    sim: SimOffice, plans: list[Any] | None = None, plan_route: list[int] | None = None
) -> Tables:
    """The office as the kernel reads it: the plans of its routes (the Python engine's, the
    same successors "at the same desk", the same "serial"), then ``plans`` (drawn routes'
    plans, each of route ``plan_route``)."""
    from orgflow.simulate.events import route_plan

    n = len(sim.people_ids)
    pools_of: list[list[int]] = [[] for _ in range(n)]
    for q, members in enumerate(sim.pool_members):
        for m in members:
            pools_of[m].append(q)
    every = [route_plan(r, sim.handoff, sim.act_index) for r in sim.routes] + list(plans or [])
    routes = list(range(len(sim.routes))) + list(plan_route or [])
    offsets = [0]
    for plan in every:
        offsets.append(offsets[-1] + len(plan.owners))
    nexts = [row for plan in every for row in plan.nexts]
    pof_ptr, pof_idx = _csr(pools_of)
    pm_ptr, pm_idx = _csr(sim.pool_members)
    # each pool member's share, 0 in a pool without shares (the kernel's test for them)
    pool_shares = [
        w
        for shares, members in zip(sim.pool_shares, sim.pool_members, strict=True)
        for w in (shares or [0.0] * len(members))
    ]
    pred_ptr, pred_idx = _csr([p for plan in every for p in plan.preds])
    nx_ptr, nx_step = _csr([[t for t, *_ in row] for row in nexts])
    nx_same = _csr([[int(same) for _, same, *_ in row] for row in nexts])[1]
    gaps = [float(gap) for row in nexts for *_, gap in row]
    own_ptr, own_idx = _csr([o for plan in every for o in plan.owners])
    src_ptr, src_idx = _csr([plan.sources for plan in every])
    i64 = np.int64
    return Tables(
        speed=np.asarray(sim.speed, dtype=np.float64),
        pof_ptr=pof_ptr,
        pof_idx=pof_idx,
        pm_ptr=pm_ptr,
        pm_idx=pm_idx,
        pm_share=np.asarray(pool_shares or [0.0], dtype=np.float64),
        step_off=np.asarray(offsets, dtype=i64),
        st_pool=np.asarray([q for plan in every for q in plan.pool] or [0], dtype=i64),
        st_npreds=np.asarray([c for plan in every for c in plan.npreds] or [0], dtype=i64),
        pred_ptr=pred_ptr,
        pred_idx=pred_idx,
        nx_ptr=nx_ptr,
        nx_step=nx_step,
        nx_same=nx_same,
        nx_gap=np.asarray(gaps or [0.0], dtype=np.float64),
        own_ptr=own_ptr,
        own_idx=own_idx,
        src_ptr=src_ptr,
        src_idx=src_idx,
        serial=np.asarray([plan.serial for plan in every] or [False], dtype=i64),
        choice_route=np.asarray([ri for ri, _ in sim.choices] or [0], dtype=i64),
        choice_customer=np.asarray([ci for _, ci in sim.choices] or [0], dtype=i64),
        plan_route=np.asarray(routes or [0], dtype=i64),
        role=np.asarray(sim.role or [0], dtype=i64),
        st_act=np.asarray([a for plan in every for a in plan.act] or [0], dtype=i64),
    )


class Chains(NamedTuple):
    """The random routes of an office when each is a chain (its steps one after the other,
    its rework loops side by side, none inside another), as :func:`draw_chains` reads them:
    per route its steps ``c_lo[r]:c_hi[r]`` (-1: not random), per step its probability, stop,
    and at a loop's end the loop's first step, probability and most loops (-1: no most); per
    step its alternatives (a doing each, with its share); per doing its route step, effort and
    delay sampler keys (-1: no delay) and :class:`~orgflow.simulate.model.Doing`."""

    random_route: Any
    c_lo: Any
    c_hi: Any
    st_prob: Any
    st_stop: Any
    st_lstart: Any
    st_lp: Any
    st_lmax: Any
    act_ptr: Any
    act_share: Any
    act_doing: Any
    doing_step: Any
    doing_effort: Any
    doing_delay: Any
    doings: list[Any]


def chains(sim: SimOffice) -> Chains | None:
    """The office's random routes as chains, or None when one is not a chain (then the
    routes are drawn by :func:`orgflow.routing.draw_route`, one request at a time)."""
    random_route = [int(r.random) for r in sim.routes]
    c_lo, c_hi = [-1] * len(sim.routes), [-1] * len(sim.routes)
    prob: list[float] = []
    stop: list[float] = []
    lstart: list[int] = []
    lp: list[float] = []
    lmax: list[int] = []
    act_ptr = [0]
    share: list[float] = []
    act_doing: list[int] = []
    doings: list[Any] = []
    doing_step: list[int] = []
    for ri, route in enumerate(sim.routes):
        if not route.random:
            continue
        model = sim.models[ri]
        order = model.order
        for x, sid in enumerate(order):
            if tuple(model.steps[sid].preds) != ((order[x - 1],) if x else ()):
                return None
        if any(model.children[lp_] for lp_ in model.loops):
            return None
        base = len(prob)
        at = {sid: base + x for x, sid in enumerate(order)}
        ends = {loop.end: loop for loop in model.loops}
        c_lo[ri], c_hi[ri] = base, base + len(order)
        for sid in order:
            step = model.steps[sid]
            loop = ends.get(sid)
            prob.append(step.probability)
            stop.append(step.stop)
            lstart.append(at[loop.start] if loop is not None else -1)
            lp.append(loop.probability if loop is not None else 0.0)
            lmax.append(-1 if loop is None or loop.max is None else loop.max)
            si = sim.step_index[ri][sid]
            for activity, part in step.activities:
                share.append(part)
                act_doing.append(len(doings))
                doings.append(sim.doings[ri][si][activity])
                doing_step.append(si)
            act_ptr.append(len(share))
    i64, f64 = np.int64, np.float64
    return Chains(
        random_route=np.asarray(random_route, dtype=bool),
        c_lo=np.asarray(c_lo, dtype=i64),
        c_hi=np.asarray(c_hi, dtype=i64),
        st_prob=np.asarray(prob or [0.0], dtype=f64),
        st_stop=np.asarray(stop or [0.0], dtype=f64),
        st_lstart=np.asarray(lstart or [0], dtype=i64),
        st_lp=np.asarray(lp or [0.0], dtype=f64),
        st_lmax=np.asarray(lmax or [0], dtype=i64),
        act_ptr=np.asarray(act_ptr, dtype=i64),
        act_share=np.asarray(share or [0.0], dtype=f64),
        act_doing=np.asarray(act_doing or [0], dtype=i64),
        doing_step=np.asarray(doing_step or [0], dtype=i64),
        doing_effort=np.asarray([d.effort for d in doings] or [0], dtype=i64),
        doing_delay=np.asarray([d.delay for d in doings] or [0], dtype=i64),
        doings=doings,
    )


#: Uniforms drawn at a time for :func:`draw_chains`, and its room for executions at first
#: per request of a window (both grow when short).
UNIFORMS = 1 << 16
ROOM = 8


#: Room at first for events (beyond the absences), requests in flight and queued items: each
#: doubles when full.
START = 1024
#: Lead times kept in the kernel before they are moved out.
OUT = 8192


class KernelRun:
    """One run of the compiled event engine: build it, then :meth:`run` (the same interface
    and the same result as :class:`~orgflow.simulate.events.EventRun`)."""

    def __init__(
        self,
        sim: SimOffice,
        seed: int,
        run: int,
        horizon: float,
        warmup: float,
        present: bool = False,
    ) -> None:
        compile_kernel()
        self.sim = sim
        self.horizon, self.warmup = horizon, warmup
        self.rng = np.random.default_rng([seed, run, 2])  # efforts, drawn at arrival
        self.chunks = arrival_chunks(seed, run, sim.total_rate, sim.cum, horizon, sim.profile)
        # Random routes (issue 13): each request's route drawn at its arrival as the Python
        # engine draws it; each distinct drawn route becomes a plan of the tables.
        seeds = np.random.SeedSequence([seed, run, 3]).generate_state(1)
        self.route_rng = Random(int(seeds[0]))
        self.plans: list[Any] = []
        self.plan_route: list[int] = []
        self.plan_of: dict[tuple[Any, ...], int] = {}
        # Chain routes are drawn by the kernel (draw_chains) from the same stream as
        # route_rng's random(): numpy's Mersenne Twister in the same state.
        self.chains = chains(sim) if sim.random_routes else None
        if self.chains is not None:
            state = self.route_rng.getstate()[1]
            self.uniform = np.random.RandomState()
            keys = np.asarray(state[:624], dtype=np.uint32)
            self.uniform.set_state(("MT19937", keys, int(state[624]), 0, 0.0))
            self.u = self.uniform.random_sample(UNIFORMS)
            self.upos = 0
            self.plan_of_hash: dict[int, int] = {}
            self.out_doing = self.out_step = np.zeros(0, dtype=np.int64)
            self.hash_table()
        k = tables(sim)
        n = len(sim.people_ids)
        width = max([len(r.steps) for r in sim.routes] or [1])
        who: list[int] = []
        starts: list[float] = []
        ends: list[float] = []
        for p in range(n):
            for away_from, away_to in sim.away(seed, run, p, horizon, present):
                who.append(p)
                starts.append(away_from)
                ends.append(away_to)
        self.dims = {
            "n": n,
            "pools": len(sim.pool_members),
            "pmembers": max(sum(len(m) for m in sim.pool_members), 1),
            "width": width,
            "heap": 2 * len(who) + n + START,
            "slots": START,
            "items": START,
            "out": OUT,
            "chunk": CHUNK,
            "acts": max(len(sim.activity_ids), 1),
            "margin": width + 2,  # the most events or items one event makes
        }
        self.k = k
        s = allocate(self.dims)
        s.pi[:, PRESENT] = 1
        s.pi[:, HAND_REQ] = -1
        s.pf[:, IDLE_SINCE] = -np.inf
        s.pi[:, [Q_HEAD, Q_TAIL, W_HEAD, W_TAIL]] = -1
        s.pq[:, [PQ_HEAD, PQ_TAIL]] = -1
        s.sc_i[FREE_N] = self.dims["slots"]
        s.r_free[:] = np.arange(self.dims["slots"] - 1, -1, -1)
        s.it_i[:, I_NEXT] = np.arange(1, self.dims["items"] + 1)
        s.it_i[-1, I_NEXT] = -1
        s.sc_i[ITEM_FREE] = 0
        s.sc_i[ITEMS_FREE_N] = self.dims["items"]
        s.sc_i[MORE] = 1
        s.sc_i[MARGIN] = self.dims["margin"]
        s.sc_i[NEED_NEXT] = 1
        s.sc_f[HORIZON] = horizon
        s.sc_f[WARMUP] = warmup
        s.sc_f[HANDOFF] = sim.handoff
        s.sc_f[TICK] = horizon / 100
        s.sc_f[NEXT_TICK] = horizon / 100
        self.s = s
        seed_absences(
            s,
            np.asarray(who, dtype=np.int64),
            np.asarray(starts, dtype=np.float64),
            np.asarray(ends, dtype=np.float64),
        )
        self.lead_times = array("d")
        self.route_of = array("q")
        self.customer_of = array("q")
        self.number_of = array("q")

    def next_chunk(self) -> None:
        """The next window of arrivals and their efforts (as the Python engine draws them)."""
        # (No name for the state here: a longer drawn route reallocates it, the old arrays
        # let go one by one.)
        chunk = next(self.chunks, None)
        while chunk is not None and not len(chunk[0]):
            chunk = next(self.chunks, None)
        if chunk is None:
            self.s.sc_i[MORE] = 0
            self.s.sc_i[CHUNK_N] = 0
            self.s.sc_i[CHUNK_POS] = 0
            return
        times, choice = chunk
        m = len(times)  # at most CHUNK (the windows the arrivals are drawn in)
        sim = self.sim
        efforts = sim.efforts(self.rng, choice)
        drawn: dict[int, Drawn] = {}
        if self.chains is not None:
            self.chunk_of_chains(times, choice, efforts)
            return
        if sim.random_routes:  # after the plain routes' efforts, as the Python engine
            drawn = sim.draw_routes(self.route_rng, self.rng, choice)
            plans = self.plan_drawn(drawn, choice)
        s = self.s
        s.ch_t[:m] = times
        s.ch_c[:m] = choice
        s.ch_p[:m] = sim.choice_route[choice]
        for _ri, rows, work in efforts:
            s.ch_w[rows, : work.shape[0]] = work.T
        if drawn:
            s.ch_d[:m] = 0.0
            s.ch_p[list(drawn)] = plans
            for row, d in drawn.items():
                if d.work:
                    s.ch_w[row, : len(d.work)] = d.work
                    s.ch_d[row, : len(d.delay)] = d.delay
        s.sc_i[CHUNK_N] = m
        s.sc_i[CHUNK_POS] = 0

    def chunk_of_chains(self, times: Any, choice: Any, efforts: Any) -> None:
        """A window of arrivals on an office whose random routes are chains: the routes drawn
        by :func:`draw_chains`, their efforts and delays by numpy per sampler, as the Python
        engine draws them, and placed with each request's plan (found by a hash of its
        executions) by :func:`place_chains`."""
        sim, c = self.sim, self.chains
        assert c is not None
        m = len(times)
        route = sim.choice_route[choice]
        row_route = np.where(c.random_route[route], route, -1)
        if len(self.out_doing) < ROOM * m + 64:
            self.out_doing = np.zeros(ROOM * m + 64, dtype=np.int64)
            self.out_step = np.zeros(ROOM * m + 64, dtype=np.int64)
        out_n = np.zeros(m, dtype=np.int64)
        io = np.asarray([0, self.upos, 0, 0], dtype=np.int64)
        while True:
            draw_chains(
                row_route, c.c_lo, c.c_hi, c.st_prob, c.st_stop, c.st_lstart, c.st_lp,
                c.st_lmax, c.act_ptr, c.act_share, c.act_doing, self.u, io, self.out_doing,
                self.out_step, out_n,
            )  # fmt: skip
            if not io[3]:
                break
            if io[3] == 1:  # more uniforms, the rest kept in order (twice as many when one
                # request needs more than all there were)
                more = UNIFORMS if io[1] else max(UNIFORMS, len(self.u))
                self.u = np.concatenate([self.u[io[1] :], self.uniform.random_sample(more)])
                io[1] = 0
            else:  # more room for the executions
                room = 2 * len(self.out_doing)
                self.out_doing = np.resize(self.out_doing, room)
                self.out_step = np.resize(self.out_step, room)
        self.upos = int(io[1])
        n = int(io[2])
        doing = self.out_doing[:n]
        longest = int(out_n.max()) if m else 0
        if longest > self.dims["width"]:  # a longer route than any so far: wider slots
            self.flush()
            self.reallocate({**self.dims, "width": longest, "margin": longest + 2})
        # Each sampler's values for the window, in the order of its key (as the Python engine).
        eff_val, eff_at = self.values(c.doing_effort[doing], sim.samplers)
        del_val, del_at = self.values(c.doing_delay[doing], sim.delay_samplers, delays=True)
        s = self.s
        s.ch_t[:m] = times
        s.ch_c[:m] = choice
        s.ch_p[:m] = route
        for _ri, where, w in efforts:
            s.ch_w[where, : w.shape[0]] = w.T
        row_hash = np.zeros(m, dtype=np.int64)
        unknown = np.zeros(m, dtype=np.int64)
        found = place_chains(
            row_route, doing, out_n, c.doing_effort, c.doing_delay, eff_val, eff_at, del_val,
            del_at, self.ht_key, self.ht_plan, s.ch_w, s.ch_d, s.ch_p, row_hash, unknown,
        )  # fmt: skip
        if found:
            self.plans_of(unknown[:found].tolist(), row_hash, out_n, doing, row_route)
        s.sc_i[CHUNK_N] = m
        s.sc_i[CHUNK_POS] = 0

    def values(self, keys: Any, samplers: list[Any], delays: bool = False) -> tuple[Any, Any]:
        """The draws of a window per sampler: for each key (ascending) as many values as
        executions use it, drawn one key after the other (delays: none below 0; keys below 0
        have none), and where each key's block starts."""
        at = np.zeros(max(len(samplers), 1), dtype=np.int64)
        if delays:
            keys = keys[keys >= 0]
        if not len(keys):
            return np.zeros(1), at
        counts = np.bincount(keys, minlength=len(samplers))
        np.cumsum(counts[:-1], out=at[1:])
        blocks = [samplers[key](self.rng, int(counts[key])) for key in np.flatnonzero(counts)]
        values = np.concatenate(blocks)
        if delays:
            np.maximum(values, 0.0, out=values)
        return values, at

    def plans_of(
        self, rows: list[int], row_hash: Any, out_n: Any, doing: Any, row_route: Any
    ) -> None:
        """The plans of the requests ``rows`` (their hash not in the table yet): new ones made
        (:meth:`new_plan`), the table and the tables updated."""
        from orgflow.simulate.model import Drawn

        c = self.chains
        assert c is not None
        s = self.s
        first = np.zeros(len(out_n) + 1, dtype=np.int64)
        np.cumsum(out_n, out=first[1:])
        added = []
        for row in rows:
            hv = int(row_hash[row])
            plan = self.plan_of_hash.get(hv, -1)
            if plan < 0:
                lo, hi = int(first[row]), int(first[row + 1])
                ds = doing[lo:hi].tolist()
                d = Drawn(
                    c.doing_step[doing[lo:hi]].tolist(),
                    [c.doings[x] for x in ds],
                    [(x - 1,) if x else () for x in range(hi - lo)],
                    s.ch_w[row, : hi - lo].tolist(),
                    s.ch_d[row, : hi - lo].tolist(),
                )
                plan = self.plan_of_hash[hv] = self.new_plan(d, int(row_route[row]))
                added.append(hv)
            s.ch_p[row] = plan
        if added:
            self.refresh()
            self.hash_table()

    def hash_table(self) -> None:
        """The open-addressing table of the plans by hash that :func:`place_chains` reads (at
        most half full)."""
        size = 64
        while size < 2 * len(self.plan_of_hash):
            size *= 2
        self.ht_key = np.zeros(size, dtype=np.int64)
        self.ht_plan = np.zeros(size, dtype=np.int64)
        mask = size - 1
        for h, plan in self.plan_of_hash.items():
            i = (h ^ (h >> 29)) & mask
            while self.ht_key[i] != 0:
                i = (i + 1) & mask
            self.ht_key[i] = h
            self.ht_plan[i] = plan

    def new_plan(self, d: Drawn, route: int) -> int:
        """A new plan, of the drawn route ``d`` of route ``route`` (tables: :meth:`refresh`)."""
        from orgflow.simulate.events import drawn_plan

        plan = len(self.sim.routes) + len(self.plans)
        self.plans.append(drawn_plan(d, self.sim.handoff))
        self.plan_route.append(route)
        return plan

    def refresh(self) -> None:
        """The tables with the plans added, the arrays wider for a longer drawn route."""
        self.k = tables(self.sim, self.plans, self.plan_route)
        width = max(len(p.owners) for p in self.plans)
        if width > self.dims["width"]:
            self.flush()
            self.reallocate({**self.dims, "width": width, "margin": width + 2})

    def key(self, d: Drawn, choice: int) -> tuple[Any, ...]:
        """What a drawn route's plan depends on: its route, executions, what each waits for,
        and which have an external delay (not continued at once)."""
        return (
            self.sim.choices[choice][0],
            tuple(d.steps),
            tuple(map(id, d.doings)),
            tuple(d.waits),
            tuple(x > 0 for x in d.delay),
        )

    def plan_drawn(self, drawn: dict[int, Drawn], choice: Any) -> list[int]:
        """The plan of each drawn route, in order: those not seen before added to the tables
        (wider arrays when a drawn route is longer than any so far)."""
        out = []
        plan_of = self.plan_of
        added = False
        for row, d in drawn.items():
            key = self.key(d, int(choice[row]))
            plan = plan_of.get(key, -1)
            if plan < 0:
                plan = plan_of[key] = self.new_plan(d, key[0])
                added = True
            out.append(plan)
        if added:
            self.refresh()
        return out

    def flush(self) -> None:
        """Move the finished requests' lead times out of the kernel's buffer."""
        s = self.s
        n = int(s.sc_i[OUT_N])
        if n:
            self.lead_times.frombytes(s.o_lead[:n].tobytes())
            self.route_of.frombytes(np.ascontiguousarray(s.o_i[:n, 0]).tobytes())
            self.customer_of.frombytes(np.ascontiguousarray(s.o_i[:n, 1]).tobytes())
            self.number_of.frombytes(np.ascontiguousarray(s.o_i[:n, 2]).tobytes())
            s.sc_i[OUT_N] = 0

    def grow(self) -> None:
        """Double whatever the kernel found too small (new arenas, the state copied)."""
        self.flush()
        sc_i, dims = self.s.sc_i, dict(self.dims)
        margin = dims["margin"]
        if sc_i[HEAP_N] + margin > dims["heap"]:
            dims["heap"] = 2 * dims["heap"] + margin
        if sc_i[ITEMS_FREE_N] < margin:
            dims["items"] = 2 * dims["items"] + margin
        if sc_i[FREE_N] < 1:
            dims["slots"] *= 2
        del sc_i
        if dims == self.dims:
            return
        self.reallocate(dims)

    def reallocate(self, dims: dict[str, int]) -> None:
        """New arrays of sizes ``dims`` (none smaller), the state copied region by region,
        each old array let go once copied: at the peak the state and one region more, not two
        states (a run that draws ever longer routes reallocates now and then)."""
        arrays = list(self.s)
        del self.s
        for at in range(len(REGIONS)):
            old = arrays[at]
            arrays[at] = region(at, dims)
            arrays[at][tuple(slice(0, d) for d in old.shape)] = old
            del old
        new = State(*arrays)
        new.sc_i[MARGIN] = dims["margin"]
        old_items, items = self.dims["items"], dims["items"]
        if items > old_items:  # the new records at the front of the free list
            new.it_i[old_items:, I_NEXT] = np.arange(old_items + 1, items + 1)
            new.it_i[-1, I_NEXT] = new.sc_i[ITEM_FREE]
            new.sc_i[ITEM_FREE] = old_items
            new.sc_i[ITEMS_FREE_N] += items - old_items
        old_slots, slots = self.dims["slots"], dims["slots"]
        if slots > old_slots:  # every slot was taken: the new ones are the free ones
            new.r_free[: slots - old_slots] = np.arange(slots - 1, old_slots - 1, -1)
            new.sc_i[FREE_N] = slots - old_slots
        self.s, self.dims = new, dims

    def run(self, progress: Callable[[float], None] | None = None) -> RunResult:
        """Simulate up to the horizon; requests arriving before the warm-up load the office
        but are not counted."""
        self.s.sc_i[PROGRESS_ON] = progress is not None
        while True:
            status = advance(self.k, self.s)
            if status == DONE:
                break
            if status == NEED_CHUNK:
                self.next_chunk()
            elif status == NEED_SPACE:
                self.grow()
            elif progress is not None:
                progress(float(self.s.sc_f[NOW]) / self.horizon)
        finalize(self.k, self.s)
        self.flush()
        return self.result()

    def result(self) -> RunResult:
        from orgflow.simulate.model import RunResult

        s = self.s
        end = max(self.horizon, self.warmup)
        window = end - self.warmup
        pf = s.pf.tolist()
        pi = s.pi.tolist()
        utilization, mean_queue = [], []
        for f, i in zip(pf, pi, strict=True):
            working = i[HAND_REQ] >= 0 and i[PRESENT]
            busy = (f[BUSY_TOTAL] + end - f[BUSY_SINCE] if working else f[BUSY_TOTAL]) - f[
                SNAP_BUSY
            ]
            away = f[AWAY_TOTAL] if i[PRESENT] else f[AWAY_TOTAL] + end - f[AWAY_SINCE]
            here = window - (away - f[SNAP_AWAY])
            utilization.append(busy / here if here > 0 else 0.0)
            mean_queue.append(f[Q_AREA] / end if end > 0 else 0.0)
        parts = s.sc_f[PART0 : PART0 + 5].tolist()
        return RunResult(
            lead_times=np.frombuffer(self.lead_times, dtype=np.float64),
            route_of=np.frombuffer(self.route_of, dtype=np.int64),
            customer_of=np.frombuffer(self.customer_of, dtype=np.int64),
            number_of=np.frombuffer(self.number_of, dtype=np.int64),
            parts_sum=(parts[0], parts[1], parts[2], parts[3]),
            external_sum=parts[4],
            person_changes=int(s.sc_i[PERSON_CHANGES]),
            role_changes=int(s.sc_i[ROLE_CHANGES]),
            activity_counts=s.act_n[: len(self.sim.activity_ids)].tolist(),
            completed=int(s.sc_i[COMPLETED]),
            open_at_end=int(s.sc_i[OPENED] - s.sc_i[FINISHED]),
            open_at_warmup=int(s.sc_i[OPEN_AT_WARMUP]),
            utilization=utilization,
            mean_queue=mean_queue,
            max_queue=[i[Q_MAX] for i in pi],
            delayed_share=[i[DELAYED] / i[ITEMS] if i[ITEMS] else 0.0 for i in pi],
        )
