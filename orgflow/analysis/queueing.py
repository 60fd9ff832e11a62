"""Closed-form queue waits: M/M/1, M/G/1 (Pollaczek-Khinchine), Erlang C, Allen-Cunneen, and
service completion times stretched by absences (preemptive-resume interruptions).

All times are in working hours; ``inf`` means the queue is unstable (utilization >= 1).
"""

from __future__ import annotations

import math
from typing import Any

from orgflow.routing import clark_max_normal

INF = math.inf

#: Clark's maximum of two jointly normal times (:func:`orgflow.routing.clark_max_normal`).
clark_max = clark_max_normal


def mm1_wait(arrival_rate: float, mean_service: float) -> float:
    """Mean wait in queue of M/M/1: rho / (1 - rho) * E[S].

    Examples
    --------
    >>> mm1_wait(0.5, 1.0)
    1.0
    """
    rho = arrival_rate * mean_service
    if rho >= 1:
        return INF
    return rho / (1 - rho) * mean_service


def pk_wait(arrival_rate: float, second_moment: float, utilization: float) -> float:
    """Pollaczek-Khinchine mean wait of M/G/1: lambda E[S^2] / (2 (1 - rho)).

    ``utilization`` is passed separately because a person's rho counts all their work while
    ``arrival_rate`` and ``second_moment`` describe the jobs that queue.

    Examples
    --------
    >>> pk_wait(0.5, 2.0, 0.5)  # M/M/1 with E[S] = 1: E[S^2] = 2
    1.0
    """
    if utilization >= 1:
        return INF
    if arrival_rate == 0:
        return 0.0
    return arrival_rate * second_moment / (2 * (1 - utilization))


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in M/M/c (Erlang C); ``offered_load`` a = lambda E[S].

    Examples
    --------
    >>> round(erlang_c(2, 1.0), 6)  # a = 1, c = 2: (1/2 * 2) / (1 + 1 + 1) = 1/3
    0.333333
    """
    c, a = servers, offered_load
    if a <= 0:
        return 0.0
    if a >= c:
        return 1.0
    # Sum a^k / k! for k < c by recurrence, then the c-th term times c / (c - a).
    term = 1.0
    total = 1.0
    for k in range(1, c):
        term *= a / k
        total += term
    last = term * a / c * c / (c - a)
    return last / (total + last)


def mmc_wait(servers: int, arrival_rate: float, mean_service: float) -> float:
    """Mean wait in queue of M/M/c: C(c, a) E[S] / (c - a).

    Examples
    --------
    >>> round(mmc_wait(2, 1.0, 1.0), 6)  # C = 1/3, E[S] / (c - a) = 1
    0.333333
    """
    a = arrival_rate * mean_service
    if a >= servers:
        return INF
    return erlang_c(servers, a) * mean_service / (servers - a)


def allen_cunneen_wait(servers: int, utilization: float, mean_service: float, scv: float) -> float:
    """M/G/c approximation (Allen-Cunneen, Poisson arrivals): W(M/M/c) * (1 + cs^2) / 2.

    Exact for c = 1 (it is then Pollaczek-Khinchine) and for exponential service (M/M/c).

    Examples
    --------
    >>> allen_cunneen_wait(1, 0.5, 1.0, 0.0)  # M/D/1: rho E[S] / (2 (1 - rho)) = 0.5
    0.5
    """
    if utilization >= 1:
        return INF
    if utilization <= 0:
        return 0.0
    a = servers * utilization
    mmc = erlang_c(servers, a) * mean_service / (servers * (1 - utilization))
    return mmc * (1 + scv) / 2


def completion_moments(
    mean: float, second_moment: float, availability: float, spell: float
) -> tuple[float, float]:
    """First two moments of the time to finish a job of work S when the worker is away a share
    ``1 - availability`` of the time, in exponential spells of mean ``spell``, and picks the job
    up where they left it (preemptive resume).

    Away spells start at rate f = (1 - A) / (A D) while present, so a job meets Poisson(f S)
    spells: E[C] = E[S] / A and E[C^2] = E[S^2] / A^2 + f E[S] E[D^2], E[D^2] = 2 D^2.
    (Hopp & Spearman, Factory Physics, "preemptive outages".)

    Examples
    --------
    >>> completion_moments(1.0, 1.0, 1.0, 16.0)
    (1.0, 1.0)
    >>> completion_moments(1.0, 1.0, 0.5, 1.0)  # f = 1: E[C] = 2, E[C^2] = 4 + 1 * 1 * 2
    (2.0, 6.0)
    """
    if availability >= 1 or spell <= 0:
        return mean, second_moment
    f = (1 - availability) / (availability * spell)
    return mean / availability, second_moment / availability**2 + f * mean * 2 * spell**2


def klb_factor(arrival_scv: float, service_scv: float, utilization: float) -> float:
    """GI/G/1 wait relative to M/G/1 (Kraemer & Langenbach-Belz): the GI/G/1 wait is
    rho/(1 - rho) E[S] (ca^2 + cs^2)/2 g, with g = exp(-2(1 - rho)(1 - ca^2)^2 /
    (3 rho (ca^2 + cs^2))) when ca^2 < 1 and g = 1 otherwise; divided by the M/G/1 wait
    rho/(1 - rho) E[S] (1 + cs^2)/2. Poisson arrivals (ca^2 = 1) give 1.

    Examples
    --------
    >>> klb_factor(1.0, 0.0, 0.5)
    1.0
    >>> klb_factor(2.0, 1.0, 0.5)  # (2 + 1) / (1 + 1)
    1.5
    """
    if arrival_scv == 1.0:
        return 1.0
    total = arrival_scv + service_scv
    g = 1.0
    if arrival_scv < 1 and utilization > 0 and total > 0:
        g = math.exp(-2 * (1 - utilization) * (1 - arrival_scv) ** 2 / (3 * utilization * total))
    return total / (1 + service_scv) * g


def qna_departure_scv(arrival_scv: float, completion_scv: float, utilization: float) -> float:
    """Whitt's QNA departure variability c_d^2 = rho^2 c_s^2 + (1 - rho^2) c_a^2.

    Examples
    --------
    >>> qna_departure_scv(1.0, 3.0, 0.5)  # 0.25 * 3 + 0.75 * 1
    1.5
    """
    rho2 = min(utilization, 1.0) ** 2
    return rho2 * completion_scv + (1 - rho2) * arrival_scv


def wait_second_moment(wait: float, busy: float) -> float:
    """E[W^2] of a queue wait of mean ``wait`` when an arrival waits with probability
    ``busy``: no wait, or an exponential wait of mean wait / busy; E[W^2] = 2 wait^2 / busy
    (exact for M/M/1, where busy = rho).

    Examples
    --------
    >>> wait_second_moment(1.0, 0.5)
    4.0
    """
    if wait <= 0:
        return 0.0
    if math.isinf(wait):
        return INF
    return 2 * wait * wait / min(max(busy, 0.05), 1.0)


def modulated_queue(
    base_rate: float,
    away_rate: float,
    burst_rate: float,
    burst_share: float,
    burst_spell: float,
    mean_service: float,
    availability: float,
    spell: float,
) -> tuple[float, float]:
    """Extra mean wait from arrivals that come in bursts, for the regular and the burst items of
    one person (working hours): the backup who receives the work that arrives while the people
    before them are away (an MMPP/M/1 queue with server interruptions, Heffes & Lucantoni 1986;
    Yechiali & Naor 1971), minus the same queue with the same mean rates in a Poisson stream.

    The queue is a quasi-birth-death process: level = items at the person, phase = (person
    present or away) x (burst on or off). While present, items arrive at ``base_rate``, plus
    ``burst_rate`` while the burst is on (a share ``burst_share`` of the time, in exponential
    spells of mean ``burst_spell``), and are served at rate 1 / ``mean_service``; while away,
    items arrive at ``away_rate`` and nothing is served. The present and away spells are
    exponential (away of mean ``spell``, long-run share present ``availability``). An arrival
    waits for the items it finds, N E[S] of work, stretched to N E[S] / A by the absences.
    Returns (extra wait of a regular item, extra wait of a burst item).

    Examples
    --------
    Without bursts there is nothing extra; with them, the item that comes in a burst waits
    longer than the regular one (it finds the queue the burst built):

    >>> modulated_queue(0.1, 0.0, 0.0, 0.2, 8.0, 1.0, 1.0, 16.0)
    (0.0, 0.0)
    >>> regular, burst = modulated_queue(0.1, 0.0, 0.5, 0.2, 8.0, 1.0, 1.0, 16.0)
    >>> 0 < regular < burst
    True
    """
    args = (base_rate, away_rate, burst_rate, burst_share, burst_spell)
    return modulated_queues([(*args, mean_service, availability, spell)])[0]


def modulated_queues(
    queues: list[tuple[float, float, float, float, float, float, float, float]],
) -> list[tuple[float, float]]:
    """:func:`modulated_queue` for many queues at once (each tuple its eight arguments, in
    order): the same QBDs, solved together as stacks of matrices, since numpy's cost per call
    far exceeds the arithmetic on matrices of 2 or 4 phases.

    Examples
    --------
    >>> one = (0.1, 0.0, 0.5, 0.2, 8.0, 1.0, 1.0, 16.0)
    >>> modulated_queues([one, one]) == [modulated_queue(*one)] * 2
    True
    """
    import numpy as np

    out = [(0.0, 0.0)] * len(queues)
    # Queues with the same phases are solved as one stack.
    groups: dict[bool, list[int]] = {}
    for i, (_, _, burst_rate, burst_share, _, mean_service, availability, spell) in enumerate(
        queues
    ):
        if burst_rate <= 0 or burst_share <= 0 or mean_service <= 0:
            continue
        groups.setdefault(availability < 1 and spell > 0, []).append(i)
    for absent, index in groups.items():
        js = [True, False] if absent else [True]
        phases = [(j, m) for j in js for m in (False, True)]
        n = len(phases)
        count = len(index)
        q = np.zeros((count, n, n))
        up_mod = np.zeros((count, n))
        up_poisson = np.zeros((count, n))
        down = np.zeros((count, n))
        for row, i in enumerate(index):
            base, away, burst, share, burst_spell, mean_service, availability, spell = queues[i]
            beta = 1 / burst_spell
            alpha = beta * share / (1 - share) if share < 1 else 1e9
            f = (1 - availability) / (availability * spell) if absent else 0.0
            for a, (j, m) in enumerate(phases):
                for k, (j2, m2) in enumerate(phases):
                    if j == j2 and m != m2:
                        q[row, a, k] = beta if m else alpha
                    elif m == m2 and j != j2:
                        q[row, a, k] = f if j else 1 / spell
                q[row, a, a] = -q[row, a].sum()
                up_mod[row, a] = base + (burst if m else 0.0) if j else away
                up_poisson[row, a] = base + share * burst if j else away
                down[row, a] = 1 / mean_service if j else 0.0
        present = [a for a, (j, _) in enumerate(phases) if j]
        on = [a for a, (j, m) in enumerate(phases) if j and m]

        reg_mod, burst_mod = _qbd_seen(q, up_mod, down, present, on)
        reg_poisson, _ = _qbd_seen(q, up_poisson, down, present, on)
        for row, i in enumerate(index):
            stretch = queues[i][5] / queues[i][6]
            out[i] = (
                float(reg_mod[row] - reg_poisson[row]) * stretch,
                float(burst_mod[row] - reg_poisson[row]) * stretch,
            )
    return out


def _qbd_seen(q: Any, up: Any, down: Any, present: list[int], on: list[int]) -> tuple[Any, Any]:
    """For a stack of QBDs (phase generators ``q``, arrival rates ``up`` and service rates
    ``down`` per phase): the mean number an arrival finds in a present phase, and in a present
    phase with the burst on (the ``present`` and ``on`` phases)."""
    import numpy as np

    count, n = up.shape
    a0, a2 = _diag(up), _diag(down)
    a1 = q - _diag(up + down)
    b1 = q - _diag(up)
    r = _qbd_rate_matrices(a0, a1, a2)
    inv = np.linalg.inv(np.eye(n) - r)
    # pi_0 (B1 + R A2) = 0 with pi_0 (I - R)^-1 1 = 1
    mat = np.swapaxes(b1 + r @ a2, 1, 2).copy()
    mat[:, -1] = inv.sum(axis=2)
    rhs = np.zeros((count, n, 1))
    rhs[:, -1] = 1.0
    pi0 = np.linalg.solve(mat, rhs)[:, :, 0]
    prob = (pi0[:, None, :] @ inv)[:, 0]
    number = (pi0[:, None, :] @ r @ inv @ inv)[:, 0]
    p_present = prob[:, present].sum(axis=1)
    n_present = number[:, present].sum(axis=1) / p_present
    n_on = number[:, on].sum(axis=1) / prob[:, on].sum(axis=1)
    return n_present, n_on


def _diag(rows: Any) -> Any:
    """A stack of diagonal matrices from a stack of diagonals."""
    import numpy as np

    out = np.zeros((*rows.shape, rows.shape[-1]))
    index = np.arange(rows.shape[-1])
    out[:, index, index] = rows
    return out


def _qbd_rate_matrices(a0: Any, a1: Any, a2: Any) -> Any:
    """Minimal solutions R of A0 + R A1 + R^2 A2 = 0 (levels up A0, local A1, down A2) for a
    stack of QBDs, by Latouche and Ramaswami's logarithmic reduction for G, then
    R = A0 (-(A1 + A0 G))^-1. Each QBD stops iterating once its G is stochastic to 1e-13."""
    import numpy as np

    eye = np.eye(a1.shape[-1])
    inv = np.linalg.inv(-a1)
    b0, b2 = inv @ a0, inv @ a2
    g, t = b2.copy(), b0.copy()
    active = np.arange(len(a1))  # the QBDs still iterating
    for _ in range(60):
        c0, c2 = b0[active], b2[active]
        u = c0 @ c2 + c2 @ c0
        m = np.linalg.inv(eye - u)
        b0[active], b2[active] = m @ (c0 @ c0), m @ (c2 @ c2)
        g[active] = g[active] + t[active] @ b2[active]
        t[active] = t[active] @ b0[active]
        done = np.abs(1 - g[active].sum(axis=2)).max(axis=1) < 1e-13
        active = active[~done]
        if not len(active):
            break
    return a0 @ np.linalg.inv(-(a1 + a0 @ g))
