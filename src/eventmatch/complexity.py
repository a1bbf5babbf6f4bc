"""Wildcard complexity: the score AWS uses to reject a rule as "too complex".

EventBridge refuses a pattern whose wildcards are too expensive to match ("Rule is too complex - try
using fewer wildcard characters ..."). The score behind that check is event-ruler's
``MachineComplexityEvaluator``: the largest number of wildcard-pattern *prefixes* that one input value
can keep alive at the same time. AWS's threshold is not published (SPEC 2.6.4 puts it in [7, 10]); this
module only computes the score, so that a validator can report it.

The score is a property of event-ruler's byte automaton, not of the patterns' language, so it is
reproduced by building the same automaton and walking it the same way:

1. Each operand becomes the bytes of ``'"' + operand + '"'`` (event-ruler matches string values with
   their JSON quotes, so the closing quote is a real step after a trailing ``*``); an unescaped ``*``
   is a wildcard token, ``\\*`` and ``\\\\`` are literal bytes. Text is UTF-8.
2. The operands are added, one after the other, to a byte-level NFA built by event-ruler's rules:
   a literal byte is an edge to a new state; a ``*`` is an edge on every byte to a new state that
   loops to itself on every byte, and the byte after the ``*`` is also reachable straight from the
   state before it (so the ``*`` can match nothing); the closing quote leads to a match of the pattern.
   Existing states are re-used for a shared prefix where event-ruler re-uses them, because re-use
   decides how many distinct transitions a value can be in at once.
3. The evaluator explores every set of transitions one input can be in together (a subset
   construction over the NFA). A set scores, for each transition in it, the number of distinct
   wildcard patterns still reachable from it, plus the patterns reachable from that transition's
   "every byte" edges (a wildcard about to start) not already in the set. The score is the largest
   set's score.

Findings from event-ruler's source (``MachineComplexityEvaluator``, ``ByteMachine``, ``NameState``):

* Over the fields of one rule the score is the **maximum**, not the sum: ``NameState`` takes the max
  over its byte machines, and the evaluator takes the max of a byte machine and the machines reached
  through its matches. Several wildcard operands of the *same* field share one byte machine, so
  their prefixes add up.
* An operand without a ``*`` scores 1 (one live prefix, the pattern itself); no operands score 0.
* event-ruler caps the walk at the evaluator's ``maxComplexity``; ``limit`` does the same here.
* Quirks kept on purpose: a repeated operand can raise the score (``["ab*c", "ab*c"]`` scores 3,
  ``["ab*c"]`` 2), because event-ruler refuses to share a wildcard-reached state when the next
  character has a case (its equals-ignore-case convergence check) and so builds a second branch.
  This follows the source; it is not among the values confirmed by running event-ruler.
* Not modelled: other match types in the same field (exact values can share states with wildcards)
  and ``anything-but`` wildcards, which newer event-ruler also counts.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["rule_complexity", "wildcard_complexity"]

_STAR = -1  # token for an unescaped '*'; every other token is a byte value
_QUOTE = 0x22
_BACKSLASH = 0x5C
_ASTERISK = 0x2A


class _Edge:
    """Where one transition leads: a state, a completed pattern, or both.

    Identity matters: event-ruler counts transitions, so two edges to the same state are two
    transitions (a state's own edge, ``_State.edge``, stands for "the state itself").
    """

    __slots__ = ("pattern", "state")

    def __init__(self, state: _State | None, pattern: int | None) -> None:
        self.state = state
        self.pattern = pattern


class _State:
    __slots__ = ("edge", "every", "loose", "on")

    def __init__(self, loose: bool) -> None:
        # Dicts used as insertion-ordered sets, so results never depend on hash order.
        self.every: dict[_Edge, None] = {}  # taken on every byte (wildcards)
        self.on: dict[int, dict[_Edge, None]] = {}  # taken on one byte, besides ``every``
        # event-ruler's "indeterminate prefix": more than one input prefix reaches this state,
        # so it must not be shared with a pattern that expects one exact prefix.
        self.loose = loose
        self.edge = _Edge(self, None)

    def step(self, token: int) -> list[_Edge]:
        if token == _STAR:
            return list(self.every)
        return list({**self.every, **self.on.get(token, {})})


def _tokens(operand: str) -> list[int]:
    raw = operand.encode("utf-8", "replace")  # Java writes '?' for a lone surrogate, as 'replace' does
    out = [_QUOTE]
    i = 0
    while i < len(raw):
        byte = raw[i]
        if byte == _ASTERISK:
            out.append(_STAR)
        elif byte == _BACKSLASH and i + 1 < len(raw) and raw[i + 1] in (_ASTERISK, _BACKSLASH):
            out.append(raw[i + 1])
            i += 1
        else:
            out.append(byte)
        i += 1
    out.append(_QUOTE)
    return out


def _has_case(tokens: Sequence[int], i: int) -> bool:
    """Whether the character starting at ``tokens[i]`` has distinct lower and upper case forms."""
    lead = tokens[i]
    width = 1 if lead < 0x80 else 2 if lead < 0xE0 else 3  # event-ruler reads at most 3 bytes
    chunk = tokens[i : i + width]
    if _STAR in chunk:
        return False
    char = bytes(chunk).decode("utf-8", "replace")[:1]
    return char.lower() != char.upper()


def _preferred_target(edges: Iterable[_Edge]) -> _State | None:
    """The state a set of edges "leads to" when one is needed: a strict one if any, else any."""
    found: _State | None = None
    for edge in edges:
        if edge.state is not None:
            if not edge.state.loose:
                return edge.state
            found = found or edge.state
    return found


class _Machine:
    """The byte automaton of one field's wildcard operands, built as event-ruler builds it."""

    def __init__(self) -> None:
        self.start = _State(loose=False)
        self.states = [self.start]  # creation order; every edge goes to a later state or itself

    def _new_state(self, loose: bool) -> _State:
        state = _State(loose)
        self.states.append(state)
        return state

    def _can_share_after(self, state: _State, tokens: Sequence[int], i: int) -> bool:
        """Whether a loose state reached from ``state`` on ``tokens[i]`` may be shared.

        event-ruler refuses when two paths out of ``state`` could later meet again: ``state`` has a
        wildcard edge elsewhere, or (its equals-ignore-case check, kept as is) the character has case.
        Wildcards and UTF-8 continuation bytes are always shareable.
        """
        token = tokens[i]
        if token == _STAR or 0x80 <= token <= 0xBF:
            return True
        if state.every and list(state.every) != [state.edge]:
            return False
        return not _has_case(tokens, i)

    def _reusable(self, state: _State, tokens: Sequence[int], i: int) -> _State | None:
        for edge in state.step(tokens[i]):
            target = edge.state
            if target is None or target is state:
                continue
            if not target.loose or self._can_share_after(state, tokens, i):
                return target
        return None

    def _link_new(self, state: _State, prev: _State | None, tokens: Sequence[int], i: int) -> _State:
        token = tokens[i]
        if token == _STAR:
            fresh = self._new_state(loose=True)
            fresh.every[fresh.edge] = None  # the wildcard eats any byte ...
            state.every[fresh.edge] = None
            return fresh
        fresh = self._new_state(state.loose)
        state.on.setdefault(token, {})[fresh.edge] = None
        if prev is not None and tokens[i - 1] == _STAR:
            prev.on.setdefault(token, {})[fresh.edge] = None  # ... or nothing
        return fresh

    def add(self, tokens: Sequence[int], pattern: int) -> None:
        last = len(tokens) - 1
        state, prev, i = self.start, None, 0
        # 1. Share existing states while event-ruler would.
        while i < last:
            shared = self._reusable(state, tokens, i)
            if shared is None:
                break
            state, prev, i = shared, state, i + 1
        # 2. Keep following strict (single-prefix) states; a bare match on the way gets a state.
        while i < last:
            edges = state.step(tokens[i])
            if not edges:
                break
            target = _preferred_target(edges)
            if target is None:
                target = self._new_state(state.loose)
                old = edges[0]
                bucket = state.on.setdefault(tokens[i], {})
                bucket.pop(old, None)
                bucket[_Edge(target, old.pattern)] = None
            elif target.loose:
                break
            state, prev, i = target, state, i + 1
        # 3. Build the rest, re-using only strict states.
        while i < last:
            target = _preferred_target(state.step(tokens[i]))
            if target is None or target.loose:
                target = self._link_new(state, prev, tokens, i)
            state, prev, i = target, state, i + 1
        # 4. The closing quote completes the pattern (also straight after a final '*').
        end = tokens[last]
        if any(edge.pattern == pattern for edge in state.step(end)):
            return
        match = _Edge(None, pattern)
        state.on.setdefault(end, {})[match] = None
        if prev is not None and tokens[last - 1] == _STAR:
            prev.on.setdefault(end, {})[match] = None

    def score(self, limit: int | None) -> int:
        # Patterns reachable from each state; one backward pass suffices because edges only go to
        # later states or loop on themselves.
        ahead: dict[_State, frozenset[int]] = {}
        for state in reversed(self.states):
            found: set[int] = set()
            for edge in {**state.every, **{e: None for b in state.on.values() for e in b}}:
                if edge.pattern is not None:
                    found.add(edge.pattern)
                if edge.state is not None and edge.state is not state:
                    found |= ahead[edge.state]
            ahead[state] = frozenset(found)

        counts: dict[_Edge, int] = {}

        def alive(edge: _Edge) -> int:
            if edge not in counts:
                reach = ahead[edge.state] if edge.state is not None else frozenset()
                counts[edge] = len(reach | {edge.pattern}) if edge.pattern is not None else len(reach)
            return counts[edge]

        def successors(current: frozenset[_Edge]) -> list[frozenset[_Edge]]:
            states = list({e.state: None for e in current if e.state is not None})
            base = {e: None for s in states for e in s.every}
            keys = {b for s in states for b in s.on}
            nexts = [frozenset(base)] if base and len(keys) < 256 else []
            for byte in keys:
                nexts.append(frozenset({**base, **{e: None for s in states for e in s.on.get(byte, {})}}))
            return nexts

        best = 0
        seen = {frozenset({self.start.edge})}
        queue = deque(successors(frozenset({self.start.edge})))
        while queue:
            current = queue.popleft()
            if current in seen:
                continue
            seen.add(current)
            size = 0
            for edge in current:
                size += alive(edge)
                # A prefix that could start a wildcard next is alive too (input "foo" is also "foo*").
                if edge.state is not None:
                    size += sum(alive(f) for f in edge.state.every if f not in current)
            if limit is not None and size >= limit:
                return limit
            best = max(best, size)
            queue.extend(successors(current))
        return best


def wildcard_complexity(patterns: Sequence[str], *, limit: int | None = None) -> int:
    """event-ruler's complexity score for the wildcard operands of one field of one rule.

    ``patterns`` are the operands of ``{"wildcard": ...}`` as JSON-decoded strings (``*`` a
    wildcard, ``\\*`` a literal star, ``\\\\`` a literal backslash), assumed already validated.
    With ``limit``, the result is ``min(score, limit)`` and the search stops early, as event-ruler's
    capped evaluator does.
    """
    machine = _Machine()
    ids: dict[str, int] = {}
    for operand in patterns:
        # Equal operands are one pattern when counting (event-ruler counts distinct ``Patterns``), but
        # each is still added: its compiler keeps duplicates, and a duplicate can add states.
        machine.add(_tokens(operand), ids.setdefault(operand, len(ids)))
    return machine.score(limit)


def rule_complexity(field_wildcards: Mapping[str, Sequence[str]], *, limit: int | None = None) -> int:
    """The score of one rule: the maximum over its fields (each field is its own byte machine)."""
    return max((wildcard_complexity(ops, limit=limit) for ops in field_wildcards.values()), default=0)
