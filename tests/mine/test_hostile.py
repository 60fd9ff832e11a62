"""Hostile and broken logs (issue 14's review): names cannot add keys to the mined file or
forge report lines, bad files get ``file:line:column: message`` and exit 2, lifecycle logs
with complete rows only are completion-only, dropped start rows are counted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from orgflow.cli import app

from .conftest import at, write_csv

HEADER = ["case", "activity", "resource", "start", "end"]
INJECTED = "Sort\npolicy: {max_handoffs: 0}\n#"


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _split_log(path: Path, sort: str, slow: str = "bob", fast: str = "ann") -> Path:
    """40 requests: Open by cat (20 min), then ``sort``: by ``slow`` in 60 min on even
    requests, by ``fast`` in 6 min on odd ones. 20 events each, means 1 h and 0.1 h (ratio
    10 > 2): the efforts are split per rule, so the name is in the header's "efforts per
    rule" line."""
    rows = []
    for i in range(40):
        t = 4.0 * i
        who, hours = (slow, 1.0) if i % 2 == 0 else (fast, 0.1)
        rows.append([f"c{i}", "Open", "cat", at(t), at(t + 1 / 3)])
        rows.append([f"c{i}", _quoted(sort), _quoted(who), at(t + 0.5), at(t + 0.5 + hours)])
    return write_csv(path, HEADER, rows)


def _mine(log: Path) -> str:
    from orgflow.mine.command import mine
    from orgflow.mine.read import Columns

    _, text = mine(
        [log],
        Columns(),
        backend=None,
        table=None,
        since=None,
        until=None,
        output=None,
        paths=0,
        name="Office",
        classes="1",
    )
    return text


def test_a_name_cannot_add_a_key_to_the_mined_file(tmp_path: Path) -> None:
    plain = _mine(_split_log(tmp_path / "plain.csv", "Sort"))
    hostile = _mine(_split_log(tmp_path / "hostile.csv", INJECTED))
    header = hostile[: hostile.index("version: 1")]
    assert all(line.startswith("# ") for line in header.splitlines())
    assert "Sort\\npolicy: {max_handoffs: 0}\\n#: 1 people" in header  # escaped, one line
    loaded = yaml.safe_load(hostile)
    assert list(loaded) == [
        "version",
        "org",
        "people",
        "activities",
        "processes",
        "customers",
        "assignments",
    ]
    assert "policy" not in loaded
    # The same org apart from the names: the activity's name, and the ids made from it.
    names = {a["name"] for a in loaded["activities"]}
    assert names == {"Open", INJECTED}
    same = json.dumps(loaded).replace(json.dumps(INJECTED)[1:-1], "Sort")
    same = same.replace("sort_policy_max_handoffs_0", "sort")
    assert json.loads(same) == yaml.safe_load(plain)


def test_names_cannot_forge_lines_or_drive_the_terminal(tmp_path: Path) -> None:
    red = "ann\x1b[31mRED\x1b[0m\x1b]0;pwned\x07"
    forger = "bob\nData warnings:\n  - forged line\r\x08"
    log = _split_log(tmp_path / "l.csv", "Sort|Check", slow=forger, fast=red)
    org = tmp_path / "mined.yaml"
    result = _run("mine", str(log), "-o", str(org))
    assert result.exit_code == 0, result.stderr
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream
        assert "\r" not in stream
        assert "\x08" not in stream
        assert "  - forged line" not in stream.splitlines()
    assert "  bob\\nData warnings:\\n  - forged line\\r\\x08: " in result.stdout
    # Markdown also backslash-escapes the backslash of \x1b and the bracket.
    for fmt, shown in (("text", "ann\\x1b[31mRED"), ("markdown", "ann\\\\x1b\\[31mRED")):
        fitted = _run("fit", str(org), str(log), "--runs", "1", "--format", fmt)
        assert fitted.exit_code == 0, fitted.stderr
        assert "\x1b" not in fitted.stdout
        assert "\r" not in fitted.stdout
        assert not any(line.startswith("  - forged") for line in fitted.stdout.splitlines())
        assert shown in fitted.stdout
    # Markdown: every row of a table has the header's 7 unescaped bars, '|' in a name escaped.
    rows = [r for r in fitted.stdout.splitlines() if r.startswith("| ")]
    assert rows
    assert all(r.replace("\\|", "").count("|") == 7 for r in rows)
    assert "Sort\\|Check" in fitted.stdout


def test_a_bad_timestamp_is_cut_and_escaped(tmp_path: Path) -> None:
    bad = "\x1b]0;x\x07" + "z" * 5000
    log = write_csv(tmp_path / "l.csv", HEADER, [["c1", "A", "ann", at(0), bad]])
    result = _run("mine", str(log))
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    # The value's first 80 characters (6 of the escape, 74 z), the rest counted: 5006 - 80.
    assert first == (
        f"{log}:2:5: '\\x1b]0;x\\x07{'z' * 74}…(4,926 more characters)' in column 'end' "
        "is not a timestamp"
    )


def _bad_files(tmp_path: Path) -> list[tuple[Path, str]]:
    ok = f"c1,A,ann,{at(0)},{at(1)}"
    huge = tmp_path / "huge.csv"
    huge.write_text(",".join(HEADER) + f"\n{ok}\nc2,A,{'x' * 2_100_000},{at(0)},{at(1)}\n")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(",".join(HEADER) + f"\n{ok}\n{ok}\n{ok},extra,more\n{ok}\n")
    quote = tmp_path / "quote.csv"
    quote.write_text(",".join(HEADER) + f'\n{ok}\nc2,"A,ann,{at(0)},{at(1)}\n{ok}\n')
    latin = tmp_path / "latin.csv"
    text = ",".join(HEADER) + f"\n{ok}\nc2,A,j\xf6rg,{at(0)},{at(1)}\n"
    latin.write_bytes(text.encode("latin-1"))
    fake = tmp_path / "fake.parquet"
    fake.write_text(",".join(HEADER) + f"\n{ok}\n")
    return [
        # Line 3 (header, one good row); the line is over 2,000,000 bytes.
        (huge, f"{huge}:3:1: a line longer than 2,000,000 bytes"),
        # Line 4 has 7 fields; the first extra one is field 6.
        (ragged, f"{ragged}:4:6: 7 fields, the header has 5"),
        # The quote opened on line 3 never closes: the row runs to the end of the file.
        (quote, f"{quote}:3:1: unexpected end of data (in the row starting on this line)"),
        # "c2,A,j" is 6 characters: the ö (byte 0xf6) is column 7 of line 3.
        (latin, f"{latin}:3:7: byte 0xf6 is not UTF-8"),
        (fake, f"{fake}: not a Parquet file the engine can read: "),
    ]


def test_files_the_engine_cannot_read_are_exit_2_with_their_line(tmp_path: Path) -> None:
    for path, expected in _bad_files(tmp_path):
        result = _run("mine", str(path))
        assert result.exit_code == 2, (path, result.stderr)
        assert result.stderr.startswith(expected), result.stderr
        assert "hint:" in result.stderr.splitlines()[1]
        assert len(result.stderr) < 2000


LIFE = ["case", "activity", "resource", "time:timestamp", "lifecycle:transition"]


def test_complete_rows_only_is_a_completion_only_log(tmp_path: Path) -> None:
    from orgflow.mine.read import Columns, fetch, read_log

    # One request: A by ann completes at 1 h, B by bob at 3 h. Completion-only estimates:
    # A starts at its own end (no earlier event, a fresh person): 0 h; B starts at the end
    # of the request's previous event, 1 h: effort 2 h. FIFO pairing would find no starts.
    rows = [["c1", "A", "ann", at(1), "complete"], ["c1", "B", "bob", at(3), "complete"]]
    log = read_log([write_csv(tmp_path / "l.csv", LIFE, rows)], Columns())
    assert log.shape == "complete_only"
    assert "efforts cannot be measured" in log.notes[0]
    got = fetch(log.events.order_by("end").select(e=(log.events.end - log.events.start) / 3600))
    assert got["e"] == [0.0, 2.0]


def test_start_rows_never_completed_are_counted_in_the_warnings(tmp_path: Path) -> None:
    rows = [
        ["c1", "A", "ann", at(0), "start"],
        ["c1", "A", "ann", at(1), "complete"],
        ["c1", "B", "bob", at(2), "start"],  # never completed
        ["c2", "A", "ann", at(3), "start"],
        ["c2", "A", "ann", at(4), "complete"],
        ["c2", "C", "cat", at(5), "start"],  # never completed
    ]
    log = write_csv(tmp_path / "l.csv", LIFE, rows)
    result = _run("mine", str(log))
    assert result.exit_code == 0, result.stderr
    assert "# - 2 start rows never completed" in result.stdout
    assert "  - 2 start rows never completed" in result.stderr


def test_json_without_output_holds_the_org_file(tmp_path: Path) -> None:
    log = _split_log(tmp_path / "l.csv", "Sort")
    result = _run("mine", str(log), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["org_file"] is None
    assert yaml.safe_load(data["org_yaml"])["org"]["name"] == "l"


def test_backend_errors(tmp_path: Path) -> None:
    import duckdb

    missing = tmp_path / "no" / "such.duckdb"
    result = _run("mine", "--backend", f"duckdb://{missing}", "--table", "t")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{missing}: no such DuckDB database")
    assert not missing.exists()
    assert not missing.parent.exists()
    result = _run("mine", "--table", "t")
    assert result.exit_code == 2
    assert result.stderr.startswith("orgflow: --table t needs --backend URL")
    db = tmp_path / "log.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE events (a INT); CREATE TABLE people (b INT)")
    result = _run("mine", "--backend", f"duckdb://{db}", "--table", "evnts")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "orgflow: no table 'evnts' in the backend",
        "  hint: its tables are: events, people",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # 63 characters: the cut falls inside "others"; the last "_" within 61 is after "and".
        (
            "Settle Dispute With Supplier by Francois de Perrier and others",
            "settle_dispute_with_supplier_by_francois_de_perrier_and",
        ),
        ("x" * 70, "x" * 60),  # no word boundary: cut at 60
        ("short name", "short_name"),
    ],
)
def test_long_ids_are_cut_at_a_word_boundary(name: str, expected: str) -> None:
    from orgflow.mine.discover import slug

    assert slug(name, set()) == expected


def test_an_empty_request_id_names_its_line_with_a_hint(tmp_path: Path) -> None:
    rows = [["c1", "A", "ann", at(0), at(1)], ["", "B", "bob", at(1), at(2)]]
    log = write_csv(tmp_path / "l.csv", HEADER, rows)
    result = _run("mine", str(log))
    assert result.exit_code == 2
    # The second event is line 3 (under the header); the case is column 1.
    assert result.stderr.splitlines() == [
        f"{log}:3:1: empty case in column 'case'",
        "  hint: every row needs a request (case) id and an activity",
    ]
