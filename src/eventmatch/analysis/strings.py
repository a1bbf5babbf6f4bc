"""String tests as automata, and a search for a string that passes some tests and fails others.

Every string test of the IR except ``cidr`` accepts a regular language; each is written here as a
*shape*: a sequence of items, each the spellings one pattern character accepts (one spelling, or a
character's lower and upper case, SPEC 2.5) or a star (any run of characters). The reference
interpreter's quirks are part of the shape: a prefix test looks at the string followed by a quote and a
suffix test at the string preceded by one, because event-ruler compares strings in their quoted form.

The search walks the product of the tests' automata breadth first, over an alphabet made of the
characters the operands mention plus one character none mentions (every test treats all such
characters alike), so it finds the shortest string that passes every test of one set and none of
another, or proves that none exists, within a step budget.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from ..casefold import case_alternatives
from ..ir import EqualsIgnoreCase, Exact, Prefix, PrefixIgnoreCase, Suffix, SuffixIgnoreCase, Test, Wildcard
from ..wildcard import literal_segments
from .budget import Budget

__all__ = ["Automaton", "automaton", "search_strings"]

Item = tuple[str, ...] | None  # the spellings one pattern character accepts; None: a star
State = tuple[int, str]  # (item reached, what is left of the spelling being read)
States = frozenset[State]

_QUOTE: Final = '"'
_FILLERS: Final = "xyzqwjkv_0123456789"  # candidates for the character no operand mentions


def _literal(text: str) -> list[Item]:
    return [(char,) for char in text]


def _spelled(text: str) -> list[Item]:
    return [case_alternatives(char) for char in text]


@dataclass(frozen=True, slots=True)
class _Shape:
    items: tuple[Item, ...]
    lead: bool = False  # the string is read after a quote
    trail: bool = False  # ... and followed by one


def _shape(test: Test) -> _Shape | None:
    """The shape of a string test, or None when the test is not one of these."""
    match test:
        case Exact(key) if isinstance(key, str):
            return _Shape(tuple(_literal(key)))
        case Prefix(text):
            return _Shape((*_literal(text), None), trail=True)
        case Suffix(text):
            return _Shape((None, *_literal(text)), lead=True)
        case EqualsIgnoreCase(text):
            return _Shape(tuple(_spelled(text)))
        case PrefixIgnoreCase(text):
            return _Shape((*_spelled(text), None), trail=True)
        case SuffixIgnoreCase(text):
            return _Shape((None, *_spelled(text)), lead=True)
        case Wildcard(text):
            items: list[Item] = []
            for index, segment in enumerate(literal_segments(text)):
                if index:
                    items.append(None)
                items.extend(_literal(segment))
            return _Shape(tuple(items))
    return None


@dataclass(slots=True)
class Automaton:
    """The nondeterministic automaton of one string test, read one character at a time."""

    shape: _Shape
    _steps: dict[tuple[States, str], States] = field(default_factory=dict)

    @property
    def characters(self) -> set[str]:
        """The characters the test's operand mentions."""
        return {char for item in self.shape.items if item for spelling in item for char in spelling}

    def _closure(self, states: set[State]) -> States:
        items = self.shape.items
        pending = list(states)
        while pending:
            index, rest = pending.pop()
            if not rest and index < len(items) and items[index] is None and (index + 1, "") not in states:
                states.add((index + 1, ""))  # a star may match nothing
                pending.append((index + 1, ""))
        return frozenset(states)

    def start(self) -> States:
        """The states before the first character."""
        states = self._closure({(0, "")})
        return self.step(states, _QUOTE) if self.shape.lead else states

    def step(self, states: States, char: str) -> States:
        """The states after reading ``char``."""
        key = (states, char)
        found = self._steps.get(key)
        if found is not None:
            return found
        items = self.shape.items
        after: set[State] = set()
        for index, rest in states:
            if rest:
                if rest[0] == char:
                    after.add((index, rest[1:]) if len(rest) > 1 else (index + 1, ""))
                continue
            if index == len(items):
                continue
            item = items[index]
            if item is None:
                after.add((index, ""))
                continue
            for spelling in item:
                if spelling[0] == char:
                    after.add((index, spelling[1:]) if len(spelling) > 1 else (index + 1, ""))
        found = self._steps[key] = self._closure(after)
        return found

    def accepts(self, states: States) -> bool:
        """Whether the string read so far passes the test."""
        if self.shape.trail:
            states = self.step(states, _QUOTE)
        return (len(self.shape.items), "") in states

    def settled(self, states: States) -> bool:
        """Whether every continuation of the string read so far passes the test."""
        items = self.shape.items
        return any(
            not rest and index < len(items) and all(item is None for item in items[index:])
            for index, rest in states
        )


@lru_cache(maxsize=4096)  # rules repeat their operands, and an automaton keeps the steps it has taken
def automaton(test: Test) -> Automaton | None:
    """The automaton of a string test (exact string, prefix, suffix, the ignore-case forms, wildcard),
    or None for any other test."""
    shape = _shape(test)
    return None if shape is None else Automaton(shape)


def _alphabet(automata: Sequence[Automaton], excluded: Collection[str]) -> list[str]:
    mentioned = sorted(set().union(*(machine.characters for machine in automata), *excluded))
    filler = next((char for char in _FILLERS if char not in mentioned), None)
    if filler is None:  # every filler is mentioned: any other character will do
        filler = next(chr(code) for code in range(0x4E00, 0x9FFF) if chr(code) not in mentioned)
    return [filler, *mentioned]


def search_strings(
    must: Sequence[Automaton], avoid: Sequence[Automaton], budget: Budget, excluded: Collection[str] = ()
) -> Iterator[str]:
    """The strings that pass every test of ``must``, none of ``avoid`` and are none of ``excluded``,
    shortest first (one of each class of strings the tests cannot tell apart). Exhausting the
    iterator proves there are no more; each state explored costs one step of ``budget`` (Unknown
    when it runs out).

    ``excluded`` (exact values, which come in long lists) is read as one trie rather than as an
    automaton per value: its part of a state is the text read so far while that begins some value.
    """
    alphabet = _alphabet([*must, *avoid], excluded)
    begins = {value[:end] for value in excluded for end in range(len(value) + 1)}
    start = (
        tuple(machine.start() for machine in must),
        tuple(machine.start() for machine in avoid),
        "" if begins else None,
    )
    seen = {start}
    queue = deque([(start, "")])
    while queue:
        (musts, avoids, read), text = queue.popleft()
        if (
            read not in excluded
            and all(machine.accepts(states) for machine, states in zip(must, musts, strict=True))
            and not any(machine.accepts(states) for machine, states in zip(avoid, avoids, strict=True))
        ):
            yield text
        for char in alphabet:
            next_musts = tuple(
                machine.step(states, char) for machine, states in zip(must, musts, strict=True)
            )
            if not all(next_musts):
                continue  # a test that must pass can no longer
            next_avoids = tuple(
                machine.step(states, char) for machine, states in zip(avoid, avoids, strict=True)
            )
            if any(machine.settled(states) for machine, states in zip(avoid, next_avoids, strict=True)):
                continue  # a test that must fail passes whatever follows
            longer = None if read is None or read + char not in begins else read + char
            state = (next_musts, next_avoids, longer)
            if state not in seen:
                budget.spend()
                seen.add(state)
                queue.append((state, text + char))
