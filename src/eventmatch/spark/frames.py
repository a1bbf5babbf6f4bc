"""Matching the rows of a Spark DataFrame against a rule set, on Spark's executors.

The Machine is broadcast once; each executor's Python worker loads it once and matches the rows
Arrow batch by Arrow batch with :meth:`~eventmatch.Machine.match_many` (``DataFrame.mapInArrow``:
as fast as an Arrow-optimised UDF in ``benchmarks/scale_out.py``, and it hands whole batches to
``match_many``). A row that is not an event gets a null match list and the reason in the error
column: a bad row never fails the job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Final

import pyarrow as pa
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, BinaryType, StringType, StructField, StructType

from ..errors import EventmatchError
from ..events import parse_event
from ..machine import Machine
from ..sns import message_event

__all__ = [
    "ERROR_COLUMN",
    "MATCHES_COLUMN",
    "Reading",
    "event_text",
    "match_events",
    "match_messages",
    "match_rows",
]

MATCHES_COLUMN: Final = "matches"
ERROR_COLUMN: Final = "match_error"
_EVENT: Final = "__eventmatch_event"
_ATTRIBUTES: Final = "__eventmatch_attributes"
_BODY: Final = "__eventmatch_body"

Rules = Machine | Iterable[tuple[str, Any]]
Reading = Callable[[Sequence[Any]], object]


def _machine(rules: Rules) -> Machine:
    if isinstance(rules, Machine):
        return rules
    machine = Machine()
    machine.add_rules(rules)
    return machine


def event_text(frame: DataFrame, column: str) -> Column:
    """``column`` of ``frame`` as JSON text: strings and bytes as they are, structs and maps
    through ``to_json``."""
    kind = frame.schema[column].dataType
    if isinstance(kind, StringType | BinaryType):
        return F.col(column)
    return F.to_json(F.col(column))


def _answers(machine: Machine, inputs: Sequence[Sequence[Any]], read: Reading) -> tuple[list[Any], list[Any]]:
    """(matches, errors) for each row's inputs: one batch call, and one call per row only when
    the batch holds a bad row (so the good rows around it still get their answers)."""
    try:
        return machine.match_many(read(row) for row in inputs), [None] * len(inputs)
    except EventmatchError:
        pass
    matches: list[Any] = []
    errors: list[Any] = []
    for row in inputs:
        try:
            matches.append(machine.match(read(row)))
            errors.append(None)
        except EventmatchError as exc:
            matches.append(None)
            errors.append(str(exc))
    return matches, errors


def _read_event(row: Sequence[Any]) -> object:
    (event,) = row
    if event is None:
        raise _NoEvent("the event is null")
    return event


class _NoEvent(EventmatchError):
    """A row without an event to match."""


def _attribute_map(value: Any) -> Any:
    """SNS message attributes as ``Machine.match_message`` takes them, from what Arrow gives for
    a map column (a list of pairs), a struct (a dict, unset fields None) or JSON text."""
    if isinstance(value, list):
        value = dict(value)
    if isinstance(value, dict):
        return {
            name: {key: part for key, part in attribute.items() if part is not None}
            if isinstance(attribute, dict)
            else attribute
            for name, attribute in value.items()
            if attribute is not None
        }
    return value


def _read_message(row: Sequence[Any]) -> object:
    attributes, body = row
    if isinstance(attributes, str | bytes):
        attributes = parse_event(attributes)
    return message_event(_attribute_map(attributes), body)


def _matcher(
    broadcast: Any, names: list[str], read: Reading, keep: int
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """The function ``mapInArrow`` runs on each partition: the first ``keep`` columns go through,
    the inputs after them become the matches and errors."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        machine: Machine = broadcast.value
        for batch in batches:
            columns = batch.columns
            inputs = list(zip(*(column.to_pylist() for column in columns[keep:]), strict=True))
            matches, errors = _answers(machine, inputs, read)
            yield pa.RecordBatch.from_arrays(
                [*columns[:keep], pa.array(matches, pa.list_(pa.string())), pa.array(errors, pa.string())],
                names=names,
            )

    return run


def match_rows(frame: DataFrame, rules: Rules, inputs: list[Column], read: Reading) -> DataFrame:
    """The general form of :func:`match_events`: ``read`` turns the values of ``inputs`` in one row
    (a sequence, in their order) into what :meth:`~eventmatch.Machine.match` takes, raising an
    :class:`~eventmatch.errors.EventmatchError` for a row that is not an event. It runs on the
    executors, so it must pickle (a module-level function does)."""
    machine = _machine(rules)
    broadcast = frame.sparkSession.sparkContext.broadcast(machine)
    kept = list(frame.columns)
    staged = frame.select(*(F.col(f"`{name}`") for name in kept), *inputs)
    schema = StructType(
        [
            *frame.schema.fields,
            StructField(MATCHES_COLUMN, ArrayType(StringType(), containsNull=False), nullable=True),
            StructField(ERROR_COLUMN, StringType(), nullable=True),
        ]
    )
    return staged.mapInArrow(_matcher(broadcast, schema.fieldNames(), read, len(kept)), schema)


def match_events(frame: DataFrame, rules: Rules, column: str = "event") -> DataFrame:
    """``frame`` with two more columns: ``matches`` (``array<string>``, the names of the rules each
    row's event matches, sorted) and ``match_error`` (why a row is not an event, else null).

    ``rules`` is a :class:`~eventmatch.Machine` or ``(name, pattern)`` pairs. The event ``column``
    holds JSON text (string or binary), or a struct or map column, matched as its ``to_json``.
    """
    return match_rows(frame, rules, [event_text(frame, column).alias(_EVENT)], _read_event)


def match_messages(
    frame: DataFrame, rules: Rules, attributes: str | None = None, body: str | None = None
) -> DataFrame:
    """:func:`match_events` for SNS messages: ``attributes`` names a column of message attributes
    (a map or struct of ``{"Type", "Value"}`` / ``{"DataType", "StringValue"}`` structs, or their
    JSON text), ``body`` a column of message bodies (text); give either or both.
    """
    if attributes is None and body is None:
        raise ValueError("give the attributes column, the body column, or both")
    inputs = [
        F.col(attributes).alias(_ATTRIBUTES) if attributes is not None else F.lit(None).alias(_ATTRIBUTES),
        F.col(body).alias(_BODY) if body is not None else F.lit(None).cast(StringType()).alias(_BODY),
    ]
    return match_rows(frame, rules, inputs, _read_message)
