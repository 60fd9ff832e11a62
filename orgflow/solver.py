"""HiGHS, the mixed-integer solver orgflow uses (through highspy), created quietly."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner on the C stdout when created; keep it out of our output."""
    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


def highs(time_limit: float) -> Any:
    """A silent HiGHS instance with a time limit (seconds)."""
    import highspy

    solver: Any = highspy.Highs  # highspy ships no type hints
    with _quiet_stdout():
        h = solver()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    return h
