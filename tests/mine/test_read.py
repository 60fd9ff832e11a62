"""Reading logs: formats, column conventions and bad input (file:line:column, exit 2)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orgflow.cli import app

from .conftest import at, write_csv

HEADER = ["case:concept:name", "concept:name", "org:resource", "start_timestamp", "time:timestamp"]


def _run(*args: str) -> object:
    return CliRunner().invoke(app, list(args))


def test_a_missing_column_names_the_columns_and_a_near_one(tmp_path: Path) -> None:
    log = write_csv(tmp_path / "l.csv", HEADER, [[1, "a", "ann", at(0), at(1)]])
    result = _run("mine", str(log), "--resource", "org:resorce")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert f"{log}:1:1: no column 'org:resorce' (--resource); did you mean 'org:resource'?" in (
        result.stderr  # type: ignore[attr-defined]
    )
    assert "the columns are: case:concept:name, concept:name" in result.stderr  # type: ignore[attr-defined]


def test_an_unparseable_timestamp_names_its_line_column_and_value(tmp_path: Path) -> None:
    rows = [[1, "a", "ann", at(0), at(1)], [1, "b", "bob", "tomorrow", at(2)]]
    log = write_csv(tmp_path / "l.csv", HEADER, rows)
    result = _run("mine", str(log))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    # Row 2 of the data is line 3 of the file; start_timestamp is the 4th column.
    assert f"{log}:3:4: 'tomorrow' in column 'start_timestamp' is not a timestamp" in (
        result.stderr  # type: ignore[attr-defined]
    )
    assert "Traceback" not in result.stderr  # type: ignore[attr-defined]


def test_an_empty_log_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = _run("mine", str(empty))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "the log is empty" in result.stderr  # type: ignore[attr-defined]
    header_only = write_csv(tmp_path / "h.csv", HEADER, [])
    result = _run("mine", str(header_only))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "the log is empty" in result.stderr  # type: ignore[attr-defined]


def test_day_first_timestamps_and_semicolons(tmp_path: Path) -> None:
    from orgflow.mine.read import Columns, fetch, read_log

    rows = [[1, "a", "ann", "02/01/2024 09:00", "02/01/2024 10:30"]]
    log = read_log([write_csv(tmp_path / "l.csv", HEADER, rows, sep=";")], Columns())
    e = fetch(log.events)
    # 2 January 2024 09:00 UTC = 1704186000; 1.5 h later.
    assert e["start"] == [1704186000.0]
    assert e["end"] == [1704186000.0 + 5400.0]


def test_time_zones_are_instants(tmp_path: Path) -> None:
    from orgflow.mine.read import Columns, fetch, read_log

    # 10:00+02:00 is 08:00 UTC; 09:00Z is an hour later.
    rows = [[1, "a", "ann", "2024-01-02 10:00:00+02:00", "2024-01-02T09:00:00Z"]]
    log = read_log([write_csv(tmp_path / "l.csv", HEADER, rows)], Columns())
    e = fetch(log.events)
    assert e["end"][0] - e["start"][0] == 3600.0


def _xes(events: list[tuple[str, str, str, str, str]]) -> str:
    traces: dict[str, list[str]] = {}
    for case, act, res, life, ts in events:
        traces.setdefault(case, []).append(
            f'<event><string key="concept:name" value="{act}"/>'
            f'<string key="org:resource" value="{res}"/>'
            f'<string key="lifecycle:transition" value="{life}"/>'
            f'<date key="time:timestamp" value="{ts}"/></event>'
        )
    body = "".join(
        f'<trace><string key="concept:name" value="{c}"/>{"".join(es)}</trace>'
        for c, es in traces.items()
    )
    return f'<?xml version="1.0"?><log xes.version="1.0">{body}</log>'


@pytest.mark.parametrize("gz", [False, True])
def test_xes_streams_into_the_same_events(tmp_path: Path, gz: bool) -> None:
    from orgflow.mine.read import Columns, fetch, read_log

    text = _xes(
        [
            ("1", "a", "ann", "start", at(0)),
            ("1", "a", "ann", "complete", at(1)),
            ("1", "b", "bob", "start", at(2)),
            ("1", "b", "bob", "complete", at(4)),
        ]
    )
    path = tmp_path / ("l.xes.gz" if gz else "l.xes")
    if gz:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    log = read_log([path], Columns())
    assert log.shape == "lifecycle"
    e = fetch(log.events.order_by("start"))
    assert e["activity"] == ["a", "b"]
    assert [(b - a) / 3600 for a, b in zip(e["start"], e["end"], strict=True)] == [1.0, 2.0]


def test_xes_batches_are_joined_with_the_columns_seen_later(tmp_path: Path) -> None:
    # Batches of two events go to disk one by one (memory holds one batch); a key first seen
    # in the second batch (org:role) becomes a column, empty for the events before it, and the
    # parts are removed.
    import pyarrow.parquet as pq

    from orgflow.mine.read import xes_to_parquet

    text = _xes([(str(c), "a", "ann", "complete", at(c)) for c in range(3)])
    text = text.replace(
        '<string key="concept:name" value="a"/><string key="org:resource" value="ann"/>'
        '<string key="lifecycle:transition" value="complete"/>'
        f'<date key="time:timestamp" value="{at(2)}"/>',
        '<string key="concept:name" value="a"/><string key="org:resource" value="ann"/>'
        '<string key="lifecycle:transition" value="complete"/>'
        f'<date key="time:timestamp" value="{at(2)}"/><string key="org:role" value="buyer"/>',
    )
    path = tmp_path / "l.xes"
    path.write_text(text)
    out = tmp_path / "out"
    out.mkdir()
    target = xes_to_parquet(path, out, batch=2)
    table = pq.read_table(str(target)).to_pydict()
    assert table["case:concept:name"] == ["0", "1", "2"]
    assert table["org:role"] == [None, None, "buyer"]
    assert sorted(p.name for p in out.iterdir()) == [target.name]


def test_broken_xes_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.xes"
    path.write_text('<?xml version="1.0"?>\n<log>\n<trace>\n</log>\n')
    result = _run("mine", str(path))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert f"{path}:4:" in result.stderr  # type: ignore[attr-defined]


def test_parquet_and_a_table_of_a_backend(tmp_path: Path) -> None:
    import duckdb

    csv = write_csv(tmp_path / "l.csv", HEADER, [[1, "a", "ann", at(0), at(1)]])
    db = tmp_path / "log.duckdb"
    con = duckdb.connect(str(db))
    con.execute(f"CREATE TABLE events AS SELECT * FROM read_csv('{csv}')")
    con.execute(f"COPY events TO '{tmp_path / 'l.parquet'}' (FORMAT parquet)")
    con.close()
    for args in (
        [str(tmp_path / "l.parquet")],
        ["--backend", f"duckdb://{db}", "--table", "events"],
    ):
        result = _run("mine", *args, "-f", "json")
        assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
        assert '"events": 1' in result.stdout  # type: ignore[attr-defined]


def test_help_imports_no_engine() -> None:
    import subprocess
    import sys

    code = "import sys, orgflow.cli; print(any(m in sys.modules for m in ('ibis', 'duckdb')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_the_extra_the_install_command_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "ibis", None)
    result = _run("mine", "whatever.csv")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "pip install 'orgflow[mine]'" in result.stderr  # type: ignore[attr-defined]


def test_without_output_the_org_file_goes_to_stdout_and_the_figures_to_stderr(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    log = write_csv(tmp_path / "l.csv", HEADER, [[1, "a", "ann", at(0), at(1)]])
    out = subprocess.run(
        [sys.executable, "-m", "orgflow.cli", "mine", str(log)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# Mined by 'orgflow mine' from l.csv")
    assert out.stderr.startswith("Log: 1 event, 1 request (1 completed")
    quiet = subprocess.run(
        [sys.executable, "-m", "orgflow.cli", "-q", "mine", str(log)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert quiet.stderr == ""


def test_since_and_until_keep_the_events_of_those_days(tmp_path: Path) -> None:
    import json

    rows = [
        [1, "a", "ann", at(0), at(1)],  # Monday 1 January
        [2, "a", "ann", at(24), at(25)],  # Tuesday 2 January
        [3, "a", "ann", at(48), at(49)],  # Wednesday 3 January
    ]
    log = write_csv(tmp_path / "l.csv", HEADER, rows)
    result = _run("mine", str(log), "--since", "2024-01-02", "--until", "2024-01-02", "-f", "json")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert data["log"]["requests"] == 1
    assert data["log"]["first_arrival"].startswith("2024-01-02")
