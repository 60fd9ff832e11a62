"""``orgflow mine`` and ``orgflow fit``: from an event log to an org file, and back.

The aggregations are written once against Ibis expressions, so they run on the embedded DuckDB
engine by default and on any engine Ibis drives (PySpark in local mode or on a cluster, a
warehouse) through ``--backend URL``. Only aggregates come back into Python: figures per
activity, per person, per week, per pair of people, and one row per request at most.

Ibis and DuckDB are an extra (``pip install 'orgflow[mine]'``): nothing here is imported at
``orgflow --help``'s start-up.
"""

from __future__ import annotations

from orgflow.errors import OrgflowError

INSTALL_HINT = "pip install 'orgflow[mine]'"


class MineError(OrgflowError):
    """Unusable input: each line is printed as is (``file:line:column: message``), exit 2."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


def require_ibis() -> None:
    """Raise :class:`MineError` with the install command when the extra is missing."""
    try:
        import duckdb  # noqa: F401
        import ibis  # noqa: F401
    except ImportError as exc:
        raise MineError(
            f"orgflow: reading event logs needs Ibis and DuckDB ({exc.name} is missing)",
            f"  hint: install them with: {INSTALL_HINT}",
        ) from None
