"""How two rules relate: one within the other (every event that matches the first matches the second),
some event matching both, or every event matching one.

**Within** is proven alternative by alternative: rule A is within rule B when each live alternative of
A is within some alternative of B. Alternative ``a`` is within ``b`` when every condition of ``b`` has
a condition of ``a`` at its path whose leaves all pass ``b``'s condition and which allows absence only
where ``b``'s does: the leaves that make ``a`` match then make ``b`` match, since every leaf ``b`` needs
was chosen by ``a``, together, array elements included. One thing could still break it: a condition of
``b`` met by absence is met when no leaf at its path shares an array element with the leaves chosen for
the others (decision D7), and ``a`` may have chosen more leaves than ``b``, pinning elements ``b`` leaves
free. Only leaves of paths that begin with the same key can share an array, so that case is ruled out
when the conditions ``a`` has beyond ``b``'s begin with other keys.

**Overlap** is shown by an event: one leaf per path, none in arrays (two rules on one field nearly
always overlap on an event holding an array of both their values, which says little). At a path both
alternatives constrain, the leaf must pass a test of each, or both must allow absence.

**Every event**: an alternative whose conditions each take every leaf and allow absence, each beginning
with its own key (conditions that share a first key can still fail together, by D7).
"""

from __future__ import annotations

from collections.abc import Collection

from ..flatten import PathSet
from ..ir import Alternative, Rule
from .budget import Budget, Unknown
from .conditions import example_leaf, first_step, shared_leaf, takes_every_leaf, within
from .examples import dead_condition
from .render import Assignment
from .worlds import World

__all__ = [
    "alternative_within",
    "joint_assignment",
    "live",
    "overlap",
    "rule_within",
    "universal_alternative",
]


def live(rule: Rule, budget: Budget) -> list[Alternative]:
    """The alternatives of ``rule`` some event matches."""
    return [alternative for alternative in rule if dead_condition(alternative, budget) is None]


def alternative_within(small: Alternative, big: Alternative, world: World, budget: Budget) -> bool:
    """Whether every event that matches ``small`` matches ``big`` (proven, see the module's docstring)."""
    by_path = {condition.path: condition for condition in small}
    if not all(condition.path in by_path for condition in big):
        return False  # the cheap test first: most candidates fail here
    for condition in big:
        mine = by_path.get(condition.path)
        if mine is None or (mine.allows_absence and not condition.allows_absence):
            return False
        if not within(mine, condition, budget, world.opaque(condition.path)):
            return False
    big_paths = {condition.path for condition in big}
    pinning = {first_step(c.path) for c in small if c.path not in big_paths and c.positive_tests}
    return not any(
        condition.allows_absence
        and by_path[condition.path].allows_absence
        and first_step(condition.path) in pinning
        for condition in big
    )


def _empty_keys_differ(small: Rule, big: Rule) -> bool:
    """Whether the rules read an event's empty keys differently where it matters: event-ruler reads an
    empty key only when some path of the rule set has an empty step (SPEC 1.2), so alone, ``big`` may
    not see a leaf below an empty key that ``small`` sees."""
    big_paths = [condition.path for alternative in big for condition in alternative]
    if not any("" in path.split(".") for path in big_paths):
        return False  # no leaf big looks at lies below an empty key
    small_paths = (condition.path for alternative in small for condition in alternative)
    return PathSet(small_paths).empty_key_used != PathSet(big_paths).empty_key_used


def rule_within(small: Rule, big: Rule, world: World, budget: Budget) -> bool:
    """Whether every event that matches ``small`` matches ``big``, as far as it can be proven: False
    when it cannot (an alternative of ``small`` no event matches may keep it from being proven: leave
    those out first, see :func:`live`); Unknown when a question on the way could not be settled."""
    if _empty_keys_differ(small, big):
        return False
    for alternative in small:
        unknown: Unknown | None = None
        for target in big:
            try:
                if alternative_within(alternative, target, world, budget):
                    break
            except Unknown as exc:
                unknown = exc
        else:
            if unknown is not None:
                raise unknown
            return False
    return True


def joint_assignment(
    first: Alternative, second: Alternative, world: World, budget: Budget
) -> Assignment | None:
    """Leaves, one per path, that make both alternatives match; None when there are none."""
    theirs = {condition.path: condition for condition in second}
    mine = {condition.path for condition in first}
    assignment: Assignment = {}
    for condition in (*first, *(c for c in second if c.path not in mine)):
        other = theirs.get(condition.path) if condition.path in mine else None
        if other is None:
            leaf = example_leaf(condition, budget, world.opaque(condition.path))
        elif condition.allows_absence and other.allows_absence:
            continue  # no leaf meets both
        else:
            leaf = shared_leaf(condition, other, budget, world.opaque(condition.path))
            if leaf is None:
                return None
        if leaf is not None:
            assignment[condition.path] = leaf
    return assignment


def overlap(first: Rule, second: Rule, world: World, budget: Budget) -> Assignment | None:
    """Leaves that make both rules match (see the module's docstring); None when no such event with
    one leaf per path exists; Unknown when a question on the way could not be settled."""
    unknown: Unknown | None = None
    others = live(second, budget)
    for alternative in live(first, budget):
        for other in others:
            try:
                found = joint_assignment(alternative, other, world, budget)
            except Unknown as exc:
                unknown = exc
                continue
            if found is not None:
                return found
    if unknown is not None:
        raise unknown
    return None


def universal_alternative(
    rule: Rule, world: World, budget: Budget, ignored: Collection[str] = ()
) -> Alternative | None:
    """An alternative of ``rule`` every event matches (proven), leaving the conditions at ``ignored``
    paths out (SNS's markers: "every message with attributes"); None when there is none; Unknown
    when a question on the way could not be settled."""
    unknown: Unknown | None = None
    for alternative in rule:
        conditions = [condition for condition in alternative if condition.path not in ignored]
        steps = [first_step(condition.path) for condition in conditions]
        if len(set(steps)) < len(steps):
            continue
        try:
            if all(
                condition.allows_absence
                and takes_every_leaf(condition.positive_tests, budget, world.opaque(condition.path))
                for condition in conditions
            ):
                return alternative
        except Unknown as exc:
            unknown = exc
    if unknown is not None:
        raise unknown
    return None
