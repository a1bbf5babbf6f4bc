"""Running a rule set over Spark DataFrames: ``pip install 'eventmatch[spark]'``.

:func:`match_events` adds to a DataFrame of EventBridge events the names of the rules each row
matches; :func:`match_messages` does the same for SNS messages; :func:`match_rows` is the general
form behind both. ``eventmatch replay`` (:mod:`eventmatch.cli.replay`) is a ready-made job over
files, and ``spark-submit`` runs it on a cluster through this package's ``__main__``.
"""

from .frames import (
    ERROR_COLUMN,
    MATCHES_COLUMN,
    Reading,
    event_text,
    match_events,
    match_messages,
    match_rows,
)

__all__ = [
    "ERROR_COLUMN",
    "MATCHES_COLUMN",
    "Reading",
    "event_text",
    "match_events",
    "match_messages",
    "match_rows",
]
