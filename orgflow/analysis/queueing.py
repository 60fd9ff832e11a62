"""Closed-form queue waits: M/M/1, M/G/1 (Pollaczek-Khinchine), Erlang C, Allen-Cunneen, and
service completion times stretched by absences (preemptive-resume interruptions).

All times are in working hours; ``inf`` means the queue is unstable (utilization >= 1).
"""

from __future__ import annotations

import math

INF = math.inf


def mm1_wait(arrival_rate: float, mean_service: float) -> float:
    """Mean wait in queue of M/M/1: rho / (1 - rho) * E[S].

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

    >>> completion_moments(1.0, 1.0, 1.0, 16.0)
    (1.0, 1.0)
    >>> completion_moments(1.0, 1.0, 0.5, 1.0)  # f = 1: E[C] = 2, E[C^2] = 4 + 1 * 1 * 2
    (2.0, 6.0)
    """
    if availability >= 1 or spell <= 0:
        return mean, second_moment
    f = (1 - availability) / (availability * spell)
    return mean / availability, second_moment / availability**2 + f * mean * 2 * spell**2
