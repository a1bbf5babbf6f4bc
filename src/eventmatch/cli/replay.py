"""``eventmatch replay``: what would this rule set have matched over an archive of events? On Spark.

The rules are compiled here, into one Machine that Spark broadcasts to its executors; the events
are read by Spark (any path or URI it reads: local files, ``s3a://``, ``hdfs://``), matched in Arrow
batches (:mod:`eventmatch.spark`), counted per rule and, with ``--out``, written partitioned by rule.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TextIO

from .common import EXIT_FAILED, EXIT_OK, CliError, add_command, plural, print_json
from .machines import build_machine, load_entries
from .options import add_language, add_rules_as, read_options
from .sns import message_parts

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from .. import Machine

__all__ = ["ReplayReport", "register", "replay"]

DESCRIPTION = """\
Match an archive of events against the rules on Apache Spark, and print how many events each rule
matched (rules that matched nothing included). INPUT is JSON Lines (gzip-compressed or not: one event
per line, blank lines skipped) or Parquet (each row is an event, or --column names its JSON text or
struct column): files, directories or URIs Spark reads (s3a://, hdfs://, gs://).

With --out DIR the matched events are written under DIR partitioned by rule (DIR/rule=NAME/...), an
event once per rule it matched: as JSON Lines of the event text, or as Parquet rows.

Lines that are not events are counted, and a few of them shown on stderr; they never fail the job.
Needs the spark extra (pip install 'eventmatch[spark]') and a Java runtime. On a cluster, run the same
job with spark-submit (see the README, "Scaling out").
"""

EPILOG = """\
exit status: 0 when every line was an event, 1 when some were not, 2 when the rules or the inputs
cannot be used (or Spark cannot start).

examples:
  eventmatch replay --rules rules.json archive/2026-11/*.jsonl.gz
  eventmatch replay --rules template.yaml --master 'local[4]' --out matched/ --format parquet events/
  eventmatch replay --sns --rules policies.json --summary-format json messages.jsonl
"""

#: Bad events shown on stderr; the rest are only counted.
SHOWN_BAD: Final = 5
_LINE: Final = "value"  # the column Spark's text reader gives
_EVENT: Final = "event"


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """What a replay found: events read, bad ones (count and a few reasons), matches per rule."""

    events: int
    bad: int
    counts: dict[str, int]
    bad_examples: list[str]

    def as_json(self) -> dict[str, Any]:
        """The report as a JSON document."""
        return {
            "events": self.events,
            "bad": self.bad,
            "rules": self.counts,
            "bad_examples": self.bad_examples,
        }


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``replay`` to the command line."""
    parser = add_command(commands, "replay", DESCRIPTION, EPILOG)
    parser.add_argument(
        "--rules", action="append", required=True, metavar="RULES", help="rule file or template"
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="JSON Lines or Parquet: paths or URIs")
    parser.add_argument(
        "--master", help="Spark master URL (default: spark-submit's, else local[*]), e.g. local[2], yarn"
    )
    parser.add_argument(
        "--input-format",
        choices=("auto", "jsonl", "parquet"),
        default="auto",
        help="how to read INPUT (default: by its name, Parquet for names ending in .parquet)",
    )
    parser.add_argument("--column", help="Parquet: the column holding the event (default: the whole row)")
    parser.add_argument("--out", metavar="DIR", help="write the matched events here, partitioned by rule")
    parser.add_argument(
        "--format",
        choices=("jsonl", "parquet"),
        default="jsonl",
        help="format of --out (default: %(default)s)",
    )
    parser.add_argument(
        "--summary-format", choices=("text", "json"), default="text", help="stdout format (default: text)"
    )
    add_language(parser)
    add_rules_as(parser)
    parser.set_defaults(run=run)


def _session(master: str | None) -> SparkSession:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise CliError("replay needs PySpark: pip install 'eventmatch[spark]'") from None
    builder = SparkSession.builder.appName("eventmatch replay").config(
        "spark.ui.showConsoleProgress", "false"
    )
    if master is not None:
        builder = builder.master(master)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # PySpark reports a missing or broken Java runtime this way
        raise CliError(f"cannot start Spark (is a Java runtime installed?): {exc}") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def _is_parquet(inputs: Sequence[str], chosen: str) -> bool:
    if chosen != "auto":
        return chosen == "parquet"
    return all(path.rstrip("/").endswith(".parquet") for path in inputs)


def _read_sns_line(row: Sequence[Any]) -> object:
    from ..sns import message_event

    (line,) = row
    return message_event(*message_parts(line.encode("utf-8", "surrogatepass")))


def _answered(spark: SparkSession, machine: Machine, args: argparse.Namespace) -> tuple[DataFrame, list[str]]:
    """The input rows with an ``event`` text column, their matches and errors; and the columns
    ``--out --format parquet`` writes (the input's own)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    from ..spark import match_events, match_rows

    if _is_parquet(args.inputs, args.input_format):
        frame = spark.read.parquet(*args.inputs)
        own = list(frame.columns)
        source = (
            F.struct(*(F.col(f"`{name}`") for name in own)) if args.column is None else F.col(args.column)
        )
        if args.column is not None and isinstance(frame.schema[args.column].dataType, StringType):
            text = source
        else:
            text = F.to_json(source)
        frame = frame.withColumn(_EVENT, text)
    else:
        frame = spark.read.text(list(args.inputs)).where(F.trim(F.col(_LINE)) != "")
        frame = frame.withColumnRenamed(_LINE, _EVENT)
        own = [_EVENT]
    if args.sns:
        return match_rows(frame, machine, [F.col(_EVENT)], _read_sns_line), own
    return match_events(frame, machine, _EVENT), own


def replay(spark: SparkSession, machine: Machine, args: argparse.Namespace) -> ReplayReport:
    """Run the job: count, and write ``--out`` when asked."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from ..spark import ERROR_COLUMN, MATCHES_COLUMN

    answered, own = _answered(spark, machine, args)
    answered = answered.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        totals = answered.agg(F.count(F.lit(1)), F.count(ERROR_COLUMN)).first()
        events, bad = (int(totals[0]), int(totals[1])) if totals is not None else (0, 0)
        per_rule = answered.select(F.explode(MATCHES_COLUMN).alias("rule")).groupBy("rule").count()
        counts = dict.fromkeys(machine.rule_names(), 0)
        counts.update({row["rule"]: int(row["count"]) for row in per_rule.collect()})
        examples = [
            f"{row[ERROR_COLUMN]}: {row[_EVENT][:80]}"
            for row in answered.where(F.col(ERROR_COLUMN).isNotNull()).limit(SHOWN_BAD).collect()
        ]
        if args.out is not None:
            written = own if args.format == "parquet" else [_EVENT]
            matched = answered.select(
                F.explode(MATCHES_COLUMN).alias("rule"), *(F.col(f"`{c}`") for c in written)
            )
            writer = matched.write.partitionBy("rule").mode("errorifexists")
            if args.format == "parquet":
                writer.parquet(args.out)
            else:
                writer.text(args.out)
    finally:
        answered.unpersist()
    return ReplayReport(events, bad, counts, examples)


def _print_text(report: ReplayReport, out: TextIO) -> None:
    width = max((len(f"{count:,}") for count in report.counts.values()), default=1)
    for rule, count in sorted(report.counts.items()):
        out.write(f"{count:>{width},}  {rule}\n")
    out.write(f"{plural(report.events, 'event')}, {plural(report.bad, 'bad event')}\n")


def run(args: argparse.Namespace) -> int:
    """The ``replay`` command."""
    entries, skipped = load_entries(args.rules, read_options(args, args.rules_as))
    for finding in skipped:
        print(finding, file=sys.stderr)
    machine = build_machine(entries)
    spark = _session(args.master)
    report = replay(spark, machine, args)
    for example in report.bad_examples:
        print(f"bad event: {example}", file=sys.stderr)
    if args.summary_format == "json":
        print_json(report.as_json(), sys.stdout)
    else:
        _print_text(report, sys.stdout)
    return EXIT_FAILED if report.bad else EXIT_OK
