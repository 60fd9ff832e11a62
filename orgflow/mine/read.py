"""Event logs in, one normalised Ibis table out.

Every log, whatever its format and shape, becomes a table of events with the columns
``case, activity, resource, start, end`` (``start`` and ``end`` in seconds since 1970-01-01
UTC, as float64), ``customer`` and ``region`` (strings, null when not given) and ``row`` (the
input row, from 1; the file's line is ``row + 1`` under the header for CSV).

Three shapes of log are recognised:

- **start and end** per event (two timestamp columns);
- **lifecycle rows**: one row per transition (``start``/``complete``). With an activity-instance
  column the start and complete rows of one instance pair up; without it they pair first in,
  first out within (case, activity, resource): the k-th ``start`` in time with the k-th
  ``complete``. A ``complete`` with no ``start`` becomes an event of unknown start (as in the
  next shape); a ``start`` never completed is dropped and counted;
- **completion times only**: efforts cannot be measured. The start is estimated as the later of
  the end of the case's previous event and the end of the same person's previous event (the
  "enabled or available" rule of start-time estimation), so the effort is an upper bound.
"""

from __future__ import annotations

import csv
import gzip
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orgflow import escape
from orgflow.mine import MineError

#: Column names recognised, in order of preference (compared without case).
CONVENTIONS: dict[str, list[str]] = {
    "case": ["case:concept:name", "case_id", "caseid", "case id", "case", "request_id", "request"],
    "activity": ["concept:name", "activity", "activity_name", "task", "event"],
    "resource": ["org:resource", "resource", "user", "performer", "agent", "employee"],
    "start": [
        "start_timestamp",
        "start timestamp",
        "start_time",
        "starttime",
        "start",
        "time:start",
        "started",
    ],
    "end": [
        "end_timestamp",
        "end_time",
        "endtime",
        "complete_timestamp",
        "complete timestamp",
        "time:complete",
        "completion_time",
        "end",
        "time:timestamp",
        "timestamp",
    ],
    "timestamp": ["time:timestamp", "timestamp", "time", "event_time", "datetime"],
    "lifecycle": ["lifecycle:transition", "lifecycle", "transition", "event_type"],
    "instance": ["concept:instance", "lifecycle:instance", "activity_instance_id", "instance"],
    "group": ["org:group", "org:role", "role", "group"],
}

#: What each option names, for messages.
OPTION = {
    "case": "--case",
    "activity": "--activity",
    "resource": "--resource",
    "start": "--start",
    "end": "--end",
    "timestamp": "--timestamp",
    "lifecycle": "--lifecycle",
    "instance": "--instance",
    "customer": "--customer",
    "region": "--region",
    "group": "--group",
}

_EMPTY_HINT = (
    "  hint: a log needs a header row and at least one event (a request, an activity, a time)"
)

#: Timestamp formats tried, in order, when the engine does not read a column as timestamps.
#: Day first before month first (so 03/04/2024 is 3 April), except with AM/PM, the US
#: habit (month first).
FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %I:%M:%S %p",
    "%d/%m/%Y %I:%M %p",
    "%d.%m.%Y %H:%M:%S.%f",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%b-%Y %H:%M:%S",
    "%d-%b-%Y %H:%M",
    "%d-%b-%Y",
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%d %b %Y",
    "%Y%m%d%H%M%S",
]

#: Unix epoch numbers, told apart by magnitude: seconds from 1e9 (2001-09-09) to 1e10
#: (2286), milliseconds from 1e12 to 1e13 (the same instants times 1000).
EPOCHS = [(1e9, 1e10, 1.0, "Unix epoch seconds"), (1e12, 1e13, 1e-3, "Unix epoch milliseconds")]

START_WORDS = ("start", "begin", "started")
COMPLETE_WORDS = ("complete", "completed", "end", "finish", "finished", "done")


@dataclass
class Columns:
    """Column names given on the command line (None: recognised from the conventions)."""

    case: str | None = None
    activity: str | None = None
    resource: str | None = None
    start: str | None = None
    end: str | None = None
    timestamp: str | None = None
    lifecycle: str | None = None
    instance: str | None = None
    customer: str | None = None
    region: str | None = None
    group: str | None = None
    #: strftime codes every timestamp column is read with (``--timestamp-format``).
    timestamp_format: str | None = None


@dataclass
class Log:
    """A log read and normalised: the Ibis table of events and what was learnt reading it."""

    events: Any  # ibis Table: case, activity, resource, start, end, customer, region, row
    backend: Any
    shape: str  # "start_end", "lifecycle" or "complete_only"
    sources: list[str]
    columns: dict[str, str]  # role -> column used
    notes: list[str] = field(default_factory=list)
    dropped_starts: int = 0
    temp_dir: Any = None
    #: Data warnings found reading (an ambiguous day/month order).
    warnings: list[str] = field(default_factory=list)


# --- results back from the engine (through Arrow, not pandas) ------------------------------


def run(expr: Any) -> Any:
    """The expression's result as Arrow (a table, or a scalar for a scalar expression).

    With ``ORGFLOW_MINE_TRACE`` set, each query's time (elapsed and processor, all threads)
    and the process's peak resident memory so far go to standard error, with the caller's
    place (``figures.py:123``): the profile of a large log, query by query."""
    if not os.environ.get("ORGFLOW_MINE_TRACE"):
        return expr.to_pyarrow()
    return trace(expr.to_pyarrow)


def trace(call: Any, depth: int = 2) -> Any:
    """``call()``, timed to standard error as :func:`run` describes."""
    import resource
    import sys
    import time

    frame = sys._getframe(depth)
    # The caller of this module's helpers (and of a result wrapper's constructor).
    while frame.f_back is not None and (
        frame.f_code.co_filename == __file__ or frame.f_code.co_name == "__init__"
    ):
        frame = frame.f_back
    where = f"{Path(frame.f_code.co_filename).name}:{frame.f_lineno}"
    t, cpu = time.perf_counter(), time.process_time()
    result = call()
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stderr.write(
        f"orgflow mine trace: {wall:8.2f} s {cpu:8.2f} s cpu {peak:7.0f} MB peak  {where}\n"
    )
    return result


def value(expr: Any) -> Any:
    """A scalar expression's value."""
    return run(expr).as_py()


def fetch(expr: Any) -> dict[str, list[Any]]:
    """A (small) table expression's columns as lists."""
    table = run(expr)
    return {name: table.column(name).to_pylist() for name in table.column_names}


# --- columns -------------------------------------------------------------------------------


def _did_you_mean(name: str, existing: list[str]) -> str:
    from rapidfuzz import process

    match = process.extractOne(name, existing, score_cutoff=60)
    return f"; did you mean '{match[0]}'?" if match else ""


def _near_convention(role: str, existing: list[str], used: set[str]) -> str:
    """``; did you mean --resource resourcee?`` for the unused column nearest to one of the
    role's conventional names (rapidfuzz ratio of at least 80, compared without case), or ""."""
    from rapidfuzz import fuzz, process

    free = [c for c in existing if c not in used]
    best: tuple[float, str] | None = None
    for name in CONVENTIONS[role]:
        match = process.extractOne(
            name, free, scorer=fuzz.ratio, processor=str.lower, score_cutoff=80
        )
        if match is not None and (best is None or match[1] > best[0]):
            best = (match[1], match[0])
    if best is None:
        return ""
    return f"; did you mean {OPTION[role]} {escape.value(best[1])}?"


def resolve_columns(existing: list[str], given: Columns, source: str) -> dict[str, str]:
    """Map each role to a column: given names must exist; others come from the conventions."""
    lower = {c.lower(): c for c in existing}
    roles: dict[str, str] = {}
    listed = ", ".join(existing)
    for role in OPTION:
        name = getattr(given, role)
        if name is not None:
            if name not in existing:
                exact = lower.get(name.lower())
                if exact is None:
                    raise MineError(
                        f"{source}:1:1: no column '{name}' ({OPTION[role]})"
                        + _did_you_mean(name, existing),
                        f"  hint: the columns are: {listed}",
                    )
                name = exact
            roles[role] = name
    used = set(roles.values())
    for role, names in CONVENTIONS.items():
        if role in roles:
            continue
        for candidate in names:
            column = lower.get(candidate)
            if column is not None and column not in used:
                if role == "end" and "start" not in roles and given.end is None:
                    break  # a single timestamp column is "timestamp", not an end
                roles[role] = column
                used.add(column)
                break
    if "timestamp" in roles and "end" in roles and roles["timestamp"] == roles["end"]:
        del roles["timestamp"]
    for role in ("case", "activity", "resource"):
        if role not in roles:
            words = ", ".join(f"'{c}'" for c in CONVENTIONS[role][:3])
            raise MineError(
                f"{source}:1:1: no {role} column (none of {words}, ...): "
                f"name it with {OPTION[role]}" + _near_convention(role, existing, used),
                f"  hint: the columns are: {listed}",
            )
    if "end" not in roles and "timestamp" not in roles:
        raise MineError(
            f"{source}:1:1: no timestamp column: name it with --timestamp (or --start and --end)",
            f"  hint: the columns are: {listed}",
        )
    return roles


# --- sources -------------------------------------------------------------------------------


def connect(url: str | None) -> Any:
    """The Ibis backend: DuckDB in memory by default, else ``ibis.connect(url)``."""
    import ibis

    if url is None:
        con = ibis.duckdb.connect()
        con.raw_sql("SET TimeZone = 'UTC'")
        # DuckDB spills to disk past its memory limit: ORGFLOW_MINE_MEMORY (e.g. 2GB) bounds it.
        limit = os.environ.get("ORGFLOW_MINE_MEMORY")
        if limit:
            con.raw_sql(f"SET memory_limit = '{limit.replace(chr(39), '')}'")
            con.raw_sql(f"SET temp_directory = '{tempfile.gettempdir()}/orgflow-duckdb'")
        return con
    if url.startswith("duckdb://"):
        # Read-only: a mistyped path must not leave an empty database behind.
        path = url.removeprefix("duckdb://").split("?", 1)[0]
        if path and path != ":memory:":
            if not Path(path).is_file():
                raise MineError(
                    f"{path}: no such DuckDB database (--backend {url})",
                    "  hint: name an existing database file, e.g. --backend duckdb:///data/log.duckdb",
                )
            try:
                return ibis.duckdb.connect(path, read_only=True)
            except Exception as exc:
                raise MineError(f"orgflow: cannot open {url}: {exc}") from None
    try:
        return ibis.connect(url)
    except Exception as exc:
        raise MineError(f"orgflow: cannot connect to {url}: {exc}") from None


def _tables(con: Any) -> str:
    """The backend's tables, for a message (at most 20 named)."""
    try:
        names = sorted(con.list_tables())
    except Exception:  # some Ibis and DuckDB versions disagree on list_tables: ask in SQL
        try:
            names = sorted(str(row[0]) for row in con.raw_sql("SHOW TABLES").fetchall())
        except Exception:  # an engine that cannot list them: say so rather than fail again
            return "(the backend does not list them)"
    if not names:
        return "none"
    more = f", ... ({len(names) - 20} more)" if len(names) > 20 else ""
    return ", ".join(names[:20]) + more


def _sniff(path: Path) -> tuple[str, str]:
    """Delimiter and quote character of a CSV file, from its first lines."""
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as fh:
        head = fh.read(64 * 1024)
    if not head.strip():
        raise MineError(f"{path}:1:1: the log is empty", _EMPTY_HINT)
    try:
        dialect = csv.Sniffer().sniff(head, delimiters=",;\t|")
        return dialect.delimiter, dialect.quotechar or '"'
    except csv.Error:
        return ",", '"'


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".xes", ".xes.gz")):
        return "xes"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    return "csv"


def _read_one(con: Any, path: Path, temp: str) -> Any:
    import ibis

    if not path.exists():
        raise MineError(f"{path}: no such file", "  hint: check the path (orgflow mine LOG...)")
    kind = _kind(path)
    if kind == "xes":
        path = xes_to_parquet(path, Path(temp))
        kind = "parquet"
    name = con.__class__.__module__
    if kind == "parquet":
        table = con.read_parquet(str(path))
    elif "pyspark" in name:
        delimiter, quote = _sniff(path)
        table = con.read_csv(
            str(path), header=True, inferSchema=False, sep=delimiter, quote=quote, escape=quote
        )
    else:
        delimiter, quote = _sniff(path)
        table = con.read_csv(str(path), delim=delimiter, quote=quote, header=True, all_varchar=True)
    return table.mutate(row=ibis.row_number() + 1)


def xes_to_parquet(path: Path, folder: Path, batch: int = 50_000) -> Path:
    """Stream an XES file (gzipped or not) into a Parquet file, ``batch`` events at a time:
    memory stays bounded whatever the log's size. Trace attributes get the ``case:`` prefix;
    every value is kept as text."""
    import xml.etree.ElementTree as ET

    import pyarrow as pa
    import pyarrow.parquet as pq

    target = folder / (path.name.replace(".gz", "").replace(".xes", "") + ".parquet")
    opener: Any = gzip.open if path.name.lower().endswith(".gz") else open
    columns: list[str] = []
    rows: list[dict[str, str]] = []
    pending: list[Path] = []

    def flush() -> None:
        nonlocal rows
        if not rows:
            return
        for r in rows:
            for key in r:
                if key not in columns:
                    columns.append(key)
        # Each batch goes to disk at once, with the columns seen so far; the parts are joined
        # at the end one at a time, so memory holds one batch whatever the log's size.
        part = folder / f"{target.stem}.part{len(pending)}.parquet"
        pq.write_table(pa.table({c: [r.get(c) for r in rows] for c in columns}), str(part))
        pending.append(part)
        rows = []

    trace_attrs: dict[str, str] = {}
    depth_event = False
    event: dict[str, str] = {}
    root: Any = None
    try:
        with opener(path, "rb") as fh:
            for action, elem in ET.iterparse(fh, events=("start", "end")):
                tag = elem.tag.rsplit("}", 1)[-1]
                if action == "start":
                    if root is None:
                        root = elem
                    if tag == "trace":
                        trace_attrs = {}
                    elif tag == "event":
                        depth_event, event = True, {}
                    continue
                if tag == "event":
                    rows.append({**trace_attrs, **event})
                    depth_event = False
                    elem.clear()
                    if len(rows) >= batch:
                        flush()
                elif tag == "trace":
                    elem.clear()
                    if root is not None:
                        root.clear()  # the finished traces' empty elements, kept by the root
                elif tag in ("string", "date", "int", "float", "boolean", "id"):
                    key, value = elem.get("key"), elem.get("value")
                    if key is None or value is None:
                        continue
                    if depth_event:
                        event[key] = value
                    else:
                        trace_attrs[f"case:{key}"] = value
    except ET.ParseError as exc:
        line, column = exc.position
        raise MineError(
            f"{path}:{line}:{column + 1}: not valid XES: {exc}",
            "  hint: an export cut short ends mid-element: export the log again",
        ) from None
    except (OSError, EOFError) as exc:
        raise MineError(
            f"{path}: cannot read: {exc}",
            "  hint: a .xes.gz must be gzipped XES, and complete",
        ) from None
    flush()
    if not pending:
        raise MineError(f"{path}:1:1: the log is empty (no events)", _EMPTY_HINT)
    schema = pa.schema([(c, pa.string()) for c in columns])
    writer = pq.ParquetWriter(str(target), schema)
    try:
        for name in pending:
            part = pq.read_table(str(name))
            for c in columns:
                if c not in part.column_names:
                    part = part.append_column(c, pa.nulls(part.num_rows, pa.string()))
            writer.write_table(part.select(columns).cast(schema))
            del part
            name.unlink()
    finally:
        writer.close()
    return target


# --- timestamps ----------------------------------------------------------------------------


def _seconds(
    table: Any,
    column: str,
    source: str,
    position: int,
    fmt: str | None = None,
    warnings: list[str] | None = None,
) -> Any:
    """The column as seconds since the epoch (UTC), or MineError naming the first value that is
    not a timestamp, with its line. ``fmt`` (strftime codes) forces the reading; else ISO 8601,
    then Unix epoch numbers, then the first of :data:`FORMATS` that reads a sample of 200
    values. A day/month order the sample cannot settle (every day 12 or less) adds a line to
    ``warnings``."""
    import ibis
    import ibis.expr.datatypes as dt

    col = table[column]
    if col.type().is_timestamp():  # typed already: a format has nothing to read
        return col.epoch_seconds().floor().cast("float64")
    text = col.cast("string").strip()
    sample = table.filter(text.notnull() & (text != "")).limit(200)
    seconds: Any = None
    if fmt is not None:
        seconds = text.as_timestamp(fmt).epoch_seconds().floor().cast("float64")
    else:
        iso = text.try_cast(dt.Timestamp(timezone="UTC"))
        if not value(sample.filter(iso.isnull()).count()):
            seconds = iso.epoch_seconds().floor().cast("float64")
    if seconds is None:
        number = text.try_cast("float64")
        for low, high, scale, _ in EPOCHS:
            inside = (number >= low) & (number < high)
            if not value(sample.filter(~inside.fill_null(False)).count()):
                # To the second, as the other formats.
                seconds = ibis.ifelse(inside, (number * scale).floor().cast("float64"), None)
                break
    if seconds is None:
        chosen = None
        for candidate in FORMATS:
            parsed = text.as_timestamp(candidate)
            try:
                if not value(sample.filter(parsed.isnull()).count()):
                    chosen = candidate
                    break
            except Exception:  # a format this engine refuses: try the next
                continue
        if chosen is None:
            seconds = (
                iso.epoch_seconds().floor().cast("float64")
            )  # fails below on the first bad value
        else:
            seconds = text.as_timestamp(chosen).epoch_seconds().floor().cast("float64")
            swapped = chosen.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
            if warnings is not None and swapped != chosen:
                other = text.as_timestamp(swapped)
                try:
                    ambiguous = not value(sample.filter(other.isnull()).count())
                except Exception:  # the engine refuses the other order: nothing to say
                    ambiguous = False
                if ambiguous:
                    warnings.append(
                        f"column '{escape.value(column)}' of {escape.value(source)}: the day "
                        f"and month order is ambiguous (no day above 12 in the first 200 "
                        f"values): read as {chosen}, not {swapped}; --timestamp-format forces one"
                    )
    # To the second on every engine: DuckDB's epoch keeps fractions, Spark's does not.
    seconds = ibis.ifelse(text == "", ibis.null("float64"), seconds)
    failed = table.filter(text.notnull() & (text != "") & seconds.isnull()).order_by("row")
    try:
        first = fetch(failed.select("row", value=text).limit(1))
    except Exception as exc:  # DuckDB's strptime raises on a value it cannot read: find it
        import re

        said = re.search(r'Could not parse string "(.*?)" according to format', str(exc))
        if said is None:
            raise
        found = table.filter(text == said.group(1)).order_by("row")
        first = fetch(found.select("row", value=text).limit(1))
    if first["row"]:
        row = int(first["row"][0])
        bad_value = first["value"][0]
        raise MineError(
            f"{source}:{line_of(source, row)}:{position}: '{escape.value(bad_value)}' in column "
            f"'{escape.value(column)}' is not a timestamp"
            + (f" (--timestamp-format {escape.value(fmt)})" if fmt is not None else ""),
            "  hint: use ISO 8601 (2024-03-01 14:30:00, with +01:00 for a time zone), "
            "day/month/year hours:minutes, or name the format with --timestamp-format "
            "(e.g. '%d/%m/%Y %H:%M')",
        )
    return seconds


def line_of(source: str, row: int) -> int:
    """The physical line where data row ``row`` (from 1) starts in the CSV file ``source``
    (a quoted value with line breaks spans several lines), else ``row + 1``. Read only for an
    error message, in one pass."""
    path = Path(source)
    if _kind(path) != "csv" or not path.is_file():
        return row + 1
    delimiter, quote = _sniff(path)
    opener: Any = gzip.open if path.suffix == ".gz" else open
    old_limit = csv.field_size_limit(MAX_LINE)
    try:
        with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter, quotechar=quote)
            start = 1
            for number, _ in enumerate(reader):
                if number == row:
                    return start
                start = reader.line_num + 1
    except csv.Error:  # the engine read it: fall back on the row count
        pass
    finally:
        csv.field_size_limit(old_limit)
    return row + 1


# --- the whole log -------------------------------------------------------------------------


def read_log(
    paths: list[Path],
    given: Columns,
    *,
    backend: Any = None,
    table: str | None = None,
    since: Any = None,
    until: Any = None,
) -> Log:
    """Read every input into one normalised events table (see the module's docstring). A file
    the engine cannot read (not UTF-8, a line over :data:`MAX_LINE` bytes, a row with more or
    fewer fields than the header, an unbalanced quote, a Parquet file that is not one) is a
    :class:`MineError` naming its file, and its line and column where they are known."""
    import duckdb

    try:
        return _read_log(paths, given, backend=backend, table=table, since=since, until=until)
    except duckdb.Error as exc:
        raise unreadable(paths, exc) from None


def _read_log(
    paths: list[Path],
    given: Columns,
    *,
    backend: Any = None,
    table: str | None = None,
    since: Any = None,
    until: Any = None,
) -> Log:
    import ibis

    if table is not None and backend is None:
        raise MineError(
            f"orgflow: --table {table} needs --backend URL: the database that holds the table",
            "  hint: e.g. --backend duckdb:///data/log.duckdb --table events",
        )
    con = backend if backend is not None and not isinstance(backend, str) else connect(backend)
    temp = tempfile.mkdtemp(prefix="orgflow-mine-")
    sources: list[str] = []
    parts: list[tuple[Any, dict[str, str], str]] = []
    if table is not None:
        try:
            raw = con.table(table)
        except Exception:
            raise MineError(
                f"orgflow: no table '{table}' in the backend",
                f"  hint: its tables are: {_tables(con)}",
            ) from None
        raw = raw.mutate(row=ibis.row_number() + 1)
        parts.append((raw, resolve_columns(list(raw.columns[:-1]), given, table), table))
        sources.append(table)
    for path in paths:
        raw = _read_one(con, path, temp)
        existing = [c for c in raw.columns if c != "row"]
        parts.append((raw, resolve_columns(existing, given, str(path)), str(path)))
        sources.append(str(path))
    if not parts:
        raise MineError("orgflow: no log given: name files, or --backend URL with --table NAME")
    shapes = {_shape(roles) for _, roles, _ in parts}
    if len(shapes) > 1:
        raise MineError(
            f"orgflow: the logs have different shapes ({', '.join(sorted(shapes))}): "
            "mine them separately"
        )
    shape = shapes.pop()
    if shape == "lifecycle" and not any(_has_starts(raw, roles) for raw, roles, _ in parts):
        shape = "complete_only"  # a lifecycle column with complete rows only: nothing to pair
    normalised = []
    dropped = 0
    warnings: list[str] = []
    for raw, roles, source in parts:
        events, lost = _normalise(raw, roles, shape, source, given.timestamp_format, warnings)
        normalised.append(events)
        dropped += lost
    events = normalised[0]
    for more in normalised[1:]:
        events = events.union(more)
    if since is not None:
        events = events.filter(events.start >= _epoch(since))
    if until is not None:
        events = events.filter(events.end < _epoch(until) + 86400.0)
    events = materialise(con, events)
    if value(events.count()) == 0:
        raise MineError(f"{sources[0]}:1:1: the log is empty (no events to mine)", _EMPTY_HINT)
    notes = []
    if shape == "complete_only":
        notes.append(
            "the log has completion times only"
            + (" (its lifecycle column has no start rows)" if "lifecycle" in parts[0][1] else "")
            + ": efforts cannot be measured; each start is "
            "estimated as the later of the end of the request's previous event and the end of "
            "the person's previous event, so efforts are upper bounds"
        )
    if shape == "lifecycle":
        notes.append(
            "lifecycle rows paired "
            + (
                "by activity instance"
                if "instance" in parts[0][1]
                else "first in, first out within (request, activity, person)"
            )
        )
    return Log(events, con, shape, sources, parts[0][1], notes, dropped, temp, warnings)


def materialise(con: Any, table: Any) -> Any:
    """Compute ``table`` once and keep it in the engine (a temporary table in DuckDB, a cached
    frame elsewhere): every figure reads it again."""
    import uuid

    if "duckdb" in con.__class__.__module__:
        name = f"orgflow_{uuid.uuid4().hex}"
        if os.environ.get("ORGFLOW_MINE_TRACE"):
            return trace(lambda: con.create_table(name, table, temp=True))
        return con.create_table(name, table, temp=True)
    return table.cache()


def _epoch(day: Any) -> float:
    import datetime as dt

    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()


def _shape(roles: dict[str, str]) -> str:
    if "start" in roles and "end" in roles:
        return "start_end"
    if "lifecycle" in roles:
        return "lifecycle"
    return "complete_only"


def _has_starts(raw: Any, roles: dict[str, str]) -> bool:
    """Whether the lifecycle column of ``raw`` has a start row."""
    life = _text(raw[roles["lifecycle"]]).lower().strip()
    return bool(value(raw.filter(life.isin(START_WORDS)).count()))


def _position(raw: Any, column: str) -> int:
    return list(raw.columns).index(column) + 1


def _text(value: Any) -> Any:
    return value.cast("string")


def _normalise(
    raw: Any,
    roles: dict[str, str],
    shape: str,
    source: str,
    fmt: str | None = None,
    warnings: list[str] | None = None,
) -> tuple[Any, int]:
    # Long on purpose: the columns every log shape shares, then each shape's own pairing, in
    # one place so the three shapes are seen side by side.
    import ibis

    base = {
        "case": _text(raw[roles["case"]]),
        "activity": _text(raw[roles["activity"]]),
        "resource": ibis.coalesce(_text(raw[roles["resource"]]), ibis.literal("(nobody)")),
        "customer": _text(raw[roles["customer"]]) if "customer" in roles else ibis.null("string"),
        "region": _text(raw[roles["region"]]) if "region" in roles else ibis.null("string"),
        "row": raw.row,
    }
    for role in ("case", "activity"):
        column = roles[role]
        missing = raw.filter(raw[column].isnull()).order_by("row").select("row").limit(1)
        found = fetch(missing)
        if found["row"]:
            raise MineError(
                f"{source}:{line_of(source, int(found['row'][0]))}:{_position(raw, column)}: "
                f"empty {role} in column '{escape.value(column)}'",
                "  hint: every row needs a request (case) id and an activity",
            )
    if shape == "start_end":
        start = _seconds(raw, roles["start"], source, _position(raw, roles["start"]), fmt, warnings)
        end = _seconds(raw, roles["end"], source, _position(raw, roles["end"]), fmt, warnings)
        events = raw.select(**base, start=start, end=end)
        events = events.mutate(start=ibis.coalesce(events.start, events.end))
        return events.filter(events.end.notnull()), 0
    stamp = roles.get("timestamp", roles.get("end"))
    assert stamp is not None
    seconds = _seconds(raw, stamp, source, _position(raw, stamp), fmt, warnings)
    if shape == "complete_only":
        keep = ibis.literal(True)
        if "lifecycle" in roles:  # complete rows only; other transitions are no events
            keep = _text(raw[roles["lifecycle"]]).lower().strip().isin(COMPLETE_WORDS)
        events = raw.select(**base, end=seconds, keep=keep)
        events = events.filter(events.keep & events.end.notnull()).drop("keep")
        return _estimate_starts(events), 0
    life = _text(raw[roles["lifecycle"]]).lower().strip()
    kind = ibis.cases(
        (life.isin(START_WORDS), "start"),
        (life.isin(COMPLETE_WORDS), "complete"),
        else_="other",
    )
    rows = raw.select(
        **base,
        t=seconds,
        kind=kind,
        instance=_text(raw[roles["instance"]]) if "instance" in roles else ibis.null("string"),
    )
    rows = rows.filter((rows.kind != "other") & rows.t.notnull())
    if "instance" in roles:
        key = [rows.case, rows.instance]
        paired = rows.group_by(["case", "instance"]).aggregate(
            activity=rows.activity.arbitrary(),
            resource=rows.resource.arbitrary(),
            customer=rows.customer.arbitrary(),
            region=rows.region.arbitrary(),
            row=rows.row.min(),
            start=rows.t.min(where=rows.kind == "start"),
            end=rows.t.max(where=rows.kind == "complete"),
        )
        del key
    else:
        w = ibis.window(
            group_by=[rows.case, rows.activity, rows.resource, rows.kind],
            order_by=[rows.t, rows.row],
        )
        numbered = rows.mutate(k=ibis.row_number().over(w))
        starts = numbered.filter(numbered.kind == "start").select(
            "case", "activity", "resource", "k", s_t=numbered.t
        )
        ends = numbered.filter(numbered.kind == "complete")
        joined = ends.left_join(
            starts,
            [
                ends.case == starts.case,
                ends.activity == starts.activity,
                ends.resource == starts.resource,
                ends.k == starts.k,
            ],
        )
        paired = joined.select(
            case=ends.case,
            activity=ends.activity,
            resource=ends.resource,
            customer=ends.customer,
            region=ends.region,
            row=ends.row,
            start=joined.s_t,
            end=ends.t,
        )
    completes = value(rows.filter(rows.kind == "complete").count())
    starts_n = value(rows.filter(rows.kind == "start").count())
    paired = paired.filter(paired.end.notnull())
    matched = value(paired.filter(paired.start.notnull()).count())
    lost = int(starts_n - matched)
    unpaired = int(completes - matched)
    events = paired.select(
        "case", "activity", "resource", "customer", "region", "row", "start", "end"
    )
    if unpaired:
        events = _estimate_starts(events, only_missing=True)
    return events, lost


def _estimate_starts(events: Any, only_missing: bool = False) -> Any:
    """Start = the later of the request's previous end and the person's previous end (never
    after the event's own end); the first event of a request with a fresh person starts at
    its end (zero effort)."""
    import ibis

    if "start" not in events.columns:
        events = events.mutate(start=ibis.null("float64"))
    by_case = ibis.window(group_by=events.case, order_by=[events.end, events.row])
    by_person = ibis.window(group_by=events.resource, order_by=[events.end, events.row])
    enabled = events.end.lag().over(by_case)
    available = events.end.lag().over(by_person)
    guess = ibis.greatest(
        ibis.coalesce(enabled, available, events.end),
        ibis.coalesce(available, enabled, events.end),
    )
    guess = ibis.least(guess, events.end)
    start = ibis.coalesce(events.start, guess) if only_missing else guess
    return events.mutate(start=start).select(
        "case", "activity", "resource", "customer", "region", "row", "start", "end"
    )


# --- files the engine cannot read ----------------------------------------------------------

#: Longest line of a CSV file (DuckDB's own default ``max_line_size``), in bytes.
MAX_LINE = 2_000_000
_CSV_HINT = (
    "  hint: orgflow reads CSV files in UTF-8, one event per row, as many fields as the header"
)


def unreadable(paths: list[Path], exc: Exception) -> MineError:
    """The :class:`MineError` for a read error of the engine: the first problem found by
    reading the files again in Python (only now, after the engine failed: one pass, memory
    bounded by :data:`MAX_LINE`), or else the file and the engine's first line, without a
    line number (the engine's own are counted per thread and can be wrong)."""
    said = str(exc)
    named = [p for p in paths if str(p) in said] or list(paths)
    for path in named:
        if _kind(path) == "parquet":
            if path.suffix.lower() in (".parquet", ".pq"):
                return MineError(
                    f"{path}: not a Parquet file the engine can read: {_first_line(said)}",
                    "  hint: give a Parquet file, or a CSV file with the .csv extension",
                )
            continue
        if _kind(path) == "csv":
            problem = csv_problem(path)
            if problem is not None:
                return MineError(*problem)
    where = str(named[0]) if len(named) == 1 else "orgflow"
    return MineError(f"{where}: cannot read the log: {_first_line(said)}", _CSV_HINT)


def _first_line(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else "unknown error"
    return escape.value(first.removeprefix("Invalid Input Error: "))


def csv_problem(path: Path, limit: int = MAX_LINE) -> tuple[str, str] | None:
    """The first problem of the CSV file ``path`` as (``file:line:column: message``, hint),
    or None: bytes that are not UTF-8, a line over ``limit`` bytes, a row whose field count
    differs from the header's, a quote never closed (the line where its field starts).
    Columns count characters for the first two, fields for the others."""
    import codecs

    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        number = 0
        decoder = codecs.getincrementaldecoder("utf-8")()
        while True:
            line = fh.readline(limit + 1)
            if not line:
                break
            number += 1
            if len(line) > limit:
                return (
                    f"{path}:{number}:1: a line longer than {limit:,} bytes",
                    "  hint: a field this long is not an event log's; check the file's "
                    "quoting and line endings",
                )
            try:
                decoder.decode(line)
            except UnicodeDecodeError as err:
                column = len(line[: err.start].decode("utf-8", "replace")) + 1
                return (
                    f"{path}:{number}:{column}: byte 0x{line[err.start]:02x} is not UTF-8",
                    "  hint: orgflow reads CSV in UTF-8: convert the file "
                    f"(e.g. iconv -f latin1 -t utf-8 {path.name} > utf8.csv)",
                )
    delimiter, quote = _sniff(path)
    old_limit = csv.field_size_limit(limit)
    try:
        with opener(path, "rt", encoding="utf-8", newline="") as text:
            reader = csv.reader(text, delimiter=delimiter, quotechar=quote, strict=True)
            width, start = 0, 1
            try:
                for row in reader:
                    if width == 0:
                        width = len(row)
                    elif row and len(row) != width:
                        return (
                            f"{path}:{start}:{min(len(row), width) + 1}: {len(row)} fields, "
                            f"the header has {width}",
                            "  hint: a delimiter inside a value needs the value quoted "
                            f"({quote}a{delimiter} b{quote})",
                        )
                    start = reader.line_num + 1
            except csv.Error as err:
                return (
                    f"{path}:{start}:1: {escape.value(err)} (in the row starting on this line)",
                    f"  hint: a {quote} that opens a value must close it; a {quote} inside a "
                    f"quoted value is written twice ({quote}{quote})",
                )
    finally:
        csv.field_size_limit(old_limit)
    return None


def cleanup(log: Log) -> None:
    import shutil

    if log.temp_dir and os.path.isdir(log.temp_dir):
        shutil.rmtree(log.temp_dir, ignore_errors=True)
