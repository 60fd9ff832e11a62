"""Renderers: turn analysis results into text (rich), JSON and Markdown. They never print."""

from __future__ import annotations

import math


def finite(value: float) -> float | None:
    """A float for JSON: ``None`` stands for an unbounded (infinite) figure.

    Parameters
    ----------
    value : float
        The figure.

    Returns
    -------
    float or None
        Rounded to 6 decimals; None for an infinite or missing figure.
    """
    if value is None or not math.isfinite(value):
        return None
    return round(value, 6)


def count(value: float) -> str:
    """A count that may be an expectation: ``3`` when whole, else one decimal.

    A route's handoffs are a whole number on a fixed route and an expected number where steps
    are drawn (rework, alternatives, optional steps).

    >>> count(3.0), count(11.023499402851893)
    ('3', '11.0')
    """
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def percent(value: float) -> str:
    """A share for people: ``85%``; ``unbounded`` for an infinite one.

    Parameters
    ----------
    value : float
        The figure.

    Returns
    -------
    str
        ``85%``, or ``unbounded``.
    """
    return "unbounded" if not math.isfinite(value) else f"{value:.0%}"
