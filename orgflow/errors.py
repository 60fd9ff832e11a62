"""The errors orgflow raises for what a user did or asked, one per layer, each carrying a
message meant for them. The command line catches them at its boundary (exit 2, the message on
standard error, never a traceback); a plain ``ValueError`` is left for pydantic's validators
and for bugs.

- :class:`~orgflow.diagnostics.OrgFileError` (the loader and the lint pass): an unusable org
  file, with every diagnostic;
- :class:`SimulationError` (``orgflow.simulate``): a simulation that cannot run as asked;
- :class:`ProposalError` (``orgflow.propose``): a proposal that cannot be made;
- :class:`~orgflow.mine.MineError` (``orgflow.mine``): an event log that cannot be read.
"""

from __future__ import annotations


class OrgflowError(Exception):
    """A problem to tell the user, in their terms (the message is shown as it is)."""


class SimulationError(OrgflowError):
    """A simulation that cannot run as asked (an engine that cannot run the office, a run too
    large)."""


class ProposalError(OrgflowError):
    """A reorganisation that cannot be proposed (nobody to give the work to)."""
