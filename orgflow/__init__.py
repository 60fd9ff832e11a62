"""orgflow: find the serial handoff chains, lead times and single points of failure of an office.

From Python::

    import orgflow
    office = orgflow.load("samples/serial.yaml")
    result = orgflow.analyze(office)
    print(result.summary.lead_time_hours)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgflow.diagnostics import Diagnostic, OrgFileError

if TYPE_CHECKING:
    import os

    from orgflow.analysis.summary import Analysis
    from orgflow.office import Office

__all__ = ["Diagnostic", "OrgFileError", "analyze", "load", "load_text"]
__version__ = "0.1.0"


def load(path: str | os.PathLike[str]) -> Office:
    """Load, resolve and check an org file: the :class:`~orgflow.office.Office` every command
    reads (``office.org`` is the file's content, ``office.warnings`` its warnings). Raises
    :class:`OrgFileError` listing every problem."""
    from orgflow.analysis.lint import open_office
    from orgflow.loader import load as _load

    return open_office(_load(path))


def load_text(text: str, file: str = "<string>") -> Office:
    """:func:`load` from YAML text (``file`` names it in messages)."""
    from orgflow.analysis.lint import open_office
    from orgflow.loader import load_text as _load_text

    return open_office(_load_text(text, file))


def analyze(office: Office) -> Analysis:
    """Run every analysis of ``orgflow analyze`` and return the typed result."""
    from orgflow.analysis.summary import analyze as _analyze

    return _analyze(office)
