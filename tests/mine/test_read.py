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


# 2024-03-04 16:40:00 UTC: 2024-03-04 is day 19,786 after 1970-01-01 (1,709,510,400 s), plus
# 16 h 40 min = 60,000 s.
MAR4_1640 = 1709570400.0


def _events(
    tmp_path: Path, start: str, end: str, columns: object = None
) -> dict[str, list[object]]:
    from orgflow.mine.read import Columns, fetch, read_log

    log = write_csv(tmp_path / "l.csv", HEADER, [[1, "a", "ann", start, end]])
    read = read_log([log], columns if isinstance(columns, Columns) else Columns())
    return fetch(read.events)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("1709570400", "1709573220"),  # epoch seconds
        ("1709570400.0", "1709573220.9"),  # seconds as floats, to the second
        ("1709570400000", "1709573220000"),  # epoch milliseconds
        ("1709570400250", "1709573220999"),  # milliseconds, to the second
        ("03/04/2024 04:40:00 PM", "03/04/2024 05:27:00 PM"),  # US 12-hour: month first
        ("03/04/2024 04:40 PM", "03/04/2024 05:27 PM"),
        ("04-Mar-2024 16:40:00", "04-Mar-2024 17:27:00"),
        ("04 Mar 2024 16:40", "04 Mar 2024 17:27"),
        ("04.03.2024 16:40:00.000", "04.03.2024 17:27:00.500"),
    ],
)
def test_usual_timestamp_formats(tmp_path: Path, start: str, end: str) -> None:
    e = _events(tmp_path, start, end)
    # End: 17:27:00 is 47 min = 2,820 s after 16:40:00 (fractions dropped: to the second).
    assert e["start"] == [MAR4_1640]
    assert e["end"] == [MAR4_1640 + 2820.0]


def test_a_date_without_a_time_is_midnight(tmp_path: Path) -> None:
    e = _events(tmp_path, "04-Mar-2024", "05-Mar-2024")
    # 2024-03-04 00:00 = 1,709,510,400 s; one day (86,400 s) later.
    assert e["start"] == [1709510400.0]
    assert e["end"] == [1709510400.0 + 86400.0]


def test_epoch_numbers_in_a_parquet_integer_column(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from orgflow.mine.read import Columns, fetch, read_log

    path = tmp_path / "l.parquet"
    table = {"case_id": ["1"], "activity": ["a"], "resource": ["ann"]}
    columns = {**table, "start_time": [1709570400], "end_time": [1709573220]}
    pq.write_table(pa.table(columns), str(path))
    e = fetch(read_log([path], Columns()).events)
    assert e["start"] == [MAR4_1640]
    assert e["end"] == [MAR4_1640 + 2820.0]  # 1,709,573,220 - 1,709,570,400


def test_a_number_of_no_epoch_magnitude_is_not_a_timestamp(tmp_path: Path) -> None:
    # 12,345 is neither seconds (1e9 to 1e10) nor milliseconds (1e12 to 1e13).
    log = write_csv(tmp_path / "l.csv", HEADER, [[1, "a", "ann", "12345", "12346"]])
    result = _run("mine", str(log))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert f"{log}:2:4: '12345' in column 'start_timestamp' is not a timestamp" in (
        result.stderr  # type: ignore[attr-defined]
    )


def test_an_ambiguous_day_and_month_is_read_day_first_and_said(tmp_path: Path) -> None:
    from orgflow.mine.read import Columns, fetch, read_log

    rows = [[1, "a", "ann", "03/04/2024 16:40", "03/04/2024 17:27"]]
    path = write_csv(tmp_path / "l.csv", HEADER, rows)
    log = read_log([path], Columns())
    # Day first: 3 April 2024, 30 days after 4 March: 1,709,570,400 + 30 x 86,400.
    assert fetch(log.events)["start"] == [MAR4_1640 + 30 * 86400.0]
    assert len(log.warnings) == 2  # the start and the end column
    assert log.warnings[0] == (
        f"column 'start_timestamp' of {path}: the day and month order is ambiguous (no day "
        "above 12 in the first 200 values): read as %d/%m/%Y %H:%M, not %m/%d/%Y %H:%M; "
        "--timestamp-format forces one"
    )
    forced = read_log([path], Columns(timestamp_format="%m/%d/%Y %H:%M"))
    assert fetch(forced.events)["start"] == [MAR4_1640]  # month first: 4 March
    assert forced.warnings == []


def test_a_day_above_12_settles_the_order(tmp_path: Path) -> None:
    from orgflow.mine.read import Columns, fetch, read_log

    rows = [
        [1, "a", "ann", "03/04/2024 16:40", "03/04/2024 17:27"],
        [2, "a", "ann", "13/04/2024 16:40", "13/04/2024 17:27"],
    ]
    log = read_log([write_csv(tmp_path / "l.csv", HEADER, rows)], Columns())
    # 13/04 can only be day first: 3 April as above.
    assert sorted(fetch(log.events)["start"])[0] == MAR4_1640 + 30 * 86400.0
    assert log.warnings == []


def test_the_ambiguity_is_a_data_warning_and_the_option_is_in_help(tmp_path: Path) -> None:
    rows = [[1, "a", "ann", "03/04/2024 16:40", "03/04/2024 17:27"]]
    log = write_csv(tmp_path / "l.csv", HEADER, rows)
    result = _run("mine", str(log), "-f", "json")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert "the day and month order is ambiguous" in result.stdout  # type: ignore[attr-defined]
    forced = _run("mine", str(log), "-f", "json", "--timestamp-format", "%m/%d/%Y %H:%M")
    assert forced.exit_code == 0, forced.stderr  # type: ignore[attr-defined]
    assert "ambiguous" not in forced.stdout  # type: ignore[attr-defined]
    assert "--timestamp-format" in _run("mine", "--help").stdout  # type: ignore[attr-defined]


def test_a_forced_format_that_does_not_read_names_the_value(tmp_path: Path) -> None:
    log = write_csv(tmp_path / "l.csv", HEADER, [[1, "a", "ann", at(0), at(1)]])
    result = _run("mine", str(log), "--timestamp-format", "%d/%m/%Y %H:%M")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert f"{log}:2:4: '2024-01-01T00:00:00+00:00' in column 'start_timestamp' is not a " in (
        result.stderr  # type: ignore[attr-defined]
    )


def test_disco_column_names(tmp_path: Path) -> None:
    from orgflow.mine.read import Columns, read_log

    header = ["Case ID", "Activity", "Resource", "Start Timestamp", "Complete Timestamp"]
    log = read_log(
        [write_csv(tmp_path / "l.csv", header, [[1, "a", "ann", at(0), at(1)]])], Columns()
    )
    assert log.shape == "start_end"
    assert log.columns["start"] == "Start Timestamp"
    assert log.columns["end"] == "Complete Timestamp"


def test_time_complete_is_an_end_column(tmp_path: Path) -> None:
    from orgflow.mine.read import Columns, read_log

    header = ["case:concept:name", "concept:name", "org:resource", "time:start", "time:complete"]
    log = read_log(
        [write_csv(tmp_path / "l.csv", header, [[1, "a", "ann", at(0), at(1)]])], Columns()
    )
    assert (log.columns["start"], log.columns["end"]) == ("time:start", "time:complete")


def test_a_near_miss_of_a_conventional_name_is_suggested(tmp_path: Path) -> None:
    header = ["case_id", "activity", "resourcee", "start_time", "end_time"]
    log = write_csv(tmp_path / "l.csv", header, [[1, "a", "ann", at(0), at(1)]])
    result = _run("mine", str(log))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "name it with --resource; did you mean --resource resourcee?" in (
        result.stderr  # type: ignore[attr-defined]
    )


def test_error_lines_count_the_lines_of_a_quoted_line_break(tmp_path: Path) -> None:
    log = tmp_path / "l.csv"
    log.write_text(
        ",".join(HEADER) + f'\n1,"a\nsecond line",ann,{at(0)},{at(1)}\n1,b,bob,tomorrow,{at(2)}\n',
        encoding="utf-8",
    )
    result = _run("mine", str(log))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    # Line 1 the header, lines 2-3 the first row (its activity spans two), line 4 the bad one.
    assert f"{log}:4:4: 'tomorrow' in column 'start_timestamp' is not a timestamp" in (
        result.stderr  # type: ignore[attr-defined]
    )


def test_a_small_log_s_header_says_the_calendar_is_around_the_clock(tmp_path: Path) -> None:
    rows = [[1, "a", "ann", at(0), at(1)], [1, "b", "bob", at(2), at(3)]]
    result = _run("mine", str(write_csv(tmp_path / "l.csv", HEADER, rows)))
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    # 2 events < 500: no working hours detected, the 10% rule not applied.
    assert (
        "# - calendar: 24 h/day, 7 days/week: around the clock, as the log has 2 events, fewer "
        "than the 500 needed to tell working hours from the 10% rule."
    ) in result.stdout  # type: ignore[attr-defined]


def test_a_value_past_the_sample_that_the_format_cannot_read_names_its_line(
    tmp_path: Path,
) -> None:
    # 200 rows read day first pick the format; row 201 (line 202) is not a date.
    rows: list[list[object]] = [
        [i, "a", "ann", "02/01/2024 09:00", "02/01/2024 10:00"] for i in range(200)
    ]
    rows.append([200, "a", "ann", "02/01/2024 at 9", "02/01/2024 10:00"])
    log = write_csv(tmp_path / "l.csv", HEADER, rows)
    result = _run("mine", str(log))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert f"{log}:202:4: '02/01/2024 at 9' in column 'start_timestamp' is not a timestamp" in (
        result.stderr  # type: ignore[attr-defined]
    )
