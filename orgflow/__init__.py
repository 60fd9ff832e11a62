"""orgflow: find the serial handoff chains, lead times and single points of failure of an office.

From Python::

    import orgflow
    org = orgflow.load("samples/serial.yaml")
    result = orgflow.analyze(org)
    print(result.summary.lead_time_hours)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgflow.diagnostics import Diagnostic, OrgFileError

if TYPE_CHECKING:
    import os

    from orgflow.analysis.summary import Analysis
    from orgflow.model import Org

__all__ = ["Diagnostic", "OrgFileError", "analyze", "load", "load_text"]
__version__ = "0.1.0"


def load(path: str | os.PathLike[str]) -> Org:
    """Load and check an org file; raises :class:`OrgFileError` listing every problem."""
    from orgflow.loader import load as _load

    return _load(path)


def load_text(text: str, file: str = "<string>") -> Org:
    """Load an org from YAML text (``file`` names it in messages)."""
    from orgflow.loader import load_text as _load_text

    return _load_text(text, file)


def analyze(org: Org) -> Analysis:
    """Run every analysis of ``orgflow analyze`` and return the typed result."""
    from orgflow.analysis.summary import analyze as _analyze

    return _analyze(org)
