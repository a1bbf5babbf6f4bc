"""``eventmatch.spark`` and ``eventmatch replay`` against a real SparkSession (local mode).

Every row's answer is compared with ``Machine.match`` on the same event text. Skipped, with the
reason, when PySpark (the ``spark`` extra) or a Java runtime is missing; CI installs both.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventmatch import Machine
from eventmatch.errors import EventmatchError

from .test_cli_support import EXAMPLES, assert_no_traceback, run_cli

pyspark = pytest.importorskip("pyspark", reason="the spark extra is not installed")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip(
        "no Java runtime found (java on PATH or JAVA_HOME): Spark cannot start", allow_module_level=True
    )

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402
from pyspark.sql.types import MapType, StringType, StructField, StructType  # noqa: E402

from eventmatch.spark import ERROR_COLUMN, MATCHES_COLUMN, match_events, match_messages  # noqa: E402

BAD_LINES = [
    "not json",
    "[1, 2]",
    "42",
    '{"source": "aws.ec2", "source": "aws.s3"}',
    '{"a":' * 1100 + "1" + "}" * 1100,
]


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    session = (
        SparkSession.builder.master("local[2]")
        .appName("eventmatch tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def example_rules() -> dict[str, Any]:
    rules: dict[str, Any] = json.loads((EXAMPLES / "rules.json").read_text())
    return rules


def example_machine() -> Machine:
    machine = Machine()
    machine.add_rules(example_rules().items())
    return machine


def varied_events(count: int, seed: int = 7) -> list[str]:
    """The example events with their string values shuffled among them, and some bad lines."""
    originals = [json.loads(line) for line in (EXAMPLES / "events.jsonl").read_text().splitlines() if line]
    rng = random.Random(seed)
    strings = [value for event in originals for value in _strings(event)]
    lines = []
    for number in range(count):
        event = _replace_strings(rng.choice(originals), lambda: rng.choice(strings), rng)
        lines.append(json.dumps(event))
        if number % 97 == 0:
            lines.append(rng.choice(BAD_LINES))
    return lines


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _replace_strings(value: Any, draw: Any, rng: random.Random) -> Any:
    if isinstance(value, str):
        return draw() if rng.random() < 0.2 else value
    if isinstance(value, dict):
        return {key: _replace_strings(item, draw, rng) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace_strings(item, draw, rng) for item in value]
    return value


def expected(machine: Machine, event: object) -> tuple[list[str] | None, bool]:
    """(Machine.match's answer or None, whether it raised)."""
    try:
        return machine.match(event), False
    except EventmatchError:
        return None, True


def test_every_row_agrees_with_machine_match(spark: SparkSession, tmp_path: Path) -> None:
    lines = varied_events(600)
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n")
    machine = example_machine()
    frame = spark.read.text(str(path)).withColumnRenamed("value", "event").repartition(3)
    rows = match_events(frame, machine).collect()
    assert len(rows) == len(lines)
    bad = 0
    for row in rows:
        answer, raised = expected(machine, row["event"])
        assert row[MATCHES_COLUMN] == answer, row["event"]
        assert (row[ERROR_COLUMN] is not None) == raised
        bad += raised
    assert bad >= 5  # the bad lines became rows with an error, not a failed job
    assert sum(bool(row[MATCHES_COLUMN]) for row in rows) > 100


def test_rules_given_as_pairs_and_struct_column(spark: SparkSession) -> None:
    events = [json.loads(line) for line in varied_events(200)[::2] if line.startswith("{")]
    texts = [json.dumps({"e": event}) for event in events]
    frame = spark.read.json(spark.sparkContext.parallelize(texts, 2))  # "e" is a struct column
    answered = match_events(frame, example_rules().items(), column="e").withColumn("text", F.to_json("e"))
    machine = example_machine()
    rows = answered.collect()
    assert len(rows) == len(texts)
    for row in rows:
        assert row[MATCHES_COLUMN] == machine.match(row["text"])
        assert row[ERROR_COLUMN] is None


def test_null_event_is_an_error_not_a_failure(spark: SparkSession) -> None:
    schema = StructType([StructField("event", StringType())])
    frame = spark.createDataFrame([('{"source": "aws.ec2"}',), (None,)], schema)
    rows = match_events(frame, {"ec2": {"source": ["aws.ec2"]}}.items()).collect()
    assert [row[MATCHES_COLUMN] for row in rows] == [["ec2"], None]
    assert rows[0][ERROR_COLUMN] is None and "null" in rows[1][ERROR_COLUMN]


def sns_machine() -> Machine:
    machine = Machine()
    for name, policy in json.loads((EXAMPLES / "sns-policies.json").read_text()).items():
        machine.add_filter_policy(name, policy)
    return machine


def test_sns_messages_agree_with_match_message(spark: SparkSession) -> None:
    messages = [
        json.loads(line) for line in (EXAMPLES / "sns-messages.jsonl").read_text().splitlines() if line
    ]
    attribute_type = MapType(
        StringType(), StructType([StructField("Type", StringType()), StructField("Value", StringType())])
    )
    schema = StructType([StructField("attributes", attribute_type), StructField("body", StringType())])
    rows_in = [(message.get("attributes"), message.get("body")) for message in messages]
    rows_in.append(({"price_usd": {"Type": "Number", "Value": "not a number"}}, None))
    frame = spark.createDataFrame(rows_in, schema)
    machine = sns_machine()
    rows = match_messages(frame, machine, attributes="attributes", body="body").collect()
    assert len(rows) == len(rows_in)
    for row, (attributes, body) in zip(rows, rows_in, strict=True):
        try:
            answer: list[str] | None = machine.match_message(attributes, body)
        except EventmatchError:
            answer = None
        assert row[MATCHES_COLUMN] == answer
    assert any(row[MATCHES_COLUMN] for row in rows)


def counted(machine: Machine, lines: list[str]) -> tuple[Counter[str], int]:
    counts: Counter[str] = Counter(dict.fromkeys(machine.rule_names(), 0))
    bad = 0
    for line in lines:
        if not line.strip():
            continue
        answer, raised = expected(machine, line)
        bad += raised
        counts.update(answer or [])
    return counts, bad


def test_replay_counts_and_writes_partitions(tmp_path: Path) -> None:
    lines = varied_events(400, seed=3)
    half = len(lines) // 2
    (tmp_path / "a.jsonl").write_text("\n".join(lines[:half]) + "\n\n")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt") as stream:
        stream.write("\n".join(lines[half:]) + "\n")
    out = tmp_path / "out"
    result = run_cli(
        "replay",
        "--rules",
        EXAMPLES / "rules.json",
        "--master",
        "local[2]",
        "--summary-format",
        "json",
        "--out",
        out,
        tmp_path / "a.jsonl",
        tmp_path / "b.jsonl.gz",
    )
    assert_no_traceback(result)
    counts, bad = counted(example_machine(), lines)
    report = json.loads(result.stdout)
    assert result.returncode == 1  # some lines were not events
    assert report["rules"] == dict(counts)
    assert report["bad"] == bad and report["events"] == len(lines)
    for rule, count in counts.items():
        written = (
            [line for part in (out / f"rule={rule}").glob("part-*") for line in part.read_text().splitlines()]
            if count
            else []
        )
        assert len(written) == count
        assert all(rule in example_machine().match(line) for line in written)


def test_replay_parquet_rows_are_events(spark: SparkSession, tmp_path: Path) -> None:
    events = [json.loads(line) for line in varied_events(150, seed=5) if line.startswith('{"')]
    events = [event for event in events if isinstance(event, dict) and "source" in event][:100]
    frame = spark.createDataFrame(
        [(event["source"], json.dumps(event.get("detail", {}))) for event in events],
        "source string, detail string",
    )
    frame.write.parquet(str(tmp_path / "events.parquet"))
    (tmp_path / "rules.json").write_text(json.dumps({"by-source": {"source": [events[0]["source"]]}}))
    result = run_cli(
        "replay",
        "--rules",
        tmp_path / "rules.json",
        "--master",
        "local[1]",
        "--summary-format",
        "json",
        tmp_path / "events.parquet",
    )
    assert_no_traceback(result)
    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert report["rules"] == {"by-source": sum(event["source"] == events[0]["source"] for event in events)}
