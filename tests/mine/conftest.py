"""Mining needs the ``mine`` extra (Ibis, DuckDB): without it these tests skip, unless
ORGFLOW_REQUIRE_MINE is set (CI sets it: there they must run)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
PURCHASING = DATA / "purchasing-example.csv"
T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)  # a Monday


def _have_ibis() -> bool:
    try:
        import duckdb  # noqa: F401
        import ibis  # noqa: F401
    except ImportError:
        return False
    return True


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _have_ibis() or os.environ.get("ORGFLOW_REQUIRE_MINE"):
        return
    skip = pytest.mark.skip(reason="the mine extra is not installed: pip install 'orgflow[mine]'")
    for item in items:
        if "tests/mine" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


def at(hours: float) -> str:
    """The instant ``hours`` after Monday 2024-01-01 00:00 UTC, as ISO text."""
    return (T0 + dt.timedelta(hours=hours)).isoformat()


def write_csv(path: Path, header: list[str], rows: list[list[object]], sep: str = ",") -> Path:
    lines = [sep.join(header)] + [sep.join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
