"""Pausing Python's cyclic garbage collector while many long-lived objects, and no reference cycles,
are made: a Machine's automaton as it grows, a rules file's entries and reports as they are read.

The collector would only walk them over and over: its sweeps over a growing heap take as long as the
work itself, and they find nothing to collect.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector for the ``with`` block (nested blocks are fine: the outermost
    one enables it again, when it was enabled)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
