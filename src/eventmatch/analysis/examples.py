"""Example events that match a pattern, and near misses that fail exactly one of its conditions.

An example holds, for each condition of one alternative (one ``$or`` combination), one leaf that meets it
(or nothing, for a condition met by absence), each at its own path, with no arrays: there, array
consistency (SPEC 1.3) and the order-dependent absence rules (D7) have nothing to pin, so each
condition is judged on its own leaf and the example matches. An alternative no event matches has a
condition no leaf meets and that absence does not meet either (only a numeric range can hold no number:
``{"numeric": [">", 1, "<", 1.0000000000000002]}``).

A near miss is an example with one condition's leaf swapped for one that fails it (a near value:
``"STOPPED"`` for ``"stopped"``, ``999`` for ``>= 1000``) or taken away. It must match no alternative
of the pattern; when another alternative matches it, a condition of that one at a path the near miss
leaves alone is made to fail too. Each near miss is checked with the reference interpreter: the named
condition fails, every other condition of its alternative holds, and the pattern does not match.

SNS filter policies get messages the same way (:mod:`.messages`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import UnsatisfiablePatternError
from ..events import Leaf
from ..explain import describe_test
from ..flatten import PathSet, flatten
from ..ir import Alternative, Condition, Exact, Key, Rule
from ..pattern import Pattern, compile_pattern
from ..reference import witness
from ..sns import FilterPolicy, compile_filter_policy
from .budget import Budget, Unknown
from .conditions import describe, example_leaf, failing_leaf
from .messages import Message, message_world
from .render import Assignment
from .worlds import EVENTS, World

__all__ = [
    "NearMiss",
    "dead_condition",
    "example_assignment",
    "example_event",
    "example_events",
    "example_message",
    "example_messages",
    "leaves_of",
    "near_miss_messages",
    "near_misses",
    "rule_examples",
    "rule_near_misses",
    "world_of",
]


@dataclass(frozen=True, slots=True)
class NearMiss:
    """An event (for an SNS policy, a :class:`Message`) that fails exactly one condition of a pattern.

    ``alternative`` is the index of the ``$or`` alternative it was made from (0 without ``$or``),
    ``path`` the failing condition's path (an SNS attribute's name, or a path in the body),
    ``condition`` its tests as written, ``reason`` why the event fails it. Every other condition of
    that alternative holds, and no alternative of the pattern matches.
    """

    event: Any
    alternative: int
    path: str
    condition: str
    reason: str


def dead_condition(alternative: Alternative, budget: Budget) -> Condition | None:
    """A condition of ``alternative`` no event meets (so no event matches it), or None."""
    for condition in alternative:
        if not condition.allows_absence and example_leaf(condition, budget, opaque=False) is None:
            return condition
    return None


def example_assignment(alternative: Alternative, world: World, budget: Budget) -> Assignment:
    """A leaf for each condition of a live alternative (none where absence is the only way)."""
    assignment: Assignment = {}
    for condition in alternative:
        leaf = example_leaf(condition, budget, world.opaque(condition.path))
        if leaf is not None:
            assignment[condition.path] = leaf
    return assignment


def leaves_of(rule: Rule, world: World, rendered: Any) -> dict[str, list[Leaf]]:
    """The leaves the rule's paths see in an event or message, as one machine of this rule reads it."""
    paths = PathSet(condition.path for alternative in rule for condition in alternative)
    return flatten(world.event(rendered), paths)


def rule_examples(rule: Rule, world: World, budget: Budget | None = None) -> list[Any]:
    """One example per alternative no event is kept from (repeats left out).

    UnsatisfiablePatternError when no event matches the rule at all.
    """
    budget = budget or Budget()
    examples: dict[str, Any] = {}
    dead = []
    for alternative in rule:
        condition = dead_condition(alternative, budget)
        if condition is not None:
            dead.append((world.place(condition.path), describe(condition)))
            continue
        rendered = world.render(example_assignment(alternative, world, budget))
        examples.setdefault(repr(rendered), rendered)
    if not examples:
        raise UnsatisfiablePatternError(tuple(dead))
    return list(examples.values())


def _value(key: Key) -> str:
    return describe_test(Exact(key))


def _failures(condition: Condition, world: World, budget: Budget) -> list[tuple[Key | None, str]]:
    """Ways to fail ``condition``: a leaf that passes none of its tests, or no leaf at all."""
    ways: list[tuple[Key | None, str]] = []
    try:
        leaf = failing_leaf(condition, budget, world.opaque(condition.path))
    except Unknown:
        leaf = None
    if leaf is not None:
        if condition.positive_tests:
            ways.append((leaf, f"{_value(leaf)} passes none of the tests"))
        else:
            ways.append((leaf, f"{_value(leaf)} is there, where exists false wants no value"))
    if not condition.allows_absence:
        ways.append((None, "no value here"))
    return ways


def _matching(rule: Rule, leaves: Mapping[str, list[Leaf]]) -> list[int]:
    return [index for index, alternative in enumerate(rule) if witness(alternative, leaves) is not None]


def _blocked(rule: Rule, index: int, assignment: Assignment, world: World, budget: Budget) -> Any | None:
    """The near miss made from ``assignment`` (for alternative ``index``), with conditions of other
    alternatives that would match it made to fail; None when that does not work out."""
    own = {condition.path for condition in rule[index]}
    for _ in rule:
        rendered = world.render(assignment)
        matching = _matching(rule, leaves_of(rule, world, rendered))
        if not matching:
            return rendered
        if index in matching:
            return None
        free = [condition for condition in rule[matching[0]] if condition.path not in own | assignment.keys()]
        for condition in free:
            leaf = failing_leaf(condition, budget, world.opaque(condition.path))
            if leaf is not None:
                assignment[condition.path] = leaf
                break
        else:
            return None
    return None


def _fails_only(alternative: Alternative, condition: Condition, leaves: Mapping[str, list[Leaf]]) -> bool:
    others = tuple(other for other in alternative if other is not condition)
    return witness((condition,), leaves) is None and witness(others, leaves) is not None


def rule_near_misses(rule: Rule, world: World, budget: Budget | None = None) -> list[NearMiss]:
    """Near misses for each condition of each alternative that some event fails (see the module's
    docstring); UnsatisfiablePatternError when no event matches the rule at all."""
    budget = budget or Budget()
    rule_examples(rule, world, budget)  # raises for a rule nothing matches
    found: dict[str, NearMiss] = {}
    for index, alternative in enumerate(rule):
        if dead_condition(alternative, budget) is not None:
            continue
        base = example_assignment(alternative, world, budget)
        for condition in alternative:
            for leaf, reason in _failures(condition, world, budget):
                assignment = {path: key for path, key in base.items() if path != condition.path}
                if leaf is not None:
                    assignment[condition.path] = leaf
                try:
                    rendered = _blocked(rule, index, assignment, world, budget)
                except Unknown:
                    continue
                if rendered is None or not _fails_only(
                    alternative, condition, leaves_of(rule, world, rendered)
                ):
                    continue
                miss = NearMiss(rendered, index, world.place(condition.path), describe(condition), reason)
                found.setdefault(repr(rendered), miss)
                break
    return list(found.values())


# -- the public functions --------------------------------------------------------------------------------


def _pattern_rule(pattern: object) -> Rule:
    return (pattern if isinstance(pattern, Pattern) else compile_pattern(pattern)).rule


def _policy(policy: object, scope: str) -> FilterPolicy:
    return policy if isinstance(policy, FilterPolicy) else compile_filter_policy(policy, scope)


def world_of(rule: Rule, sns: bool) -> World:
    """The world a rule's examples live in: events, or (``sns``) messages."""
    if not sns:
        return EVENTS
    return message_world({condition.path for alternative in rule for condition in alternative})


def example_events(pattern: object) -> list[dict[str, Any]]:
    """Small events that match an EventBridge pattern, one for each ``$or`` alternative (one for a
    pattern without ``$or``) that some event matches, repeats left out.

    ``pattern`` is a :class:`~eventmatch.Pattern` or anything :func:`~eventmatch.compile_pattern`
    takes. A number only its literal text stands for (``1e400``) is a
    :class:`~eventmatch.number_model.NumberLiteral` in the event. Raises
    :class:`~eventmatch.errors.UnsatisfiablePatternError` when no event matches the pattern.
    """
    return rule_examples(_pattern_rule(pattern), EVENTS)


def example_event(pattern: object) -> dict[str, Any]:
    """A small event that matches an EventBridge pattern (the first of :func:`example_events`).

    >>> example_event({"source": ["aws.ec2"], "detail": {"size": [{"numeric": [">", 0]}]}})
    {'source': 'aws.ec2', 'detail': {'size': 1}}
    """
    return example_events(pattern)[0]


def near_misses(pattern: object) -> list[NearMiss]:
    """Events that each fail exactly one condition of an EventBridge pattern (one per condition that
    some event fails, per ``$or`` alternative), with that condition's path and tests and the reason.

    >>> [miss.event for miss in near_misses({"source": ["aws.ec2"]})]
    [{'source': 'AWS.EC2'}]
    """
    rule = _pattern_rule(pattern)
    return rule_near_misses(rule, EVENTS)


def example_messages(policy: object, scope: str = "MessageAttributes") -> list[Message]:
    """Small SNS messages a filter policy accepts, one per ``$or`` alternative (repeats left out).

    ``policy`` is a :class:`~eventmatch.FilterPolicy` (which has its scope) or anything
    :func:`~eventmatch.compile_filter_policy` takes, for ``scope``. UnsatisfiablePatternError when
    the policy accepts no message.
    """
    rule = _policy(policy, scope).rule
    return rule_examples(rule, world_of(rule, sns=True))


def example_message(policy: object, scope: str = "MessageAttributes") -> Message:
    """A small SNS message a filter policy accepts (the first of :func:`example_messages`).

    >>> example_message({"price": [{"numeric": [">=", 500]}]}).attributes
    {'price': {'Type': 'Number', 'Value': '500'}}
    """
    return example_messages(policy, scope)[0]


def near_miss_messages(policy: object, scope: str = "MessageAttributes") -> list[NearMiss]:
    """SNS messages that each fail exactly one condition of a filter policy (see :func:`near_misses`);
    each near miss's ``event`` is a :class:`Message`."""
    rule = _policy(policy, scope).rule
    return rule_near_misses(rule, world_of(rule, sns=True))
