"""Bounding the work of a question: a step budget, and the answer "unknown" when it runs out.

Deciding whether one string test can hold where others cannot means exploring the product of their
automata; with wildcards against wildcards or long value lists that product can grow large. Every
question the analysis asks gets a :class:`Budget` of steps; spending past it raises :class:`Unknown`,
which the analysis reports as "unknown" rather than guessing.
"""

from __future__ import annotations

from typing import Final

__all__ = ["DEFAULT_STEPS", "Budget", "Unknown"]

#: Steps (automaton states explored, candidate values tried) one question may take by default.
DEFAULT_STEPS: Final = 20_000


class Unknown(Exception):
    """A question that could not be settled: the budget ran out, or no decision procedure applies."""


class Budget:
    """A number of steps to spend on one question; :meth:`spend` raises :class:`Unknown` past it."""

    __slots__ = ("left",)

    def __init__(self, steps: int = DEFAULT_STEPS) -> None:
        self.left = steps

    def spend(self, steps: int = 1) -> None:
        """Take ``steps`` from the budget; Unknown when it is exhausted."""
        self.left -= steps
        if self.left < 0:
            raise Unknown("the step budget ran out")
